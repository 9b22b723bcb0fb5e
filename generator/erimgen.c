/* SPDX-License-Identifier: MIT */
/* erimgen.c: the erimgen command -- parses a .erim interface through the
 * front end (libidl), runs the back ends of gen_backends[] over every
 * interface in it and writes their files atomically.  Nothing is written
 * unless the front end and every back end succeeded.  Exit status: 0 done,
 * 1 errors in the interface (or an output could not be written), 2 bad
 * command line. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erimgen_cpp.h"
#include "gen.h"
#include "idl.h"

static const char *erimgen_prog = "erimgen";

__attribute__((noreturn, format(printf, 1, 2)))
static void erimgen_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", erimgen_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", erimgen_prog);
	exit(2);
}

static void erimgen_help(void)
{
	printf("Usage: %s [OPTION]... FILE.erim\n"
	       "Compile a .erim interface into C call gates and marshallers for erim.\n"
	       "\n"
	       "For each interface NAME in FILE.erim, writes NAME_erim.h (untrusted side),\n"
	       "NAME_trusted.h (trusted side) and NAME_gates.c (gates, checks, copies).\n"
	       "\n"
	       "  -o DIR                write the outputs into DIR (default: .)\n"
	       "      --header-only     write only the two headers\n"
	       "      --split-ocalls    write the ocall side (the NAME_ocall proxies trusted\n"
	       "                        code calls, and their trampolines) into NAME_ocalls.c,\n"
	       "                        apart from the gates and entries in NAME_gates.c\n"
	       "      --depfile=FILE    also write a make rule: outputs depend on FILE.erim\n"
	       "                        and every file it imports\n"
	       "      --interpose       wrap an existing library without renaming it: gates\n"
	       "                        are __wrap_NAME and call __real_NAME (ld --wrap)\n"
	       "      --print-link-flags  print the -Wl,--wrap= flags interposition needs\n"
	       "      --audit           list every user_check pointer with its reason\n"
	       "      --dump-ast        print the checked syntax tree\n"
	       "  -I DIR                search DIR for imported .erim files (and, with --cpp,\n"
	       "                        for the preprocessor's #include files)\n"
	       "      --cpp, --preprocess  run every file read through the C preprocessor\n"
	       "                        first, as edger8r can ($ERIMGEN_CPP, default cpp);\n"
	       "                        diagnostics point at the original lines\n"
	       "  -D NAME[=VALUE], -U NAME  define/undefine a macro for --cpp\n"
	       "      --abi=sgx         also write edger8r's NAME_u.h/.c and NAME_t.h/.c with\n"
	       "                        its signatures (sgx_status_t f(sgx_enclave_id_t eid,\n"
	       "                        RET *retval, ...)); erim's own names are then\n"
	       "                        erim__u_f (gate) and erim__t_f (implementation)\n"
	       "      --abi=oe          the same with oeedger8r's signatures (oe_result_t,\n"
	       "                        oe_enclave_t *, oe_create_NAME_enclave)\n"
	       "  -W NAME, -Wno-NAME    enable/disable the front end's check NAME\n"
	       "  -Werror[=NAME]        turn warnings (or one check) into errors\n"
	       "      --version         print the version and exit\n"
	       "      --help            print this help and exit\n"
	       "\n"
	       "--audit, --dump-ast and --print-link-flags print and write no files.\n"
	       "Exit status: 0 success, 1 errors in the interface, 2 bad command line.\n"
	       "\n"
	       "Checks (for -W):\n",
	       erimgen_prog);
	idl_checks_list(stdout);
}

/* The file name without directories, for banners. */
static const char *erimgen_basename(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

struct erimgen_out {
	char *path;
	struct gen_buf buf;
};

static int erimgen_link_flags(const struct idl_file *f)
{
	const char *sep = "";
	int errors = 0;

	for (const struct idl_interface *i0 = f->interfaces; i0; i0 = i0->next) {
		/* EDL imports: the imported functions are the interface's too */
		struct gen_ctx c = { .file = f, .iface = i0, .iname = i0->name };
		struct gen_import imp;
		const struct idl_interface *i = gen_import_merge(&c, &imp);

		for (const struct idl_func *fn = i->trusted; fn; fn = fn->next, sep = " ")
			printf("%s-Wl,--wrap=%s", sep, fn->name);
		for (const struct idl_func *fn = i->untrusted; fn; fn = fn->next, sep = " ")
			printf("%s-Wl,--wrap=%s", sep, fn->name);
		gen_import_free(&imp);
		errors += c.errors;
	}
	printf("\n");
	return errors;
}

enum { OPT_CPP = 300, OPT_ABI };
enum { OPT_HEADER_ONLY = 256, OPT_DEPFILE, OPT_INTERPOSE, OPT_LINK_FLAGS, OPT_AUDIT,
       OPT_DUMP_AST, OPT_VERSION, OPT_HELP, OPT_SPLIT_OCALLS };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "header-only", no_argument, NULL, OPT_HEADER_ONLY },
		{ "split-ocalls", no_argument, NULL, OPT_SPLIT_OCALLS },
		{ "depfile", required_argument, NULL, OPT_DEPFILE },
		{ "interpose", no_argument, NULL, OPT_INTERPOSE },
		{ "print-link-flags", no_argument, NULL, OPT_LINK_FLAGS },
		{ "audit", no_argument, NULL, OPT_AUDIT },
		{ "dump-ast", no_argument, NULL, OPT_DUMP_AST },
		{ "cpp", no_argument, NULL, OPT_CPP },
		{ "abi", required_argument, NULL, OPT_ABI },
		{ "preprocess", no_argument, NULL, OPT_CPP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	const char *outdir = ".", *depfile = NULL;
	int header_only = 0, interpose = 0, link_flags = 0, audit = 0, dump = 0, opt, rc = 0;
	struct idl_opts io;
	struct idl_diags *diags;
	struct idl_file *f;
	struct erimgen_out *outs = NULL;
	size_t nouts = 0;
	struct erimgen_cpp cpp = { 0 };
	int use_cpp = 0, abi_sgx = 0, split_ocalls = 0;

	idl_opts_init(&io);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:I:W:D:U:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			outdir = optarg;
			break;
		case 'I':
			if (idl_opts_add_import_dir(&io, optarg) != 0) {
				fprintf(stderr, "%s: out of memory\n", erimgen_prog);
				return 1;
			}
			erimgen_cpp_add(&cpp, "-I", optarg);
			break;
		case 'D':
			erimgen_cpp_add(&cpp, "-D", optarg);
			break;
		case 'U':
			erimgen_cpp_add(&cpp, "-U", optarg);
			break;
		case OPT_CPP: use_cpp = 1; break;
		case OPT_ABI:
			if (!strcmp(optarg, "sgx"))
				abi_sgx = 1;
			else if (!strcmp(optarg, "oe"))
				abi_sgx = 2;
			else if (!strcmp(optarg, "erim"))
				abi_sgx = 0;
			else
				erimgen_usage_error("unknown ABI '%s' (erim, sgx or oe)", optarg);
			break;
		case 'W': {
			int e = idl_opts_warning(&io, optarg);
			if (e == -ENOENT)
				erimgen_usage_error("unknown check in '-W%s' (see --help for the list)", optarg);
			if (e == -EPERM)
				erimgen_usage_error("'-W%s': this check cannot be disabled: the generator relies on it",
				                    optarg);
			if (e < 0)
				erimgen_usage_error("invalid option '-W%s'", optarg);
			break;
		}
		case OPT_HEADER_ONLY: header_only = 1; break;
		case OPT_SPLIT_OCALLS: split_ocalls = 1; break;
		case OPT_DEPFILE: depfile = optarg; break;
		case OPT_INTERPOSE: interpose = 1; break;
		case OPT_LINK_FLAGS: link_flags = 1; break;
		case OPT_AUDIT: audit = 1; break;
		case OPT_DUMP_AST: dump = 1; break;
		case OPT_VERSION:
			printf("erimgen (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return 0;
		case OPT_HELP:
			erimgen_help();
			return 0;
		case ':':
			erimgen_usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			/* a long option given an argument it does not take */
			for (const struct option *lo = longopts; optopt && lo->name; lo++)
				if (lo->val == optopt && lo->has_arg == no_argument && optopt >= OPT_HEADER_ONLY)
					erimgen_usage_error("option '--%s' takes no argument", lo->name);
			if (optopt)
				erimgen_usage_error("unknown option '-%c'", optopt);
			erimgen_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		erimgen_usage_error("no input file (expected FILE.erim)");
	if (optind + 1 < argc)
		erimgen_usage_error("more than one input file ('%s', '%s'): run erimgen once per file",
		                    argv[optind], argv[optind + 1]);

	if (use_cpp) {
		io.preprocess = erimgen_cpp_run;
		io.preprocess_arg = &cpp;
	} else {
		for (size_t k = 0; k < cpp.nargs; k++)
			if (cpp.args[k][1] != 'I')
				erimgen_usage_error("'%s' needs --cpp (macros are for the C preprocessor)", cpp.args[k]);
	}
	diags = idl_diags_new();
	if (!diags) {
		fprintf(stderr, "%s: out of memory\n", erimgen_prog);
		return 1;
	}
	f = idl_parse_file(argv[optind], &io, diags);
	idl_diags_print(stderr, diags);
	if (!f) {
		idl_diags_free(diags);
		idl_opts_fini(&io);
		return 1;
	}
	if (dump || audit || link_flags) {
		if (dump)
			idl_dump_ast(stdout, f);
		if (audit)
			idl_audit(stdout, f);
		if (link_flags && erimgen_link_flags(f))
			rc = 1;
		goto done;
	}

	/* generate everything in memory first: nothing is written on error */
	for (const struct idl_interface *i = f->interfaces; i; i = i->next) {
		struct gen_ctx c = {
			.file = f, .iface = i, .iname = i->name,
			.opts = { .abi_sgx = abi_sgx, .split_ocalls = split_ocalls,
			          .source_name = erimgen_basename(f->path),
			          .version = PACKAGE_VERSION },
		};
		c.interpose = interpose || gen_iface_option(i, "interpose");
		struct gen_import imp;
		c.iface = gen_import_merge(&c, &imp);
		for (size_t k = 0; k < gen_nbackends; k++) {
			const struct gen_backend *be = &gen_backends[k];
			struct erimgen_out *o;
			if ((header_only && !be->is_header) || !gen_backend_wanted(be, &c.opts))
				continue;
			outs = realloc(outs, (nouts + 1) * sizeof *outs);
			if (!outs) {
				fprintf(stderr, "%s: out of memory\n", erimgen_prog);
				return 1;
			}
			o = &outs[nouts++];
			o->path = gen_strf("%s/%s%s", outdir, i->name, be->suffix);
			gen_buf_init(&o->buf, erimgen_basename(o->path));
			be->emit(&c, &o->buf);
		}
		gen_import_free(&imp);
		if (c.errors)
			rc = 1;
	}
	if (rc == 0) {
		for (size_t k = 0; k < nouts; k++) {
			int e = gen_write_atomic(outs[k].path, &outs[k].buf);
			if (e) {
				fprintf(stderr, "%s: cannot write %s: %s\n", erimgen_prog, outs[k].path, strerror(-e));
				rc = 1;
			}
		}
	}
	if (rc == 0 && depfile) {
		struct gen_buf db;
		char *mem = NULL;
		size_t memlen = 0;
		FILE *ms = open_memstream(&mem, &memlen);
		int derr = !ms;

		/* One rule per output: idl_depfile() quotes its target for make, so a
		 * space-joined list would read as one file name with spaces. */
		for (size_t k = 0; !derr && k < nouts; k++)
			derr = idl_depfile(ms, outs[k].path, f) != 0;
		if (ms && fclose(ms) != 0)
			derr = 1;
		if (derr) {
			fprintf(stderr, "%s: cannot format the dependency file\n", erimgen_prog);
			rc = 1;
		} else {
			int e;
			gen_buf_init(&db, depfile);
			gen_puts(&db, mem ? mem : "");
			e = gen_write_atomic(depfile, &db);
			if (e) {
				fprintf(stderr, "%s: cannot write %s: %s\n", erimgen_prog, depfile, strerror(-e));
				rc = 1;
			}
			gen_buf_free(&db);
		}
		free(mem);
	}
	for (size_t k = 0; k < nouts; k++) {
		free(outs[k].path);
		gen_buf_free(&outs[k].buf);
	}
	free(outs);
done:
	idl_file_free(f);
	idl_diags_free(diags);
	idl_opts_fini(&io);
	erimgen_cpp_fini(&cpp);
	return rc;
}
