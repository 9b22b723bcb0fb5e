/* SPDX-License-Identifier: MIT */
/* idl_parse.y: the .erim/.edl grammar (language.md), as a pure bison parser.
 * Every action is one builder call (idl_build.c); semantics live in the checks
 * (idl_check.c), not here.  Error recovery resynchronises at ';' (one
 * declaration is dropped), '}' (the rest of a block is dropped, what was
 * parsed before the error is kept) and ')' (a parameter list), so one run
 * reports every error; values dropped during recovery are freed by
 * %destructor.  A few hint productions turn common mistakes into precise
 * messages (a '}' without ';', function pointers, varargs, unions). */

%define api.pure full
%define api.prefix {idl_yy}
%define api.token.prefix {IDL_TOK_}
%define api.location.type {struct idl_loc}
%define parse.error verbose
%locations
%expect 0
%param {void *scanner}
%parse-param {struct idl_parser *p}

%code top {
#include <config.h>
}

%code requires {
#include <stdint.h>
#include "idl_priv.h"
}

%code provides {
int idl_yylex(IDL_YYSTYPE *lval, IDL_YYLTYPE *lloc, void *scanner);
int idl_yyparse(void *scanner, struct idl_parser *p);
}

%code {
#include <stdlib.h>
#include <string.h>

/* Bison's default location merge, plus the file name, skipping empty
 * components at either end (an empty rule's range is marked first_column >
 * last_column), so `opt_attrs type name` starts at the type when there are
 * no attributes. */
#define IDL_LOC_EMPTY(l) ((l).first_line == 0 || ((l).first_line == (l).last_line && (l).first_column > (l).last_column))
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                                \
	do {                                                                       \
		if (N) {                                                           \
			int f_ = 1, l_ = (N);                                      \
			while (f_ < (N) && IDL_LOC_EMPTY(YYRHSLOC(Rhs, f_)))       \
				f_++;                                              \
			while (l_ > f_ && IDL_LOC_EMPTY(YYRHSLOC(Rhs, l_)))        \
				l_--;                                              \
			(Cur).file = YYRHSLOC(Rhs, f_).file;                       \
			(Cur).first_line = YYRHSLOC(Rhs, f_).first_line;           \
			(Cur).first_column = YYRHSLOC(Rhs, f_).first_column;       \
			(Cur).last_line = YYRHSLOC(Rhs, l_).last_line;             \
			(Cur).last_column = YYRHSLOC(Rhs, l_).last_column;         \
		} else {                                                           \
			(Cur).file = YYRHSLOC(Rhs, 0).file;                        \
			(Cur).first_line = (Cur).last_line = YYRHSLOC(Rhs, 0).last_line; \
			(Cur).first_column = YYRHSLOC(Rhs, 0).last_column + 1;     \
			(Cur).last_column = YYRHSLOC(Rhs, 0).last_column;          \
		}                                                                  \
	} while (0)

static void idl_yyerror(const IDL_YYLTYPE *loc, void *scanner, struct idl_parser *p, const char *msg)
{
	(void)scanner;
	idl_error(p->s, loc, "%s", msg);
}

/* A location just after LOC (where a missing token belongs). */
static struct idl_loc idl_after(const struct idl_loc *loc)
{
	struct idl_loc l = *loc;

	l.first_line = l.last_line;
	l.first_column = l.last_column + 1;
	l.last_column = l.first_column;
	return l;
}
}

%union {
	char *str;
	uint64_t num;
	int flag;
	struct idl_type *type;
	struct idl_expr *expr;
	struct idl_exprlist *args;
	struct idl_rawattr *rawattr;
	struct idl_param *param;
	struct idl_suffix *suffix;
	struct idl_func *func;
	struct idl_struct *strct;
	struct idl_enumerator *enumerator;
	struct idl_enum *enm;
	struct idl_typedef *tdef;
	struct idl_include *incl;
	struct idl_option *option;
	struct idl_ident_list *ident;
	struct idl_import *import;
	struct idl_item *item;
	struct idl_interface *iface;
	struct { uint64_t *v; size_t n; } dims;
}

%token END 0          "end of file"
%token <str> IDENT    "identifier"
%token <str> STRING   "string"
%token <num> INT      "integer"
%token <str> CTYPE    "C type keyword"
%token <str> VOID     "void"
%token INTERFACE      "interface"
%token ENCLAVE        "enclave"
%token IMPORT         "import"
%token FROM           "from"
%token INCLUDE        "include"
%token STRUCT         "struct"
%token UNION          "union"
%token ENUM           "enum"
%token TYPEDEF        "typedef"
%token TRUSTED        "trusted"
%token UNTRUSTED      "untrusted"
%token PUBLIC         "public"
%token CONST          "const"
%token SIZEOF         "sizeof"
%token ELLIPSIS       "..."

%type <str> kw_list opt_name
%type <num> int_const
%type <flag> quals opt_public
%type <type> type base ptr_type
%type <expr> expr sum_expr mul_expr prim_expr
%type <args> arg_list opt_args
%type <rawattr> attr attr_list attrs opt_attrs
%type <param> param params opt_params member members
%type <dims> dims
%type <suffix> suffix suffixes
%type <func> tfunc tfuncs ufunc ufuncs
%type <strct> struct_decl
%type <enumerator> enumerator enumerators
%type <enm> enum_decl
%type <tdef> typedef_decl
%type <incl> include
%type <option> option options opt_options
%type <ident> ident_list
%type <import> from_import
%type <item> item items
%type <iface> interface

%destructor { free($$); } <str>
%destructor { idl_free_type($$); } <type>
%destructor { idl_free_expr($$); } <expr>
%destructor { idl_free_exprlist($$); } <args>
%destructor { idl_free_rawattrs($$); } <rawattr>
%destructor { idl_free_params($$); } <param>
%destructor { free($$.v); } <dims>
%destructor { idl_free_suffixes($$); } <suffix>
%destructor { idl_free_funcs($$); } <func>
%destructor { idl_free_structs($$); } <strct>
%destructor { idl_free_enumerators($$); } <enumerator>
%destructor { idl_free_enums($$); } <enm>
%destructor { idl_free_typedefs($$); } <tdef>
%destructor { idl_free_includes($$); } <incl>
%destructor { idl_free_options($$); } <option>
%destructor { idl_free_idents($$); } <ident>
%destructor { idl_free_imports($$); } <import>
%destructor { idl_free_items($$); } <item>
%destructor { idl_free_interfaces($$); } <iface>

%%

file
	: %empty
	| file top
	;

top
	: IMPORT STRING ';'          { idl_b_file_import(p, idl_b_import(p, $2, 0, 0, NULL, &@$)); }
	| from_import                { idl_b_file_import(p, $1); }
	| interface                  { idl_b_file_interface(p, $1); }
	| error ';'
	;

interface
	: INTERFACE IDENT opt_options '{' items '}' ';'
	                             { $$ = idl_b_interface(p, $2, 0, $3, $5, &@$); }
	| INTERFACE IDENT opt_options '{' items error '}' ';'
	                             { $$ = idl_b_interface(p, $2, 0, $3, $5, &@$); }
	| INTERFACE IDENT opt_options '{' items '}'
	                             { struct idl_loc l = idl_after(&@6);
	                               idl_report(p->s, IDL_CHK_MISSING_SEMICOLON, IDL_SEV_OFF, &l,
	                                          "expected ';' after '}' of interface '%s'", $2);
	                               $$ = idl_b_interface(p, $2, 0, $3, $5, &@$); }
	| enclave_kw opt_options '{' items '}' ';'
	                             { $$ = idl_b_interface(p, NULL, 1, $2, $4, &@$); p->in_edl = 0; }
	| enclave_kw opt_options '{' items '}'
	                             { struct idl_loc l = idl_after(&@5);
	                               idl_report(p->s, IDL_CHK_MISSING_SEMICOLON, IDL_SEV_OFF, &l,
	                                          "expected ';' after '}' of enclave");
	                               $$ = idl_b_interface(p, NULL, 1, $2, $4, &@$); p->in_edl = 0; }
	;

enclave_kw
	: ENCLAVE                    { p->in_edl = 1; }
	;

opt_options
	: %empty                     { $$ = NULL; }
	| '[' options ']'            { $$ = $2; }
	;

options
	: option                     { $$ = $1; }
	| options ',' option         { $$ = idl_b_option_list($1, $3); }
	;

option
	: IDENT                      { $$ = idl_b_option($1, NULL, &@$); }
	| IDENT '=' IDENT            { $$ = idl_b_option($1, $3, &@$); }
	| IDENT '=' STRING           { $$ = idl_b_option($1, $3, &@$); }
	| IDENT '=' INT              { char buf[32]; snprintf(buf, sizeof buf, "%llu", (unsigned long long)$3);
	                               $$ = idl_b_option($1, idl_xstrdup(buf), &@$); }
	;

items
	: %empty                     { $$ = NULL; }
	| items item                 { $$ = idl_b_item_list($1, $2); }
	;

item
	: include                    { $$ = idl_b_item(IDL_I_INCLUDE, $1); }
	| from_import                { $$ = idl_b_item(IDL_I_IMPORT, $1); }
	| IMPORT STRING ';'          { $$ = idl_b_item(IDL_I_IMPORT, idl_b_import(p, $2, 0, 0, NULL, &@$)); }
	| struct_decl                { $$ = idl_b_item(IDL_I_STRUCT, $1); }
	| enum_decl                  { $$ = idl_b_item(IDL_I_ENUM, $1); }
	| typedef_decl               { $$ = idl_b_item(IDL_I_TYPEDEF, $1); }
	| TRUSTED '{' tfuncs '}' ';' { $$ = idl_b_item(IDL_I_TRUSTED, $3); }
	| TRUSTED '{' tfuncs '}'     { struct idl_loc l = idl_after(&@4);
	                               idl_report(p->s, IDL_CHK_MISSING_SEMICOLON, IDL_SEV_OFF, &l,
	                                          "expected ';' after '}' of trusted block");
	                               $$ = idl_b_item(IDL_I_TRUSTED, $3); }
	| UNTRUSTED '{' ufuncs '}' ';' { $$ = idl_b_item(IDL_I_UNTRUSTED, $3); }
	| UNTRUSTED '{' ufuncs '}'   { struct idl_loc l = idl_after(&@4);
	                               idl_report(p->s, IDL_CHK_MISSING_SEMICOLON, IDL_SEV_OFF, &l,
	                                          "expected ';' after '}' of untrusted block");
	                               $$ = idl_b_item(IDL_I_UNTRUSTED, $3); }
	| UNION IDENT '{' members '}' ';'
	                             { if (p->in_edl) {
	                                       /* EDL declares unions; plain data only (checked) */
	                                       $$ = idl_b_item(IDL_I_UNION, idl_b_struct($2, $4, &@$));
	                               } else {
	                               idl_report(p->s, IDL_CHK_UNSUPPORTED, IDL_SEV_OFF, &@1,
	                                          "unions cannot be copied safely (which member is live?); "
	                                          "declare 'union %s' in an included C header and pass it "
	                                          "by value or through a [user_check(\"why\")] pointer", $2);
	                               free($2); idl_free_params($4); $$ = idl_b_item(IDL_I_NONE, NULL); } }
	| TRUSTED '{' tfuncs error '}' ';'
	                             { $$ = idl_b_item(IDL_I_TRUSTED, $3); }
	| UNTRUSTED '{' ufuncs error '}' ';'
	                             { $$ = idl_b_item(IDL_I_UNTRUSTED, $3); }
	| error ';'                  { $$ = idl_b_item(IDL_I_NONE, NULL); }
	;

include
	: INCLUDE STRING ';'         { $$ = idl_b_include($2, &@$); }
	| INCLUDE STRING             { $$ = idl_b_include($2, &@$); /* EDL writes no ';' */ }
	;

from_import
	: FROM STRING IMPORT '*' ';' { $$ = idl_b_import(p, $2, 1, 1, NULL, &@$); }
	| FROM STRING IMPORT ident_list ';'
	                             { $$ = idl_b_import(p, $2, 1, 0, $4, &@$); }
	;

ident_list
	: IDENT                      { $$ = idl_b_ident($1, &@1); }
	| ident_list ',' IDENT       { $$ = idl_b_ident_list($1, idl_b_ident($3, &@3)); }
	;

struct_decl
	: STRUCT IDENT '{' members '}' ';'
	                             { $$ = idl_b_struct($2, $4, &@$); }
	| STRUCT IDENT '{' members error '}' ';'
	                             { $$ = idl_b_struct($2, $4, &@$); }
	| STRUCT IDENT '{' members '}'
	                             { struct idl_loc l = idl_after(&@5);
	                               idl_report(p->s, IDL_CHK_MISSING_SEMICOLON, IDL_SEV_OFF, &l,
	                                          "expected ';' after '}' of struct '%s'", $2);
	                               $$ = idl_b_struct($2, $4, &@$); }
	;

members
	: %empty                     { $$ = NULL; }
	| members member             { $$ = idl_b_param_list($1, $2); }
	;

member
	: opt_attrs type IDENT dims ';'
	                             { $$ = idl_b_param(p, $1, &@1, $2, $3, $4.v, $4.n, &@$, 1); }
	| opt_attrs type '(' '*' IDENT ')' '(' opt_params ')' ';'
	                             { idl_report(p->s, IDL_CHK_FUNCTION_POINTER, IDL_SEV_OFF, &@3,
	                                          "function pointer member '%s' cannot cross the boundary; "
	                                          "declare the callback in untrusted { } and call it by name", $5);
	                               idl_free_rawattrs($1); idl_free_type($2); free($5); idl_free_params($8);
	                               $$ = NULL; }
	| error ';'                  { $$ = NULL; }
	;

enum_decl
	: ENUM IDENT '{' enumerators opt_comma '}' ';'
	                             { $$ = idl_b_enum($2, $4, &@$); }
	| ENUM IDENT '{' enumerators opt_comma '}'
	                             { struct idl_loc l = idl_after(&@6);
	                               idl_report(p->s, IDL_CHK_MISSING_SEMICOLON, IDL_SEV_OFF, &l,
	                                          "expected ';' after '}' of enum '%s'", $2);
	                               $$ = idl_b_enum($2, $4, &@$); }
	;

opt_comma
	: %empty
	| ','
	;

enumerators
	: enumerator                 { $$ = $1; }
	| enumerators ',' enumerator { $$ = idl_b_enumerator_list($1, $3); }
	;

enumerator
	: IDENT                      { $$ = idl_b_enumerator($1, NULL, &@$); }
	| IDENT '=' expr             { $$ = idl_b_enumerator($1, $3, &@$); }
	;

typedef_decl
	: TYPEDEF type IDENT ';'     { $$ = idl_b_typedef($2, $3, &@$); }
	;

/* ---- functions ---- */

tfuncs
	: %empty                     { $$ = NULL; }
	| tfuncs tfunc               { $$ = idl_b_func_list($1, $2); }
	;

tfunc
	: opt_public opt_attrs type IDENT '(' opt_params ')' suffixes ';'
	                             { $$ = idl_b_func(p, IDL_TRUSTED, $1, $2, $3, $4, $6, @6.first_line == 0, $8, &@$, &@4); }
	| opt_public opt_attrs type IDENT '(' opt_params ')' suffixes error
	                             { /* typically a missing ';' before '}': keep the declaration (and
	                                  stop recovery from backing into the parameter list) */
	                               $$ = idl_b_func(p, IDL_TRUSTED, $1, $2, $3, $4, $6, @6.first_line == 0, $8, &@$, &@4); }
	| error ';'                  { $$ = NULL; }
	;

opt_public
	: %empty                     { $$ = 0; }
	| PUBLIC                     { $$ = 1; }
	;

ufuncs
	: %empty                     { $$ = NULL; }
	| ufuncs ufunc               { $$ = idl_b_func_list($1, $2); }
	;

ufunc
	: opt_attrs type IDENT '(' opt_params ')' suffixes ';'
	                             { $$ = idl_b_func(p, IDL_UNTRUSTED, 0, $1, $2, $3, $5, @5.first_line == 0, $7, &@$, &@3); }
	| opt_attrs type IDENT '(' opt_params ')' suffixes error
	                             { $$ = idl_b_func(p, IDL_UNTRUSTED, 0, $1, $2, $3, $5, @5.first_line == 0, $7, &@$, &@3); }
	| PUBLIC opt_attrs type IDENT '(' opt_params ')' suffixes ';'
	                             { idl_report(p->s, IDL_CHK_MISPLACED_SUFFIX, IDL_SEV_OFF, &@1,
	                                          "'public' applies to trusted functions only; untrusted functions are "
	                                          "callable whenever trusted code runs");
	                               $$ = idl_b_func(p, IDL_UNTRUSTED, 0, $2, $3, $4, $6, @6.first_line == 0, $8, &@$, &@4); }
	| error ';'                  { $$ = NULL; }
	;

suffixes
	: %empty                     { $$ = NULL; }
	| suffixes suffix            { $$ = idl_b_suffix_list($1, $2); }
	;

suffix
	: IDENT                      { $$ = idl_b_suffix($1, NULL, 0, &@$); }
	| IDENT '(' opt_args ')'     { $$ = idl_b_suffix($1, $3, 1, &@$); }
	| IDENT '(' error ')'        { free($1); $$ = NULL; }
	;

opt_args
	: %empty                     { $$ = NULL; }
	| arg_list                   { $$ = $1; /* reversed by idl_b_suffix */ }
	;

arg_list
	: expr                       { $$ = idl_b_exprlist(NULL, $1); }
	| '-' INT                    { $$ = idl_b_exprlist(NULL, idl_b_expr_int($2, 1, &@$)); }
	| arg_list ',' expr          { $$ = idl_b_exprlist($1, $3); }
	| arg_list ',' '-' INT       { struct idl_loc l = @3; l.last_line = @4.last_line; l.last_column = @4.last_column;
	                               $$ = idl_b_exprlist($1, idl_b_expr_int($4, 1, &l)); }
	;

/* Empty parentheses get location line 0 (see YYLLOC_DEFAULT of an empty rule
 * inheriting the previous token) -- distinguished below via the builder. */
opt_params
	: %empty                     { $$ = NULL; @$.first_line = 0; }
	| params                     { $$ = $1; /* reversed by idl_b_func */ }
	| error                      { $$ = NULL; }
	;

params
	: param                      { $$ = $1; }
	| params ',' param           { $$ = idl_b_param_list($1, $3); }
	;

param
	: opt_attrs type dims        { $$ = idl_b_param(p, $1, &@1, $2, NULL, $3.v, $3.n, &@$, 0); }
	| opt_attrs type IDENT dims  { $$ = idl_b_param(p, $1, &@1, $2, $3, $4.v, $4.n, &@$, 0); }
	| opt_attrs type '(' '*' opt_name ')' '(' opt_params ')'
	                             { idl_report(p->s, IDL_CHK_FUNCTION_POINTER, IDL_SEV_OFF, &@$,
	                                          "function pointer parameter%s%s%s cannot cross the boundary; "
	                                          "declare the callback in untrusted { } and call it by name",
	                                          $5 ? " '" : "", $5 ? $5 : "", $5 ? "'" : "");
	                               idl_free_rawattrs($1); idl_free_type($2); free($5); idl_free_params($8);
	                               $$ = NULL; }
	| ELLIPSIS                   { idl_report(p->s, IDL_CHK_VARARGS, IDL_SEV_OFF, &@1,
	                                          "variadic functions cannot be marshalled; pass a buffer "
	                                          "([in, size=len] const void *args) or one function per "
	                                          "argument list");
	                               $$ = NULL; }
	;

opt_name
	: %empty                     { $$ = NULL; }
	| IDENT                      { $$ = $1; }
	;

dims
	: %empty                     { $$.v = NULL; $$.n = 0; }
	| dims '[' int_const ']'     { if ($1.n == IDL_MAX_DIMS)
	                                       idl_report(p->s, IDL_CHK_UNSUPPORTED, IDL_SEV_OFF, &@2,
	                                                  "more than %d array dimensions", IDL_MAX_DIMS);
	                               $$.v = idl_b_dims($1.v, $1.n, $3);
	                               $$.n = $1.n < IDL_MAX_DIMS ? $1.n + 1 : $1.n; }
	;

int_const
	: INT                        { $$ = $1; }
	| IDENT                      { idl_report(p->s, IDL_CHK_UNSUPPORTED, IDL_SEV_OFF, &@1,
	                                          "array dimension '%s' must be an integer constant; "
	                                          "for a variable length use a pointer with [count=%s]", $1, $1);
	                               free($1); $$ = 1; }
	;

opt_attrs
	: %empty                     { $$ = NULL; }
	| attrs                      { $$ = $1; /* reversed by the builder that interprets it */ }
	;

attrs
	: '[' attr_list ']'          { $$ = $2; }
	| '[' error ']'              { $$ = NULL; }
	;

attr_list
	: attr                       { $$ = $1; }
	| attr_list ',' attr         { $$ = idl_b_rawattr_list($1, $3); }
	;

attr
	: IDENT                      { $$ = idl_b_rawattr($1, NULL, NULL, 0, &@$, &@1); }
	| IDENT '=' expr             { $$ = idl_b_rawattr($1, $3, NULL, 0, &@$, &@1); }
	| IDENT '(' STRING ')'       { $$ = idl_b_rawattr($1, NULL, $3, 1, &@$, &@1); }
	;

/* ---- types ---- */

type
	: ptr_type                   { $$ = $1; }
	;

ptr_type
	: quals base quals           { $$ = $2; if ($1 + $3) $$->is_const = 1; $$->loc = @$; p->ptr_levels = 0; }
	| ptr_type '*' quals         { $$ = idl_b_type_pointer(p, $1, $3, &@$); }
	;

quals
	: %empty                     { $$ = 0; }
	| quals CONST                { $$ = $1 + 1; }
	;

base
	: kw_list                    { $$ = idl_b_type_base(p, IDL_T_SCALAR, $1, 0, &@$); }
	| VOID                       { free($1); $$ = idl_b_type_base(p, IDL_T_VOID, NULL, 0, &@$); }
	| IDENT                      { $$ = idl_b_type_base(p, IDL_T_EXTERN, $1, 0, &@$); }
	| STRUCT IDENT               { $$ = idl_b_type_base(p, IDL_T_STRUCT, $2, 0, &@$); }
	| ENUM IDENT                 { $$ = idl_b_type_base(p, IDL_T_ENUM, $2, 0, &@$); }
	| UNION IDENT                { $$ = idl_b_type_base(p, IDL_T_EXTERN, idl_xjoin(idl_xstrdup("union"), $2), 0, &@$);
	                               free($2); }
	;

kw_list
	: CTYPE                      { $$ = $1; }
	| kw_list CTYPE              { $$ = idl_xjoin($1, $2); free($2); }
	;

/* ---- attribute expressions ---- */

expr
	: expr_start sum_expr        { $$ = $2; }
	;

/* Each attribute expression counts its own operators (IDL_MAX_EXPR_OPS);
 * a parenthesised one continues its parent's count. */
expr_start
	: %empty                     { p->expr_ops = 0; }
	;

sum_expr
	: mul_expr                   { $$ = $1; }
	| sum_expr '+' mul_expr      { $$ = idl_b_expr_bin(p, IDL_E_ADD, $1, $3, &@$); }
	;

mul_expr
	: prim_expr                  { $$ = $1; }
	| mul_expr '*' prim_expr     { $$ = idl_b_expr_bin(p, IDL_E_MUL, $1, $3, &@$); }
	;

prim_expr
	: INT                        { $$ = idl_b_expr_int($1, 0, &@$); }
	| IDENT                      { $$ = idl_b_expr_ident($1, &@$); }
	| SIZEOF '(' type ')'        { $$ = idl_b_expr_sizeof($3, &@$); }
	| '(' sum_expr ')'           { $$ = $2; }
	;

%%
