/* SPDX-License-Identifier: MIT */
/* audit_gen_target.c: erim-audit's generated-code scenario.  The gates come
 * from auditgen.erim through erimgen, so the audit walks the generated
 * marshallers: the ecall stub fetching the argument block, the string and
 * buffer copies in, the copy of the result out, and the ocall proxy that
 * copies a string out to an untrusted function and reads its answer back.
 * Same protocol as audit_target: erim_init, raise(SIGSTOP), the calls, exit 0
 * when the results are right. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "erim.h"
#include "auditgen_erim.h"
#include "auditgen_trusted.h"

static ERIM_TRUSTED volatile uint8_t t_key = 0x5a;

/* trusted: runs behind the generated stub, on trusted copies of the inputs */
int ag_mix_impl(const uint8_t *in, size_t len, const char *name, uint8_t *out)
{
	size_t nl = 0;

	while (name[nl])
		nl++;
	if (len == 0 || nl == 0)
		return -1;
	for (size_t i = 0; i < 16; i++)
		out[i] = (uint8_t)(in[i % len] ^ (uint8_t)name[i % nl] ^ t_key);
	return ag_log_ocall(name) + (int)len;
}

/* untrusted: reached from the trusted side through the generated proxy */
int ag_log(const char *line)
{
	return line && line[0] == 'h' ? 100 : 0;
}

int main(void)
{
	static const uint8_t in[4] = { 1, 2, 3, 4 };
	uint8_t out[16];
	int rc = erim_init(NULL);

	if (rc != 0 || erim_backend() != ERIM_BACKEND_MPK) {
		printf("audit_gen_target: erim_init: %d (%s): the audit needs mpk\n", rc, erim_strerror());
		return 2;
	}
	fflush(stdout);
	raise(SIGSTOP);   /* the tracer single-steps from here */
	memset(out, 0, sizeof out);
	rc = ag_mix(in, sizeof in, "hello", out) != 104 || out[0] != (uint8_t)(1 ^ 'h' ^ 0x5a);
	_exit(rc);
}
