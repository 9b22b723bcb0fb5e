/* SPDX-License-Identifier: MIT */
/* atk_exec_restart.c: a second trusted start-up through exec.  Untrusted
 * code of a registered process (here: the forked copy of the registered
 * program; with ATK_VFORK: a vfork child of it) re-executes the program.
 * The new image's start-up runs code the exec's caller chose -- an
 * LD_PRELOAD constructor, LD_AUDIT, another binary altogether; here the
 * program's own start-up hook, told by the environment -- before it
 * registers: it starts a thread and sets that thread's PKRU to 0, then
 * registers.  PKRU is per thread: the thread keeps every key after the
 * registration and reads the secret of the new, "protected" image.
 *
 * Succeeded: the re-executed image registered (erim-tem gave it a second
 * trusted start-up) and its PKRU-0 thread read the secret.  Under erim-tem
 * an image exec'd after its process registered never registers (EPERM), so
 * liberim's erim_init fails closed there.  Control (not under erim-tem):
 * the registration is not there to refuse (ENOSYS) and the thread reads
 * the key-protected secret of the new image. */
#define ATK_STARTUP atk_stage1
#include <pthread.h>

#include "atk_common.h"

static volatile int stage1_ready, stage1_go;
static volatile int stage1_read = -1;

static void *pkru0_thread(void *arg)
{
	(void)arg;
	if (atk_pkey > 0)
		atk_wrpkru(0);   /* start-up code may: nothing is registered yet */
	stage1_ready = 1;
	while (!stage1_go)
		;
	stage1_read = atk_secret[0];   /* after the registration */
	return NULL;
}

/* In the re-executed image: its start-up, before the registration. */
static void atk_stage1(void)
{
	pthread_t th;
	long rc;
	int err;

	if (!getenv("ATK_STAGE1"))
		return;   /* the first image: ordinary start-up */
	if (pthread_create(&th, NULL, pkru0_thread, NULL) != 0)
		_exit(ATK_ERROR);
	while (!stage1_ready)
		;
	rc = tem_reg(atk_pkey, atk_secret, ATK_SECRET_LEN);
	err = errno;
	if (atk_pkey > 0)   /* the main thread drops to the untrusted domain */
		atk_wrpkru(atk_rdpkru() | (3u << (2 * atk_pkey)));
	stage1_go = 1;
	pthread_join(th, NULL);
	atk_say("re-executed image: registration %s; its start-up thread (PKRU 0) read the secret: %s",
	        rc == TEM_REPLY ? "accepted" : rc == -1 && err == ENOSYS ? "not there (not under erim-tem)"
	                                                               : strerror(err),
	        stage1_read == ATK_SECRET_BYTE ? "yes" : "no");
	if (stage1_read == ATK_SECRET_BYTE && (rc == TEM_REPLY || (rc == -1 && err == ENOSYS)))
		_exit(ATK_SUCCEEDED);
	_exit(ATK_REFUSED);
}

static enum atk_result atk_attack(void)
{
	static char self[4096];
	char *argv[] = { self, "--expect", "succeeded", NULL };
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	int st;
	pid_t pid;

	if (n <= 0)
		return ATK_ERROR;
	self[n] = 0;
	setenv("ATK_STAGE1", "1", 1);
#ifdef ATK_VFORK
	atk_say("untrusted code: vfork, and the child re-executes the program");
	pid = vfork();
	if (pid == 0) {
		execv(self, argv);
		_exit(ATK_ERROR);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return ATK_ERROR;
	if (WIFSIGNALED(st)) {
		atk_say("the re-executed image was stopped (signal %d)", WTERMSIG(st));
		return ATK_REFUSED;
	}
	return WEXITSTATUS(st);
#else
	(void)st;
	(void)pid;
	atk_say("untrusted code: execve of the program itself");
	execv(self, argv);
	atk_say("execve: %s", strerror(errno));
	return errno == EPERM ? ATK_REFUSED : ATK_ERROR;
#endif
}

#ifdef ATK_VFORK
static const char *atk_name = "atk_exec_restart_vfork";
#else
static const char *atk_name = "atk_exec_restart";
#endif
static int atk_needs_pku = 0;
