/* SPDX-License-Identifier: MIT */
/* tem.h: the internal interface of erim-tem, the ptrace + seccomp supervisor
 * that enforces trusted-only execute memory (TEM).  Modules: tem_main.c (the
 * one tracer loop), tem_policy.c (the policy table and its checks),
 * tem_filter.c (the seccomp-BPF program built from that table), tem_regs.c
 * (register, xstate/PKRU and memory accessors of a stopped tracee) and
 * tem_inspect.c (the WRPKRU/XRSTOR byte check applied before PROT_EXEC). */
#ifndef TEM_H
#define TEM_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include "tem_proto.h"

/* ---- tracee state ------------------------------------------------------------ */

/* A frozen range: after registration untrusted code may not give it
 * permissions beyond CEIL (PROT_* bits); a FULL range can also not be
 * replaced, moved, unmapped or madvised away; a LATE one (RELRO of an object
 * dlopen'ed after registration) only refuses loosening. */
#define TEM_MAX_FROZEN 1024
struct tem_frozen {
	uint64_t start, end;
	uint8_t ceil;
	uint8_t late;
};

/* One address space (a process image, shared by its threads and by CLONE_VM
 * children).  Reference-counted by the threads that point at it. */
#define TEM_PAGE 4096ull

struct tem_proc {
	int refs;
	pid_t tgid;
	int registered;          /* a TEM_NR_REGISTER was accepted */
	/* Exec'd by (or descended from) a process that had registered: its
	 * start-up ran code the exec's caller chose (LD_PRELOAD, LD_AUDIT,
	 * another binary), so it never registers: one trusted start-up per
	 * process tree line (tem_main.c, tem_register).  The pid that had
	 * registered, 0 if none. */
	pid_t exec_after_reg;
	int pkey;                /* trusted key, -1 when the back end has none */
	size_t nranges;
	struct { uint64_t start, end; } range[TEM_MAX_RANGES];
	/* Frozen memory (tem_freeze.c): code, RELRO and data of the objects
	 * mapped at registration, and RELRO of objects loaded later. */
	size_t nfrozen;
	struct tem_frozen frozen[TEM_MAX_FROZEN];
	/* Where PKRU can change: the address after every WRPKRU byte sequence
	 * in executable memory at registration (later code holds none), for
	 * debug-register breakpoints; -1: more than the CPU has breakpoints. */
	int nwrsites;
	uint64_t wrsite[4];
	/* The break as the last brk erim-tem saw return left it (0: not known
	 * yet), and how many brk calls of the address space are between their
	 * seccomp and exit stops: growth past a known break with none in
	 * flight unmaps nothing (tem_kunmap.c). */
	uint64_t brk_known;
	int brk_inflight;
};

/* The tasks held together: while a call that another task could race is
 * judged (needs_freeze), every other task of the caller's group is held
 * stopped (tem_main.c).  A group is every task that shares an address
 * space, an fd table or signal handlers with another one of it, decided by
 * what a new task really shares with its creator (tem_clone.c
 * tem_clone_shares), not by how it was made: threads, CLONE_VM clones,
 * vfork children and CLONE_FILES children without CLONE_VM alike.  Sharing
 * begins only at clone and only ends later (unshare, exec), so the group a
 * task joined at birth covers everything it shares for the rest of its
 * life; exec (which unshares all three) starts a new group. */
struct tem_group {
	int refs;
	pid_t freeze_owner;      /* task whose call is being judged, 0 if none */
	int freeze_pending;      /* interrupted tasks not yet stopped */
};

/* What a thread is doing between two of its stops. */
enum tem_tstate {
	TEM_T_RUNNING = 0,       /* resumed with PTRACE_CONT */
	TEM_T_AWAIT_EXIT,        /* resumed with PTRACE_SYSCALL to see the call's exit */
	TEM_T_INJECT,            /* running a system call TEM injected */
};

struct tem_call;
typedef void (*tem_exit_fn)(struct tem_call *c, long ret);

/* A trapped call, decoded once at its seccomp stop. */
struct tem_call {
	struct tem_thread *t;
	struct user_regs_struct regs;  /* at the seccomp stop */
	long nr;
	uint64_t a[6];
	int trusted;                   /* judged by the caller's PKRU */
	const char *domain;            /* "trusted", "untrusted", "start-up" */
	uint32_t pkru;
	const struct tem_rule *rule;
	/* verdict */
	int refuse_errno;              /* > 0: refuse with -errno */
	int kill;                      /* stop the process */
	char why[640];
	tem_exit_fn on_exit;           /* non-NULL: see the exit stop */
	uint64_t x[4];                 /* data for on_exit */
	int needs_freeze;              /* judge again with other threads held */
	long final_ret;                /* with set_ret: the caller's result */
	int set_ret;
	int inject;                    /* an exit check asks for one more call: */
	long inject_nr;                /* inject_nr(inject_args) (tem_call_inject) */
	uint64_t inject_args[6];
	uint64_t inject_at;            /* non-zero: the `syscall` instruction to run it at (else rip - 2) */
	/* What the call may leave, from the moment it runs past its seccomp
	 * stop until its exit check is over, in something other tasks share
	 * and that only the exit check undoes (the fd of a refused open in
	 * the fd table, a mapping or a permission in the address space).
	 * When the caller dies (or cannot be made to run the correction)
	 * with its exit check pending, every task sharing that is stopped
	 * before anyone is released (tem_main.c lost_correction).  0: not
	 * declared, taken as TEM_UNDO_FILES | TEM_UNDO_VM (fail closed). */
	unsigned undo;
};

#define TEM_UNDO_FILES 1u   /* an fd in the caller's fd table */
#define TEM_UNDO_VM 2u      /* a mapping or permission in the caller's address space */
#define TEM_UNDO_NONE 4u    /* declared: nothing beyond the caller itself */

/* Declare what call C's effect reaches until its exit check is over
 * (TEM_UNDO_*; a row may add to what another declared). */
static inline void tem_call_undo(struct tem_call *c, unsigned what)
{
	c->undo |= what;
}

/* The scope of C's pending correction: TEM_UNDO_FILES and/or TEM_UNDO_VM. */
static inline unsigned tem_call_undo_scope(const struct tem_call *c)
{
	unsigned s = c->undo & (TEM_UNDO_FILES | TEM_UNDO_VM);

	return s ? s : (c->undo & TEM_UNDO_NONE) ? 0 : TEM_UNDO_FILES | TEM_UNDO_VM;
}

#define TEM_SIGSTACK_MAX 8
#define TEM_SIGHOLD_MAX 32

/* One per traced task, for as long as that task exists under that TID.
 * Nothing in it is carried to another task: when the task behind a TID
 * changes (PTRACE_EVENT_EXEC: de_thread gives the exec'ing thread the
 * leader's TID and releases the leader silently) the entry is made anew
 * (tem_main.c exec_takeover) with an explicit carry-over, and what the
 * tasks are doing now (whether a leader has exited, who runs) is asked of
 * the kernel when it matters, not remembered. */
struct tem_thread {
	pid_t tid;
	pid_t tgid;                    /* its thread group (a vfork child shares the parent's proc, not its tgid) */
	struct tem_proc *proc;
	struct tem_group *grp;
	/* its fd table: tasks with the same number may share one (the
	 * creator's number when the clone shared the table, a new one at
	 * fork and exec; unshare(CLONE_FILES) is not followed, so the number
	 * over-approximates sharing: used only to decide whom to stop) */
	unsigned long files;
	int doomed;                    /* SIGKILLed by erim-tem: never dispatched or released again */
	int reaped;                    /* its death was reported (waitpid reaped it): its TID may be anyone's now */
	int in_vfork;                  /* blocked in vfork until the child execs or exits: runs no user code */
	/* the child its pending fork/clone event names, which died and was
	 * reaped before the event was seen: the event adopts no one (the TID
	 * may be another task's by then; red team 38) */
	pid_t dead_child;
	int attached;                  /* options set / first stop swallowed */
	enum tem_tstate state;
	struct tem_call call;          /* the call awaiting its exit */
	struct user_regs_struct saved; /* regs to restore after an injection */
	long inject_ret;
	uint64_t saved_mask;           /* the signal mask while TEM's injected calls run blocked */
	int mask_saved;
	/* signals that arrived during TEM's own work (tem_sigdefer.c) */
	size_t ndefer;
	struct tem_defer { siginfo_t si; int raised; } defer[TEM_SIGHOLD_MAX];
	int rseq_registered;
	struct { uint64_t ptr; uint32_t len, sig; } rseq;  /* the area registered */
	int inject_cont;               /* an injected call runs to its seccomp stop under PTRACE_CONT (tem_main.c inject) */
	/* the call TEM injected, verified at its own entry or seccomp stop
	 * before its exit counts (tem_main.c inject_check) */
	long inj_nr;
	uint64_t inj_ip;               /* the address after its `syscall` instruction */
	uint64_t inj_args[6];
	int inj_seen;                  /* its entry or seccomp stop was seen and matched */
	int memfd;                     /* its /proc/TID/mem (O_RDWR), -1 until first needed (tem_fresh.c) */
	int mapsfd;                    /* its /proc/TID/maps for PROCMAP_QUERY, -1 until needed (tem_maps.c) */
	int cur_status;                /* the waitpid status being dispatched */
	int held;                      /* stopped and held: held_status replays later */
	int held_status;
	int freeze_wait;               /* interrupted for a freeze, stop not seen yet */
	/* signals held while the thread runs trusted code (tem_signal.c) */
	int sig_stepping;              /* single-stepped until it leaves trusted code */
	int sig_dr;                    /* debug registers armed on the WRPKRU sites */
	size_t nheld;
	siginfo_t held_si[TEM_SIGHOLD_MAX];
	/* PKRU/rip/rsp of trusted code interrupted by a signal, for rt_sigreturn */
	size_t nsig;
	struct { uint32_t pkru; uint64_t rip, rsp; } sig[TEM_SIGSTACK_MAX];
};

/* ---- tem_detach.c: the supervisor outside the caller's ancestors --------------- */
/* Split erim-tem: the caller's child (the front) relays signals and the exit
 * status and never returns from here; the supervisor, a grandchild adopted
 * by init or a child subreaper, returns.  Its exits report their status. */
void tem_detach(void);
/* Supervisor: signals sent to it by a process (the front's relays) go to
 * PROGRAM; the terminal's (SI_KERNEL) are left to the program, which got
 * them too. */
void tem_detach_relay_to(pid_t program);
/* NULL when no process the program could drive may open the memory of T's
 * address space (the credentials of each of its tasks as they are now: a
 * program started as root may have dropped to a user, in one thread or
 * all; AS_DUMPABLE: as if it were dumpable), else why: checked at
 * registration and when a process asks to be dumpable again. */
const char *tem_detach_exposed(const struct tem_thread *t, int as_dumpable);

/* ---- tem_log.c: logging ------------------------------------------------------ */

extern int tem_log_level;        /* 0 quiet, 1 refusals (default), 2 every decision */
__attribute__((format(printf, 2, 3)))
void tem_log(int level, const char *fmt, ...);

/* ---- tem_threads.c: the traced threads and their processes ---------------------- */

/* The thread-group ids of every traced process (at most MAX). */
size_t tem_traced_tgids(pid_t *out, size_t max);
/* Every traced thread (N of them). */
struct tem_thread *const *tem_all_threads(size_t *n);
/* SIGKILL T's thread group and every traced task sharing with T what SCOPE
 * names (TEM_UNDO_VM, TEM_UNDO_FILES); each is marked doomed.  TIDs of the
 * others go into LIST; returns how many were outside T's thread group and
 * not doomed before. */
int tem_kill_sharers(struct tem_thread *t, unsigned scope, char *list, size_t len);
/* 1 when TID is a task erim-tem traces and has not reaped (waitid with
 * WNOWAIT: nothing consumed), 0 when it is not (reaped, or another
 * process's: ECHILD), 1 when that cannot be told. */
int tem_task_ours(pid_t tid);
/* Send SIG to T's task: only while its TID is erim-tem's tracee, with
 * tgkill within the entry's thread group, so that a TID the kernel freed
 * without a report to erim-tem and gave to another task is never reached
 * (de_thread frees an exec'ing thread's TID, and an exec that fails past
 * its point of no return reports no exec event: red team 37a; a child
 * killed and reaped before its creator's event was seen: red team 38).
 * 0 or -errno (-ESRCH: not that task). */
int tem_task_signal(const struct tem_thread *t, int sig);
/* 0 when T's TID is no longer T's task (not erim-tem's tracee, or not in
 * T's thread group: the entry is stale), 1 when it is or that cannot be
 * told. */
int tem_task_same(const struct tem_thread *t);
/* The loop's reports, read in rounds (tem_round.c).  tem_round_read reads
 * every report the kernel has (waiting for the first): deaths go to
 * ON_DEATH at once, stops are queued; 0, -1 when no tracee is left and
 * nothing was read, -2 on a waitpid error (errno).  tem_round_next gives the
 * round's next stop that still stands (1), or 0 when the round is over. */
struct tem_report {
	pid_t pid;
	int st;
};
int tem_round_read(void (*on_death)(pid_t pid, int st));
int tem_round_next(struct tem_report *r);
/* 1 and *ST (waitpid's form) if PID's stop is read and waits in this round. */
int tem_round_queued(pid_t pid, int *st);
/* The loop's bookkeeping: find or add a thread, drop one (and its process
 * reference); a process is shared by its threads, counted by refs. */
struct tem_thread *tem_thread_find(pid_t tid);
struct tem_thread *tem_thread_get(pid_t tid);
void tem_thread_drop(struct tem_thread *t);
/* A number for a new fd table (tem_thread.files). */
unsigned long tem_files_new(void);
struct tem_proc *tem_proc_new(pid_t tgid, const struct tem_proc *copy);
void tem_proc_put(struct tem_proc *p);
struct tem_group *tem_group_new(void);
void tem_group_put(struct tem_group *g);

/* An exit check's verdict "inject system call NR(ARGS) into the thread at its
 * current syscall-exit stop": the loop runs it when the check returns, and
 * on_exit then sees the injected call's result.  The policy decides, the loop
 * acts (the policy never calls back into the loop). */
static inline void tem_call_inject(struct tem_call *c, long nr, const uint64_t args[6])
{
	c->inject = 1;
	c->inject_nr = nr;
	c->inject_at = 0;
	for (int i = 0; i < 6; i++)
		c->inject_args[i] = args[i];
}

/* The same at the `syscall` instruction at AT: after a call that set rip
 * (rt_sigreturn), rip - 2 is not the instruction the call was made with. */
static inline void tem_call_inject_at(struct tem_call *c, uint64_t at, long nr, const uint64_t args[6])
{
	tem_call_inject(c, nr, args);
	c->inject_at = at;
}

/* ---- tem_regs.c: accessors of a stopped tracee --------------------------------- */

int tem_getregs(pid_t tid, struct user_regs_struct *r);
int tem_setregs(pid_t tid, const struct user_regs_struct *r);
static inline uint64_t tem_arg(const struct user_regs_struct *r, int i)
{
	switch (i) {
	case 0: return r->rdi;
	case 1: return r->rsi;
	case 2: return r->rdx;
	case 3: return r->r10;
	case 4: return r->r8;
	default: return r->r9;
	}
}
void tem_set_arg(struct user_regs_struct *r, int i, uint64_t v);
/* 1 if this CPU/kernel has PKRU in the xstate (CPUID 0xD.9 non-zero). */
int tem_pkru_supported(void);
/* Read/write the PKRU of a stopped thread from/into its XSAVE area. */
int tem_pkru_get(pid_t tid, uint32_t *pkru);
int tem_pkru_set(pid_t tid, uint32_t pkru);
/* Copy LEN bytes of the tracee's memory at ADDR; returns bytes copied or -errno. */
ssize_t tem_mem_read(pid_t tid, uint64_t addr, void *buf, size_t len);
/* The same for an address the tracee chose (a system call's argument, a
 * siginfo's address): read as the kernel will read it for a caller whose
 * PKRU is TRUSTED or not -- for an untrusted caller nothing at or past the
 * first trusted page (a short read or -EFAULT).  Every rule reads its
 * arguments through these, never through tem_mem_read. */
ssize_t tem_user_read(const struct tem_proc *p, int trusted, pid_t tid, uint64_t addr, void *buf, size_t len);
ssize_t tem_arg_read(const struct tem_call *c, uint64_t addr, void *buf, size_t len);
/* tem_fresh.c: a grant's bytes copied out, and written into new pages */
int tem_fresh_copy(pid_t tid, uint64_t start, uint64_t end, uint8_t **out);
int tem_fresh_fill(pid_t tid, uint64_t start, const uint8_t *buf, size_t len);
/* TID's memory file for reading and writing: the traced thread's own,
 * opened once and kept (*OWNED = 0), or, for a tid erim-tem has no thread
 * of, a new one the caller closes (*OWNED = 1).  -errno on failure. */
int tem_mem_fd(pid_t tid, int *owned);
/* 1 (and counted) if one more fd may be kept with a thread, 0 when the
 * budget of kept fds is spent (open per use then). */
int tem_fd_keep(void);
/* A thread's mm changed (exec) or it is gone: forget its memory and maps
 * files. */
void tem_mem_fd_drop(struct tem_thread *t);
int tem_sigframe_refused(struct tem_thread *t, int sig);        /* tem_sigframe.c */
/* tem_crash.c: 1 if SIG's default action dumps core; at the delivery of SIG
 * to T, 1 if the address space was SIGKILLed instead (a dump possible, or
 * the default action); at T's death report (wait status ST), SIGKILL to
 * every task of the address space if T died of a core-dumping signal. */
int tem_crash_dumps(int sig);
int tem_crash_signal(struct tem_thread *t, int sig);
void tem_crash_died(struct tem_thread *t, int st);

/* ---- tem_inspect.c: what may become executable ------------------------------- */

/* Scan BUF (LEN bytes that live at ADDR) for WRPKRU / XRSTOR at every byte
 * offset.  Returns 0 when clean, else 1 with *HIT_ADDR and *WHAT set. */
int tem_inspect(const uint8_t *buf, size_t len, uint64_t addr,
                uint64_t *hit_addr, const char **what);
const char *tem_inspect_impl(void);

/* ---- tem_policy.c ----------------------------------------------------------- */

enum tem_who {
	TEM_W_UNTRUSTED = 0,     /* judged only when the caller is untrusted */
	TEM_W_ALWAYS,            /* judged for every caller, even in start-up */
	TEM_W_TRUSTED,           /* judged only when the caller is trusted */
	TEM_W_EVERYONE_REGISTERED, /* every caller once the process registered */
};

typedef void (*tem_check_fn)(struct tem_call *c);

/* One row of the policy: the syscall, what is checked, what happens. */
struct tem_rule {
	long nr;
	const char *name;
	enum tem_who who;
	tem_check_fn check;      /* NULL: refuse outright */
	const char *what;        /* the check, for --policy and the man page */
	const char *action;
};

extern const struct tem_rule tem_rules[];
extern const size_t tem_nrules;
/* tem_judge.c: the first row for NR (NULL: none), and the judging of call C
 * (decoded, with c->t set), which fills the verdict fields. */
const struct tem_rule *tem_rule_for(long nr);
void tem_judge(struct tem_call *c);
/* A signal is about to be delivered to T (signal-delivery-stop). */
void tem_note_signal(struct tem_thread *t, int sig);
/* Registration at TEM_NR_REGISTER. */
void tem_register(struct tem_call *c);
/* The exec-file registry: files whose bytes are executable in a tracee. */
__attribute__((warn_unused_result))
struct tem_maps_walk tem_execfiles_add_maps(pid_t tid);

/* 1 if DEV/INO is in the exec-file registry (bytes executable in a tracee). */
int tem_execfile_known(dev_t dev, ino_t ino);   /* tem_xfiles.c */
void tem_execfile_add(dev_t dev, ino_t ino);

/* ---- tem_ranges.c: what a call will really touch -------------------------------- */

enum tem_op { TEM_OP_PROTECT = 1, TEM_OP_REPLACE, TEM_OP_UNMAP, TEM_OP_ADVISE };
struct tem_touch {
	int n;
	struct { uint64_t start, end; enum tem_op op; } s[2];
	uint64_t prot;           /* TEM_OP_PROTECT: the new PROT_READ/WRITE/EXEC */
	const char *bad;         /* non-NULL: the range cannot be told; refuse */
	int huge;                /* the ranges were rounded out to huge pages */
	int hold;                /* the reach depends on state another task could
	                          * change (an fd, a mapping): judge and run the
	                          * call with the caller's group held */
};
/* The page-rounded ranges call C changes, as the kernel will apply them
 * (PROT_GROWSDOWN/GROWSUP to the mapping's end, a whole shm segment, both
 * sides of an mremap, whole huge pages where huge pages may be involved).  Widens C's decoded view (c->a[0], c->a[1]) of
 * mprotect/mmap to the real range so every later check judges that. */
void tem_call_touches(struct tem_call *c, struct tem_touch *t);
/* Start and end of the mapping of TID that contains ADDR: TEM_MAPS_HIT if
 * found, TEM_MAPS_NONE if none, TEM_MAPS_UNREADABLE (tem_maps_each). */
__attribute__((warn_unused_result))
struct tem_maps_walk tem_vma_at(pid_t tid, uint64_t addr, uint64_t *start, uint64_t *end, char perms[5]);

/* ---- tem_maps.c: /proc/PID/maps read at most once per stop -------------------- */

/* The text of PID's maps (NUL-terminated, *LEN bytes), read now or earlier
 * in the same stop; NULL with errno set.  Valid until the next call.  Only
 * for tem_maps.c: everyone else walks the map with tem_maps_each, whose
 * result cannot be taken for "no mapping" when the map could not be read. */
const char *tem_maps_text(pid_t pid, size_t *len);
/* The next line at *POS (before END) into LINE (at most SIZE-1 bytes of it,
 * NUL-terminated), *POS moved past it; NULL at the end. */
const char *tem_maps_line(const char **pos, const char *end, char *line, size_t size);
/* One line of a maps file, parsed; PATH points into the line ("" if none). */
struct tem_mapent {
	uint64_t start, end, off, ino;
	unsigned maj, min;
	char perms[5];
	const char *path;
};
int tem_maps_parse(const char *line, struct tem_mapent *e);
#define TEM_MAPS_R 1
#define TEM_MAPS_W 2
#define TEM_MAPS_X 4
#define TEM_MAPS_S 8
/* The result of a walk over a tracee's memory map: three outcomes, in a
 * struct so that no caller can test it as a number ("> 0: found") and let
 * an unreadable map pass as one without the mapping it looks for (an open
 * or read error, a thread gone, an empty map, a line that does not parse).
 * Every decision that depends on the map must handle TEM_MAPS_UNREADABLE
 * by refusing (fail closed). */
enum tem_maps_res {
	TEM_MAPS_UNREADABLE = -1,   /* the map could not be read: ERR says why */
	TEM_MAPS_NONE = 0,          /* read; FN returned 0 for every mapping */
	TEM_MAPS_HIT = 1,           /* read; FN returned non-zero (the walk stopped there) */
};
struct tem_maps_walk {
	enum tem_maps_res res;
	int err;                    /* errno, for TEM_MAPS_UNREADABLE */
};
/* The mappings of TID overlapping [START, END) with every permission of
 * WANT (TEM_MAPS_*: r, w, x, s; 0: all): FN(entry, ARG) for each in order
 * until it returns non-zero.  A range (or WANT) is asked of the kernel one
 * PROCMAP_QUERY ioctl per mapping (Linux 6.11+; PATH is "" then), else the
 * text read once per stop is walked.  TID should be a live thread: the
 * map of an exited thread-group leader reads empty, which is UNREADABLE. */
__attribute__((warn_unused_result))
struct tem_maps_walk tem_maps_each(pid_t tid, uint64_t start, uint64_t end, unsigned want,
                                   int (*fn)(const struct tem_mapent *e, void *arg), void *arg);
/* The loop handles a new stop or resumes a tracee: maps read before are stale. */
void tem_maps_forget(void);
/* How many maps files were read so far (logged with --log at exit). */
unsigned long tem_maps_reads(void);

/* ---- tem_freeze.c: frozen memory ---------------------------------------------- */

/* At registration: freeze every executable mapping and every mapping of
 * every object that has one.  Returns 0, or -E2BIG when too many. */
int tem_freeze_register(struct tem_proc *p, pid_t tid);
/* Judge call C of an untrusted caller against the frozen ranges and the
 * trusted ranges (whole, page-rounded).  1 if refused (verdict set). */
int tem_freeze_judge(struct tem_call *c);

/* ---- tem_clone.c: new tasks ---------------------------------------------------- */

/* What CHILD, just made by PARENT's clone/fork/vfork, shares with it:
 * TEM_SHARE_* bits, by kcmp; where kcmp cannot tell, from the call's
 * flags in PARENT's registers (REGS), and where those cannot tell either,
 * everything (held together: fail closed). */
#define TEM_SHARE_VM 1
#define TEM_SHARE_FILES 2
#define TEM_SHARE_SIGHAND 4
int tem_clone_shares(pid_t parent, pid_t child, const struct user_regs_struct *regs);
/* Do tasks A and B share the kernel object TYPE (KCMP_VM, KCMP_FILES, ...)?
 * 1 shared, 0 not, -1 kcmp cannot tell. */
int tem_kcmp_same(pid_t a, pid_t b, int type);
void tem_chk_clone(struct tem_call *c);
void tem_chk_clone3(struct tem_call *c);

/* ---- tem_regfds.c: fds registration refuses to carry over -------------------- */

/* 1 if process TGID holds an fd of a kind that acts on its memory or
 * registers beside the policy (userfaultfd, /dev/userfaultfd, io_uring,
 * perf event, BPF object, fanotify): *FDNO and WHAT ("is anon_inode:...")
 * say which; -1 if its fds cannot be read (the caller refuses); 0 if none. */
int tem_dangerous_fd(pid_t tgid, long *fdno, char *what, size_t len);
/* The same judgement on the one fd table of task TID (the caller's, after
 * recvmsg; erim-tem's own, inherited from whoever started it). */
int tem_dangerous_in_table(pid_t tid, long *fdno, char *what, size_t len);
/* 1 if ST is /dev/userfaultfd, by the device number the kernel lists in
 * /proc/misc, whatever the node's name. */
struct stat;
int tem_is_uffd_dev(const struct stat *st);
/* Storage (tem_storage_fd) held without a judged open: in any fd table of
 * any traced process (*HOLDER, through *THREAD), fd *FDNO naming LINK: 1,
 * or -1 when a table cannot be read (callers refuse), 0 when none. */
int tem_storage_held(pid_t *holder, pid_t *thread, long *fdno, char *link, size_t len, const char **why);
/* The fd table of thread TID after recvmsg: 1 with fd *FDNO naming LINK and
 * WHY when it holds storage, a memory or registers file, physical memory,
 * or an fd of the kinds tem_dangerous_fd refuses (or an fd that cannot be
 * identified); 0 when none; -errno when the table cannot be read. */
int tem_recv_in_table(pid_t tid, long *fdno, char *link, size_t len, const char **why);

/* ---- tem_rseq.c: rseq closed ------------------------------------------------ */

/* Append glibc.pthread.rseq=0 to GLIBC_TUNABLES (in the child, before exec). */
int tem_rseq_env(void);
void tem_chk_rseq(struct tem_call *c);
/* At registration: 0, possibly with C turned into rseq(UNREGISTER) (on_exit
 * set, TEM_REPLY at its exit), or -EBUSY (another thread has an area). */
int tem_rseq_at_register(struct tem_call *c);

/* ---- tem_signal.c: signals held during trusted code ------------------------------ */

/* 1 if PKRU grants P's trusted key any access (AD or WD clear). */
int tem_pkru_grants(const struct tem_proc *p, uint32_t pkru);
/* A signal-delivery-stop of T: 1 if handled here (*DELIVER: the signal to
 * inject now, 0 for none), 0 to deliver SIG as usual. */
int tem_signal_stop(struct tem_thread *t, int sig, const siginfo_t *si, int *deliver);
/* Hold SIG if T runs trusted code; 1 if held (or the process stopped). */
int tem_signal_hold(struct tem_thread *t, int sig, const siginfo_t *si);
void tem_signal_reset(struct tem_thread *t);

/* ---- tem_sigdefer.c: signals during TEM's own work in a thread ------------------- */

/* Keep SI (a signal-delivery-stop while T runs a judged or injected call). */
void tem_sigdefer_keep(struct tem_thread *t, const siginfo_t *si);
/* T runs its own code again: raise every kept signal anew. */
void tem_sigdefer_raise(struct tem_thread *t);
/* At a signal-delivery-stop: 1 if it is a kept signal raised anew, *SI
 * (and the thread's siginfo) then being the original. */
int tem_sigdefer_match(struct tem_thread *t, int sig, siginfo_t *si);
/* At registration: find the WRPKRU sites of P (for breakpoints). */
void tem_signal_register(struct tem_proc *p, pid_t tid);

/* ---- tem_filter.c ------------------------------------------------------------ */

struct sock_fprog;
/* Build the filter from tem_rules; returns a malloc'ed program (caller frees
 * ->filter and the struct) or NULL on OOM. */
struct sock_fprog *tem_filter_build(void);
/* 1 if the filter sends system call NR (x86-64) to the tracer. */
int tem_filter_traps(long nr);
/* The SECCOMP_RET_DATA of the filter's trap for a call through a foreign
 * ABI (int $0x80, x32): the tracer reads it as the event message and stops
 * the process.  0 is every other trap. */
#define TEM_TRAP_FOREIGN_ABI 0x0e1u

#endif /* TEM_H */
