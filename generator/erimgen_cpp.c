/* SPDX-License-Identifier: MIT */
/* erimgen_cpp.c: erimgen --cpp -- every .edl/.erim file read goes through
 * the C preprocessor first (Intel's edger8r runs cpp on request too), with
 * erimgen's -D/-U options and its -I directories plus the file's own
 * directory.  The preprocessor's line markers map diagnostics back to the
 * original lines (the front end reads them).  The preprocessor is
 * $ERIMGEN_CPP if set (one word), else `cpp`. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erimgen_cpp.h"

void erimgen_cpp_add(struct erimgen_cpp *c, const char *flag, const char *arg)
{
	char **v = realloc(c->args, (c->nargs + 2) * sizeof *v);

	if (!v) {
		fputs("erimgen: out of memory\n", stderr);
		exit(1);
	}
	c->args = v;
	c->args[c->nargs] = malloc(strlen(flag) + strlen(arg) + 1);
	if (!c->args[c->nargs]) {
		fputs("erimgen: out of memory\n", stderr);
		exit(1);
	}
	strcpy(c->args[c->nargs], flag);
	strcat(c->args[c->nargs], arg);
	c->nargs++;
}

void erimgen_cpp_fini(struct erimgen_cpp *c)
{
	for (size_t k = 0; k < c->nargs; k++)
		free(c->args[k]);
	free(c->args);
}

int erimgen_cpp_run(const char *path, char **text, size_t *len, void *arg)
{
	const struct erimgen_cpp *c = arg;
	const char *cpp = getenv("ERIMGEN_CPP");
	char *dir = strdup(path), *slash, *buf = NULL;
	size_t n = 0, cap = 0;
	int fd[2], status;
	pid_t pid;

	if (!dir)
		return -1;
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	if (!cpp || !*cpp)
		cpp = "cpp";
	if (pipe(fd) != 0) {
		fprintf(stderr, "erimgen: --cpp: pipe: %s\n", strerror(errno));
		free(dir);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "erimgen: --cpp: fork: %s\n", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		free(dir);
		return -1;
	}
	if (pid == 0) {
		/* cpp -x c [-D..-U..-I..] -I DIR PATH: C language, line markers kept */
		char **argv = calloc(c->nargs + 8, sizeof *argv);
		size_t k = 0;

		if (!argv)
			_exit(127);
		argv[k++] = (char *)cpp;
		argv[k++] = "-x";
		argv[k++] = "c";
		for (size_t i = 0; i < c->nargs; i++)
			argv[k++] = c->args[i];
		argv[k++] = "-I";
		argv[k++] = dir;
		argv[k++] = (char *)path;
		argv[k] = NULL;
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execvp(cpp, argv);
		fprintf(stderr, "erimgen: --cpp: cannot run '%s': %s\n", cpp, strerror(errno));
		_exit(127);
	}
	free(dir);
	close(fd[1]);
	for (;;) {
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap ? 2 * cap : 8192);
			if (!nb) {
				free(buf);
				close(fd[0]);
				waitpid(pid, &status, 0);
				return -1;
			}
			buf = nb;
			cap = cap ? 2 * cap : 8192;
		}
		ssize_t got = read(fd[0], buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "erimgen: --cpp: '%s' failed on %s\n", cpp, path);
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}
