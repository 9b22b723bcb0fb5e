/* SPDX-License-Identifier: MIT */
/* atk_brk_unmap.c: brk below the current break unmaps all of [new, old),
 * whatever is mapped there now.  Start-up here leaves a hole at the top of
 * the heap and puts the secret in it (trusted memory may land in any hole
 * an mmap finds); after registration untrusted code lowers the break below
 * the hole: the kernel unmaps the secret, and MAP_FIXED_NOREPLACE puts the
 * attacker's page there.  SUCCEEDED when that page is mapped at the
 * secret's address.  erim-tem judges brk on its result as io_destroy
 * (tem_kunmap.c). */
#define ATK_STARTUP atk_brk_startup
#include "atk_common.h"

#define HEAP_GROW (64 * 4096)
static uint8_t *hole;

static void atk_brk_startup(void)
{
	uint8_t *top;

	if (sbrk(HEAP_GROW) == (void *)-1)
		return;
	top = (uint8_t *)(((uintptr_t)sbrk(0)) & ~(uintptr_t)4095);
	hole = top - 2 * 4096;
	if (munmap(hole, 2 * 4096) != 0 ||
	    mremap(atk_secret, ATK_SECRET_LEN, ATK_SECRET_LEN, MREMAP_MAYMOVE | MREMAP_FIXED, hole) != hole) {
		hole = NULL;
		return;
	}
	atk_secret = hole;   /* the trusted range registered next */
}

static enum atk_result atk_attack(void)
{
	if (!hole) {
		atk_say("start-up could not put the secret into the heap");
		return ATK_ERROR;
	}
	atk_say("the secret lies at %p, inside the heap's break (%p)", (void *)atk_secret, sbrk(0));
	if (sbrk(-(intptr_t)(16 * 4096)) == (void *)-1) {
		atk_say("sbrk down: %s", strerror(errno));
		return ATK_REFUSED;
	}
	return atk_take_secret_address("brk unmapped the secret");
}

static const char *atk_name = "atk_brk_unmap";
static int atk_needs_pku = 0;
