/* SPDX-License-Identifier: MIT */
/* keyvault_types.h: the C header keyvault.erim includes (language.md's
 * example); the generator tests need it to exist, nothing more. */
#ifndef KEYVAULT_TYPES_H
#define KEYVAULT_TYPES_H
#define KV_SIG_BYTES 64
#endif
