/* SPDX-License-Identifier: MIT */
/* tem_table.c: every x86-64 system call number and what erim-tem does with
 * it.  ALLOW runs at full speed (the seccomp filter returns ALLOW); JUDGE
 * stops in the tracer, where the rows of tem_rules[] (tem_policy.c) and
 * tem_target_rules[] (tem_target.c) decide; REFUSE stops in the tracer and
 * fails with EPERM for every caller, with the reason logged.  A number that
 * has no row here (a system call newer than this table) is refused by the
 * filter itself with ENOSYS, so a new kernel cannot open a door; the test
 * tests/tem/native_policy.sh fails when the kernel headers list a number
 * without a row.  The numbers are the x86-64 ABI (stable), written out so
 * that the table does not depend on the headers it is checked against. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tem_table.h"

#define ROW(nr, name, kind, why) { nr, name, TEM_K_##kind, why }
const struct tem_sysrow tem_syscalls[] = {
	ROW(  0, "read",                    ALLOW, ""),
	ROW(  1, "write",                   ALLOW, ""),
	ROW(  2, "open",                    JUDGE, ""),
	ROW(  3, "close",                   ALLOW, ""),
	ROW(  4, "stat",                    ALLOW, ""),
	ROW(  5, "fstat",                   ALLOW, ""),
	ROW(  6, "lstat",                   ALLOW, ""),
	ROW(  7, "poll",                    ALLOW, ""),
	ROW(  8, "lseek",                   ALLOW, ""),
	ROW(  9, "mmap",                    JUDGE, ""),
	ROW( 10, "mprotect",                JUDGE, ""),
	ROW( 11, "munmap",                  JUDGE, ""),
	ROW( 12, "brk",                     JUDGE, ""),
	ROW( 13, "rt_sigaction",            ALLOW, ""),
	ROW( 14, "rt_sigprocmask",          ALLOW, ""),
	ROW( 15, "rt_sigreturn",            JUDGE, ""),
	ROW( 16, "ioctl",                   JUDGE, "device and file control on fds the open rows judged; only terminal and console requests trap (tem_tty.c)"),
	ROW( 17, "pread64",                 ALLOW, ""),
	ROW( 18, "pwrite64",                ALLOW, ""),
	ROW( 19, "readv",                   ALLOW, ""),
	ROW( 20, "writev",                  ALLOW, ""),
	ROW( 21, "access",                  ALLOW, ""),
	ROW( 22, "pipe",                    ALLOW, ""),
	ROW( 23, "select",                  ALLOW, ""),
	ROW( 24, "sched_yield",             ALLOW, ""),
	ROW( 25, "mremap",                  JUDGE, ""),
	ROW( 26, "msync",                   ALLOW, ""),
	ROW( 27, "mincore",                 ALLOW, ""),
	ROW( 28, "madvise",                 JUDGE, ""),
	ROW( 29, "shmget",                  ALLOW, ""),
	ROW( 30, "shmat",                   JUDGE, ""),
	ROW( 31, "shmctl",                  ALLOW, ""),
	ROW( 32, "dup",                     ALLOW, ""),
	ROW( 33, "dup2",                    ALLOW, ""),
	ROW( 34, "pause",                   ALLOW, ""),
	ROW( 35, "nanosleep",               ALLOW, ""),
	ROW( 36, "getitimer",               ALLOW, ""),
	ROW( 37, "alarm",                   ALLOW, ""),
	ROW( 38, "setitimer",               ALLOW, ""),
	ROW( 39, "getpid",                  ALLOW, ""),
	ROW( 40, "sendfile",                ALLOW, ""),
	ROW( 41, "socket",                  ALLOW, ""),
	ROW( 42, "connect",                 ALLOW, ""),
	ROW( 43, "accept",                  ALLOW, ""),
	ROW( 44, "sendto",                  ALLOW, ""),
	ROW( 45, "recvfrom",                ALLOW, ""),
	ROW( 46, "sendmsg",                 ALLOW, ""),
	ROW( 47, "recvmsg",                 JUDGE, ""),
	ROW( 48, "shutdown",                ALLOW, ""),
	ROW( 49, "bind",                    ALLOW, ""),
	ROW( 50, "listen",                  ALLOW, ""),
	ROW( 51, "getsockname",             ALLOW, ""),
	ROW( 52, "getpeername",             ALLOW, ""),
	ROW( 53, "socketpair",              ALLOW, ""),
	ROW( 54, "setsockopt",              ALLOW, ""),
	ROW( 55, "getsockopt",              ALLOW, ""),
	ROW( 56, "clone",                   JUDGE, ""),
	ROW( 57, "fork",                    ALLOW, "followed (PTRACE_O_TRACEFORK): the child inherits the registration"),
	ROW( 58, "vfork",                   ALLOW, "followed (PTRACE_O_TRACEVFORK)"),
	ROW( 59, "execve",                  ALLOW, "followed: a new image starts unregistered (start-up) and its cross-process calls are judged by target; an image exec'd after its process (or the process it was forked from) registered never registers (one trusted start-up per line of processes) and is judged as untrusted code from its first instruction (but for the rows guarding only its own address space)"),
	ROW( 60, "exit",                    ALLOW, ""),
	ROW( 61, "wait4",                   ALLOW, ""),
	ROW( 62, "kill",                    ALLOW, "signals: the worst outcome is a stopped or dead program (erim-tem dying kills it: EXITKILL)"),
	ROW( 63, "uname",                   ALLOW, ""),
	ROW( 64, "semget",                  ALLOW, ""),
	ROW( 65, "semop",                   ALLOW, ""),
	ROW( 66, "semctl",                  ALLOW, ""),
	ROW( 67, "shmdt",                   ALLOW, "detaches System V segments only"),
	ROW( 68, "msgget",                  ALLOW, ""),
	ROW( 69, "msgsnd",                  ALLOW, ""),
	ROW( 70, "msgrcv",                  ALLOW, ""),
	ROW( 71, "msgctl",                  ALLOW, ""),
	ROW( 72, "fcntl",                   ALLOW, ""),
	ROW( 73, "flock",                   ALLOW, ""),
	ROW( 74, "fsync",                   ALLOW, ""),
	ROW( 75, "fdatasync",               ALLOW, ""),
	ROW( 76, "truncate",                JUDGE, ""),
	ROW( 77, "ftruncate",               JUDGE, ""),
	ROW( 78, "getdents",                ALLOW, ""),
	ROW( 79, "getcwd",                  ALLOW, ""),
	ROW( 80, "chdir",                   ALLOW, ""),
	ROW( 81, "fchdir",                  ALLOW, ""),
	ROW( 82, "rename",                  ALLOW, ""),
	ROW( 83, "mkdir",                   ALLOW, ""),
	ROW( 84, "rmdir",                   ALLOW, ""),
	ROW( 85, "creat",                   JUDGE, ""),
	ROW( 86, "link",                    ALLOW, ""),
	ROW( 87, "unlink",                  ALLOW, ""),
	ROW( 88, "symlink",                 ALLOW, ""),
	ROW( 89, "readlink",                ALLOW, ""),
	ROW( 90, "chmod",                   ALLOW, ""),
	ROW( 91, "fchmod",                  ALLOW, ""),
	ROW( 92, "chown",                   ALLOW, ""),
	ROW( 93, "fchown",                  ALLOW, ""),
	ROW( 94, "lchown",                  ALLOW, ""),
	ROW( 95, "umask",                   ALLOW, ""),
	ROW( 96, "gettimeofday",            ALLOW, ""),
	ROW( 97, "getrlimit",               ALLOW, ""),
	ROW( 98, "getrusage",               ALLOW, ""),
	ROW( 99, "sysinfo",                 ALLOW, ""),
	ROW(100, "times",                   ALLOW, ""),
	ROW(101, "ptrace",                  JUDGE, ""),
	ROW(102, "getuid",                  ALLOW, ""),
	ROW(103, "syslog",                  ALLOW, ""),
	ROW(104, "getgid",                  ALLOW, ""),
	ROW(105, "setuid",                  ALLOW, ""),
	ROW(106, "setgid",                  ALLOW, ""),
	ROW(107, "geteuid",                 ALLOW, ""),
	ROW(108, "getegid",                 ALLOW, ""),
	ROW(109, "setpgid",                 ALLOW, ""),
	ROW(110, "getppid",                 ALLOW, ""),
	ROW(111, "getpgrp",                 ALLOW, ""),
	ROW(112, "setsid",                  ALLOW, ""),
	ROW(113, "setreuid",                ALLOW, ""),
	ROW(114, "setregid",                ALLOW, ""),
	ROW(115, "getgroups",               ALLOW, ""),
	ROW(116, "setgroups",               ALLOW, ""),
	ROW(117, "setresuid",               ALLOW, ""),
	ROW(118, "getresuid",               ALLOW, ""),
	ROW(119, "setresgid",               ALLOW, ""),
	ROW(120, "getresgid",               ALLOW, ""),
	ROW(121, "getpgid",                 ALLOW, ""),
	ROW(122, "setfsuid",                ALLOW, ""),
	ROW(123, "setfsgid",                ALLOW, ""),
	ROW(124, "getsid",                  ALLOW, ""),
	ROW(125, "capget",                  ALLOW, ""),
	ROW(126, "capset",                  ALLOW, ""),
	ROW(127, "rt_sigpending",           ALLOW, ""),
	ROW(128, "rt_sigtimedwait",         ALLOW, ""),
	ROW(129, "rt_sigqueueinfo",         ALLOW, "as kill"),
	ROW(130, "rt_sigsuspend",           ALLOW, ""),
	ROW(131, "sigaltstack",             JUDGE, ""),
	ROW(132, "utime",                   ALLOW, ""),
	ROW(133, "mknod",                   ALLOW, ""),
	ROW(134, "uselib",                  REFUSE, "loads a library by name, not judged as mmap (not on x86-64)"),
	ROW(135, "personality",             JUDGE, ""),
	ROW(136, "ustat",                   ALLOW, ""),
	ROW(137, "statfs",                  ALLOW, ""),
	ROW(138, "fstatfs",                 ALLOW, ""),
	ROW(139, "sysfs",                   ALLOW, ""),
	ROW(140, "getpriority",             ALLOW, ""),
	ROW(141, "setpriority",             ALLOW, "scheduling: denial of service at worst"),
	ROW(142, "sched_setparam",          ALLOW, ""),
	ROW(143, "sched_getparam",          ALLOW, ""),
	ROW(144, "sched_setscheduler",      ALLOW, ""),
	ROW(145, "sched_getscheduler",      ALLOW, ""),
	ROW(146, "sched_get_priority_max",  ALLOW, ""),
	ROW(147, "sched_get_priority_min",  ALLOW, ""),
	ROW(148, "sched_rr_get_interval",   ALLOW, ""),
	ROW(149, "mlock",                   ALLOW, ""),
	ROW(150, "munlock",                 JUDGE, ""),
	ROW(151, "mlockall",                ALLOW, ""),
	ROW(152, "munlockall",              JUDGE, ""),
	ROW(153, "vhangup",                 REFUSE, "system administration: hangs up the terminal"),
	ROW(154, "modify_ldt",              JUDGE, ""),
	ROW(155, "pivot_root",              REFUSE, "changes the root: paths erim-tem and the program share mean other files"),
	ROW(156, "_sysctl",                 REFUSE, "removed from Linux"),
	ROW(157, "prctl",                   JUDGE, ""),
	ROW(158, "arch_prctl",              JUDGE, "FS/GS base, CPUID faulting, AMX permission, shadow stack: the caller only; tagged addresses (LAM) and vDSO maps refused"),
	ROW(159, "adjtimex",                ALLOW, ""),
	ROW(160, "setrlimit",               JUDGE, ""),
	ROW(161, "chroot",                  REFUSE, "changes the root: paths erim-tem and the program share mean other files"),
	ROW(162, "sync",                    ALLOW, ""),
	ROW(163, "acct",                    REFUSE, "system administration: process accounting file"),
	ROW(164, "settimeofday",            ALLOW, ""),
	ROW(165, "mount",                   REFUSE, "mounts change what a path names: a bind mount over /proc/PID/mem or /proc/PID/maps hides the file from name checks"),
	ROW(166, "umount2",                 REFUSE, "mount family: uncovers or removes what erim-tem and the program rely on"),
	ROW(167, "swapon",                  REFUSE, "system administration: swap pages of every process to a device"),
	ROW(168, "swapoff",                 REFUSE, "as swapon"),
	ROW(169, "reboot",                  REFUSE, "system administration: not needed by programs erim protects"),
	ROW(170, "sethostname",             ALLOW, ""),
	ROW(171, "setdomainname",           ALLOW, ""),
	ROW(172, "iopl",                    REFUSE, "port I/O privilege: hardware access beside the kernel"),
	ROW(173, "ioperm",                  REFUSE, "as iopl"),
	ROW(174, "create_module",           REFUSE, "obsolete module call (not on x86-64)"),
	ROW(175, "init_module",             REFUSE, "loads kernel code"),
	ROW(176, "delete_module",           REFUSE, "unloads kernel code"),
	ROW(177, "get_kernel_syms",         REFUSE, "obsolete module call (not on x86-64)"),
	ROW(178, "query_module",            REFUSE, "obsolete module call (not on x86-64)"),
	ROW(179, "quotactl",                REFUSE, "system administration: file system quotas"),
	ROW(180, "nfsservctl",              REFUSE, "removed from Linux"),
	ROW(181, "getpmsg",                 REFUSE, "never implemented"),
	ROW(182, "putpmsg",                 REFUSE, "never implemented"),
	ROW(183, "afs_syscall",             REFUSE, "never implemented"),
	ROW(184, "tuxcall",                 REFUSE, "never implemented"),
	ROW(185, "security",                REFUSE, "never implemented"),
	ROW(186, "gettid",                  ALLOW, ""),
	ROW(187, "readahead",               ALLOW, ""),
	ROW(188, "setxattr",                ALLOW, ""),
	ROW(189, "lsetxattr",               ALLOW, ""),
	ROW(190, "fsetxattr",               ALLOW, ""),
	ROW(191, "getxattr",                ALLOW, ""),
	ROW(192, "lgetxattr",               ALLOW, ""),
	ROW(193, "fgetxattr",               ALLOW, ""),
	ROW(194, "listxattr",               ALLOW, ""),
	ROW(195, "llistxattr",              ALLOW, ""),
	ROW(196, "flistxattr",              ALLOW, ""),
	ROW(197, "removexattr",             ALLOW, ""),
	ROW(198, "lremovexattr",            ALLOW, ""),
	ROW(199, "fremovexattr",            ALLOW, ""),
	ROW(200, "tkill",                   ALLOW, "as kill"),
	ROW(201, "time",                    ALLOW, ""),
	ROW(202, "futex",                   ALLOW, ""),
	ROW(203, "sched_setaffinity",       ALLOW, "scheduling: denial of service at worst"),
	ROW(204, "sched_getaffinity",       ALLOW, ""),
	ROW(205, "set_thread_area",         REFUSE, "segment descriptors (32-bit ABI): a code segment of its own"),
	ROW(206, "io_setup",                JUDGE, ""),
	ROW(207, "io_destroy",              JUDGE, ""),
	ROW(208, "io_getevents",            ALLOW, ""),
	ROW(209, "io_submit",               ALLOW, "AIO pins the caller's own buffers in the caller's context (PKRU honoured)"),
	ROW(210, "io_cancel",               ALLOW, ""),
	ROW(211, "get_thread_area",         REFUSE, "as set_thread_area"),
	ROW(212, "lookup_dcookie",          REFUSE, "profiling interface, removed from Linux"),
	ROW(213, "epoll_create",            ALLOW, ""),
	ROW(214, "epoll_ctl_old",           REFUSE, "never implemented on x86-64"),
	ROW(215, "epoll_wait_old",          REFUSE, "never implemented on x86-64"),
	ROW(216, "remap_file_pages",        JUDGE, ""),
	ROW(217, "getdents64",              ALLOW, ""),
	ROW(218, "set_tid_address",         JUDGE, ""),
	ROW(219, "restart_syscall",         ALLOW, ""),
	ROW(220, "semtimedop",              ALLOW, ""),
	ROW(221, "fadvise64",               ALLOW, ""),
	ROW(222, "timer_create",            ALLOW, ""),
	ROW(223, "timer_settime",           ALLOW, ""),
	ROW(224, "timer_gettime",           ALLOW, ""),
	ROW(225, "timer_getoverrun",        ALLOW, ""),
	ROW(226, "timer_delete",            ALLOW, ""),
	ROW(227, "clock_settime",           ALLOW, ""),
	ROW(228, "clock_gettime",           ALLOW, ""),
	ROW(229, "clock_getres",            ALLOW, ""),
	ROW(230, "clock_nanosleep",         ALLOW, ""),
	ROW(231, "exit_group",              ALLOW, ""),
	ROW(232, "epoll_wait",              ALLOW, ""),
	ROW(233, "epoll_ctl",               ALLOW, ""),
	ROW(234, "tgkill",                  ALLOW, "as kill"),
	ROW(235, "utimes",                  ALLOW, ""),
	ROW(236, "vserver",                 REFUSE, "never implemented"),
	ROW(237, "mbind",                   ALLOW, ""),
	ROW(238, "set_mempolicy",           ALLOW, ""),
	ROW(239, "get_mempolicy",           ALLOW, ""),
	ROW(240, "mq_open",                 ALLOW, ""),
	ROW(241, "mq_unlink",               ALLOW, ""),
	ROW(242, "mq_timedsend",            ALLOW, ""),
	ROW(243, "mq_timedreceive",         ALLOW, ""),
	ROW(244, "mq_notify",               ALLOW, ""),
	ROW(245, "mq_getsetattr",           ALLOW, ""),
	ROW(246, "kexec_load",              REFUSE, "replaces the running kernel"),
	ROW(247, "waitid",                  ALLOW, ""),
	ROW(248, "add_key",                 REFUSE, "kernel keyrings: state shared outside the traced processes; request_key runs user-space upcalls nobody traces"),
	ROW(249, "request_key",             REFUSE, "as add_key"),
	ROW(250, "keyctl",                  REFUSE, "as add_key"),
	ROW(251, "ioprio_set",              ALLOW, ""),
	ROW(252, "ioprio_get",              ALLOW, ""),
	ROW(253, "inotify_init",            ALLOW, ""),
	ROW(254, "inotify_add_watch",       ALLOW, ""),
	ROW(255, "inotify_rm_watch",        ALLOW, ""),
	ROW(256, "migrate_pages",           JUDGE, ""),
	ROW(257, "openat",                  JUDGE, ""),
	ROW(258, "mkdirat",                 ALLOW, ""),
	ROW(259, "mknodat",                 ALLOW, ""),
	ROW(260, "fchownat",                ALLOW, ""),
	ROW(261, "futimesat",               ALLOW, ""),
	ROW(262, "newfstatat",              ALLOW, ""),
	ROW(263, "unlinkat",                ALLOW, ""),
	ROW(264, "renameat",                ALLOW, ""),
	ROW(265, "linkat",                  ALLOW, ""),
	ROW(266, "symlinkat",               ALLOW, ""),
	ROW(267, "readlinkat",              ALLOW, ""),
	ROW(268, "fchmodat",                ALLOW, ""),
	ROW(269, "faccessat",               ALLOW, ""),
	ROW(270, "pselect6",                ALLOW, ""),
	ROW(271, "ppoll",                   ALLOW, ""),
	ROW(272, "unshare",                 JUDGE, ""),
	ROW(273, "set_robust_list",         JUDGE, ""),
	ROW(274, "get_robust_list",         JUDGE, ""),
	ROW(275, "splice",                  ALLOW, ""),
	ROW(276, "tee",                     ALLOW, ""),
	ROW(277, "sync_file_range",         ALLOW, ""),
	ROW(278, "vmsplice",                ALLOW, "reads the caller's own pages: the kernel honours PKRU for its own process"),
	ROW(279, "move_pages",              JUDGE, ""),
	ROW(280, "utimensat",               ALLOW, ""),
	ROW(281, "epoll_pwait",             ALLOW, ""),
	ROW(282, "signalfd",                ALLOW, ""),
	ROW(283, "timerfd_create",          ALLOW, ""),
	ROW(284, "eventfd",                 ALLOW, ""),
	ROW(285, "fallocate",               JUDGE, ""),
	ROW(286, "timerfd_settime",         ALLOW, ""),
	ROW(287, "timerfd_gettime",         ALLOW, ""),
	ROW(288, "accept4",                 ALLOW, ""),
	ROW(289, "signalfd4",               ALLOW, ""),
	ROW(290, "eventfd2",                ALLOW, ""),
	ROW(291, "epoll_create1",           ALLOW, ""),
	ROW(292, "dup3",                    ALLOW, ""),
	ROW(293, "pipe2",                   ALLOW, ""),
	ROW(294, "inotify_init1",           ALLOW, ""),
	ROW(295, "preadv",                  ALLOW, ""),
	ROW(296, "pwritev",                 ALLOW, ""),
	ROW(297, "rt_tgsigqueueinfo",       ALLOW, "as kill"),
	ROW(298, "perf_event_open",         JUDGE, ""),
	ROW(299, "recvmmsg",                JUDGE, ""),
	ROW(300, "fanotify_init",           REFUSE, "hands out fds no open produced (an fd to /proc/PID/mem escapes the open rows)"),
	ROW(301, "fanotify_mark",           REFUSE, "as fanotify_init"),
	ROW(302, "prlimit64",               JUDGE, ""),
	ROW(303, "name_to_handle_at",       ALLOW, ""),
	ROW(304, "open_by_handle_at",       JUDGE, ""),
	ROW(305, "clock_adjtime",           ALLOW, ""),
	ROW(306, "syncfs",                  ALLOW, ""),
	ROW(307, "sendmmsg",                ALLOW, ""),
	ROW(308, "setns",                   REFUSE, "joins another namespace (mount, user, pid): names and pids erim-tem checks would mean other objects"),
	ROW(309, "getcpu",                  ALLOW, ""),
	ROW(310, "process_vm_readv",        JUDGE, ""),
	ROW(311, "process_vm_writev",       JUDGE, ""),
	ROW(312, "kcmp",                    JUDGE, ""),
	ROW(313, "finit_module",            REFUSE, "loads kernel code"),
	ROW(314, "sched_setattr",           ALLOW, ""),
	ROW(315, "sched_getattr",           ALLOW, ""),
	ROW(316, "renameat2",               ALLOW, ""),
	ROW(317, "seccomp",                 JUDGE, ""),
	ROW(318, "getrandom",               ALLOW, ""),
	ROW(319, "memfd_create",            ALLOW, "executable mappings of a memfd are refused by the mmap row"),
	ROW(320, "kexec_file_load",         REFUSE, "replaces the running kernel"),
	ROW(321, "bpf",                     REFUSE, "kernel programs and maps outside the syscall policy (maps are memory erim-tem cannot see)"),
	ROW(322, "execveat",                ALLOW, "as execve"),
	ROW(323, "userfaultfd",             JUDGE, ""),
	ROW(324, "membarrier",              ALLOW, ""),
	ROW(325, "mlock2",                  ALLOW, ""),
	ROW(326, "copy_file_range",         ALLOW, ""),
	ROW(327, "preadv2",                 ALLOW, ""),
	ROW(328, "pwritev2",                ALLOW, ""),
	ROW(329, "pkey_mprotect",           JUDGE, ""),
	ROW(330, "pkey_alloc",              ALLOW, ""),
	ROW(331, "pkey_free",               JUDGE, ""),
	ROW(332, "statx",                   ALLOW, ""),
	ROW(333, "io_pgetevents",           ALLOW, ""),
	ROW(334, "rseq",                    JUDGE, ""),
	ROW(424, "pidfd_send_signal",       ALLOW, "as kill"),
	ROW(425, "io_uring_setup",          JUDGE, ""),
	ROW(426, "io_uring_enter",          JUDGE, ""),
	ROW(427, "io_uring_register",       JUDGE, ""),
	ROW(428, "open_tree",               REFUSE, "mount family: clones a mount tree (bind mounts without mount(2))"),
	ROW(429, "move_mount",              REFUSE, "mount family (new mount API): attaches a mount under another name"),
	ROW(430, "fsopen",                  REFUSE, "mount family: creates a file system instance (a procfs of its own)"),
	ROW(431, "fsconfig",                REFUSE, "mount family: configures an fsopen instance"),
	ROW(432, "fsmount",                 REFUSE, "mount family: turns an fsopen instance into a mount"),
	ROW(433, "fspick",                  REFUSE, "mount family: reconfigures a mounted file system"),
	ROW(434, "pidfd_open",              ALLOW, "a handle only: calls that use a pidfd on memory (pidfd_getfd, process_madvise, process_mrelease) are judged"),
	ROW(435, "clone3",                  JUDGE, ""),
	ROW(436, "close_range",             ALLOW, ""),
	ROW(437, "openat2",                 JUDGE, ""),
	ROW(438, "pidfd_getfd",             JUDGE, ""),
	ROW(439, "faccessat2",              ALLOW, ""),
	ROW(440, "process_madvise",         JUDGE, ""),
	ROW(441, "epoll_pwait2",            ALLOW, ""),
	ROW(442, "mount_setattr",           REFUSE, "mount family: changes mount flags and propagation"),
	ROW(443, "quotactl_fd",             REFUSE, "as quotactl"),
	ROW(444, "landlock_create_ruleset", ALLOW, "can only restrict the caller"),
	ROW(445, "landlock_add_rule",       ALLOW, "as landlock_create_ruleset"),
	ROW(446, "landlock_restrict_self",  ALLOW, "as landlock_create_ruleset"),
	ROW(447, "memfd_secret",            ALLOW, "memory even the kernel does not map; never executable"),
	ROW(448, "process_mrelease",        JUDGE, ""),
	ROW(449, "futex_waitv",             ALLOW, ""),
	ROW(450, "set_mempolicy_home_node", ALLOW, ""),
	ROW(451, "cachestat",               ALLOW, ""),
	ROW(452, "fchmodat2",               ALLOW, ""),
	ROW(453, "map_shadow_stack",        ALLOW, "shadow stack pages: never writable by ordinary stores, not executable"),
	ROW(454, "futex_wake",              ALLOW, ""),
	ROW(455, "futex_wait",              ALLOW, ""),
	ROW(456, "futex_requeue",           ALLOW, ""),
	ROW(457, "statmount",               ALLOW, "reads mount information"),
	ROW(458, "listmount",               ALLOW, "reads mount information"),
	ROW(459, "lsm_get_self_attr",       ALLOW, ""),
	ROW(460, "lsm_set_self_attr",       ALLOW, "the caller's own LSM attributes (as /proc/self/attr)"),
	ROW(461, "lsm_list_modules",        ALLOW, ""),
	ROW(462, "mseal",                   ALLOW, "can only remove rights from the caller's own mappings"),
	ROW(463, "setxattrat",              ALLOW, ""),
	ROW(464, "getxattrat",              ALLOW, ""),
	ROW(465, "listxattrat",             ALLOW, ""),
	ROW(466, "removexattrat",           ALLOW, ""),
	ROW(467, "open_tree_attr",          REFUSE, "as open_tree"),
	ROW(468, "file_getattr",            ALLOW, ""),
	ROW(469, "file_setattr",            ALLOW, ""),
};
#undef ROW
const size_t tem_nsyscalls = sizeof tem_syscalls / sizeof tem_syscalls[0];

long tem_test_unlisted = -1;

const struct tem_sysrow *tem_sysrow_for(long nr)
{
	size_t lo = 0, hi = tem_nsyscalls;

	if (nr == tem_test_unlisted)
		return NULL;
	while (lo < hi) {   /* the rows are sorted by number (tem_table_check) */
		size_t mid = lo + (hi - lo) / 2;

		if (tem_syscalls[mid].nr == nr)
			return &tem_syscalls[mid];
		if (tem_syscalls[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The REFUSE rows as judged rows (every caller, no check: refused). */
static struct tem_rule deny_rules[128];
static size_t ndeny;

static void deny_init(void)
{
	size_t i;

	if (ndeny)
		return;
	for (i = 0; i < tem_nsyscalls && ndeny < sizeof deny_rules / sizeof deny_rules[0]; i++) {
		const struct tem_sysrow *s = &tem_syscalls[i];

		if (s->kind != TEM_K_REFUSE)
			continue;
		deny_rules[ndeny].nr = s->nr;
		deny_rules[ndeny].name = s->name;
		deny_rules[ndeny].who = TEM_W_ALWAYS;
		deny_rules[ndeny].check = NULL;
		deny_rules[ndeny].what = s->why;
		deny_rules[ndeny].action = "EPERM";
		ndeny++;
	}
}

static const struct tem_rule *next_in(const struct tem_rule *rows, size_t n, long nr,
                                      const struct tem_rule *from)
{
	size_t i = from ? (size_t)(from - rows) + 1 : 0;

	for (; i < n; i++)
		if (rows[i].nr == nr)
			return &rows[i];
	return NULL;
}

static int in_rows(const struct tem_rule *rows, size_t n, const struct tem_rule *r)
{
	return r >= rows && r < rows + n;
}

const struct tem_rule *tem_rule_next(long nr, const struct tem_rule *prev)
{
	const struct tem_rule *r;

	deny_init();
	if (nr == tem_test_unlisted)
		return NULL;
	if (!prev || in_rows(tem_rules, tem_nrules, prev)) {
		if ((r = next_in(tem_rules, tem_nrules, nr, prev)))
			return r;
		prev = NULL;
		goto target;
	}
	if (in_rows(tem_target_rules, tem_ntarget_rules, prev)) {
target:
		if ((r = next_in(tem_target_rules, tem_ntarget_rules, nr, prev)))
			return r;
		prev = NULL;
		return next_in(deny_rules, ndeny, nr, NULL);
	}
	return next_in(deny_rules, ndeny, nr, prev);
}

static int rules_agree(const struct tem_rule *rows, size_t n, char *err, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct tem_sysrow *s = tem_sysrow_for(rows[i].nr);

		if (!s || s->kind != TEM_K_JUDGE || strcmp(s->name, rows[i].name) != 0) {
			snprintf(err, len, "judged row %s (%ld) is not a JUDGE row of the table", rows[i].name, rows[i].nr);
			return -1;
		}
	}
	return 0;
}

int tem_table_check(char *err, size_t len)
{
	size_t i;

	for (i = 1; i < tem_nsyscalls; i++)
		if (tem_syscalls[i].nr <= tem_syscalls[i - 1].nr) {
			snprintf(err, len, "table not sorted at %s", tem_syscalls[i].name);
			return -1;
		}
	if (rules_agree(tem_rules, tem_nrules, err, len) || rules_agree(tem_target_rules, tem_ntarget_rules, err, len))
		return -1;
	for (i = 0; i < tem_nsyscalls; i++)
		if (tem_syscalls[i].kind == TEM_K_JUDGE && !next_in(tem_rules, tem_nrules, tem_syscalls[i].nr, NULL) &&
		    !next_in(tem_target_rules, tem_ntarget_rules, tem_syscalls[i].nr, NULL)) {
			snprintf(err, len, "JUDGE row %s has no judged row", tem_syscalls[i].name);
			return -1;
		}
	return 0;
}

/* ---- printing ------------------------------------------------------------ */

static const char *const who_name[] = { "untrusted", "everyone", "trusted", "registered" };

/* Man-page text: backslashes doubled, a leading dot or quote escaped. */
static void roff(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

static void print_row(FILE *f, int fmt, int nr, const char *name, const char *decision, const char *what)
{
	if (fmt) {
		fprintf(f, ".TP\n\\fB%d ", nr);
		roff(f, name);
		fputs("\\fR\n", f);
		roff(f, decision);
		if (what[0]) {
			fputs(" \\(em ", f);
			roff(f, what);
		}
		fputc('\n', f);
	} else {
		fprintf(f, "%-4d %-24s %-20s %s\n", nr, name, decision, what);
	}
}

void tem_policy_print(FILE *f, int fmt)
{
	size_t i;
	char decision[64];

	deny_init();
	if (fmt)
		fputs(".\\\" generated by erim-tem --policy=man: do not edit by hand\n.PD 0\n", f);
	else
		fprintf(f, "%-4s %-24s %-20s %s\n", "nr", "syscall", "decision", "checked / attack stopped");
	for (i = 0; i < tem_nsyscalls; i++) {
		const struct tem_sysrow *s = &tem_syscalls[i];
		const struct tem_rule *r;

		switch (s->kind) {
		case TEM_K_ALLOW:
			print_row(f, fmt, s->nr, s->name, "allow", s->why);
			break;
		case TEM_K_REFUSE:
			print_row(f, fmt, s->nr, s->name, "refuse: EPERM", s->why);
			break;
		default:
			for (r = tem_rule_next(s->nr, NULL); r; r = tem_rule_next(s->nr, r)) {
				snprintf(decision, sizeof decision, "judge %s: %s", who_name[r->who],
				         r->check ? r->action : "EPERM");
				print_row(f, fmt, s->nr, s->name, decision, r->what);
			}
			break;
		}
	}
	if (fmt)
		fputs(".TP\n\\fBany other number\\fR\nrefuse in the filter: ENOSYS\n.PD\n", f);
	else
		fprintf(f, "any other number: refused by the filter (ENOSYS)\n");
}
