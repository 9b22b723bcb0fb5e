/* inspect_process.c: TEMPORARY placeholder so liberim links while load-time
 * inspection is being written; it inspects nothing and must be replaced. */
#include "config.h"
#include "erim_hooks.h"

int erim__inspect_process(enum erim_inspect_policy policy, int quiet)
{
	(void)policy;
	(void)quiet;
	return 0;
}
