/* SPDX-License-Identifier: MIT */
/* tem_proto.h (common/): the one-shot registration protocol between liberim
 * (runtime/tem_client.c) and the erim-tem supervisor.
 *
 * erim_init() tells the supervisor the trusted key and the trusted ranges by
 * issuing TEM_NR_REGISTER, a system call number Linux does not have.  Without
 * erim-tem the kernel answers -ENOSYS; under erim-tem the seccomp filter traps
 * the call and the tracer answers TEM_REPLY (a positive value no seccomp
 * filter's SECCOMP_RET_ERRNO can produce) for the FIRST registration of a
 * process image and -EPERM for every later one.  This is sound because the
 * first registration is made by erim_init during trusted start-up (the threat
 * model trusts everything before erim_init returns), registration only ever
 * ADDS protection, and nobody can install a competing seccomp filter under
 * erim-tem (seccomp() and PR_SET_SECCOMP are refused for every caller).
 * Shared by both sides, so it holds only constants and one struct. */
#ifndef TEM_PROTO_H
#define TEM_PROTO_H

#include <stdint.h>

#define TEM_NR_REGISTER 0x7e70                  /* 32368: far above any Linux syscall */
#define TEM_MAGIC       0x6d65742d6d697265ULL   /* "erim-tem" as little-endian bytes */
#define TEM_REPLY       0x7e7acc                /* "accepted", positive: not an errno */
#define TEM_VERSION     1
#define TEM_MAX_RANGES  32

/* rdi = TEM_MAGIC, rsi = &struct tem_registration, rdx = sizeof it. */
struct tem_registration {
	uint32_t version;        /* TEM_VERSION */
	int32_t pkey;            /* trusted protection key, -1 without mpk */
	uint32_t nranges;        /* entries used in range[] */
	uint32_t reserved;
	struct {
		uint64_t start, end; /* [start, end), page aligned */
	} range[TEM_MAX_RANGES];
};

#endif /* TEM_PROTO_H */
