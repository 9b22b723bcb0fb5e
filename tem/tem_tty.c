/* SPDX-License-Identifier: MIT */
/* tem_tty.c: ioctl requests of terminals and consoles, default deny.
 *
 * A terminal's requests can make another process act: TIOCSTI pushes bytes
 * into the input a shell reads (red team 24, rt_tiocsti: a command that
 * read /proc/PID/mem), TIOCLINUX pastes the console selection, the console
 * keyboard requests (KDSKBSENT ...) rebind a key to a string the user then
 * types, TIOCSETD and TIOCCONS change what the kernel does with a
 * terminal's bytes.  TIOCSCTTY and TIOCSPGRP (a controlling terminal, the
 * foreground job: login_tty, forkpty, job-control shells) are allowed:
 * the kernel lets them take only a terminal without a session, or the
 * caller's own, and the caller's shell is no ancestor of the program
 * (tem_detach.c) -- red team 27 found them refused a usability break.  The old
 * requests of these drivers are plain numbers ('T' 0x54xx, 'K' 0x4Bxx, 'V'
 * 0x56xx, no direction or size bits); the seccomp filter traps those
 * (tem_filter.c) except the few hot, harmless ones in tem_tty_fast[], and
 * erim-tem allows only what tty_allowed[] lists: asking the state, setting
 * the line's own modes, the window size, the non-blocking and close-on-exec
 * flags, the controlling terminal and foreground job.  Everything else of these ranges is refused for every caller, by
 * default: a request nobody listed is a request nobody judged.  Requests
 * with direction or size bits (TCGETS2, TIOCGPTN, ...) carry no input. */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "tem_table.h"

/* Never trapped: isatty(), the window size, FIONREAD/FIONBIO/FIO(N)CLEX on
 * any fd (sockets use them too), the foreground group asked. */
const uint32_t tem_tty_fast[] = { 0x5401, 0x5413, 0x541B, 0x5421, 0x5450, 0x5451, 0x540F };
const size_t tem_ntty_fast = sizeof tem_tty_fast / sizeof tem_tty_fast[0];
const uint32_t tem_tty_types[] = { 0x54, 0x4B, 0x56 };
const size_t tem_ntty_types = sizeof tem_tty_types / sizeof tem_tty_types[0];

static const struct { uint32_t req; const char *name; } tty_allowed[] = {
	{ 0x5401, "TCGETS" }, { 0x5402, "TCSETS" }, { 0x5403, "TCSETSW" }, { 0x5404, "TCSETSF" },
	{ 0x5405, "TCGETA" }, { 0x5406, "TCSETA" }, { 0x5407, "TCSETAW" }, { 0x5408, "TCSETAF" },
	{ 0x5409, "TCSBRK" }, { 0x540A, "TCXONC" }, { 0x540B, "TCFLSH" }, { 0x540C, "TIOCEXCL" },
	{ 0x540D, "TIOCNXCL" }, { 0x540E, "TIOCSCTTY" }, { 0x540F, "TIOCGPGRP" }, { 0x5410, "TIOCSPGRP" }, { 0x5411, "TIOCOUTQ" }, { 0x5413, "TIOCGWINSZ" },
	{ 0x5414, "TIOCSWINSZ" }, { 0x5415, "TIOCMGET" }, { 0x5416, "TIOCMBIS" }, { 0x5417, "TIOCMBIC" },
	{ 0x5418, "TIOCMSET" }, { 0x5419, "TIOCGSOFTCAR" }, { 0x541A, "TIOCSSOFTCAR" }, { 0x541B, "FIONREAD" },
	{ 0x541E, "TIOCGSERIAL" }, { 0x5420, "TIOCPKT" }, { 0x5421, "FIONBIO" }, { 0x5422, "TIOCNOTTY" },
	{ 0x5424, "TIOCGETD" }, { 0x5425, "TCSBRKP" }, { 0x5427, "TIOCSBRK" }, { 0x5428, "TIOCCBRK" },
	{ 0x5429, "TIOCGSID" }, { 0x542E, "TIOCGRS485" }, { 0x5441, "TIOCGPTPEER" }, { 0x5450, "FIONCLEX" },
	{ 0x5451, "FIOCLEX" }, { 0x5452, "FIOASYNC" }, { 0x5459, "TIOCSERGETLSR" }, { 0x545C, "TIOCMIWAIT" },
	{ 0x545D, "TIOCGICOUNT" }, { 0x5460, "FIOQSIZE" }, { 0x4B33, "KDGKBTYPE" },
};

/* Names for the refusal message: the ones an attack would use. */
static const struct { uint32_t req; const char *name; } tty_named[] = {
	{ 0x5412, "TIOCSTI" }, { 0x541C, "TIOCLINUX" },
	{ 0x541D, "TIOCCONS" }, { 0x541F, "TIOCSSERIAL" }, { 0x5423, "TIOCSETD" }, { 0x542F, "TIOCSRS485" },
	{ 0x5437, "TIOCVHANGUP" }, { 0x4B49, "KDSKBSENT" }, { 0x4B47, "KDSKBENT" }, { 0x4B45, "KDSKBMODE" },
	{ 0x4B3A, "KDSETMODE" }, { 0x5606, "VT_ACTIVATE" },
};

void tem_chk_ioctl_tty(struct tem_call *c)
{
	uint32_t req = (uint32_t)c->a[1];   /* the kernel's cmd is an unsigned int */
	const char *name = NULL;
	size_t i;

	if (req & 0xffff0000u)
		return;
	for (i = 0; i < tem_ntty_types && tem_tty_types[i] != req >> 8; i++)
		;
	if (i == tem_ntty_types)
		return;
	for (i = 0; i < sizeof tty_allowed / sizeof tty_allowed[0]; i++)
		if (tty_allowed[i].req == req)
			return;
	for (i = 0; i < sizeof tty_named / sizeof tty_named[0]; i++)
		if (tty_named[i].req == req)
			name = tty_named[i].name;
	c->refuse_errno = EPERM;
	snprintf(c->why, sizeof c->why, "refused (terminal/console request 0x%04x%s%s%s is not on erim-tem's list: "
	         "it could feed input to, or move the terminal of, another process)",
	         (unsigned)req, name ? " (" : "", name ? name : "", name ? ")" : "");
}
