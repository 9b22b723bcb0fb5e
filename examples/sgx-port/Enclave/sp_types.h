/* SPDX-License-Identifier: MIT */
/* sp_types.h: the header Enclave.edl includes (none of its types are needed
 * here; SGX projects keep shared definitions in such a header). */
#ifndef SP_TYPES_H
#define SP_TYPES_H
#define SP_KEY_MAX 32
#define SP_NAME_MAX 4096   /* the longest host name ecall_host_name_len reads */
#endif
