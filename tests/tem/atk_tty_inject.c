/* SPDX-License-Identifier: MIT */
/* atk_tty_inject.c: untrusted code pushes input into a terminal with TIOCSTI.
 * Red team 24 (rt_tiocsti) pushed a command into the interactive shell that
 * had started erim-tem; the shell, an untraced ancestor of the same user,
 * read /proc/PID/mem of the program (kernel.yama.ptrace_scope = 1 lets
 * ancestors).  erim-tem now runs outside its caller's ancestors
 * (tem_detach.c: tem_ancestry.c tests that), and refuses the terminal and
 * console requests it does not list (tem_tty.c), TIOCSTI first.  The attack
 * here is the injection itself, on a pseudo-terminal the program makes its
 * controlling terminal (as the shell's terminal is): SUCCEEDED when the
 * pushed bytes arrive in the terminal's input.  The requests an ordinary
 * program makes (TCGETS, TCSETS, TIOCGWINSZ, FIONBIO, FIONREAD) must keep
 * working under erim-tem: an ERROR if not. */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	static const char cmd[] = "id\n";
	struct termios tio;
	struct winsize ws;
	int m, s, on = 1, avail = 0;
	size_t i;

	if (setsid() < 0) {
		atk_say("setsid: %s", strerror(errno));
		return ATK_ERROR;
	}
	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) < 0 || grantpt(m) != 0 || unlockpt(m) != 0) {
		atk_say("a pseudo-terminal: %s (no devpts mounted here?)", strerror(errno));
		return ATK_ERROR;
	}
	/* a session leader opening a terminal without O_NOCTTY: its controlling terminal */
	if ((s = open(ptsname(m), O_RDWR)) < 0) {
		atk_say("open %s: %s", ptsname(m), strerror(errno));
		return ATK_ERROR;
	}
	/* what every terminal program does: must not be refused */
	if (tcgetattr(s, &tio) != 0 || tcsetattr(s, TCSANOW, &tio) != 0 || ioctl(s, TIOCGWINSZ, &ws) != 0 ||
	    ioctl(s, FIONBIO, &on) != 0 || ioctl(s, FIONREAD, &avail) != 0) {
		atk_say("an ordinary terminal request failed: %s", strerror(errno));
		return ATK_ERROR;
	}
	for (i = 0; i < sizeof cmd - 1; i++) {
		errno = 0;
		if (ioctl(s, TIOCSTI, &cmd[i]) != 0) {
			atk_say("ioctl(TIOCSTI): %s", strerror(errno));
			if (errno == EIO) {
				atk_say("(dev.tty.legacy_tiocsti = 0 and no CAP_SYS_ADMIN: the kernel refuses it)");
				return ATK_NA;
			}
			return ATK_REFUSED;
		}
	}
	if (ioctl(s, FIONREAD, &avail) != 0) {
		atk_say("FIONREAD: %s", strerror(errno));
		return ATK_ERROR;
	}
	atk_say("TIOCSTI accepted: %d byte(s) wait in the terminal's input for whoever reads it", avail);
	return avail > 0 ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_tty_inject";
static int atk_needs_pku = 0;
