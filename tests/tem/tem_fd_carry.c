/* SPDX-License-Identifier: MIT */
/* tem_fd_carry.c: fds that reach a registered program where no fd table
 * shows them at its registration (red teams 40, 41).
 *   mem  : start-up opens its own /proc/self/mem read-only, sends it into
 *          its own socketpair with SCM_RIGHTS and closes it -- the file
 *          sits in the socket's queue -- then registers a secret page;
 *          untrusted code receives the fd and preads the secret.  Exit 0
 *          when the open or the registration is refused or the process is
 *          stopped at the recvmsg (under erim-tem the parent sees SIGKILL),
 *          1 when the secret was read (the control without erim-tem).
 *   twin : start-up makes a clone(CLONE_VM) twin (its own pid, the same
 *          memory) that opens /proc/self/mem and keeps it; the process
 *          registers (red team 41, vm_twin).  Exit 0 when the twin's open
 *          or the registration is refused, 1 when both pass (the control
 *          without erim-tem).
 *   ring TEM : a launcher makes an io_uring and starts erim-tem with it as
 *          fd 100 (a fork child of start-up could keep it past the
 *          registration and open /proc/PID/mem with IORING_OP_OPENAT).  Exit
 *          0 when erim-tem refuses to start (its message names the fd), 1
 *          when it ran the program; 77 when the kernel gives no io_uring.
 *   noring TEM : the control: the same launcher without the ring; exit 0
 *          when erim-tem runs the program. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tem_reg.h"
#include "tem_scm.h"

static const char secret_text[] = "FD-CARRY-SECRET-40";

/* the program: start-up hides the memory file in a socket queue, registers,
 * untrusted code takes it back */
static int mem_prog(void)
{
	int sv[2], mfd;
	char *secret = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long rc;

	if (secret == MAP_FAILED || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 2;
	memcpy(secret, secret_text, sizeof secret_text);
	if ((mfd = open("/proc/self/mem", O_RDONLY)) < 0) {
		printf("start-up open of /proc/self/mem: %s\n", strerror(errno));
		return errno == EPERM ? 0 : 2;
	}
	if (scm_send_fd(sv[0], mfd) != 0)
		return 2;
	close(mfd);
	rc = tem_reg(-1, secret, 4096);
	printf("registration with the memory file in a socket queue: %s\n",
	       rc == TEM_REPLY ? "accepted" : strerror(errno));
	if (rc == -1 && errno == EPERM)
		return 0;
	return scm_read_page(scm_recv_fd(sv[1]), secret, secret_text);
}

static int twin_main(void *arg)
{
	int *p = arg, fd = open("/proc/self/mem", O_RDONLY);
	char c = fd >= 0 ? 'y' : 'n';

	if (write(p[1], &c, 1) != 1)
		return 2;
	pause();   /* keeps the fd */
	return 0;
}

static int twin_prog(void)
{
	static char stack[65536] __attribute__((aligned(16)));
	char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int p[2];
	pid_t tw;
	char c;
	long rc;

	if (page == MAP_FAILED || pipe(p) != 0)
		return 2;
	tw = clone(twin_main, stack + sizeof stack, CLONE_VM | SIGCHLD, p);
	if (tw < 0 || read(p[0], &c, 1) != 1)
		return 2;
	printf("CLONE_VM twin %d: open of its /proc/self/mem %s\n", (int)tw, c == 'y' ? "allowed" : "refused");
	rc = c == 'y' ? tem_reg(-1, page, 4096) : 0;
	if (c == 'y')
		printf("registration while the twin holds it: %s\n", rc == TEM_REPLY ? "ACCEPTED" : strerror(errno));
	kill(tw, SIGKILL);
	waitpid(tw, NULL, 0);
	return c == 'y' && !(rc == -1 && errno == EPERM) ? 1 : 0;
}

static int launch(const char *tem, const char *self, int ring)
{
	struct { uint32_t a[30]; } params;   /* struct io_uring_params: 120 bytes */
	pid_t p;
	int st;

	if (ring) {
		long fd;

		memset(&params, 0, sizeof params);
		fd = syscall(425 /* io_uring_setup */, 4, &params);
		if (fd < 0) {
			printf("skip: io_uring_setup: %s\n", strerror(errno));
			return 77;
		}
		if (dup2((int)fd, 100) != 100)
			return 2;
		close((int)fd);
	}
	fflush(stdout);
	if ((p = fork()) == 0) {
		execl(tem, tem, self, "exit0", (char *)NULL);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &st, 0) != p)
		return 2;
	printf("erim-tem %s: %s %d\n", ring ? "started with an inherited io_uring at fd 100" : "started without one",
	       WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	if (ring)
		return WIFEXITED(st) && WEXITSTATUS(st) == 125 ? 0 : 1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	char self[512];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (tem_self_exe(self, sizeof self) != 0)
		return 2;
	if (argc == 2 && strcmp(argv[1], "exit0") == 0)
		return 0;
	if (argc == 2 && strcmp(argv[1], "mem-prog") == 0)
		return mem_prog();
	if (argc == 2 && strcmp(argv[1], "twin") == 0)
		return twin_prog();
	if (argc == 2 && strcmp(argv[1], "mem") == 0) {
		/* the program in a child, so that its SIGKILL is seen here */
		pid_t p = fork();
		int st;

		if (p == 0) {
			execl(self, self, "mem-prog", (char *)NULL);
			_exit(127);
		}
		if (p < 0 || waitpid(p, &st, 0) != p)
			return 2;
		if (WIFSIGNALED(st)) {
			printf("the program was stopped (signal %d) before it could use the fd\n", WTERMSIG(st));
			return WTERMSIG(st) == SIGKILL ? 0 : 1;
		}
		return WIFEXITED(st) ? WEXITSTATUS(st) : 2;
	}
	if (argc == 3 && (strcmp(argv[1], "ring") == 0 || strcmp(argv[1], "noring") == 0))
		return launch(argv[2], self, strcmp(argv[1], "ring") == 0);
	fprintf(stderr, "usage: %s mem | twin | ring ERIM-TEM | noring ERIM-TEM\n", argv[0]);
	return 2;
}
