/* SPDX-License-Identifier: MIT */
/* tem_table.h: the complete system call table of erim-tem (tem_table.c),
 * the judge-by-target rows (tem_target.c) and erim-tem's private view of
 * procfs (tem_procfs.c).  Every x86-64 system call number has a row that
 * says allow (the filter lets it run), judge (the filter traps it and the
 * rows of tem_rules[] / tem_target_rules[] decide) or refuse; a number
 * without a row is refused by the filter itself (ENOSYS). */
#ifndef TEM_TABLE_H
#define TEM_TABLE_H

#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "tem.h"

enum tem_kind { TEM_K_ALLOW = 0, TEM_K_JUDGE, TEM_K_REFUSE };

struct tem_sysrow {
	int nr;
	const char *name;
	enum tem_kind kind;
	const char *why;         /* allow: why it is safe; refuse: the attack it stops */
};

extern const struct tem_sysrow tem_syscalls[];
extern const size_t tem_nsyscalls;
/* Rows judged for every caller by what the call reaches (tem_target.c). */
extern const struct tem_rule tem_target_rules[];
extern const size_t tem_ntarget_rules;

/* The table row of NR, or NULL when it has none. */
const struct tem_sysrow *tem_sysrow_for(long nr);
/* The judged rows of NR one after the other: start with PREV = NULL.
 * tem_rules[] first, then tem_target_rules[], then the refuse row. */
const struct tem_rule *tem_rule_next(long nr, const struct tem_rule *prev);
/* 0 when the table and the judged rows agree, else -1 with ERR filled. */
int tem_table_check(char *err, size_t len);
/* --test-unlist=NR: treat NR as a number without a row (tests only: it can
 * only take rights away). */
extern long tem_test_unlisted;
/* The policy as text (--policy) or as man-page rows (--policy=man). */
void tem_policy_print(FILE *f, int roff);

/* ---- tem_target.c ---------------------------------------------------------- */

/* 1 if PID (in erim-tem's pid namespace) belongs to a traced process or is
 * erim-tem itself, or does not exist (fail closed); 0 otherwise. */
int tem_pid_protected(pid_t pid);
/* The file an open produced, identified by device and inode: 1 (with WHY) if
 * it is the memory file of a traced process or of erim-tem, or a procfs file
 * erim-tem cannot judge; *OWNER is the thread group whose memory it is
 * (0 when none or not a process's). */
int tem_procfile_refused(const struct stat *st, long fs_type, const char **why, pid_t *owner);
/* The file an open produced (ACCMODE its O_ACCMODE): 1 (with WHY) if it is
 * storage that receives page contents -- any block device, an active swap
 * file (/proc/swaps; fail closed), a disk's command interface (SCSI generic,
 * bsg, NVMe character devices), /dev/snapshot, or a /sys/power file for
 * writing (hibernation). */
int tem_storage_refused(const struct stat *st, long fs_type, int accmode, const char **why);
/* The same judgement of an fd thread TID holds (NAME in DIRFD, its
 * /proc/TID/fd): 1 with WHY, 0, -1 (WHY set) when it cannot be identified.
 * Between tem_storage_batch(1) and tem_storage_batch(0) /proc/swaps is
 * read once (one scan of a table), else at every call. */
int tem_storage_fd(pid_t tid, int dirfd, const char *name, const char **why);
int tem_storage_st(pid_t tid, const struct stat *st, const char *name, const char **why);
void tem_storage_batch(int on);
/* 1 if a traced process (*HOLDER, fd *FDNO) holds an fd to TGID's memory
 * file or to physical memory; -1 if the fds of *HOLDER could not be read
 * (the caller refuses). */
int tem_memfd_held(pid_t tgid, pid_t *holder, long *fdno);

/* ---- tem_kconf.c ----------------------------------------------------------- */

/* An open's result on file system FS_TYPE with access mode ACCMODE, named
 * LINK (readlink of /proc/TID/fd/N): 1 (with WHY) if it is a kernel
 * configuration file opened for writing -- sysfs, cgroup, configfs,
 * securityfs, binfmt_misc, bpffs, pstore, efivarfs, or procfs outside
 * /proc/PID. */
int tem_kconf_refused(long fs_type, int accmode, const char *link, const char **why);

/* ---- tem_tty.c: terminal and console requests, default deny ------------------- */
/* The ioctl row: refuses a request of the terminal/console ranges that is not
 * listed.  The filter traps only those ranges (tem_tty_types: the request's
 * second byte, no bits above 16) and lets tem_tty_fast[] through untrapped. */
void tem_chk_ioctl_tty(struct tem_call *c);
extern const uint32_t tem_tty_fast[];
extern const size_t tem_ntty_fast;
extern const uint32_t tem_tty_types[];
extern const size_t tem_ntty_types;

/* ---- tem_kunmap.c: the kernel unmapping a range it remembered ----------------- */

/* brk (but the query), io_setup and io_destroy of a registered process,
 * untrusted caller: judged on the result (tem_kunmap.c). */
void tem_chk_kernel_unmap(struct tem_call *c);

/* ---- tem_dump.c: no core dump after registration ----------------------------- */

void tem_chk_setrlimit(struct tem_call *c);
void tem_chk_prlimit_core(struct tem_call *c);

/* ---- tem_procfs.c ---------------------------------------------------------- */

/* Open erim-tem's own view of procfs (before the program runs). */
void tem_procfs_init(void);
/* A directory fd of that procfs, and what it is ("private mount", ...). */
int tem_procfd(void);
const char *tem_procfs_how(void);
/* fopen/open/stat of "/proc/REST" through the private procfs. */
FILE *tem_proc_fopen(const char *path);
int tem_proc_open(const char *path, int flags);
int tem_proc_stat(const char *path, struct stat *st);
/* Up to MAX numbers after "KEY:" in the status file of PID (through FOPEN:
 * tem_proc_fopen, or fopen before the private procfs exists) into OUT:
 * how many were read, -1 when the file cannot be read. */
int tem_proc_status(FILE *(*fopen_fn)(const char *), pid_t pid, const char *key,
                    unsigned long *out, int max);
/* The signal mask after "KEY:" (SigIgn, SigCgt, SigBlk: hexadecimal) in
 * the status file of PID: 0, or -1 when it cannot be read. */
int tem_proc_sigmask(pid_t pid, const char *key, uint64_t *mask);
/* The thread group of PID as erim-tem's procfs shows it; -1 if unknown. */
pid_t tem_proc_tgid(pid_t pid);
/* The directory /proc/PID/SUB ("task", "fd") through the private procfs,
 * or NULL; and the name of its next entry but "." and "..", or NULL. */
DIR *tem_proc_opendir(pid_t pid, const char *sub);
const char *tem_proc_next(DIR *d);
/* A live thread of thread group TGID, through which /proc shows the
 * group's fds and memory map: /proc/TGID/fd and /proc/TGID/maps read as
 * empty once the leader has exited while other threads run.  TGID itself
 * while it runs, else any thread of /proc/TGID/task that is not a zombie.
 * 0 if every thread has exited (a task gives up its memory and then its
 * fds before it becomes a zombie: nothing left to find); -errno if that
 * cannot be told (callers refuse: they would judge blind).  A thread that
 * starts to exit during a scan gives up its fds (then /proc/TID/fd reads
 * as empty): callers ask tem_thread_live(TGID, TID) again after the scan
 * and scan anew (or refuse) if it is no longer 1. */
pid_t tem_group_reader(pid_t tgid);
/* O_ACCMODE (O_RDONLY/O_WRONLY/O_RDWR) of TID's fd FD, from its fdinfo, or
 * -errno. */
int tem_fd_accmode(pid_t tid, long fd);
/* 1 if thread TID of TGID runs (not a zombie, not exiting), 0 if not, -errno. */
int tem_thread_live(pid_t tgid, pid_t tid);
/* Every fd table of thread group TGID, each once: FN(TGID, READER, ARG)
 * with READER a live thread using that table (/proc/READER/fd lists it).
 * A thread has a table of its own when it was made without CLONE_FILES
 * (CLONE_THREAD does not imply it) or called unshare(CLONE_FILES), so one
 * thread per group does not show every fd the group's tasks hold, which
 * share one memory; threads are told apart by kcmp(KCMP_FILES), and one
 * kcmp cannot compare counts as a table of its own (scanned, not skipped).
 * A reader that starts to exit during FN (its table may have gone from
 * under it while another thread still uses it) makes the whole group be
 * walked again (at most 3 times, then -ESRCH).  The first non-zero result
 * of FN, 0 when every table was seen (or none is left), -errno when the
 * threads cannot be listed or their state read: callers refuse. */
int tem_each_fd_table(pid_t tgid, int (*fn)(pid_t tgid, pid_t reader, void *arg), void *arg);

#endif /* TEM_TABLE_H */
