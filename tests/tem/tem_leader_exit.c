/* SPDX-License-Identifier: MIT */
/* tem_leader_exit.c: a process whose main thread (the thread-group leader)
 * has exited while another thread runs shows no fds and an empty map under
 * /proc/TGID (the leader, a zombie, has given up both); erim-tem reads such
 * a process through a live thread (tem_group_reader), so its writers of
 * executable bytes are seen as when the leader lives.
 *
 * Usage: tem_leader_exit register|grant exit|alive refused|changed
 *   register : a root-owned /tmp file mapped r-x privately while an O_RDWR
 *              fd on it stays open; the thread registers (exec_writer_exists)
 *   grant    : the thread registers first (the file is not executable yet),
 *              then maps the file r-x through a second, read-only fd while
 *              the O_RDWR fd stays open (file_exec_rule, writable_somewhere)
 *   exit     : main ends its own thread only (the exit system call, which
 *              is what pthread_exit ends in; pthread_exit itself needs
 *              libgcc_s for unwinding, absent in the PKU guest); the other
 *              thread waits until the leader is a zombie, then does the above
 *   alive    : main waits in pthread_join (the control with the leader alive)
 *   refused  : under erim-tem: the registration (register) or the mmap
 *              (grant) fails with EPERM
 *   changed  : without erim-tem: the registration answers ENOSYS, the write
 *              through the O_RDWR fd changes the executable bytes; with
 *              "exit", also /proc/TGID/fd reads empty while
 *              /proc/TGID/task/TID/fd lists the fds (the mechanism)
 * Exit 0: as expected; 77: cannot run here (printed why). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tem_reg.h"

static const unsigned char stub[] = { 0x0f, 0x01, 0xef, 0xc3 };   /* wrpkru; ret */
static int do_grant, leader_exits, want_refused;
static pid_t tgid;
static char path[64];

static int nfds(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* the state letter of the leader (/proc/TGID/stat, after the last ')') */
static char leader_state(void)
{
	char name[64], buf[512], *r;
	ssize_t n;
	int fd;

	snprintf(name, sizeof name, "/proc/%d/stat", (int)tgid);
	if ((fd = open(name, O_RDONLY)) < 0)
		return '?';
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = 0;
	r = strrchr(buf, ')');
	return r && r[1] == ' ' ? r[2] : '?';
}

static int run(void)
{
	unsigned char page[4096], *rx;
	char dir[96];
	int wfd, rfd, i;
	long rc;

	if (leader_exits) {
		for (i = 0; i < 5000 && leader_state() != 'Z'; i++)
			usleep(1000);
		if (leader_state() != 'Z') {
			fprintf(stderr, "the leader did not become a zombie\n");
			return 2;
		}
		printf("leader %d is a zombie; this thread is %ld\n", (int)tgid, (long)syscall(SYS_gettid));
	}
	memset(page, 0xc3, sizeof page);
	snprintf(path, sizeof path, "/tmp/tem_leader_exit.%d", (int)tgid);
	/* erim-tem's file rule wants root-owned executable files (owner = us) */
	wfd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0700);
	if (wfd < 0 || pwrite(wfd, page, sizeof page, 0) != (ssize_t)sizeof page || (rfd = open(path, O_RDONLY)) < 0) {
		perror("set-up");
		unlink(path);
		return 2;
	}
	/* the file stays (erim-tem refuses deleted executable files): removed at exit */
	if (!want_refused && leader_exits) {
		/* the mechanism: /proc/TGID/fd is empty, the thread's is not */
		int ntg, nt;

		snprintf(dir, sizeof dir, "/proc/%d/fd", (int)tgid);
		ntg = nfds(dir);
		snprintf(dir, sizeof dir, "/proc/%d/task/%ld/fd", (int)tgid, (long)syscall(SYS_gettid));
		nt = nfds(dir);
		printf("/proc/%d/fd lists %d fds, %s lists %d\n", (int)tgid, ntg, dir, nt);
		if (ntg != 0 || nt < 2)
			return 1;
	}
	if (do_grant) {
		rc = tem_reg(-1, NULL, 0);
		printf("grant: registration %s\n", rc == TEM_REPLY ? "accepted" : strerror(errno));
		if (want_refused && rc != TEM_REPLY)
			return 1;
		rx = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, rfd, 0);
		printf("grant: mmap r-x of the file while fd %d is open O_RDWR: %s\n", wfd,
		       rx != MAP_FAILED ? "accepted" : strerror(errno));
		if (want_refused)
			return rx == MAP_FAILED && errno == EPERM ? 0 : 1;
		if (rx == MAP_FAILED)
			return 1;
	} else {
		rx = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, rfd, 0);
		if (rx == MAP_FAILED) {
			perror("mmap r-x");
			return 2;
		}
		rc = tem_reg(-1, NULL, 0);
		printf("register: registration with fd %d open O_RDWR on an executable file: %s\n", wfd,
		       rc == TEM_REPLY ? "accepted" : strerror(errno));
		if (want_refused)
			return rc == -1 && errno == EPERM ? 0 : 1;
		if (rc == TEM_REPLY)
			return 1;   /* the control must run without erim-tem */
	}
	if (pwrite(wfd, stub, sizeof stub, 64) != (ssize_t)sizeof stub)
		return 1;
	printf("executable bytes at +64 now %02x %02x %02x %02x\n", rx[64], rx[65], rx[66], rx[67]);
	return memcmp(rx + 64, stub, sizeof stub) == 0 ? 0 : 1;
}

static void *thread(void *arg)
{
	int rc;

	(void)arg;
	rc = run();
	if (path[0])
		unlink(path);
	exit(rc);
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc != 4 || (strcmp(argv[1], "register") != 0 && strcmp(argv[1], "grant") != 0) ||
	    (strcmp(argv[2], "exit") != 0 && strcmp(argv[2], "alive") != 0) ||
	    (strcmp(argv[3], "refused") != 0 && strcmp(argv[3], "changed") != 0)) {
		fprintf(stderr, "usage: %s register|grant exit|alive refused|changed\n", argv[0]);
		return 2;
	}
	if (geteuid() != 0) {
		printf("SKIP: erim-tem grants execute only on root-owned files; this test creates one and needs root\n");
		return 77;
	}
	do_grant = strcmp(argv[1], "grant") == 0;
	leader_exits = strcmp(argv[2], "exit") == 0;
	want_refused = strcmp(argv[3], "refused") == 0;
	tgid = getpid();
	if (pthread_create(&t, NULL, thread, NULL) != 0)
		return 2;
	if (leader_exits)
		syscall(SYS_exit, 0);   /* this thread only, not the group */
	pthread_join(t, NULL);
	return 2;   /* the thread exits the process */
}
