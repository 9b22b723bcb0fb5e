/* SPDX-License-Identifier: MIT */
/* erim_inspect_main.c: the erim-inspect command.  Scans ELF files,
 * directory trees (always recursive; -r is accepted for clarity) or a running
 * process (--pid) for WRPKRU/XRSTOR and reports each occurrence with its
 * class; exit status 0 = nothing unsafe, 1 = unsafe code found, 2 = an error
 * (unreadable file, malformed ELF, ...), which wins over 1.  Every file is
 * processed and the results ORed, as elfutils' tools do.  Files reached twice
 * (symlinks, hard links, bind mounts) are inspected once: (dev, inode) pairs
 * are remembered.  Non-ELF files are skipped silently but counted. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_scan.h"
#include "inspect_maps.h"
#include "scan.h"

static int opt_json, opt_quiet;

static struct {
	size_t files, elf, skipped, errors, hits, unsafe, known, wrpkru, xrstor;
	uint64_t bytes;
} tot;
static int json_first_file = 1;

/* ---- small die/warn family (tools may die on OOM) ----------------------------- */

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;
	fputs("erim-inspect: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die("out of memory");
	return p;
}

static void report_error(const char *msg)
{
	tot.errors++;
	fprintf(stderr, "erim-inspect: %s\n", msg);
}

/* ---- (dev, inode) set --------------------------------------------------------- */

static struct { dev_t dev; ino_t ino; } *seen;
static size_t nseen, capseen;

static int seen_before(const struct stat *st)
{
	size_t h = capseen ? ((size_t)st->st_ino * 2654435761u ^ (size_t)st->st_dev) & (capseen - 1) : 0;
	if (capseen) {
		for (size_t i = h;; i = (i + 1) & (capseen - 1)) {
			if (seen[i].ino == 0 && seen[i].dev == 0)
				break;
			if (seen[i].ino == st->st_ino && seen[i].dev == st->st_dev)
				return 1;
		}
	}
	if (2 * (nseen + 1) > capseen) {
		size_t ocap = capseen;
		__typeof__(seen) old = seen;
		capseen = capseen ? 2 * capseen : 1024;
		seen = calloc(capseen, sizeof *seen);
		if (!seen)
			die("out of memory");
		nseen = 0;
		for (size_t i = 0; i < ocap; i++) {
			if (old[i].ino || old[i].dev) {
				struct stat t;
				t.st_dev = old[i].dev;
				t.st_ino = old[i].ino;
				seen_before(&t);
			}
		}
		free(old);
	}
	h = ((size_t)st->st_ino * 2654435761u ^ (size_t)st->st_dev) & (capseen - 1);
	for (size_t i = h;; i = (i + 1) & (capseen - 1)) {
		if (seen[i].ino == 0 && seen[i].dev == 0) {
			seen[i].dev = st->st_dev;
			seen[i].ino = st->st_ino;
			nseen++;
			return 0;
		}
	}
}

/* ---- output ---------------------------------------------------------------------- */

static void json_str(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

struct file_out {
	const char *path;
	int nhits;             /* hits printed so far (JSON commas) */
};

static const char *class_of(enum scan_class cls, const char *known)
{
	return known && cls == SCAN_UNSAFE ? "known-site" : scan_class_name(cls);
}

static void count_hit(enum scan_kind kind, enum scan_class cls, const char *known)
{
	tot.hits++;
	if (kind == SCAN_WRPKRU)
		tot.wrpkru++;
	else
		tot.xrstor++;
	if (cls == SCAN_UNSAFE && known)
		tot.known++;
	else if (cls == SCAN_UNSAFE)
		tot.unsafe++;
}

static void json_open_file(struct file_out *fo, const char *type)
{
	if (fo->nhits == 0) {
		printf("%s\n    {\"path\": ", json_first_file ? "" : ",");
		json_first_file = 0;
		json_str(fo->path);
		printf(", \"type\": ");
		json_str(type);
		printf(", \"hits\": [");
	}
}

static int on_elf_hit(const struct elf_scan_hit *h, void *arg)
{
	struct file_out *fo = arg;
	count_hit(h->kind, h->cls, h->known);
	const char *cls = class_of(h->cls, h->known);
	if (opt_json) {
		json_open_file(fo, "elf");
		printf("%s\n      {\"vaddr\": \"%#llx\", \"offset\": \"%#llx\", \"section\": ",
		       fo->nhits ? "," : "", (unsigned long long)h->vaddr, (unsigned long long)h->fileoff);
		json_str(h->section);
		printf(", \"symbol\": ");
		if (h->symbol) {
			json_str(h->symbol);
			printf(", \"symoff\": \"%#llx\"", (unsigned long long)h->symoff);
		} else {
			printf("null");
		}
		printf(", \"kind\": \"%s\", \"class\": \"%s\"", scan_kind_name(h->kind), cls);
		if (h->known) {
			printf(", \"note\": ");
			json_str(h->known);
		}
		putchar('}');
	} else if (!opt_quiet || (h->cls == SCAN_UNSAFE && !h->known)) {
		printf("%s: %#llx (file offset %#llx) %s ", fo->path, (unsigned long long)h->vaddr,
		       (unsigned long long)h->fileoff, h->section && *h->section ? h->section : "?");
		if (h->symbol)
			printf("%s+%#llx", h->symbol, (unsigned long long)h->symoff);
		else
			printf("(no symbol)");
		printf(": %s %s", scan_kind_name(h->kind), cls);
		if (h->known)
			printf(" (%s; erim_init %s)", h->known,
			       h->kind == SCAN_WRPKRU ? "patches it to a trap"
			                              : "rewrites it so a check of EAX bit 9 follows the XRSTOR");
		putchar('\n');
	}
	fo->nhits++;
	return 0;
}

static void json_close_file(const struct file_out *fo)
{
	if (opt_json && fo->nhits)
		printf("]}");
}

/* ---- files and trees ------------------------------------------------------------- */

static void inspect_path(const char *path, int top);

static void inspect_file(const char *path, const struct stat *st)
{
	char err[512];
	tot.files++;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, sizeof err, "%s: cannot open: %s", path, strerror(errno));
		report_error(err);
		return;
	}
	if (st->st_size < 4) {       /* cannot be ELF; don't bother libelf */
		close(fd);
		tot.skipped++;
		return;
	}
	struct elf_scan_result res;
	struct file_out fo = { path, 0 };
	int rc = elf_scan_fd(fd, path, on_elf_hit, &fo, &res, err, sizeof err);
	close(fd);
	if (rc == ELF_SCAN_OK && res.textrel) {
		/* the loader rewrites code: the file's bytes are not what runs */
		tot.unsafe++;
		if (opt_json) {
			json_open_file(&fo, "elf");
			printf("%s\n      {\"kind\": \"textrel\", \"class\": \"unsafe\", \"note\": "
			       "\"text relocations: the loader writes into executable code at load time\"}",
			       fo.nhits ? "," : "");
			fo.nhits++;
		} else {
			printf("%s: text relocations (DT_TEXTREL): the loader writes into executable code at load "
			       "time, so the bytes that run are not the file's: unsafe\n", path);
		}
	}
	json_close_file(&fo);
	if (rc == ELF_SCAN_NOT_ELF) {
		tot.skipped++;
		return;
	}
	tot.elf++;
	tot.bytes += res.bytes;
	if (rc == ELF_SCAN_ERROR)
		report_error(err);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void inspect_dir(const char *path)
{
	DIR *d = opendir(path);
	char err[512];
	if (!d) {
		snprintf(err, sizeof err, "%s: cannot open directory: %s", path, strerror(errno));
		report_error(err);
		return;
	}
	/* sorted, so reports are stable */
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = xrealloc(names, cap * sizeof *names);
		}
		size_t l = strlen(path) + strlen(e->d_name) + 2;
		names[n] = xrealloc(NULL, l);
		snprintf(names[n], l, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		inspect_path(names[i], 0);
		free(names[i]);
	}
	free(names);
}

static void inspect_path(const char *path, int top)
{
	struct stat st;
	char err[512];
	/* follow symlinks, but visit each (dev, inode) once */
	if (stat(path, &st) != 0) {
		struct stat lst;
		if (!top && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
			return;              /* dangling symlink inside a tree: nothing to inspect */
		snprintf(err, sizeof err, "%s: %s", path, strerror(errno));
		report_error(err);
		return;
	}
	if (seen_before(&st))
		return;
	if (S_ISDIR(st.st_mode))
		inspect_dir(path);
	else if (S_ISREG(st.st_mode))
		inspect_file(path, &st);
	else if (top) {
		snprintf(err, sizeof err, "%s: not a regular file or directory", path);
		report_error(err);
	}
}

/* ---- a running process ------------------------------------------------------------- */

struct pid_out {
	struct file_out fo;
	const struct inspect_map *maps;
	size_t n;
};

static int on_pid_hit(const struct scan_hit *h, void *arg)
{
	struct pid_out *po = arg;
	const struct inspect_map *m = NULL;
	for (size_t i = 0; i < po->n; i++)
		if (po->maps[i].start <= h->addr && h->addr < po->maps[i].end)
			m = &po->maps[i];
	const char *obj = m && m->path[0] ? m->path : "[anonymous]";
	uint64_t off = m ? m->offset + (h->addr - m->start) : 0;
	count_hit(h->kind, h->cls, NULL);
	if (opt_json) {
		json_open_file(&po->fo, "process");
		printf("%s\n      {\"address\": \"%#llx\", \"object\": ", po->fo.nhits ? "," : "",
		       (unsigned long long)h->addr);
		json_str(obj);
		printf(", \"offset\": \"%#llx\", \"kind\": \"%s\", \"class\": \"%s\"}",
		       (unsigned long long)off, scan_kind_name(h->kind), scan_class_name(h->cls));
	} else if (!opt_quiet || h->cls == SCAN_UNSAFE) {
		printf("%s: %#llx %s+%#llx: %s %s\n", po->fo.path, (unsigned long long)h->addr, obj,
		       (unsigned long long)off, scan_kind_name(h->kind), scan_class_name(h->cls));
	}
	po->fo.nhits++;
	return 0;
}

static void inspect_pid(int pid)
{
	char err[512], label[32];
	struct inspect_map *maps;
	long n = inspect_maps_exec(pid, &maps);
	if (n < 0) {
		snprintf(err, sizeof err, "pid %d: cannot read /proc/%d/maps: %s", pid, pid, strerror((int)-n));
		report_error(err);
		return;
	}
	int fd = inspect_mem_open(pid);
	if (fd < 0) {
		snprintf(err, sizeof err, "pid %d: cannot open /proc/%d/mem: %s (Hint: this needs ptrace access to the process)",
		         pid, pid, strerror(-fd));
		report_error(err);
		free(maps);
		return;
	}
	snprintf(label, sizeof label, "pid %d", pid);
	struct pid_out po = { { label, 0 }, maps, (size_t)n };
	struct scan_stream s;
	scan_init(&s, on_pid_hit, &po, NULL, 0);
	const size_t chunk = 1 << 20;
	uint8_t *buf = xrealloc(NULL, chunk);
	tot.files++;
	for (long i = 0; i < n; i++) {
		if (strcmp(maps[i].path, "[vsyscall]") == 0)
			continue;
		for (uint64_t a = maps[i].start; a < maps[i].end; a += chunk) {
			size_t len = maps[i].end - a < chunk ? (size_t)(maps[i].end - a) : chunk;
			int rc = inspect_mem_read(fd, a, buf, len);
			if (rc) {
				snprintf(err, sizeof err, "pid %d: cannot read %#llx-%#llx (%s): %s", pid,
				         (unsigned long long)a, (unsigned long long)(a + len), maps[i].path, strerror(-rc));
				report_error(err);
				break;
			}
			tot.bytes += len;
			scan_feed(&s, buf, len, a);
		}
	}
	scan_end(&s);
	json_close_file(&po.fo);
	free(buf);
	close(fd);
	free(maps);
}

static void usage(FILE *f)
{
	fprintf(f,
	        "Usage: erim-inspect [-r] [--json] [--quiet] FILE|DIR...\n"
	        "       erim-inspect [--json] [--quiet] --pid PID\n"
	        "Report every WRPKRU and XRSTOR byte sequence in the executable code of ELF\n"
	        "files (directories are searched recursively) or of a running process.\n"
	        "  -r, --recursive  search directories recursively (the default)\n"
	        "  -j, --json       machine-readable report on stdout\n"
	        "  -q, --quiet      print only unsafe occurrences and errors\n"
	        "  -p, --pid PID    inspect the executable mappings of process PID\n"
	        "  -h, --help       this text\n"
	        "Exit status: 0 nothing unsafe, 1 unsafe code found, 2 error.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "recursive", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "pid", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, pid = 0;
	while ((c = getopt_long(argc, argv, "rjqp:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': break;
		case 'j': opt_json = 1; break;
		case 'q': opt_quiet = 1; break;
		case 'p': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v <= 0 || v > 0x7fffffff)
				die("--pid: not a process id: %s", optarg);
			pid = (int)v;
			break;
		}
		case 'h': usage(stdout); return 0;
		case 'V': printf("erim-inspect %s\n", PACKAGE_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!pid && optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (opt_json)
		printf("{\"files\": [");
	if (pid)
		inspect_pid(pid);
	for (int i = optind; i < argc; i++)
		inspect_path(argv[i], 1);
	if (opt_json) {
		printf("\n  ],\n  \"summary\": {\"files\": %zu, \"elf\": %zu, \"skipped\": %zu, \"errors\": %zu, "
		       "\"bytes\": %llu, \"occurrences\": %zu, \"wrpkru\": %zu, \"xrstor\": %zu, "
		       "\"unsafe\": %zu, \"known\": %zu}}\n",
		       tot.files, tot.elf, tot.skipped, tot.errors, (unsigned long long)tot.bytes, tot.hits,
		       tot.wrpkru, tot.xrstor, tot.unsafe, tot.known);
	} else if (!opt_quiet) {
		printf("erim-inspect: %zu files, %zu ELF, %zu skipped (not ELF), %zu errors; %llu bytes of code; "
		       "%zu occurrences (%zu wrpkru, %zu xrstor): %zu unsafe, %zu known sites\n",
		       tot.files, tot.elf, tot.skipped, tot.errors, (unsigned long long)tot.bytes, tot.hits,
		       tot.wrpkru, tot.xrstor, tot.unsafe, tot.known);
	}
	if (fflush(stdout) != 0)
		die("cannot write the report: %s", strerror(errno));
	return tot.errors ? 2 : tot.unsafe ? 1 : 0;
}
