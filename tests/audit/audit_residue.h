/* SPDX-License-Identifier: MIT */
/* audit_residue.h: the value audit_target's "residue" entry leaves in
 * registers (general, x87/MMX, XMM, YMM, opmask) for the gate to scrub, and
 * erim-audit looks for in every register a signal frame would hold while
 * PKRU grants the trusted key and %rsp is in untrusted memory. */
#ifndef AUDIT_RESIDUE_H
#define AUDIT_RESIDUE_H

#define AUDIT_RESIDUE 0x5ec7e75ec7e7a5a5ULL

#endif
