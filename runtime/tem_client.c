/* tem_client.c: TEMPORARY placeholder so liberim links while the TEM client is
 * being written; it attaches to nothing and must be replaced. */
#include "config.h"

#include <errno.h>

#include "erim_hooks.h"

int erim__tem_attach(int require, int quiet)
{
	(void)quiet;
	return require ? -ENOTSUP : 0;
}
