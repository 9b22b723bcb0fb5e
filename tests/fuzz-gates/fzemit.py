# SPDX-License-Identifier: MIT
"""fzemit.py: the C of one fuzz-gates interface (see fzgen.py): fz_impl.c,
the trusted implementation, and fz_driver.c, the untrusted driver.

Conventions shared by both sides (so each can compute what the other must
see): every parameter is logged by the implementation as one checksum, in
order; an output unit of parameter P of function F is filled with the
pattern of seed SEED(F, P); [out] buffers get the pattern on their first
n - n/4 bytes (or elements) and must come back zero after that, [in, out]
buffers on their first n/2 and keep the rest; filled= outputs report
cap - cap/3 units."""
import json
import os
import re

import fzgen as G

CB_LEN = 3          # the value of every length parameter of a callback call


def seedof(fi, pi):
    return "%dull" % ((fi + 1) * 1000003 + (pi + 1) * 7919)


def lenvars(e):
    return [v for v in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", e or "") if v != "sizeof"
            and not v.startswith("uint") and not v.startswith("int") and v not in ("struct", "bool", "char", "void")
            and not re.match(r"fz\d+_s\d+", v) and v not in ("unsigned", "long")]


def nb_of(p):
    """bytes of buffer P, as a C expression over its length parameters"""
    e = p["expr"]
    for v in lenvars(e):
        e = re.sub(r"\b%s\b" % v, "(size_t)%s" % v, e)
    return "((size_t)(%s) * %s)" % (e, G.elem_bytes(p))


def fixed_nb(p):
    n = 1
    for d in p["dims"]:
        n *= d
    return "(sizeof(%s) * %d)" % (p["t"], n)


def buf_sum(p, ptr, nb, ind):
    """statements setting h to the checksum of the buffer at PTR (NB bytes)"""
    t = p["t"]
    o = [ind + "if (!(%s))\n%s\th = 0xDEADull;\n%selse {" % (ptr, ind, ind)]
    o.append(ind + "\tFZ_PTRCHK(%s, %s, \"%s\");" % (ptr, nb, p["name"]))
    if G.is_struct(t):
        o.append(ind + "\tfor (size_t i = 0; i < (%s) / sizeof(%s); i++)" % (nb, t))
        o.append(ind + "\t\th = fz_sum_%s(h, &((const %s *)(const void *)(%s))[i]);" % (G.sname(t), t, ptr))
    elif t == "bool":
        o.append(ind + "\tfor (size_t i = 0; i < (%s); i++)" % nb)
        o.append(ind + "\t\th = fz_mix(h, FZ_LOADB(((const bool *)(const void *)(%s))[i]));" % ptr)
    else:
        o.append(ind + "\th = fz_bytes(h, %s, %s);" % (ptr, nb))
    o.append(ind + "}")
    return o


def scal_load(t, v):
    return G.scal_load(t, v)


def units(p):
    """for filled=: (unit bytes expr)"""
    return G.elem_bytes(p)


def find_buf_of_filled(params, fname):
    for p in params:
        if p["k"] == "buf" and p.get("filled") == fname:
            return p
    return None


# ---------------------------------------------------------------- trusted implementation

def impl_param_log(p, o):
    k = p["k"]
    if k in ("sc", "len", "fint"):
        o.append("\tfz_rec(%s);" % scal_load(p["t"], p["name"]))
    elif k == "sval":
        o.append("\tfz_rec(fz_sum_%s(0, &%s));" % (G.sname(p["t"]), p["name"]))
    elif k == "fptr":
        o.append("\tfz_rec((uint64_t)(%s != NULL));" % p["name"])
    elif k == "str":
        o.append("\tFZ_PTRCHK(%s, 1, \"%s\");" % (p["name"], p["name"]))
        o.append("\tfz_rec(%s ? fz_bytes(0, %s, strlen(%s)) : 0xDEADull);" % (p["name"], p["name"], p["name"]))
    elif k == "fixed":
        o.append("\t{\n\t\tuint64_t h = 0;")
        o += buf_sum(p, p["name"], fixed_nb(p), "\t\t")
        o.append("\t\tfz_rec(h);\n\t}")
    elif k == "buf":
        o.append("\t{\n\t\tuint64_t h = 0;")
        o += buf_sum(p, p["name"], nb_of(p), "\t\t")
        o.append("\t\tfz_rec(h);\n\t}")


def impl_outputs(f, fi, o):
    for pi, p in enumerate(f["params"]):
        sd = seedof(fi, pi)
        k = p["k"]
        if k == "buf" and "out" in p["dir"]:
            t = p["t"]
            nb = nb_of(p)
            o.append("\tif (%s) {\n\t\tsize_t nb = %s;" % (p["name"], nb))
            if G.is_struct(t):
                s = G.sname(t)
                deep = fz_deep(f["_m"], s)
                o.append("\t\tsize_t ne = nb / sizeof(%s), w = %s;" % (t, "ne" if deep or p.get("filled") else
                                                                     ("ne - ne / 4" if p["dir"] == "out" else "ne / 2")))
                o.append("\t\tfor (size_t i = 0; i < w; i++)\n\t\t\tfz_fill_%s(&%s[i], %s + i);" % (s, p["name"], sd))
            else:
                w = "nb" if p.get("filled") else ("nb - nb / 4" if p["dir"] == "out" else "nb / 2")
                if t == "bool":
                    o.append("\t\tfor (size_t i = 0; i < %s; i++)\n\t\t\t((bool *)(void *)%s)[i] = (fz_pat(%s, i) >> 1) & 1u;" % (w, p["name"], sd))
                else:
                    o.append("\t\tfz_patfill(%s, %s, %s);" % (p["name"], w, sd))
            o.append("\t}")
        elif k == "fptr":
            b = find_buf_of_filled(f["params"], p["name"])
            cnt = p.get("cnt")
            cond = "%s%s" % (p["name"], " && %s >= 1" % cnt if cnt else "")
            if b:
                o.append("\tif (%s)\n\t\t*%s = (size_t)(%s) - (size_t)(%s) / 3;" % (cond, p["name"], b["expr"], b["expr"]))
        elif k == "fixed" and "out" in p["dir"]:
            if G.is_struct(p["t"]):
                n = 1
                for d in p["dims"]:
                    n *= d
                o.append("\tfor (size_t i = 0; %s && i < %d; i++)\n\t\tfz_fill_%s(&((%s *)(void *)%s)[i], %s + i);" % (p["name"], n, G.sname(p["t"]), p["t"], p["name"], sd))
            elif p["t"] == "bool":
                o.append("\tfor (size_t i = 0; %s && i < %s; i++)\n\t\t((bool *)(void *)%s)[i] = (fz_pat(%s, i) >> 1) & 1u;" % (p["name"], fixed_nb(p), p["name"], sd))
            else:
                o.append("\tif (%s)\n\t\tfz_patfill(%s, %s, %s);" % (p["name"], p["name"], fixed_nb(p), sd))
        elif k == "str" and "out" in p["dir"]:
            o.append("\tfor (size_t i = 0; %s && %s[i]; i++)\n\t\t%s[i] = (char)('A' + fz_pat(%s, i) %% 26);" % (p["name"], p["name"], p["name"], sd))


def fz_deep(m, s):
    by = G.sbyname(m)
    return by[s]["deep"] or by[s].get("deepish")


def ret_value(f, fi):
    """the literal the implementation returns (never the error value)"""
    t = f["ret"]
    if t is None or G.is_struct(t):
        return None
    if t == "bool":
        return "true"
    v = (fi * 37 + 11) % 100 + 1
    if f.get("error") is not None and v == f["error"]:
        v += 1
    return "(%s)%d" % (t, v)


def cb_call(m, cb, ci, o, ind="\t"):
    """the trusted implementation calls callback CB with known arguments"""
    o.append(ind + "{")
    i2 = ind + "\t"
    post = []
    for pi, p in enumerate(cb["params"]):
        k = p["k"]
        n = p["name"]
        sd = seedof(100 + ci, pi)
        if k in ("len",):
            o.append(i2 + "%s %s = (%s)%d;" % (p["t"], n, p["t"], 1 if p.get("fixed") else CB_LEN))
        elif k == "sc":
            o.append(i2 + "%s %s = (%s)%s;" % (p["t"], n, p["t"], "1" if p["t"] == "bool" else str(pi * 3 + 5)))
        elif k == "fptr":
            o.append(i2 + "size_t %s_v = 0, *%s = &%s_v;" % (n, n, n))
        elif k == "sval":
            o.append(i2 + "%s %s;\n%smemset(&%s, 0xA5, sizeof %s);" % (p["t"], n, i2, n, n))
            if fz_deep(m, G.sname(p["t"])):
                o.append(i2 + "fz_tinit_%s(&%s);" % (G.sname(p["t"]), n))
            o.append(i2 + "fz_fill_%s(&%s, %s);" % (G.sname(p["t"]), n, sd))
            o.append(i2 + "fz_cbx[%d] = fz_sum_%s(0, &%s);" % (pi, G.sname(p["t"]), n))
        elif k == "str":
            L = min(p.get("maxlen") or 12, 12)
            o.append(i2 + "char *%s = erim_malloc(%d);" % (n, L + 1))
            o.append(i2 + "for (int i = 0; %s && i < %d; i++)\n%s\t%s[i] = (char)('a' + i %% 26);\n%sif (%s)\n%s\t%s[%d] = 0;" % (n, L, i2, n, i2, n, i2, n, L))
            o.append(i2 + "fz_cbx[%d] = %s ? fz_bytes(0, %s, %d) : 0xDEADull;" % (pi, n, n, L))
            post.append(("str", p, L))
        elif k == "fixed":
            o.append(i2 + "%s %s%s;" % (p["t"], n, "".join("[%d]" % d for d in p["dims"])))
            o.append(i2 + "memset(%s, 0xA5, sizeof %s);" % (n, n))
            nb = fixed_nb(p)
            if G.is_struct(p["t"]):
                o.append(i2 + "for (size_t i = 0; i < %s / sizeof(%s); i++)\n%s\tfz_fill_%s(&((%s *)(void *)%s)[i], %s + i);" % (nb, p["t"], i2, G.sname(p["t"]), p["t"], n, sd))
            elif p["t"] == "bool":
                o.append(i2 + "for (size_t i = 0; i < %s; i++)\n%s\t((bool *)(void *)%s)[i] = (fz_pat(%s, i) >> 1) & 1u;" % (nb, i2, n, sd))
            else:
                o.append(i2 + "fz_patfill(%s, %s, %s);" % (n, nb, sd))
            o.append(i2 + "{\n%s\tuint64_t h = 0;" % i2)
            o += [x.replace("FZ_PTRCHK", "(void)0; //") for x in buf_sum(p, n, nb, i2 + "\t")]
            o.append(i2 + "\tfz_cbx[%d] = h;\n%s}" % (pi, i2))
        elif k == "buf":
            pass
    # buffers after every length is declared
    for pi, p in enumerate(cb["params"]):
        if p["k"] != "buf":
            continue
        n = p["name"]
        sd = seedof(100 + ci, pi)
        nb = nb_of(p)
        o.append(i2 + "size_t nb_%s = %s;" % (n, nb))
        o.append(i2 + "%s *%s = erim_malloc(nb_%s + 1);" % (p["t"] if p["t"] != "void" else "unsigned char", n, n))
        o.append(i2 + "if (%s) {" % n)
        o.append(i2 + "\tmemset(%s, %s, nb_%s);" % (n, "0xA5" if "in" in p["dir"] else "0", n))
        if "in" in p["dir"]:
            if G.is_struct(p["t"]):
                o.append(i2 + "\tfor (size_t i = 0; i < nb_%s / sizeof(%s); i++)\n%s\t\tfz_fill_%s(&%s[i], %s + i);" % (n, p["t"], i2, G.sname(p["t"]), n, sd))
            elif p["t"] == "bool":
                o.append(i2 + "\tfor (size_t i = 0; i < nb_%s; i++)\n%s\t\t((bool *)(void *)%s)[i] = (fz_pat(%s, i) >> 1) & 1u;" % (n, i2, n, sd))
            else:
                o.append(i2 + "\tfz_patfill(%s, nb_%s, %s);" % (n, n, sd))
        o.append(i2 + "}")
        o.append(i2 + "{\n%s\tuint64_t h = 0;" % i2)
        o += [x.replace("FZ_PTRCHK", "(void)0; //") for x in buf_sum(p, n, "nb_" + n, i2 + "\t")]
        o.append(i2 + "\tfz_cbx[%d] = h;\n%s}" % (pi, i2))
        post.append(("buf", p, pi))
    args = ", ".join(p["name"] for p in cb["params"])
    rv = ret_value(cb, 50 + ci)
    o.append(i2 + "fz_cbn = %d;" % len(cb["params"]))
    if rv:
        o.append(i2 + "%s r = %s_ocall(%s);" % (cb["ret"], cb["name"], args))
        o.append(i2 + "if (!fz_quiet_checks && r != %s)\n%s\tfz_finding(\"callback-result\", \"%s\", \"returned a value the callback did not return\");" % (rv, i2, cb["name"]))
    else:
        o.append(i2 + "%s_ocall(%s);" % (cb["name"], args))
    for kind, p, x in post:
        n = p["name"]
        if kind == "str":
            o.append(i2 + "if (%s && !memchr(%s, 0, %d))\n%s\tfz_finding(\"callback-string-unterminated\", \"%s\", \"[in, out, string] '%s' came back without a NUL in its %d bytes\");" % (n, n, x + 1, i2, cb["name"], n, x + 1))
            o.append(i2 + "erim_free(%s);" % n)
        else:
            if "out" in p["dir"] and not G.is_struct(p["t"]):
                sd = seedof(100 + ci, x)
                if p.get("filled"):
                    o.append(i2 + "if (%s && !fz_quiet_checks) {" % n)
                    o.append(i2 + "\tsize_t f = (size_t)(%s) - (size_t)(%s) / 3, fb = f * %s;" % (p["expr"], p["expr"], G.elem_bytes(p)))
                    # bool results are normalised to 0/1 by the proxy (doc/generator.md:
                    # "callback results"); the pattern is never 0, so they read 1
                    ok = "fz_allbytes(%s, fb, 1)" % n if p["t"] == "bool" else "fz_patok(%s, fb, %s)" % (n, sd)
                    o.append(i2 + "\tif (*%s != f || !%s || !fz_allbytes((unsigned char *)%s + fb, nb_%s - fb, 0))" % (p["filled"], ok, n, n))
                    o.append(i2 + "\t\tfz_finding(\"callback-filled\", \"%s\", \"filled output '%s' wrong (count %%zu, expected %%zu)\", *%s, f);\n%s}" % (cb["name"], n, p["filled"], i2))
                elif p["t"] != "bool":
                    o.append(i2 + "if (%s && !fz_quiet_checks && !fz_patok(%s, nb_%s, %s))" % (n, n, n, sd))
                    o.append(i2 + "\tfz_finding(\"callback-output\", \"%s\", \"output '%s' did not come back\");" % (cb["name"], n))
            o.append(i2 + "erim_free(%s);" % n)
    o.append(ind + "}")


def emit_impl(m):
    o = ["/* fz_impl.c: trusted implementation of %s (generated by fzgen.py) */" % m["name"],
         "#include <stdio.h>", "#include <stdlib.h>", "#include <string.h>", '#include "erim.h"', '#include "fz_common.h"',
         '#include "%s_trusted.h"' % m["name"],
         "#define FZ_LOADB(lv) ((uint64_t)(lv))",
         "int fz_in_caller(const void *p);",
         "extern volatile int fz_isolating;",
         "extern volatile uint64_t fz_cbx[FZ_LOG_MAX];",
         "extern volatile int fz_cbn;",
         "#define FZ_PTRCHK(p, n, what) do { if ((p) && (n) && (fz_in_caller((const void *)(p)) || "
         "(fz_isolating && !erim_overlaps_trusted((const void *)(p), 1)))) "
         "fz_finding(\"uncopied-pointer\", fz_impl_name, \"received '%s' as the caller's own pointer %p\", what, (const void *)(p)); } while (0)",
         '#include "fz_types.h"', ""]
    cbs = {cb["name"]: (ci, cb) for ci, cb in enumerate(m["cbs"])}
    if second(m):
        b = m["second"]
        o.insert(6, '#include "%s_trusted.h"   /* both headers together: one set of types */' % b["name"])
    for fi, f in enumerate(m["funcs"]):
        f["_m"] = m
        ps = ", ".join(G.pdecl(p)[1] for p in f["params"]) or "void"
        o.append("%s %s_impl(%s)\n{" % (G.ret_c(f), f["name"], ps))
        o.append("\tfz_impl_calls++;\n\tfz_depth++;\n\tfz_impl_name = \"%s\";" % f["name"])
        o.append("\tif (!fz_tblock) {\n\t\tfz_tblock = erim_malloc(4096);\n\t\tif (fz_tblock)\n\t\t\tmemset(fz_tblock, 'K', 4096);\n\t}")
        for p in f["params"]:
            impl_param_log(p, o)
        impl_outputs(f, fi, o)
        for c in f.get("calls", []):
            if c in cbs:
                cb_call(m, cbs[c][1], cbs[c][0], o)
        if G.is_struct(f["ret"]):
            deep = fz_deep(m, G.sname(f["ret"]))
            o.append("\t%s r;\n\tmemset(&r, %s, sizeof r);" % (f["ret"], "0" if deep else "0xA5"))
            if deep:
                o.append("\tfz_tinit_%s(&r);" % G.sname(f["ret"]))
            o.append("\tfz_fill_%s(&r, %s);\n\tfz_depth--;\n\treturn r;" % (G.sname(f["ret"]), seedof(fi, 99)))
        elif f["ret"]:
            o.append("\tfz_depth--;\n\treturn %s;" % ret_value(f, fi))
        else:
            o.append("\tfz_depth--;")
        o.append("}\n")
        del f["_m"]
    return "\n".join(o) + "\n"


# ---------------------------------------------------------------- untrusted driver

def emit_callbacks(m, o):
    privs = [f for f in m["funcs"] if not f["public"]]
    for ci, cb in enumerate(m["cbs"]):
        ps = ", ".join(G.pdecl(p, True)[1] for p in cb["params"]) or "void"
        o.append("%s %s(%s)\n{" % (G.ret_c(cb), cb["name"], ps))
        o.append("\tfz_cb_calls++;\n\tfz_calls++;")
        for pi, p in enumerate(cb["params"]):
            k, n = p["k"], p["name"]
            if k == "sval" and fz_deep(m, G.sname(p["t"])):
                o.append("\tif (fz_isolating && fz_trustedptrs_%s(&%s))\n\t\tfz_finding(\"trusted-pointer-to-callback\", \"%s\", \"by-value struct '%s' carries pointers into trusted memory\");" % (G.sname(p["t"]), n, cb["name"], n))
            elif k == "sval":
                o.append("\tif (!fz_padok_%s(&%s))\n\t\tfz_finding(\"padding-leak\", \"%s\", \"by-value struct '%s' arrived with non-zero padding\");" % (G.sname(p["t"]), n, cb["name"], n))
                o.append("\tif (fz_sum_%s(0, &%s) != fz_cbx[%d])\n\t\tfz_finding(\"callback-argument\", \"%s\", \"'%s' differs from what trusted code passed\");" % (G.sname(p["t"]), n, pi, cb["name"], n))
            elif k in ("sc",):
                o.append("\tif (%s != (%s)%s)\n\t\tfz_finding(\"callback-argument\", \"%s\", \"scalar '%s' differs\");" % (n, p["t"], "1" if p["t"] == "bool" else str(pi * 3 + 5), cb["name"], n))
            elif k == "str":
                L = min(p.get("maxlen") or 12, 12)
                o.append("\tif (%s && fz_isolating && erim_overlaps_trusted(%s, 1))\n\t\tfz_finding(\"trusted-pointer-to-callback\", \"%s\", \"'%s'\");" % (n, n, cb["name"], n))
                o.append("\tif (!%s || fz_bytes(0, %s, strlen(%s)) != fz_cbx[%d])\n\t\tfz_finding(\"callback-argument\", \"%s\", \"string '%s' differs\");" % (n, n, n, pi, cb["name"], n))
                if "out" in p["dir"]:
                    o.append("\tif (%s)\n\t\tmemset(%s, 'Z', %d);   /* overwrite the NUL too: trusted code must re-terminate */" % (n, n, L + 1))
            elif k in ("fixed", "buf"):
                nb = fixed_nb(p) if k == "fixed" else nb_of(p)
                o.append("\t{\n\t\tsize_t nb = %s;\n\t\tuint64_t h = 0;" % nb)
                o.append("\t\tif (%s && nb && fz_isolating && erim_overlaps_trusted(%s, nb))\n\t\t\tfz_finding(\"trusted-pointer-to-callback\", \"%s\", \"'%s'\");" % (n, n, cb["name"], n))
                o += [x.replace("FZ_PTRCHK", "(void)0; //") for x in buf_sum(p, n, "nb", "\t\t")]
                o.append("\t\tif (h != fz_cbx[%d])\n\t\t\tfz_finding(\"callback-argument\", \"%s\", \"buffer '%s' differs from what trusted code passed (%s)\");" % (pi, cb["name"], n, p.get("dir")))
                if G.is_struct(p["t"]):
                    o.append("\t\tfor (size_t i = 0; %s && i < nb / sizeof(%s); i++)\n\t\t\tif (!fz_padok_%s(&((const %s *)(const void *)%s)[i]))\n\t\t\t\tfz_finding(\"padding-leak\", \"%s\", \"struct element of '%s' arrived with non-zero padding\");" % (n, p["t"], G.sname(p["t"]), p["t"], n, cb["name"], n))
                if k == "buf" and "out" in p["dir"]:
                    sd = seedof(100 + ci, pi)
                    if G.is_struct(p["t"]):
                        o.append("\t\tfor (size_t i = 0; %s && i < nb / sizeof(%s); i++)\n\t\t\tfz_fill_%s(&%s[i], %s + i);" % (n, p["t"], G.sname(p["t"]), n, sd))
                        if p.get("filled"):
                            o.append("\t\tif (%s)\n\t\t\t*%s = fz_cb_mode == 1 ? (size_t)(%s) + 1 : (size_t)(%s) - (size_t)(%s) / 3;" % (p["filled"], p["filled"], p["expr"], p["expr"], p["expr"]))
                    elif p.get("filled"):
                        o.append("\t\tsize_t f = (size_t)(%s) - (size_t)(%s) / 3;" % (p["expr"], p["expr"]))
                        o.append("\t\tif (%s)\n\t\t\tfz_patfill(%s, f * %s, %s);" % (n, n, G.elem_bytes(p), sd))
                        o.append("\t\tif (%s)\n\t\t\t*%s = fz_cb_mode == 1 ? (size_t)(%s) + 1 : f;" % (p["filled"], p["filled"], p["expr"]))
                    elif p["t"] == "bool":
                        o.append("\t\tfor (size_t i = 0; %s && i < nb; i++)\n\t\t\t((bool *)(void *)%s)[i] = 1;" % (n, n))
                    else:
                        o.append("\t\tif (%s)\n\t\t\tfz_patfill(%s, nb, %s);" % (n, n, sd))
                o.append("\t}")
        for g in privs:
            allowed = g["name"] in cb["allow"]
            args = ", ".join("(%s)%d" % (a["t"], 1) for a in g["params"])
            rv = ret_value(g, m["funcs"].index(g))
            if allowed:
                o.append("\t{\n\t\tlong c0 = fz_impl_calls;")
                if rv:
                    o.append("\t\t%s r = %s(%s);" % (g["ret"], g["name"], args))
                    o.append("\t\tif (!fz_quiet_checks && (r != %s || fz_impl_calls != c0 + 1))\n\t\t\tfz_finding(\"private-reentry-refused\", \"%s\", \"allowed re-entry from %s failed\");" % (rv, g["name"], cb["name"]))
                else:
                    o.append("\t\t%s(%s);" % (g["name"], args))
                    o.append("\t\tif (!fz_quiet_checks && fz_impl_calls != c0 + 1)\n\t\t\tfz_finding(\"private-reentry-refused\", \"%s\", \"allowed re-entry from %s failed\");" % (g["name"], cb["name"]))
                o.append("\t\tfz_reentered++;")
                o.append("\t}")
            else:
                o.append("\tif (fz_cb_mode == 2) {\n\t\tlong c0 = fz_impl_calls;")
                o.append("\t\t%s%s(%s);" % ("(void)" if g["ret"] else "", g["name"], args))
                o.append("\t\tif (fz_impl_calls != c0)\n\t\t\tfz_finding(\"private-reentry-allowed\", \"%s\", \"ran from %s, which does not allow it\");" % (g["name"], cb["name"]))
                o.append("\t\tfz_cb_mode = 0;\n\t}")
        rv = ret_value(cb, 50 + ci)
        if rv:
            o.append("\treturn %s;" % rv)
        o.append("}\n")


def hostiles(m, f):
    """[(code, description, expectation, needs_isolation)]; code runs after the valid set-up"""
    hs = []
    by = G.sbyname(m)
    fname = f["name"]
    if not f["public"]:
        hs.append(("", "private function called from outside a callback", "refuse-any", 0))
    for p in f["params"]:
        n, k = p["name"], p["k"]
        if k in ("buf", "fixed", "str"):
            nbv = "nb_" + n if k == "buf" else (fixed_nb(p) if k == "fixed" else "1")
            cast = "(void *)" if k != "str" else "(char *)"
            tcast = "(%s)" % (G.pdecl(p)[1].replace(" " + n, " *").split("[")[0] if k == "fixed" else "")
            hs.append(("if (!(%s)) return -1; %s = %s(void *)fz_secret;" % (nbv, n, "" if k == "buf" else ("(char *)" if k == "str" else "")),
                       "'%s' points into an ERIM_TRUSTED global" % n, "refuse", 1))
            hs.append(("if (!(%s) || !fz_tblock || fz_heap_shim) return -1; %s = %s(void *)(fz_tblock + 64);" % (nbv, n, "" if k == "buf" else ("(char *)" if k == "str" else "")),
                       "'%s' points into an erim_malloc'd block" % n, "refuse", 1))
            if k != "str":
                hs.append(("if ((%s) < 16) return -1; %s = (void *)(uintptr_t)(UINTPTR_MAX - 7);" % (nbv, n),
                           "'%s' wraps the address space" % n, "refuse", 0))
                hs.append(("if (!fz_edge || !(%s)) return -1; %s = (void *)(fz_edge - ((%s) > 1 ? (%s) / 2 : 1) + ((%s) > 1 ? 0 : 1) - 1 + 1);" % (nbv, n, nbv, nbv, nbv),
                           "'%s' straddles the start of trusted memory" % n, "refuse", 1))
        if k == "str" and p.get("maxlen"):
            M = p["maxlen"]
            hs.append(("%s = fz_guard_string(%d);" % (n, M + 1),
                       "unterminated '%s' of maxlen+1 bytes ending at a guard page" % n, "refuse", 0))
        if k == "str":
            hs.append(("if (!fz_edge) return -1; %s = fz_below_trusted_string();" % n,
                       "unterminated '%s' running into trusted memory" % n, "refuse", 1))
        if k == "buf":
            for v in lenvars(p["expr"]):
                lp = [x for x in f["params"] if x["name"] == v]
                if not lp:
                    continue
                lt = lp[0]["t"]
                # SIZE_MAX * 0 is 0, not an overflow: a 0-byte buffer is valid
                # (sizes are overflow-checked products, doc/generator.md), so the
                # variant does not apply when another factor is 0
                z = "".join("if (!%s) return -1; " % u for u in sorted(set(lenvars(p["expr"]))) if u != v)
                if G.SIGNED.get(lt):
                    hs.append(("%s = (%s)-1;" % (v, lt), "negative length '%s' of '%s'" % (v, n), "refuse", 0))
                elif G.SIZE.get(lt) == 8:
                    hs.append((z + "%s = (%s)SIZE_MAX;" % (v, lt), "huge length '%s' of '%s'" % (v, n), "refuse", 0))
                    hs.append((z + "%s = (%s)(SIZE_MAX / 2 + 1);" % (v, lt), "overflowing length '%s' of '%s'" % (v, n), "refuse", 0))
            if "in" in p["dir"] and p["t"] == "bool":
                hs.append(("if (!nb_%s) return -1; ((unsigned char *)%s)[0] = 2;" % (n, n), "bool byte 2 in '%s'" % n, "any", 0))
            if G.is_struct(p["t"]) and (by[G.sname(p["t"])]["deep"] or by[G.sname(p["t"])].get("deepish")):
                path = deep_path(by, G.sname(p["t"]))
                if path:
                    pm, lm, lt, form = path
                    hs.append(("if (!nb_%s) return -1; %s[0].%s = (void *)fz_secret; %s[0].%s = 1;" % (n, n, pm, n, lm),
                               "member '%s' of '%s' points into trusted memory" % (pm, n), "refuse", 1))
                    if G.SIZE.get(lt) == 8:
                        hs.append(("if (!nb_%s || !%s[0].%s) return -1; %s[0].%s = (%s)SIZE_MAX;" % (n, n, pm, n, lm, lt),
                                   "member length '%s' of '%s' huge" % (lm, n), "refuse", 0))
            if p.get("filled"):
                fp = [x for x in f["params"] if x["name"] == p["filled"]][0]
                if fp["k"] == "fint":
                    hs.append(("%s = (size_t)(%s) + 1;" % (fp["name"], p["expr"]), "caller's filled '%s' above the capacity of '%s'" % (fp["name"], n), "refuse", 0))
                elif fp.get("cnt"):
                    # no element to hold the count: refused before the
                    # implementation runs, error(V) honoured (doc/generator.md, erim(5));
                    # and nothing may be copied back
                    hs.append(("%s = 0; fz_post_same = %s; fz_post_orig = o_%s; fz_post_n = nb_%s;" % (fp["cnt"], n, n, n),
                               "filled '%s' in a zero-element buffer" % fp["name"], "refuse", 0))
    for c in f.get("calls", []):
        cb = [x for x in m["cbs"] if x["name"] == c]
        if not cb:
            continue
        cb = cb[0]
        if any(p["k"] == "buf" and p.get("filled") for p in cb["params"]):
            hs.append(("fz_cb_mode = 1;", "callback %s reports filled above the capacity" % c, "die", 0))
        if any(not g["public"] and g["name"] not in cb["allow"] for g in m["funcs"]):
            hs.append(("fz_cb_mode = 2;", "callback %s re-enters a private function it does not allow" % c, "any", 0))
    return hs


def deep_path(by, s, pre=""):
    for mm in by[s]["members"]:
        if mm["k"] == "ptr":
            lt = [x for x in by[s]["members"] if x["name"] == mm["len"]][0]["t"]
            return (pre + mm["name"], pre + mm["len"], lt, mm["form"])
    for mm in by[s]["members"]:
        if mm["k"] == "st" and mm["t"] in by:
            r = deep_path(by, mm["t"], pre + mm["name"] + ".")
            if r:
                return r
    return None


def emit_call(m, fi, f, o):
    by = G.sbyname(m)
    fname = f["name"]
    hs = hostiles(m, f)
    o.append("/* %s: %d hostile variants */" % (fname, len(hs)))
    o.append("static int call_%s(int mode, int hv)\n{" % fname)
    o.append("\tint nexp = 0, checks = mode == 0;\n\tuint64_t exp[FZ_LOG_MAX];\n\tlong c0;")
    o.append("\t(void)exp; (void)nexp; (void)hv;")
    fill_lens = []
    for p in f["params"]:
        if p["k"] == "len":
            o.append("\t%s %s = (%s)%s;" % (p["t"], p["name"], p["t"], "1" if p.get("fixed") else "(fz_rand() % 7)"))
        elif p["k"] == "sc":
            o.append("\t%s %s = %s;" % (p["t"], p["name"], "(fz_rand() & 1) != 0" if p["t"] == "bool" else "(%s)fz_rand()" % p["t"]))
        elif p["k"] == "sval":
            o.append("\t%s %s;\n\tmemset(&%s, 0, sizeof %s);\n\tfz_rnd_%s(&%s, 0);" % (p["t"], p["name"], p["name"], p["name"], G.sname(p["t"]), p["name"]))
        elif p["k"] == "fptr":
            o.append("\tsize_t %s_v[2] = { 0xEEEE, 0xEEEE }, *%s = %s_v;" % (p["name"], p["name"], p["name"]))
        elif p["k"] == "fint":
            o.append("\tsize_t %s = 0;" % p["name"])
    post = []
    for pi, p in enumerate(f["params"]):
        n, k = p["name"], p["k"]
        if k == "buf":
            t = p["t"] if p["t"] != "void" else "unsigned char"
            ct = "%s *" % t
            o.append("\tsize_t nb_%s = %s;" % (n, nb_of(p)))
            o.append("\t%s%s = nb_%s > (1u << 20) ? NULL : fz_ualloc(nb_%s);" % (ct, n, n, n))
            o.append("\tunsigned char *o_%s = %s ? malloc(nb_%s + 1) : NULL;" % (n, n, n))
            o.append("\tif (%s) {\n\t\tmemset(%s, 0xEE, nb_%s);" % (n, n, n))
            if G.is_struct(p["t"]):
                o.append("\t\tfor (size_t i = 0; i < nb_%s / sizeof(%s); i++)\n\t\t\tfz_rnd_%s(&%s[i], %d);" % (n, t, G.sname(t), n, 0 if "in" in p["dir"] else 1))
            elif "in" in p["dir"]:
                if p["t"] == "bool":
                    o.append("\t\tfor (size_t i = 0; i < nb_%s; i++)\n\t\t\t((unsigned char *)%s)[i] = fz_rand() & 1;" % (n, n))
                else:
                    o.append("\t\tfor (size_t i = 0; i < nb_%s; i++)\n\t\t\t((unsigned char *)%s)[i] = (unsigned char)fz_rand();" % (n, n))
            o.append("\t\tmemcpy(o_%s, %s, nb_%s);\n\t}" % (n, n, n))
            if p.get("filled"):
                fp = [x for x in f["params"] if x["name"] == p["filled"]][0]
                if fp["k"] == "fint":
                    o.append("\t%s = (size_t)(%s) ? fz_rand() %% ((size_t)(%s) + 1) : 0;" % (fp["name"], p["expr"], p["expr"]))
            post.append(p)
        elif k == "str":
            L = p.get("maxlen") or 30
            o.append("\tchar *%s = fz_ustr(fz_rand() %% %d);" % (n, min(L, 30) + 1))
            o.append("\tchar *o_%s = %s ? strdup(%s) : NULL;" % (n, n, n))
            post.append(p)
        elif k == "fixed":
            o.append("\t%s *%s_a = fz_ualloc(%s);\n\tmemset(%s_a, 0xEE, %s);" % (p["t"], n, fixed_nb(p), n, fixed_nb(p)))
            if "in" in p["dir"]:
                if G.is_struct(p["t"]):
                    o.append("\tfor (size_t i = 0; i < %s / sizeof(%s); i++)\n\t\tfz_rnd_%s(&%s_a[i], 0);" % (fixed_nb(p), p["t"], G.sname(p["t"]), n))
                elif p["t"] == "bool":
                    o.append("\tfor (size_t i = 0; i < %s; i++)\n\t\t((unsigned char *)%s_a)[i] = fz_rand() & 1;" % (fixed_nb(p), n))
                else:
                    o.append("\tfor (size_t i = 0; i < %s; i++)\n\t\t((unsigned char *)%s_a)[i] = (unsigned char)fz_rand();" % (fixed_nb(p), n))
            dims = p["dims"][1:]
            o.append("\t%s(*%s)%s = (void *)%s_a;" % (p["t"], n, "".join("[%d]" % d for d in dims), n))
            post.append(p)
    # expected log
    o.append("\tif (checks) {")
    for p in f["params"]:
        n, k = p["name"], p["k"]
        if k in ("sc", "len", "fint"):
            o.append("\t\texp[nexp++] = %s;" % scal_load(p["t"], n))
        elif k == "sval":
            o.append("\t\texp[nexp++] = fz_sum_%s(0, &%s);" % (G.sname(p["t"]), n))
        elif k == "fptr":
            o.append("\t\texp[nexp++] = 1;")
        elif k == "str":
            o.append("\t\texp[nexp++] = %s ? fz_bytes(0, %s, strlen(%s)) : 0xDEADull;" % (n, n, n))
        elif k in ("buf", "fixed"):
            ptr = n if k == "buf" else n + "_a"
            nb = "nb_" + n if k == "buf" else fixed_nb(p)
            o.append("\t\t{\n\t\t\tuint64_t h = 0;\n\t\t\tvoid *view = %s;" % ptr)
            if "in" not in p["dir"]:
                if G.is_struct(p["t"]) and fz_deep(m, G.sname(p["t"])):
                    o.append("\t\t\tif (%s) {\n\t\t\t\tview = calloc(1, %s + 1);" % (ptr, nb))
                    o.append("\t\t\t\tfor (size_t i = 0; i < %s / sizeof(%s); i++) {" % (nb, p["t"]))
                    o.append("\t\t\t\t\tfz_clone_%s(&((%s *)view)[i], &((%s *)(void *)%s)[i]);\n\t\t\t\t\tfz_zero_%s(&((%s *)view)[i]);\n\t\t\t\t}\n\t\t\t}" % (G.sname(p["t"]), p["t"], p["t"], ptr, G.sname(p["t"]), p["t"]))
                else:
                    o.append("\t\t\tif (%s)\n\t\t\t\tview = calloc(1, %s + 1);" % (ptr, nb))
            o += [x.replace("FZ_PTRCHK", "(void)0; //") for x in buf_sum(p, "view", nb, "\t\t\t")]
            if "in" not in p["dir"]:
                if G.is_struct(p["t"]) and fz_deep(m, G.sname(p["t"])):
                    o.append("\t\t\tfor (size_t i = 0; view && i < %s / sizeof(%s); i++)\n\t\t\t\tfz_free_%s(&((%s *)view)[i]);" % (nb, p["t"], G.sname(p["t"]), p["t"]))
                o.append("\t\t\tif (view != (void *)%s)\n\t\t\t\tfree(view);" % ptr)
            o.append("\t\t\texp[nexp++] = h;\n\t\t}")
    o.append("\t}")
    # hostile mutation
    o.append("\tif (mode == 1) {\n\t\tswitch (hv) {")
    for i, (code, desc, exp, iso) in enumerate(hs):
        o.append("\t\tcase %d: /* %s */" % (i, desc))
        o.append("\t\t\t%s\n\t\t\tbreak;" % code)
    o.append("\t\tdefault: return -1;\n\t\t}\n\t}")
    if f["params"]:
        o.append("\tif (mode == 2) {")
        for p in f["params"]:
            if p["k"] == "buf" and "in" in p["dir"] and not G.is_struct(p["t"]) and p["t"] != "bool":
                o.append("\t\tfz_race_add(%s, nb_%s, 0);" % (p["name"], p["name"]))
            if p["k"] == "str":
                o.append("\t\tif (%s)\n\t\t\tfz_race_add(%s, strlen(%s), 1);" % (p["name"], p["name"], p["name"]))
            if p["k"] == "buf" and "in" in p["dir"] and G.is_struct(p["t"]) and fz_deep(m, G.sname(p["t"])):
                path = deep_path(by, G.sname(p["t"]))
                if path:
                    pm, lm, lt, form = path
                    n = p["name"]
                    o.append("\t\tfor (size_t i = 0; %s && i < nb_%s / sizeof(%s) && i < 4; i++) {" % (n, n, p["t"]))
                    o.append("\t\t\tfz_race_word(&%s[i].%s, sizeof %s[i].%s, (uint64_t)%s[i].%s, 0);" % (n, lm, n, lm, n, lm))
                    o.append("\t\t\tfz_race_word(&%s[i].%s, sizeof %s[i].%s, (uint64_t)(uintptr_t)%s[i].%s, 0);\n\t\t}" % (n, pm, n, pm, n, pm))
        o.append("\t\tfz_race_go();\n\t}")
    args = ", ".join(p["name"] for p in f["params"])
    o.append("\tfz_nlog = 0;\n\tc0 = fz_impl_calls;\n\tlong re0 = fz_reentered;\n\tfz_calls++;")
    rv = ret_value(f, fi)
    if G.is_struct(f["ret"]):
        o.append("\t%s r = %s(%s);" % (f["ret"], fname, args))
    elif f["ret"]:
        o.append("\t%s r = %s(%s);" % (f["ret"], fname, args))
    else:
        o.append("\t%s(%s);" % (fname, args))
    o.append("\tif (mode == 2)\n\t\tfz_race_stop();")
    o.append("\tif (mode == 1) {")
    o.append("\t\tfz_hostile_returned(\"%s\", fz_impl_calls != c0, %s);" % (fname, "r == %s" % G.cnum(f["error"], f["ret"]) if f.get("error") is not None else "0"))
    o.append("\t\tif (fz_post_same && fz_post_orig && memcmp((const void *)fz_post_same, fz_post_orig, fz_post_n))")
    o.append("\t\t\tfz_finding(\"filled-count-unchecked\", \"%s\", \"output copied back although the filled count had no element to live in\");" % fname)
    o.append("\t\tfz_post_same = NULL;")
    o.append("\t\tchecks = 0;\n\t}")
    # checks
    o.append("\tif (checks) {")
    o.append("\t\tif (fz_impl_calls - (fz_reentered - re0) != c0 + 1)\n\t\t\tfz_finding(\"not-called\", \"%s\", \"valid call did not reach the implementation\");" % fname)
    o.append("\t\telse if (fz_nlog != nexp)\n\t\t\tfz_finding(\"log\", \"%s\", \"implementation logged %%d values, expected %%d\", fz_nlog, nexp);" % fname)
    o.append("\t\telse\n\t\t\tfor (int i = 0; i < nexp; i++)\n\t\t\t\tif (fz_log[i] != exp[i])\n\t\t\t\t\tfz_finding(\"argument-differs\", \"%s\", \"parameter %%d (%%s) reached the implementation changed\", i, fz_pname_%s[i]);" % (fname, fname))
    if rv:
        o.append("\t\tif (r != %s)\n\t\t\tfz_finding(\"return\", \"%s\", \"returned value differs\");" % (rv, fname))
    elif G.is_struct(f["ret"]) and fz_deep(m, G.sname(f["ret"])):
        o.append("\t\tif (fz_isolating && fz_trustedptrs_%s(&r))\n\t\t\tfz_finding(\"trusted-pointer-returned\", \"%s\", \"returned struct carries pointers into trusted memory\");" % (G.sname(f["ret"]), fname))
    elif G.is_struct(f["ret"]):
        s = G.sname(f["ret"])
        o.append("\t\t{\n\t\t\t%s e;\n\t\t\tmemset(&e, 0, sizeof e);\n\t\t\tfz_fill_%s(&e, %s);" % (f["ret"], s, seedof(fi, 99)))
        o.append("\t\t\tif (fz_sum_%s(0, &e) != fz_sum_%s(0, &r))\n\t\t\t\tfz_finding(\"return\", \"%s\", \"returned struct differs\");\n\t\t}" % (s, s, fname))
    for pi, p in enumerate(f["params"]):
        o += check_output(m, fi, f, pi, p)
    o.append("\t}")
    # clean up
    for p in post:
        n = p["name"]
        if p["k"] == "buf":
            o.append("\tfree(o_%s);" % n)
        elif p["k"] == "str":
            o.append("\tfree(o_%s);" % n)
    o.append("\tfz_ufree_all();")
    if f["ret"] and not G.is_struct(f["ret"]):
        o.append("\t(void)r;")
    o.append("\treturn 0;\n}\n")
    return hs


def check_output(m, fi, f, pi, p):
    o = []
    n, k = p["name"], p["k"]
    sd = seedof(fi, pi)
    fname = f["name"]
    if k == "buf" and "out" in p["dir"]:
        o.append("\t\tif (%s) {" % n)
        o.append("\t\t\tsize_t nb = nb_%s;\n\t\t\tint ok = 1;" % n)
        if G.is_struct(p["t"]):
            s = G.sname(p["t"])
            deep = fz_deep(m, s)
            o.append("\t\t\tsize_t ne = nb / sizeof(%s), w = %s;" % (p["t"], "ne" if deep else ("ne - ne / 4" if p["dir"] == "out" else "ne / 2")))
            if p.get("filled"):
                fp = [x for x in f["params"] if x["name"] == p["filled"]][0]
                o.append("\t\t\tw = %s;" % ("(size_t)(%s) - (size_t)(%s) / 3" % (p["expr"], p["expr"]) if fp["k"] == "fptr" else fp["name"]))
                if fp["k"] == "fptr" and fp.get("cnt"):
                    o.append("\t\t\tif (%s < 1) w = 0;" % fp["cnt"])
            o.append("\t\t\tfor (size_t i = 0; i < ne; i++) {")
            o.append("\t\t\t\t%s e;\n\t\t\t\tconst %s *a = &%s[i], *orig = &((const %s *)(const void *)o_%s)[i];" % (p["t"], p["t"], n, p["t"], n))
            o.append("\t\t\t\tfz_clone_%s(&e, orig);" % s)
            o.append("\t\t\t\tif (i < w)\n\t\t\t\t\tfz_fill_%s(&e, %s + i);" % (s, sd))
            if p.get("filled"):
                o.append("\t\t\t\telse if (memcmp(a, orig, sizeof *a))\n\t\t\t\t\tok = 0;")
            elif p["dir"] == "out":
                o.append("\t\t\t\telse\n\t\t\t\t\tfz_zero_%s(&e);" % s)
            o.append("\t\t\t\tif (fz_sum_%s(0, a) != fz_sum_%s(0, &e) || fz_ptrs_%s(0, a) != fz_ptrs_%s(0, orig))\n\t\t\t\t\tok = 0;" % (s, s, s, s))
            o.append("\t\t\t\tif ((i < w || !%d) && !fz_padok_%s(a))\n\t\t\t\t\tfz_finding(\"padding-leak\", \"%s\", \"element %%zu of '%s' came back with non-zero padding\", i);" % (1 if p.get("filled") else 0, s, fname, n))
            o.append("\t\t\t\tfz_free_%s(&e);\n\t\t\t}" % s)
        else:
            w = ("nb - nb / 4" if p["dir"] == "out" else "nb / 2")
            if p.get("filled"):
                fp = [x for x in f["params"] if x["name"] == p["filled"]][0]
                cnt = "((size_t)(%s) - (size_t)(%s) / 3)" % (p["expr"], p["expr"]) if fp["k"] == "fptr" else "(size_t)" + fp["name"]
                if fp["k"] == "fptr" and fp.get("cnt"):
                    cnt = "(%s >= 1 ? %s : 0)" % (fp["cnt"], cnt)
                w = "%s * %s" % (cnt, G.elem_bytes(p))
                rest = "memcmp((unsigned char *)%s + w, o_%s + w, nb - w) == 0" % (n, n)
            elif p["dir"] == "out":
                rest = "fz_allbytes((unsigned char *)%s + w, nb - w, 0)" % n
            else:
                rest = "memcmp((unsigned char *)%s + w, o_%s + w, nb - w) == 0" % (n, n)
            o.append("\t\t\tsize_t w = %s;" % w)
            if p["t"] == "bool":
                o.append("\t\t\tfor (size_t i = 0; i < w; i++)\n\t\t\t\tif (((unsigned char *)%s)[i] != ((fz_pat(%s, i) >> 1) & 1u))\n\t\t\t\t\tok = 0;" % (n, sd))
            else:
                o.append("\t\t\tok = fz_patok(%s, w, %s);" % (n, sd))
            o.append("\t\t\tif (!(%s))\n\t\t\t\tfz_finding(\"output-beyond-written\", \"%s\", \"'%s' bytes after the %%zu written ones changed (expected %s)\", w);" % (rest, fname, n, "untouched" if p.get("filled") or p["dir"] != "out" else "zeros"))
        o.append("\t\t\tif (!ok)\n\t\t\t\tfz_finding(\"output\", \"%s\", \"'%s' did not come back as the implementation wrote it\");" % (fname, n))
        o.append("\t\t}")
    elif k == "fptr":
        b = find_buf_of_filled(f["params"], n)
        if b:
            cnt = "((size_t)(%s) - (size_t)(%s) / 3)" % (b["expr"], b["expr"])
            cond = "%s >= 1" % p["cnt"] if p.get("cnt") else "1"
            o.append("\t\tif (%s && %s && %s_v[0] != %s)\n\t\t\tfz_finding(\"output\", \"%s\", \"filled count '%s' = %%zu, expected %%zu\", %s_v[0], %s);" % (b["name"], cond, n, cnt, fname, n, n, cnt))
    elif k == "fixed" and "out" in p["dir"]:
        nb = fixed_nb(p)
        if G.is_struct(p["t"]):
            s = G.sname(p["t"])
            o.append("\t\tfor (size_t i = 0; i < %s / sizeof(%s); i++) {" % (nb, p["t"]))
            o.append("\t\t\t%s e;\n\t\t\tmemset(&e, 0, sizeof e);\n\t\t\tfz_fill_%s(&e, %s + i);" % (p["t"], s, sd))
            o.append("\t\t\tif (fz_sum_%s(0, &e) != fz_sum_%s(0, &%s_a[i]))\n\t\t\t\tfz_finding(\"output\", \"%s\", \"'%s' element %%zu differs\", i);" % (s, s, n, fname, n))
            o.append("\t\t\tif (!fz_padok_%s(&%s_a[i]))\n\t\t\t\tfz_finding(\"padding-leak\", \"%s\", \"element %%zu of '%s' came back with non-zero padding\", i);\n\t\t}" % (s, n, fname, n))
        elif p["t"] == "bool":
            o.append("\t\tfor (size_t i = 0; i < %s; i++)\n\t\t\tif (((unsigned char *)%s_a)[i] != ((fz_pat(%s, i) >> 1) & 1u))\n\t\t\t\tfz_finding(\"output\", \"%s\", \"'%s' differs\");" % (nb, n, sd, fname, n))
        else:
            o.append("\t\tif (!fz_patok(%s_a, %s, %s))\n\t\t\tfz_finding(\"output\", \"%s\", \"'%s' differs\");" % (n, nb, sd, fname, n))
    elif k == "str" and "out" in p["dir"]:
        o.append("\t\tif (%s) {\n\t\t\tsize_t L = strlen(o_%s);\n\t\t\tint ok = strlen(%s) == L;" % (n, n, n))
        o.append("\t\t\tfor (size_t i = 0; ok && i < L; i++)\n\t\t\t\tok = %s[i] == (char)('A' + fz_pat(%s, i) %% 26);" % (n, sd))
        o.append("\t\t\tif (!ok)\n\t\t\t\tfz_finding(\"output\", \"%s\", \"string '%s' differs\");\n\t\t}" % (fname, n))
    return o


def emit_driver(m):
    o = ["/* fz_driver.c: untrusted driver of %s (generated by fzgen.py) */" % m["name"],
         "#define FZ_DRIVER 1",
         '#include "fz_rt.h"',
         '#include "%s_erim.h"' % m["name"],
         "#define FZ_LOADB(lv) ((uint64_t)(*(const unsigned char *)&(lv) != 0))",
         "#define FZ_PTRCHK(p, n, what) ((void)0)",
         '#include "fz_types.h"', "",
         'const char *fz_iface = "%s";' % m["name"], ""]
    emit_callbacks(m, o)
    table = []
    for fi, f in enumerate(m["funcs"]):
        names = ", ".join('"%s"' % p["name"] for p in f["params"] if True) or '""'
        o.append("static const char *const fz_pname_%s[] = { %s };" % (f["name"], names))
        hs = emit_call(m, fi, f, o)
        table.append((f, hs))
    o.append("const struct fz_func fz_funcs[] = {")
    for f, hs in table:
        o.append("\t{ \"%s\", call_%s, %d, %d, %d, (const struct fz_hostile[]){ %s } }," % (
            f["name"], f["name"], 1 if f["public"] else 0, 1 if f.get("error") is not None else 0, len(hs),
            ", ".join("{ \"%s\", %d, %d }" % (d.replace('"', "'"), {"refuse": 0, "any": 1, "die": 2, "refuse-any": 3}[e], iso) for _, d, e, iso in hs) or "{ \"\", 0, 0 }"))
    o.append("};")
    o.append("const int fz_nfuncs = %d;" % len(table))
    return "\n".join(o) + "\n"


def second(m):
    return m.get("second") and m["second"]["struct"] in [x["name"] for x in m["structs"]]


def write_all(m, out):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "model.json"), "w") as fh:
        json.dump(m, fh, indent=1)
    with open(os.path.join(out, m["name"] + ".erim"), "w") as fh:
        fh.write(G.emit_erim(m))
    with open(os.path.join(out, "fz_types.h"), "w") as fh:
        fh.write(G.emit_types(m))
    with open(os.path.join(out, "fz_impl.c"), "w") as fh:
        fh.write(emit_impl(m))
    with open(os.path.join(out, "fz_driver.c"), "w") as fh:
        fh.write(emit_driver(m))
