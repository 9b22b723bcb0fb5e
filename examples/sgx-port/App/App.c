/* SPDX-License-Identifier: MIT */
/* App.c: the untrusted application, written as for the SGX SDK:
 * sgx_create_enclave, ecalls as sgx_status_t f(eid, &retval, ...), ocalls
 * implemented as plain functions.  Built against erim (sgx_urts.h is
 * erim's stand-in) without changes to these calls.
 *
 *   sgx-app                  run every ecall, check the results, exit 0 when right
 *   sgx-app expect-stopped   then a child reads the enclave's key directly;
 *                            exit 0 when erim stops it (mpk, mprotect)
 *   sgx-app expect-leak      the control: exit 0 when the read succeeds (none) */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sgx_urts.h"
#include "Enclave_u.h"

extern uint8_t sp_vault_key[];   /* the enclave's secret, for the attack */

static int failures;

#define EXPECT(cond, what)                                                   \
	do {                                                                 \
		if (!(cond)) {                                               \
			printf("FAIL: %s\n", what);                          \
			failures++;                                          \
		} else {                                                     \
			printf("ok: %s\n", what);                            \
		}                                                            \
	} while (0)

void ocall_print(const char *msg)
{
	printf("  [ocall] %s\n", msg);
}

int ocall_host_value(int which)
{
	return which * 6;
}

const char *ocall_host_name(void)
{
	return "erim-host";
}

int main(int argc, char **argv)
{
	sgx_enclave_id_t eid = 0;
	sgx_status_t st;
	int ret = 0, total = 0, vals[4] = { 1, 2, 3, 4 };
	struct sp_point pt = { 3, -4 };
	const uint8_t key[16] = "0123456789abcdef";
	uint8_t data[5] = { 9, 8, 9, 7, 9 }, digest[8];
	uint32_t tag = 0;
	size_t cnt = 0, nset = 0, hlen = 0;
	union sp_num num;
	uint64_t big = 0;
	const void *ptrs[3] = { &pt, NULL, data };

	st = sgx_create_enclave("enclave.signed.so", SGX_DEBUG_FLAG, NULL, NULL, &eid, NULL);
	if (st != SGX_SUCCESS) {
		printf("sgx_create_enclave: 0x%x\n", (unsigned)st);
		return 1;
	}
	st = ecall_greet(eid, &ret, "erim");
	EXPECT(st == SGX_SUCCESS && ret == 4 + 42, "ecall_greet: string in, ocall with result");
	st = ecall_sum(eid, &ret, vals, &total);
	EXPECT(st == SGX_SUCCESS && ret == 0 && total == 10, "ecall_sum: array in, int out");
	st = ecall_scale(eid, &pt, 5);
	EXPECT(st == SGX_SUCCESS && pt.x == 15 && pt.y == -20, "ecall_scale: struct in/out");
	st = ecall_count_byte(eid, &cnt, data, sizeof data, 9);
	EXPECT(st == SGX_SUCCESS && cnt == 3, "ecall_count_byte: user_check buffer");
	num.big = 0x1122334455667788u;
	st = ecall_union_big(eid, &big, num);
	EXPECT(st == SGX_SUCCESS && big == 0x1122334455667788u, "ecall_union_big: EDL union by value");
	st = ecall_count_set(eid, &nset, ptrs, 3);
	EXPECT(st == SGX_SUCCESS && nset == 2, "ecall_count_set: buffer of pointer values");
	st = ecall_host_name_len(eid, &hlen);
	EXPECT(st == SGX_SUCCESS && hlen == 9, "ecall_host_name_len: ocall returning a pointer");
	st = ecall_vault_set(eid, &ret, key, sizeof key);
	EXPECT(st == SGX_SUCCESS && ret == 0, "ecall_vault_set (imported): sized buffer in");
	/* a user_check pointer at the key itself: the enclave checks it is
	 * outside (sgx_is_outside_enclave) and counts nothing; without that
	 * check it answered whether key[0] == b, a byte oracle (red team 37b) */
	cnt = 99;
	st = ecall_count_byte(eid, &cnt, sp_vault_key, 1, key[0]);
	EXPECT(st == SGX_SUCCESS && cnt == 0, "ecall_count_byte: a user_check pointer into the enclave is not read");
	st = ecall_vault_tag(eid, &tag, data, sizeof data, digest);
	EXPECT(st == SGX_SUCCESS && tag != 0 && digest[0] == (uint8_t)tag,
	       "ecall_vault_tag (imported): counted buffer in, array out");
	if (argc > 1) {
		int ws = 0, leak = !strcmp(argv[1], "expect-leak");
		pid_t pid;

		printf("attack: a child reads the enclave's key from untrusted code\n");
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			volatile uint8_t v = sp_vault_key[0];
			printf("attack: read %02x -- the key is readable\n", v);
			_exit(3);
		}
		if (pid < 0 || waitpid(pid, &ws, 0) != pid)
			return 1;
		if (WIFEXITED(ws) && WEXITSTATUS(ws) == 3) {
			printf("attack: %s\n", leak ? "leaked, as expected without isolation" : "NOT stopped");
			return leak ? 0 : 1;
		}
		if (WIFSIGNALED(ws)) {
			printf("attack: stopped (signal %d)%s\n", WTERMSIG(ws), leak ? " -- control expected a leak" : "");
			return leak ? 1 : 0;
		}
		return 1;
	}
	EXPECT(sgx_destroy_enclave(eid) == SGX_SUCCESS, "sgx_destroy_enclave");
	printf("sgx-port: %d failed\n", failures);
	return failures ? 1 : 0;
}
