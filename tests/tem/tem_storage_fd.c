/* SPDX-License-Identifier: MIT */
/* tem_storage_fd.c: storage fds (swap, disks, hibernation: they hold page
 * contents of trusted memory) that reach the program without an open
 * erim-tem judged.  erim-tem refuses untrusted and start-up code's opens of
 * them (atk_swapdev); here the fd comes from outside instead:
 *
 *   launch inherit PATH -- CMD...   PATH opened on fd 3 (no O_CLOEXEC), then
 *                                   exec CMD: fd 3 is inherited, as a shell's
 *                                   `3<PATH` would make it
 *   launch send PATH -- CMD...      CMD runs with one end of a socketpair on
 *                                   fd 3; this process, untraced, opens PATH
 *                                   and sends it with SCM_RIGHTS
 *     PATH "blk": the first block device of /dev that opens and reads.
 *     The launcher exits with CMD's status (128 + signal if killed).
 *
 * Roles of the program itself (CMD, under erim-tem or not):
 *   hold         fd 3 inherited; register (tem_reg.h); read a page from fd 3
 *   hold-fork    a child forked before the registration keeps fd 3 (the
 *                parent closes its copy and registers); the child reads it
 *   recv         register, then recvmsg the fd on fd 3 and read a page
 *   recvmmsg     the same with recvmmsg
 *   recv-startup recvmsg before registering (start-up code), then register
 * Exit 10: the registration was refused (EPERM); 20: the fd was read
 * (registration accepted, or ENOSYS without erim-tem); 1: anything else.  Under erim-tem a refused
 * recvmsg stops the process (the launcher sees SIGKILL, 137 via erim-tem).
 * Exit 77 when no block device can be read here (the reason is printed). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tem_reg.h"
#include "tem_scm.h"

static int storage_read(int fd, const char *what)
{
	char page[4096];
	ssize_t n = pread(fd, page, sizeof page, 0);

	printf("%s: pread of its first page: %zd%s%s\n", what, n, n < 0 ? " " : "", n < 0 ? strerror(errno) : "");
	return n > 0;
}

/* the first block device of /dev that opens read-only and reads */
static int find_blk(char *path, size_t len)
{
	struct dirent *e;
	DIR *d = opendir("/dev");
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d)) != NULL) {
		char page[512];
		struct stat st;
		int fd;

		snprintf(path, len, "/dev/%s", e->d_name);
		if (lstat(path, &st) != 0 || !S_ISBLK(st.st_mode) || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		found = pread(fd, page, sizeof page, 0) > 0;
		close(fd);
	}
	closedir(d);
	return found;
}

static int child_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return 1;
	if (WIFSIGNALED(st)) {
		printf("launch: the program was killed by signal %d\n", WTERMSIG(st));
		return 128 + WTERMSIG(st);
	}
	printf("launch: the program exited with %d\n", WEXITSTATUS(st));
	return WEXITSTATUS(st);
}

static int launch(int argc, char **argv)
{
	char path[300];
	int fd, sv[2], send_it;
	pid_t pid;

	if (argc < 6 || strcmp(argv[4], "--") != 0)
		return 2;
	send_it = strcmp(argv[2], "send") == 0;
	if (strcmp(argv[3], "blk") == 0) {
		if (!find_blk(path, sizeof path)) {
			printf("skip: no block device in /dev opens and reads here (run as root, or in the guest)\n");
			return 77;
		}
	} else {
		snprintf(path, sizeof path, "%s", argv[3]);
	}
	if ((fd = open(path, O_RDONLY)) < 0) {
		printf("skip: open(%s): %s\n", path, strerror(errno));
		return 77;
	}
	printf("launch: %s %s\n", send_it ? "sending" : "handing down on fd 3", path);
	fflush(stdout);
	if (!send_it) {
		if (fd != 3 && (dup2(fd, 3) != 3 || close(fd) != 0))
			return 1;
		execvp(argv[5], argv + 5);
		perror("execvp");
		return 1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0 || (pid = fork()) < 0)
		return 1;
	if (pid == 0) {
		close(sv[0]);
		close(fd);
		if (sv[1] != 3 && (dup2(sv[1], 3) != 3 || close(sv[1]) != 0))
			_exit(1);
		execvp(argv[5], argv + 5);
		_exit(1);
	}
	close(sv[1]);
	if (scm_send_fd(sv[0], fd) != 0)
		perror("sendmsg");
	close(fd);
	fd = child_status(pid);
	close(sv[0]);
	return fd;
}

/* one fd with SCM_RIGHTS from fd 3: recvmsg, or recvmmsg with MMSG */
static int receive(int mmsg)
{
	char byte, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec io = { &byte, 1 };
	struct mmsghdr mm;
	struct msghdr *m = &mm.msg_hdr;
	struct cmsghdr *cm;
	int fd = -1;
	long n;

	memset(&mm, 0, sizeof mm);
	m->msg_iov = &io;
	m->msg_iovlen = 1;
	m->msg_control = cbuf;
	m->msg_controllen = sizeof cbuf;
	n = mmsg ? recvmmsg(3, &mm, 1, 0, NULL) : recvmsg(3, m, 0);
	if (n < 0) {
		printf("%s: %s\n", mmsg ? "recvmmsg" : "recvmsg", strerror(errno));
		return -1;
	}
	for (cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(cm), sizeof fd);
	printf("%s: received fd %d\n", mmsg ? "recvmmsg" : "recvmsg", fd);
	return fd;
}

static int reg(void)
{
	long rc = tem_reg(-1, NULL, 0);

	printf("registration: %s\n", rc == TEM_REPLY ? "accepted" : strerror(errno));
	fflush(stdout);
	return rc == TEM_REPLY ? 1 : rc == -1 && errno == ENOSYS ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *m = argc >= 2 ? argv[1] : "";
	int fd, r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(m, "launch") == 0)
		return launch(argc, argv);
	if (strcmp(m, "hold") == 0) {
		if ((r = reg()) < 0)
			return errno == EPERM ? 10 : 1;
		return storage_read(3, "inherited fd 3") ? 20 : 1;
	}
	if (strcmp(m, "hold-fork") == 0) {
		int go[2];
		pid_t pid;
		char c = 0;

		if (pipe(go) != 0 || (pid = fork()) < 0)
			return 1;
		if (pid == 0) {   /* keeps fd 3; reads it once told */
			close(go[1]);
			if (read(go[0], &c, 1) != 1)
				_exit(1);
			_exit(storage_read(3, "fd 3 kept by a child forked before the registration") ? 20 : 1);
		}
		close(go[0]);
		close(3);
		r = reg();
		if (r < 0) {
			int e = errno;

			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return e == EPERM ? 10 : 1;
		}
		(void)!write(go[1], "g", 1);
		return child_status(pid);
	}
	if (strcmp(m, "recv") == 0 || strcmp(m, "recvmmsg") == 0) {
		if (reg() < 0)
			return 1;
		if ((fd = receive(strcmp(m, "recvmmsg") == 0)) < 0)
			return 1;
		return storage_read(fd, "received fd") ? 20 : 1;
	}
	if (strcmp(m, "recv-startup") == 0) {
		if ((fd = receive(0)) < 0)
			return 1;
		if (!storage_read(fd, "received fd"))
			return 1;
		if (reg() < 0)
			return errno == EPERM ? 10 : 1;
		return 20;
	}
	fprintf(stderr, "usage: tem_storage_fd launch inherit|send PATH|blk -- CMD... | hold | hold-fork | recv | "
	        "recvmmsg | recv-startup\n");
	return 2;
}
