#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fzgen.py: random valid .erim interfaces for the fuzz-gates differential
fuzzer, and for each one a trusted implementation (fz_impl.c) that checksums
everything it receives and writes a known pattern into every output, and an
untrusted driver (fz_driver.c) that calls every function with random valid
arguments, checks both sides, and runs hostile and racing variants.

A model (a JSON-able dict) is drawn from a seed (gen_model); emit() writes
fz.erim, fz_types.h, fz_impl.c and fz_driver.c from a model.  The reducer
(fzrun.py) edits models, so everything here works on any sub-model:
functions, parameters and struct members may be dropped freely.

    fzgen.py SEED OUTDIR        # writes the model as OUTDIR/model.json too
    fzgen.py --model M.json OUTDIR
"""
import json
import os
import random
import sys

# (C type, size, signed)
SCALARS = [
    ("int8_t", 1, 1), ("uint8_t", 1, 0), ("int16_t", 2, 1), ("uint16_t", 2, 0),
    ("int32_t", 4, 1), ("uint32_t", 4, 0), ("int64_t", 8, 1), ("uint64_t", 8, 0),
    ("int", 4, 1), ("unsigned", 4, 0), ("unsigned int", 4, 0), ("long", 8, 1),
    ("unsigned long", 8, 0), ("short", 2, 1), ("unsigned short", 2, 0),
    ("long long", 8, 1), ("unsigned long long", 8, 0), ("size_t", 8, 0),
    ("ssize_t", 8, 1), ("char", 1, 1), ("unsigned char", 1, 0), ("signed char", 1, 1),
    ("long int", 8, 1), ("bool", 1, 0),
]
RARE_SCALARS = [("short int", 2, 1), ("unsigned short int", 2, 0), ("long unsigned int", 8, 0),
                ("signed int", 4, 1), ("long long int", 8, 1), ("unsigned long long int", 8, 0),
                ("signed", 4, 1), ("long signed int", 8, 1)]     # valid C the front end must take
SIZE = {t: s for t, s, _ in SCALARS + RARE_SCALARS}
SIGNED = {t: g for t, _, g in SCALARS + RARE_SCALARS}
BUF_ELEMS = ["uint8_t", "char", "uint16_t", "uint32_t", "int64_t", "bool", "unsigned long"]
LEN_TYPES = ["size_t", "size_t", "size_t", "uint64_t", "unsigned long", "uint32_t", "unsigned"]
# how often a shape the front end refuses by a documented named check
# (-Wdeep-struct, -Wempty-struct) is drawn: rare, so the time goes to shapes
# erimgen accepts, but present, so the refusal itself is checked
REFUSED_RATE = 0.02
MAXV = {1: (1 << 7) - 1, 2: (1 << 15) - 1, 4: (1 << 31) - 1, 8: (1 << 63) - 1}


# ---------------------------------------------------------------- the model

def gen_struct(r, name, structs):
    flat = [s for s in structs if not s["deep"] and not s.get("deepish") and s["members"]]
    deep = [s for s in structs if s["deep"]]
    members = []
    if r.random() < REFUSED_RATE:
        # empty struct: refused by -Wempty-struct (C11 has none); checked, then dropped
        return {"name": name, "members": [], "deep": False}
    for i in range(r.randint(1, 5)):
        k = r.random()
        mn = "m%d" % i
        if k < 0.40:
            t = r.choice(SCALARS)[0]
            members.append({"k": "sc", "name": mn, "t": t})
        elif k < 0.52:
            dims = [r.randint(1, 4)] + ([r.randint(1, 3)] if r.random() < 0.3 else [])
            members.append({"k": "arr", "name": mn, "t": r.choice(BUF_ELEMS), "dims": dims})
        elif k < 0.64 and flat:
            members.append({"k": "st", "name": mn, "t": r.choice(flat)["name"]})
        elif k < 0.70 and deep and r.random() < REFUSED_RATE * 5:
            # a deep struct embedded by value: deep copies are one level deep,
            # so -Wdeep-struct refuses it (checked, then the member is dropped)
            members.append({"k": "st", "name": mn, "t": r.choice(deep)["name"]})
        elif k < 0.92:
            lt = r.choice(LEN_TYPES)
            members.append({"k": "sc", "name": mn + "n", "t": lt})
            if flat and r.random() < 0.3:
                et, form = "struct " + r.choice(flat)["name"], "count"
            else:
                et = r.choice(["uint8_t", "uint32_t", "int16_t", "bool"])
                form = "size" if et == "uint8_t" and r.random() < 0.5 else "count"
            members.append({"k": "ptr", "name": mn, "t": et, "len": mn + "n", "form": form})
        else:
            members.append({"k": "sc", "name": mn, "t": "bool"})
    s = {"name": name, "members": members}
    fix_struct(s, {x["name"]: x for x in structs})
    return s


def fix_struct(s, byname):
    s["deep"] = any(m["k"] == "ptr" for m in s["members"])
    s["deepish"] = any(m["k"] == "st" and (byname[m["t"]]["deep"] or byname[m["t"]].get("deepish"))
                       for m in s["members"] if m["t"] in byname)


def fz_is_deep(structs, t):
    for s in structs:
        if "struct " + s["name"] == t:
            return s["deep"] or s.get("deepish")
    return False


def len_expr(r, lens, params, need_new):
    """A length expression over (new or existing) length parameters."""
    def var():
        if lens and (not need_new or r.random() < 0.3):
            return r.choice(lens)
        v = "n%d" % len(params)
        t = r.choice(LEN_TYPES + (["int", "long"] if r.random() < 0.1 else []))
        params.append({"k": "len", "name": v, "t": t})
        lens.append(v)
        return v
    f = r.random()
    x = var()
    if f < 0.5:
        return x
    if f < 0.65:
        return "%s*%d" % (x, r.randint(2, 4))
    if f < 0.78:
        return "%s+%d" % (x, r.randint(1, 5))
    if f < 0.88:
        return "(%s+%d)*%d" % (x, r.randint(1, 3), r.randint(2, 3))
    y = var()
    return "%s*%s" % (x, y)


def gen_buf(r, params, lens, structs, is_cb):
    flat = [s for s in structs if not s["deep"] and not s.get("deepish") and s["members"]]
    deep = [s for s in structs if (s["deep"] or s.get("deepish")) and not is_cb]
    d = r.choice(["in", "out", "in, out"]) if not is_cb else r.choice(["in", "in", "out"])
    p = {"k": "buf", "name": "p%d" % len(params), "dir": d}
    c = r.random()
    if c < 0.2 and flat:
        p["t"] = "struct " + r.choice(flat)["name"]
    elif c < 0.32 and deep:
        p["t"] = "struct " + r.choice(deep)["name"]
    elif c < 0.38:
        p["t"] = "void"
    else:
        p["t"] = r.choice(BUF_ELEMS)
    st = p["t"].startswith("struct ")
    g = r.random()
    if p["t"] == "void":
        p["form"] = "size" if g < 0.5 else "countsize"
    elif st:
        p["form"] = "count" if g < 0.8 else "countsize"
    elif p["t"] == "bool":
        p["form"] = "count"
    else:
        # size= alone must cover whole elements (gates refuse the rest, as
        # edger8r does): bytes only for one-byte elements, else count=
        p["form"] = ("size" if SIZE[p["t"]] == 1 else "count") if g < 0.3 else \
            ("count" if g < 0.6 else ("countsize" if g < 0.85 else "lit"))
    if p["form"] == "countsize":
        if p["t"] == "void":
            p["k_size"] = str(r.choice([1, 2, 4, 8, 3]))
        elif st:
            # the element size may differ from sizeof: count= units of size= bytes
            p["k_size"] = "sizeof(%s)" % p["t"] if r.random() < 0.6 or fz_is_deep(structs, p["t"]) else \
                str(r.choice([1, 2, 3, 4, 8, 12, 16, 24]))
        else:
            p["k_size"] = str(SIZE[p["t"]] * r.choice([1, 1, 2, 3])) if r.random() < 0.7 else \
                str(r.choice([1, 2, 3, 5, 6, 8, 16]))
    if p["form"] == "lit":
        p["expr"] = str(r.randint(1, 24))
    else:
        p["expr"] = None            # filled in after the length params exist
    params.append(p)
    if p["form"] != "lit":
        p["expr"] = len_expr(r, lens, params, True)
    # filled=: out buffers of scalar elements or flat structs
    if "out" in d and p["form"] in ("count", "countsize") and p["t"] != "void" and \
            not (st and p["form"] == "countsize") and \
            not (st and (p["t"][7:] in [s["name"] for s in deep])) and r.random() < 0.35:
        how = r.choice(["ptr", "ptr", "ptrc", "int"]) if not is_cb else "ptr"
        fname = "f%d" % len(params)
        if how == "ptr":
            params.append({"k": "fptr", "name": fname})
        elif how == "ptrc":
            params.append({"k": "fptr", "name": fname, "cnt": "c" + fname})
            params.append({"k": "len", "name": "c" + fname, "t": "size_t", "fixed": 1})
        else:
            params.append({"k": "fint", "name": fname, "t": "size_t"})
        p["filled"] = fname
    return p


def gen_params(r, structs, is_cb, nmax=5):
    params, lens = [], []
    flat = [s for s in structs if not s["deep"] and not s.get("deepish") and s["members"]]
    for _ in range(r.randint(0, nmax)):
        k = r.random()
        if k < 0.22:
            pool = RARE_SCALARS if r.random() < 0.03 else SCALARS
            params.append({"k": "sc", "name": "a%d" % len(params), "t": r.choice(pool)[0]})
        elif k < 0.62:
            gen_buf(r, params, lens, structs, is_cb)
        elif k < 0.74:
            d = r.choice(["in", "in, out"])
            p = {"k": "str", "name": "s%d" % len(params), "dir": d}
            if r.random() < 0.6 or d != "in":
                p["maxlen"] = r.randint(1, 40)
            params.append(p)
        elif k < 0.86:
            d = r.choice(["in", "out", "in, out"]) if not is_cb else "in"
            t = r.choice(BUF_ELEMS)
            if flat and r.random() < 0.25:
                t = "struct " + r.choice(flat)["name"]
            dims = [r.randint(1, 6)]
            if r.random() < 0.25 and (not t.startswith("struct") or r.random() < 0.3):
                dims.append(r.randint(1, 3))
            params.append({"k": "fixed", "name": "x%d" % len(params), "dir": d, "t": t, "dims": dims})
        elif flat or structs:
            pool = flat
            if r.random() < REFUSED_RATE:
                # deep ones too: refused by -Wdeep-struct (checked, then dropped)
                pool = [x for x in structs if x["members"]]
            if pool:
                params.append({"k": "sval", "name": "v%d" % len(params), "t": "struct " + r.choice(pool)["name"]})
    return params


def gen_ret(r, structs, allow_struct=True):
    flat = [s for s in structs if not s["deep"] and not s.get("deepish") and s["members"]]
    k = r.random()
    if k < 0.2:
        return None, None
    if k < 0.3 and flat and allow_struct:
        return "struct " + r.choice(flat)["name"], None
    deep = [s for s in structs if s["deep"] or s.get("deepish")]
    if k < 0.30 + REFUSED_RATE and deep and allow_struct:    # -Wdeep-struct
        return "struct " + r.choice(deep)["name"], None
    t = r.choice(SCALARS)[0]
    err = None
    if t != "bool" and r.random() < 0.6:
        sz, sg = SIZE[t], SIGNED[t]
        if sg:
            err = -1 if r.random() < 0.6 else (-(MAXV[sz] + 1) if r.random() < 0.5 else -r.randint(1, 100))
        else:
            err = (1 << (8 * sz)) - 1 if r.random() < 0.5 else r.randint(100, 120)
    return t, err


def gen_model(seed):
    r = random.Random(seed)
    name = "fz%d" % seed
    structs = []
    for i in range(r.randint(0, 4)):
        structs.append(gen_struct(r, "%s_s%d" % (name, i), structs))
    cbs, funcs = [], []
    privs = []
    for i in range(r.randint(0, 2)):
        ret, err = gen_ret(r, [], False)
        f = {"name": "%s_g%d" % (name, i), "public": False, "ret": ret, "error": err,
             "params": [{"k": "sc", "name": "a%d" % j, "t": r.choice(SCALARS)[0]} for j in range(r.randint(0, 2))]}
        privs.append(f)
    for i in range(r.randint(0, 3)):
        ret, _ = gen_ret(r, [], False)
        cb = {"name": "%s_cb%d" % (name, i), "ret": ret, "params": gen_params(r, structs, True, 4), "allow": []}
        for g in privs:
            if r.random() < 0.7:
                cb["allow"].append(g["name"])
        cbs.append(cb)
    # every private function must be allowed somewhere, else it is unreachable
    for g in privs:
        if not any(g["name"] in cb["allow"] for cb in cbs):
            if cbs:
                r.choice(cbs)["allow"].append(g["name"])
    privs = [g for g in privs if any(g["name"] in cb["allow"] for cb in cbs)]
    for i in range(r.randint(1, 5)):
        ret, err = gen_ret(r, structs)
        f = {"name": "%s_f%d" % (name, i), "public": True, "ret": ret, "error": err,
             "params": gen_params(r, structs, False),
             "calls": [cb["name"] for cb in cbs if r.random() < 0.5]}
        funcs.append(f)
    m = {"seed": seed, "name": name, "structs": structs, "funcs": funcs + privs, "cbs": cbs}
    flat = [x for x in structs if not x["deep"] and not x.get("deepish") and x["members"]]
    if flat and r.random() < 0.15:
        # a second interface in the same file whose gates use a struct of the first
        m["second"] = {"name": name + "b", "struct": flat[0]["name"]}
    return m


# ---------------------------------------------------------------- documented refusals

def deep_set(m):
    """names of the structs the front end calls deep: a copied pointer member,
    or a struct member (by value or array) that is deep, at any depth"""
    deep = {s["name"] for s in m["structs"] if any(x["k"] == "ptr" for x in s["members"])}
    while True:
        more = {s["name"] for s in m["structs"]
                if any(x["k"] == "st" and x["t"] in deep for x in s["members"])} - deep
        if not more:
            return deep
        deep |= more


def expected_refusals(m):
    """what erimgen must refuse by a named check (doc/erim.5, doc/generator.md "Limits,
    stated"), as a set of (check, owner, item): -Wempty-struct for a struct
    without members; -Wdeep-struct for a deep struct embedded by value in
    (or pointed to by a member of) another struct, passed or returned by
    value, or anywhere in an untrusted function"""
    deep = deep_set(m)
    e = set()

    def isdeep(t):
        return is_struct(t) and sname(t) in deep
    for s in m["structs"]:
        if not s["members"]:
            e.add(("empty-struct", s["name"], ""))
        for x in s["members"]:
            if (x["k"] == "st" and x["t"] in deep) or (x["k"] == "ptr" and isdeep(x["t"])):
                e.add(("deep-struct", s["name"], x["name"]))
    for f in m["funcs"]:
        for p in f["params"]:
            if p["k"] == "sval" and isdeep(p["t"]):
                e.add(("deep-struct", f["name"], p["name"]))
        if isdeep(f.get("ret")):
            e.add(("deep-struct", f["name"], "ret"))
    for cb in m["cbs"]:
        for p in cb["params"]:
            if p["k"] in ("sval", "buf", "fixed") and isdeep(p["t"]):
                e.add(("deep-struct", cb["name"], p["name"]))
        if isdeep(cb.get("ret")):
            e.add(("deep-struct", cb["name"], "ret"))
    return e


# ---------------------------------------------------------------- helpers

def sbyname(m):
    return {s["name"]: s for s in m["structs"]}


def is_struct(t):
    return t is not None and t.startswith("struct ")


def sname(t):
    return t[7:]


def cnum(v, t):
    """A C literal of value V for type T (64-bit extremes spelled safely)."""
    if v < 0:
        if v == -(1 << 63):
            return "(-9223372036854775807LL - 1)"
        return "(%d)" % v if -v < (1 << 31) else "(%dLL)" % v
    if v >= (1 << 63):
        return "%dULL" % v
    if v >= (1 << 31):
        return "%dLL" % v
    return "%d" % v


def elem_bytes(p):
    """C expression: bytes per unit the length expression counts."""
    if p["form"] == "size":
        return "1"
    if p["form"] == "countsize":
        return "(size_t)(%s)" % p["k_size"]
    return "sizeof(%s)" % p["t"]


def nbytes_c(p, pref=""):
    e = p["expr"]
    for v in sorted(lenvars(p), key=len, reverse=True):
        e = e.replace(v, "(size_t)" + pref + v) if pref else e
    return "((size_t)(%s) * %s)" % (e, elem_bytes(p))


def lenvars(p):
    import re
    return [v for v in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", p["expr"] or "") if not v.startswith("sizeof")]


def nelem_c(p):
    """number of struct elements of a struct buffer"""
    return "((size_t)(%s))" % p["expr"] if p["form"] == "count" else "((size_t)(%s))" % p["expr"]


def pdecl(p, cb=False):
    """the parameter's declaration in .erim syntax and in C"""
    k = p["k"]
    if k in ("sc", "len", "fint"):
        return "%s %s" % (p["t"], p["name"]), "%s %s" % (p["t"], p["name"])
    if k == "sval":
        return "%s %s" % (p["t"], p["name"]), "%s %s" % (p["t"], p["name"])
    if k == "fptr":
        a = "[out, count=%s]" % p["cnt"] if p.get("cnt") else "[out]"
        return "%s size_t *%s" % (a, p["name"]), "size_t *%s" % p["name"]
    if k == "str":
        a = "[%s, string%s]" % (p["dir"], ", maxlen=%d" % p["maxlen"] if p.get("maxlen") else "")
        c = "const " if p["dir"] == "in" else ""
        return "%s %schar *%s" % (a, c, p["name"]), "%schar *%s" % (c, p["name"])
    if k == "fixed":
        c = "const " if p["dir"] == "in" else ""
        d = "".join("[%d]" % x for x in p["dims"])
        return "[%s] %s%s %s%s" % (p["dir"], c, p["t"], p["name"], d), "%s%s %s%s" % (c, p["t"], p["name"], d)
    if k == "buf":
        a = [p["dir"]]
        if p["form"] == "size":
            a.append("size=%s" % p["expr"])
        elif p["form"] == "count" or p["form"] == "lit":
            a.append("count=%s" % p["expr"])
        else:
            a.append("count=%s" % p["expr"])
            a.append("size=%s" % p["k_size"])
        if p.get("filled"):
            a.append("filled=%s" % p["filled"])
        c = "const " if p["dir"] == "in" else ""
        return "[%s] %s%s *%s" % (", ".join(a), c, p["t"], p["name"]), "%s%s *%s" % (c, p["t"], p["name"])
    raise ValueError(k)


def ret_c(f):
    return f["ret"] if f["ret"] else "void"


# ---------------------------------------------------------------- .erim

def emit_erim(m, tags=None):
    """the .erim text; TAGS (a list) gets what each line declares:
    ("member", struct index, member index) or ("func"|"cb", index) or None"""
    if tags is None:
        tags = []
    o = ["/* %s.erim: generated by tests/fuzz-gates/fzgen.py (seed %s) */" % (m["name"], m["seed"]),
         "interface %s {" % m["name"]]
    for si, s in enumerate(m["structs"]):
        tags.extend([None] * (len(o) - len(tags)))
        tags.append(("struct", si))
        o.append("    struct %s {" % s["name"])
        for mi, mm in enumerate(s["members"]):
            tags.extend([None] * (len(o) - len(tags)))
            tags.append(("member", si, mi))
            if mm["k"] == "sc":
                o.append("        %s %s;" % (mm["t"], mm["name"]))
            elif mm["k"] == "arr":
                o.append("        %s %s%s;" % (mm["t"], mm["name"], "".join("[%d]" % d for d in mm["dims"])))
            elif mm["k"] == "st":
                o.append("        struct %s %s;" % (mm["t"], mm["name"]))
            else:
                o.append("        [%s=%s] %s *%s;" % (mm["form"], mm["len"], mm["t"], mm["name"]))
        o.append("    };")
    o.append("    trusted {")
    for fi, f in enumerate(m["funcs"]):
        tags.extend([None] * (len(o) - len(tags)))
        tags.append(("func", fi))
        ps = ", ".join(pdecl(p)[0] for p in f["params"]) or "void"
        err = " error(%d)" % f["error"] if f.get("error") is not None else ""
        o.append("        %s%s %s(%s)%s;" % ("public " if f["public"] else "", ret_c(f), f["name"], ps, err))
    o.append("    };")
    if m["cbs"]:
        o.append("    untrusted {")
        for ci, cb in enumerate(m["cbs"]):
            tags.extend([None] * (len(o) - len(tags)))
            tags.append(("cb", ci))
            ps = ", ".join(pdecl(p, True)[0] for p in cb["params"]) or "void"
            al = " allow(%s)" % ", ".join(cb["allow"]) if cb["allow"] else ""
            o.append("        %s %s(%s)%s;" % (ret_c(cb), cb["name"], ps, al))
        o.append("    };")
    o.append("};")
    if m.get("second") and m["second"]["struct"] in [x["name"] for x in m["structs"]]:
        b = m["second"]
        tags.extend([None] * (len(o) - len(tags)))
        tags.append(("second",))
        o.append("interface %s { trusted { public int %s_f([in] const struct %s *p, [out] struct %s *q); }; };"
                 % (b["name"], b["name"], b["struct"], b["struct"]))
    return "\n".join(o) + "\n"


# ---------------------------------------------------------------- struct helpers (fz_types.h)

def scal_load(t, lv):
    return "FZ_LOADB(%s)" % lv if t == "bool" else "(uint64_t)(%s)" % lv


def scal_pat(t, seed, k):
    if t == "bool":
        return "((fz_pat(%s, %s) >> 1) & 1u) != 0" % (seed, k)
    return "(%s)fz_pat(%s, %s)" % (t, seed, k)


def loops(dims, body_fn, ind="\t"):
    """nested loops over DIMS; body_fn(index_suffix, flat_index_c)"""
    o = []
    idx = ""
    flat = "0"
    for i, d in enumerate(dims):
        o.append(ind + "\t" * i + "for (size_t i%d = 0; i%d < %d; i%d++)" % (i, i, d, i))
        idx += "[i%d]" % i
        flat = "(%s) * %d + i%d" % (flat, d, i)
    o.append(ind + "\t" * len(dims) + body_fn(idx, flat))
    return o


def emit_types(m):
    by = sbyname(m)
    o = ["/* fz_types.h: checksums, patterns and checks of the structs of %s (generated) */" % m["name"],
         "#ifndef FZ_TYPES_H", "#define FZ_TYPES_H", "#include <stdlib.h>", '#include "fz_common.h"', ""]
    for s in m["structs"]:
        n = s["name"]
        o.append("static inline uint64_t fz_sum_%s(uint64_t h, const struct %s *s);" % (n, n))
    for s in m["structs"]:
        n = s["name"]
        lens = [mm["len"] for mm in s["members"] if mm["k"] == "ptr"]
        # sum
        o.append("static inline __attribute__((unused)) uint64_t fz_sum_%s(uint64_t h, const struct %s *s)\n{" % (n, n))
        o.append("\t(void)s;")
        for mm in s["members"]:
            if mm["k"] == "sc":
                o.append("\th = fz_mix(h, %s);" % scal_load(mm["t"], "s->" + mm["name"]))
            elif mm["k"] == "arr":
                o += loops(mm["dims"], lambda ix, fl, mm=mm: "h = fz_mix(h, %s);" % scal_load(mm["t"], "s->%s%s" % (mm["name"], ix)))
            elif mm["k"] == "st":
                o.append("\th = fz_sum_%s(h, &s->%s);" % (mm["t"], mm["name"]))
            else:
                cnt = "(size_t)s->%s" % mm["len"]
                if mm["form"] == "size":
                    cnt = "((size_t)s->%s / sizeof *s->%s)" % (mm["len"], mm["name"])
                o.append("\tFZ_PTRCHK(s->%s, %s * sizeof *s->%s, \"%s\");" % (mm["name"], cnt, mm["name"], mm["name"]))
                o.append("\tif (!s->%s)\n\t\th = fz_mix(h, 0xDEADull);\n\telse for (size_t i = 0; i < %s; i++)" % (mm["name"], cnt))
                if is_struct(mm["t"]):
                    o.append("\t\th = fz_sum_%s(h, &s->%s[i]);" % (sname(mm["t"]), mm["name"]))
                else:
                    o.append("\t\th = fz_mix(h, %s);" % scal_load(mm["t"], "s->%s[i]" % mm["name"]))
        o.append("\treturn h;\n}")
        # fill with the pattern (length members are kept: never copied back)
        o.append("static inline __attribute__((unused)) void fz_fill_%s(struct %s *s, uint64_t seed)\n{" % (n, n))
        o.append("\t(void)s; (void)seed;")
        for k, mm in enumerate(s["members"]):
            if mm["k"] == "sc" and mm["name"] not in lens:
                o.append("\ts->%s = %s;" % (mm["name"], scal_pat(mm["t"], "seed", k)))
            elif mm["k"] == "arr":
                o += loops(mm["dims"], lambda ix, fl, mm=mm, k=k: "s->%s%s = %s;" % (mm["name"], ix, scal_pat(mm["t"], "seed + %d" % k, fl)))
            elif mm["k"] == "st":
                o.append("\tfz_fill_%s(&s->%s, seed * 31u + %d);" % (mm["t"], mm["name"], k))
            elif mm["k"] == "ptr":
                cnt = "(size_t)s->%s" % mm["len"]
                if mm["form"] == "size":
                    cnt = "((size_t)s->%s / sizeof *s->%s)" % (mm["len"], mm["name"])
                o.append("\tfor (size_t i = 0; s->%s && i < %s; i++)" % (mm["name"], cnt))
                if is_struct(mm["t"]):
                    o.append("\t\tfz_fill_%s(&s->%s[i], seed * 7u + i);" % (sname(mm["t"]), mm["name"]))
                else:
                    o.append("\t\ts->%s[i] = %s;" % (mm["name"], scal_pat(mm["t"], "seed + %d" % k, "i")))
        o.append("}")
        # zero: what an [out] struct must look like when the callee gets it
        o.append("static inline __attribute__((unused)) void fz_zero_%s(struct %s *s)\n{" % (n, n))
        o.append("\t(void)s;")
        for mm in s["members"]:
            if mm["k"] == "sc" and mm["name"] not in lens:
                o.append("\ts->%s = 0;" % mm["name"])
            elif mm["k"] == "arr":
                o.append("\tmemset(s->%s, 0, sizeof s->%s);" % (mm["name"], mm["name"]))
            elif mm["k"] == "st":
                o.append("\tfz_zero_%s(&s->%s);" % (mm["t"], mm["name"]))
            elif mm["k"] == "ptr":
                cnt = "(size_t)s->%s" % mm["len"]
                if mm["form"] == "size":
                    cnt = "((size_t)s->%s / sizeof *s->%s)" % (mm["len"], mm["name"])
                o.append("\tif (s->%s)\n\t\tmemset(s->%s, 0, %s * sizeof *s->%s);" % (mm["name"], mm["name"], cnt, mm["name"]))
        o.append("}")
        # padding: every byte not covered by a member is zero (recursively)
        o.append("static inline __attribute__((unused)) int fz_padok_%s(const struct %s *s)\n{" % (n, n))
        o.append("\tunsigned char cov[sizeof *s + 1];\n\tconst unsigned char *b = (const unsigned char *)s;\n\tint ok = 1;")
        o.append("\tmemset(cov, 0, sizeof cov);")
        for mm in s["members"]:
            o.append("\tmemset(cov + offsetof(struct %s, %s), 1, sizeof s->%s);" % (n, mm["name"], mm["name"]))
            if mm["k"] == "st":
                o.append("\tok &= fz_padok_%s(&s->%s);" % (mm["t"], mm["name"]))
            if mm["k"] == "arr" and mm["t"] == "bool":
                pass
        o.append("\tfor (size_t i = 0; i < sizeof *s; i++)\n\t\tif (!cov[i] && b[i])\n\t\t\tok = 0;")
        o.append("\treturn ok;\n}")
        # driver only: random contents, clone, free, pointer sum
        o.append("#ifndef FZ_DRIVER")
        o.append("static inline __attribute__((unused)) void fz_tinit_%s(struct %s *s)\n{" % (n, n))
        o.append("\t(void)s;")
        for mm in s["members"]:
            if mm["k"] == "st":
                o.append("\tfz_tinit_%s(&s->%s);" % (mm["t"], mm["name"]))
            elif mm["k"] == "ptr":
                o.append("\ts->%s = erim_calloc(2, sizeof *s->%s);" % (mm["name"], mm["name"]))
                o.append("\ts->%s = %s;" % (mm["len"], "2 * sizeof *s->%s" % mm["name"] if mm["form"] == "size" else "2"))
        o.append("}")
        o.append("#else")
        o.append("static inline __attribute__((unused)) int fz_trustedptrs_%s(const struct %s *s)\n{" % (n, n))
        o.append("\tint t = 0;\n\t(void)s;")
        for mm in s["members"]:
            if mm["k"] == "st":
                o.append("\tt |= fz_trustedptrs_%s(&s->%s);" % (mm["t"], mm["name"]))
            elif mm["k"] == "ptr":
                o.append("\tt |= s->%s && erim_overlaps_trusted(s->%s, 1);" % (mm["name"], mm["name"]))
        o.append("\treturn t;\n}")
        o.append("#endif")
        o.append("#ifdef FZ_DRIVER")
        o.append("static inline __attribute__((unused)) void fz_rnd_%s(struct %s *s, size_t ocap)\n{" % (n, n))
        o.append("\t(void)ocap;")
        for mm in s["members"]:
            if mm["k"] == "sc" and mm["name"] not in lens:
                o.append("\ts->%s = %s;" % (mm["name"], "(fz_rand() & 1) != 0" if mm["t"] == "bool" else "(%s)fz_rand()" % mm["t"]))
            elif mm["k"] == "arr":
                o += loops(mm["dims"], lambda ix, fl, mm=mm: "s->%s%s = %s;" % (mm["name"], ix, "(fz_rand() & 1) != 0" if mm["t"] == "bool" else "(%s)fz_rand()" % mm["t"]))
            elif mm["k"] == "st":
                o.append("\tfz_rnd_%s(&s->%s, ocap);" % (mm["t"], mm["name"]))
            elif mm["k"] == "ptr":
                et = mm["t"]
                o.append("\t{\n\t\tsize_t c = fz_rand() % 6, b;")
                if mm["form"] == "size":
                    o.append("\t\tb = c * sizeof *s->%s;\n\t\ts->%s = (%s)b;" % (mm["name"], mm["len"], [x for x in s["members"] if x["name"] == mm["len"]][0]["t"]))
                else:
                    o.append("\t\tb = c * sizeof *s->%s;\n\t\ts->%s = (%s)c;" % (mm["name"], mm["len"], [x for x in s["members"] if x["name"] == mm["len"]][0]["t"]))
                o.append("\t\ts->%s = fz_rand() %% 16 == 0 ? NULL : fz_ualloc(b);" % mm["name"])
                o.append("\t\tif (s->%s) {" % mm["name"])
                o.append("\t\t\tmemset(s->%s, 0xEE, b);" % mm["name"])
                o.append("\t\t\tfor (size_t i = 0; !ocap && i < c; i++)")
                if is_struct(et):
                    o.append("\t\t\t\tfz_rnd_%s(&s->%s[i], 0);" % (sname(et), mm["name"]))
                else:
                    o.append("\t\t\t\ts->%s[i] = %s;" % (mm["name"], "(fz_rand() & 1) != 0" if et == "bool" else "(%s)fz_rand()" % et))
                o.append("\t\t}\n\t}")
            elif mm["k"] == "sc":
                pass
        o.append("}")
        o.append("static inline __attribute__((unused)) void fz_clone_%s(struct %s *d, const struct %s *s)\n{" % (n, n, n))
        o.append("\tmemcpy(d, s, sizeof *d);")
        for mm in s["members"]:
            if mm["k"] == "st":
                o.append("\tfz_clone_%s(&d->%s, &s->%s);" % (mm["t"], mm["name"], mm["name"]))
            elif mm["k"] == "ptr":
                cnt = "(size_t)s->%s" % mm["len"]
                if mm["form"] == "size":
                    cnt = "((size_t)s->%s / sizeof *s->%s)" % (mm["len"], mm["name"])
                o.append("\tif (s->%s) {\n\t\td->%s = malloc(%s * sizeof *s->%s + 1);" % (mm["name"], mm["name"], cnt, mm["name"]))
                o.append("\t\tmemcpy(d->%s, s->%s, %s * sizeof *s->%s);\n\t}" % (mm["name"], mm["name"], cnt, mm["name"]))
        o.append("}")
        o.append("static inline __attribute__((unused)) void fz_free_%s(struct %s *s)\n{" % (n, n))
        o.append("\t(void)s;")
        for mm in s["members"]:
            if mm["k"] == "st":
                o.append("\tfz_free_%s(&s->%s);" % (mm["t"], mm["name"]))
            elif mm["k"] == "ptr":
                o.append("\tfree((void *)s->%s);" % mm["name"])
        o.append("}")
        o.append("static inline __attribute__((unused)) uint64_t fz_ptrs_%s(uint64_t h, const struct %s *s)\n{" % (n, n))
        o.append("\t(void)s;")
        for mm in s["members"]:
            if mm["k"] == "st":
                o.append("\th = fz_ptrs_%s(h, &s->%s);" % (mm["t"], mm["name"]))
            elif mm["k"] == "ptr":
                o.append("\th = fz_mix(h, (uint64_t)(uintptr_t)s->%s);" % mm["name"])
                o.append("\th = fz_mix(h, (uint64_t)s->%s);" % mm["len"])
        o.append("\treturn h;\n}")
        o.append("#endif\n")
    o.append("#endif")
    return "\n".join(o) + "\n"


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import fzemit
    if sys.argv[1] == "--model":
        model = json.load(open(sys.argv[2]))
        out = sys.argv[3]
    else:
        model = gen_model(int(sys.argv[1]))
        out = sys.argv[2]
    fzemit.write_all(model, out)
