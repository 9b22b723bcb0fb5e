/* inspect_arch.h: the one raw system call in-process inspection issues by
 * hand.  While a page of some object is being patched or stripped of
 * execute permission, code on that page must not run -- and glibc's mprotect()
 * wrapper may well live on it (in Debian 12 pkey_set sits next to
 * pkey_mprotect).  So mprotect is issued inline from liberim's own code.
 * x86-64 syscall ABI: number in RAX, arguments in RDI, RSI, RDX; the kernel
 * clobbers RCX and R11; the result (or -errno) comes back in RAX. */
#ifndef ERIM_INSPECT_ARCH_H
#define ERIM_INSPECT_ARCH_H

#include <stddef.h>
#include <sys/syscall.h>

static inline __attribute__((always_inline)) long inspect_raw_mprotect(void *addr, size_t len, int prot)
{
	long ret;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"((long)SYS_mprotect), "D"(addr), "S"(len), "d"((long)prot)
	                 : "rcx", "r11", "memory");
	return ret;
}

#endif /* ERIM_INSPECT_ARCH_H */
