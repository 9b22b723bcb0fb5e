/* SPDX-License-Identifier: MIT */
/* sgx_error.h: erim's stand-in for the SGX SDK header of this name (see
 * erim_edl.h): install dir $(includedir)/erim/sgx, add it with -I when
 * building SGX code against erim without the SDK. */
#include "erim_edl.h"
