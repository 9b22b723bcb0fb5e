#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fzrun.py: run the fuzz-gates differential fuzzer.

  fzrun.py campaign [--seed N] [--count N | --seconds S] [--rounds R] [--race K]
                    [--reduce] [--save-regress] [--keep DIR]
  fzrun.py replay FILE.json...        # regression interfaces: must find nothing
  fzrun.py one SEED                   # one interface, verbose

Each interface: erimgen (must accept it, or refuse the shape with a
diagnostic from the generator), the generated C compiled with gcc and clang
-Wall -Wextra -Werror -std=c11, then the driver run under `none` with
ASan+UBSan (trusted heap = malloc, so ASan sees the staging buffers) and
natively under `mprotect`.  Findings are minimised (functions, callbacks,
parameters, struct members dropped while the same class persists) and, with
--save-regress, kept under regress/.  Environment: top_srcdir, top_builddir
(default: this checkout), CC (gcc), CLANG (clang)."""
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fzgen      # noqa: E402
import fzemit     # noqa: E402

SRC = os.environ.get("top_srcdir") or os.path.abspath(os.path.join(HERE, "..", ".."))
BLD = os.environ.get("top_builddir") or SRC
ERIMGEN = os.path.join(BLD, "generator", "erimgen")
CC = os.environ.get("FZ_CC", "gcc")
CLANG = os.environ.get("FZ_CLANG", "clang")
STRICT = ["-Wall", "-Wextra", "-Werror", "-std=c11"]
SAN = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]
LIBS = ["-L" + os.path.join(BLD, "runtime", ".libs"), "-lerim",
        "-Wl,-rpath," + os.path.join(BLD, "runtime", ".libs"),
        "-Wl,-T," + os.path.join(SRC, "runtime", "erim_trusted.ld"), "-lpthread"]


def liberim_san_flags():
    """A liberim built with sanitizers (configure --enable-asan/--enable-ubsan)
    needs their run-time in every driver, ASan's first in the program."""
    so = os.path.join(BLD, "runtime", ".libs", "liberim.so")
    try:
        syms = subprocess.run(["nm", "-D", "--undefined-only", so], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, universal_newlines=True).stdout
    except OSError:
        return []
    return ((["-fsanitize=address"] if "__asan_init" in syms else []) +
            (["-fsanitize=undefined"] if "__ubsan_handle" in syms else []))


LIBS += liberim_san_flags()
GEN_REFUSALS = re.compile(r"cannot be passed|not supported|make it a pointer|give it a scalar|cannot be copied")


def sh(cmd, timeout=300, env=None):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout, env=env)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        return -999, (e.stdout or b"").decode("utf-8", "replace") + "\n[timeout]"


NAMED_REFUSALS = ("deep-struct", "empty-struct")   # documented limits (doc/erim.5, doc/generator.md)


def named_refusals(model, out):
    """the errors of erimgen's output as {(check, owner, item)}: check is the
    named check ([-Wdeep-struct]) or "gen" for a generator diagnostic of a
    documented limit (GEN_REFUSALS); owner/item name the struct and member or
    the function and parameter ("ret" for its return, "" for a whole struct).
    Any other error -> (None, text, "")"""
    tags = []
    fzgen.emit_erim(model, tags)
    got = set()
    for x in out.splitlines():
        m = re.match(r".*\.erim:(\d+):\d+: error: (.*?)(?: \[-W([\w-]+)\])?$", x)
        if not m:
            continue
        ln, msg, chk = int(m.group(1)), m.group(2), m.group(3)
        t = tags[ln - 1] if ln - 1 < len(tags) else None
        if chk is None and GEN_REFUSALS.search(msg):
            chk = "gen"
        if not t or t[0] == "second" or chk not in NAMED_REFUSALS + ("gen",):
            got.add((None, x.strip(), ""))
            continue
        if t[0] == "struct":
            got.add((chk, model["structs"][t[1]]["name"], ""))
        elif t[0] == "member":
            s = model["structs"][t[1]]
            got.add((chk, s["name"], s["members"][t[2]]["name"]))
        else:
            f = model["funcs"][t[1]] if t[0] == "func" else model["cbs"][t[1]]
            pm = re.match(r"parameter '(\w+)'", msg)
            got.add((chk, f["name"], pm.group(1) if pm else ("ret" if " returns " in msg else "*")))
    return got


def drop_refused(model, got):
    """the model without what erimgen refused as a documented limit (the
    struct, member, parameter or return its diagnostic points at)"""
    m = copy.deepcopy(model)
    gone = {"struct " + owner for _c, owner, item in got if item == ""}
    for _chk, owner, item in got:
        m["structs"] = [s for s in m["structs"] if not (s["name"] == owner and item == "")]
    # a refused (dropped) struct takes its uses with it
    for s in m["structs"]:
        s["members"] = [x for x in s["members"] if "struct " + x["t"] not in gone and x["t"] not in gone]
    for f in m["funcs"] + m["cbs"]:
        f["params"] = [x for x in f["params"] if x.get("t") not in gone]
        if f.get("ret") in gone:
            f["ret"], f["error"] = None, None
    for _chk, owner, item in got:
        for s in m["structs"]:
            if s["name"] == owner:
                s["members"] = [x for x in s["members"] if x["name"] != item]
        for f in m["funcs"] + m["cbs"]:
            if f["name"] != owner:
                continue
            if item == "ret":
                f["ret"], f["error"] = None, None
            elif item == "*":
                f["params"] = []
            else:
                f["params"] = [x for x in f["params"] if x["name"] != item]
    # a length member or parameter stays (a plain scalar); structs recomputed
    by = {s["name"]: s for s in m["structs"]}
    for s in m["structs"]:
        fzgen.fix_struct(s, by)
    return m


def run_one(model, d, rounds=20, race=10, backends=("none", "mprotect"), compilers=True, execute=True):
    """-> (findings [(class, func, text)], stats {}, status)"""
    fz = []
    st = {"calls": 0, "hostile": 0, "racing": 0, "refusals": 0}
    name = model["name"]
    expect = fzgen.expected_refusals(model)
    seen = set()
    for _ in range(8):
        if os.path.isdir(d):
            shutil.rmtree(d)
        fzemit.write_all(model, d)
        rc, out = sh([ERIMGEN, "-o", d, os.path.join(d, name + ".erim")])
        if rc == 0:
            break
        got = named_refusals(model, out) if rc == 1 else set()
        bad = [x for x in got if x[0] is None]
        if rc != 1 or not got or bad:
            fz.append(("erimgen-rejects-valid" if rc == 1 else "erimgen-crash", name,
                       ("\n".join(x[1] for x in bad) or out.strip())[:600]))
            return fz, st, "erimgen"
        seen |= got
        st["refusals"] += len(got)
        model = drop_refused(model, got)
        # what dropping them leaves (a struct whose only member went) is refused too
        expect |= fzgen.expected_refusals(model)
    else:
        return [], st, "refused-shape"
    # a shape the documentation says is refused must be refused by that
    # named check, and a named check must refuse nothing else
    named = {x for x in seen if x[0] != "gen"}
    if named - expect:
        fz.append(("erimgen-rejects-valid", name, "; ".join("-W%s %s.%s" % x for x in sorted(named - expect))))
        return fz, st, "erimgen"
    if expect - named:
        fz.append(("erimgen-accepts-refused", name, "; ".join("-W%s %s.%s" % x for x in sorted(expect - named))))
        return fz, st, "erimgen"
    st["named"] = sorted({x[0] for x in named})
    st["model"] = model
    gates = [os.path.join(d, name + "_gates.c")]
    if fzemit.second(model):
        gates.append(os.path.join(d, model["second"]["name"] + "_gates.c"))
    inc = ["-I" + d, "-I" + os.path.join(SRC, "runtime"), "-I" + HERE, "-D_GNU_SOURCE"]
    if compilers:
        for cc in (CC, CLANG):
            if not shutil.which(cc):
                continue
            rc, out = 0, ""
            for g in gates:
                rc2, out2 = sh([cc] + STRICT + inc + ["-fsyntax-only", g])
                if rc2 != 0 and g != gates[0]:
                    fz.append(("generated-c-werror(second-interface)", name, "%s: %s" % (cc, out2.strip()[:600])))
                elif rc2 != 0:
                    rc, out = rc2, out + out2
            if rc != 0:
                w = re.search(r"\[-Werror[=,]?(-W)?([\w-]*)", out) or re.search(r"error: ([a-z ]{4,30})", out)
                sub = (w.group(2) if w.lastindex and w.lastindex >= 2 else w.group(1)).strip() if w else "error"
                fz.append(("generated-c-werror(%s)" % (sub or "error"), name, "%s: %s" % (cc, out.strip()[:600])))
    # the second interface (if any) is only compiled above: it has no driver
    srcs = gates[:1] + [os.path.join(d, "fz_impl.c"), os.path.join(d, "fz_driver.c"),
            os.path.join(HERE, "fz_rt.c")]
    for be in backends:
        exe = os.path.join(d, "fz_" + be)
        flags = ["-std=c11", "-g", "-O1", "-w"] + inc
        if be == "none":
            flags += SAN + ["-DFZ_HEAP_SHIM"]
        rc, out = sh([CC] + flags + srcs + ["-o", exe] + LIBS)
        if rc != 0:
            fz.append(("harness-build", name, out.strip()[:800]))
            return fz, st, "harness"
        if not execute:
            continue
        env = dict(os.environ, ERIM_BACKEND=be, ERIM_QUIET="1",
                   ASAN_OPTIONS="allocator_may_return_null=1:detect_leaks=0:abort_on_error=0",
                   UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
        rc, out = sh([exe, str(rounds), str(model["seed"]), str(race)], timeout=300, env=env)
        for line in out.splitlines():
            m = re.match(r"FZ-FINDING class=(\S+) func=(\S+): (.*)", line)
            if m:
                cls = m.group(1)
                if cls == "sanitizer":
                    k = re.search(r"AddressSanitizer: ([\w-]+)|runtime error: (load of value \d+, which is not a valid value for type '_Bool'|[a-z ]{4,40})", m.group(3))
                    if k:
                        cls += "(%s)" % ("bool-load" if k.group(2) and "_Bool" in k.group(2) else (k.group(1) or k.group(2)).strip())
                fz.append((cls, m.group(2), "[%s] %s" % (be, m.group(3))))
            m = re.match(r"FZ-STATS .*calls=(\d+) hostile=(\d+) racing=(\d+)", line)
            if m:
                st["calls"] += int(m.group(1))
                st["hostile"] += int(m.group(2))
                st["racing"] += int(m.group(3))
        if "FZ-STATS" not in out:
            s = re.search(r"SUMMARY: .*|runtime error: .*|erim: .*", out)
            k = re.search(r"AddressSanitizer: ([\w-]+)", out)
            fz.append(("sanitizer(%s)" % (k.group(1) if k else "ubsan") if "Sanitizer" in out or "runtime error" in out
                       else "driver-died", name,
                       "[%s] rc=%d %s" % (be, rc, (s.group(0) if s else out[-400:]).strip())))
    return fz, st, "ran"


def classes(fz):
    return {c for c, _, _ in fz}


def reduce(model, cls, d, log=print, text="", func=None, budget=240):
    """drop functions, callbacks, parameters, members while CLS persists"""
    best = copy.deepcopy(model)
    if cls.startswith("erimgen") or cls.startswith("generated-c-werror"):
        bk, comp = (), cls.startswith("generated-c-werror")
    else:
        bk, comp = tuple(b for b in ("none", "mprotect") if "[%s]" % b in text) or ("none", "mprotect"), False

    def still(m):
        try:
            fz, _, _ = run_one(m, d, rounds=3, race=3, backends=bk, compilers=comp)
        except Exception:   # a model the emitter cannot handle: not smaller
            return False
        return cls in classes(fz)

    t0 = time.time()
    # first the big step: only the function (or callback) the finding names,
    # the callbacks it calls and the private functions they allow
    fn = func
    if fn:
        m = copy.deepcopy(best)
        keep = [f for f in m["funcs"] if f["name"] == fn or fn in f.get("calls", [])]
        if keep:
            if keep[0]["name"] == fn:
                keep = keep[:1]
            else:
                keep = keep[:1]
            called = set(keep[0].get("calls", []))
            m["cbs"] = [cb for cb in m["cbs"] if cb["name"] in called]
            allowed = {a for cb in m["cbs"] for a in cb["allow"]}
            m["funcs"] = keep + [g for g in m["funcs"] if not g["public"] and g["name"] in allowed and g not in keep]
            if m != best and still(m):
                best = m
                log("  reduced: kept only %s" % fn)
    changed = True
    while changed and time.time() - t0 < budget:
        changed = False
        cands = []
        for i in range(len(best["funcs"])):
            cands.append(("func", i))
        for i in range(len(best["cbs"])):
            cands.append(("cb", i))
        if best.get("second"):
            cands.append(("second",))
        for i, f in enumerate(best["funcs"]):
            for j in range(len(f["params"])):
                cands.append(("param", i, j))
            if f.get("calls"):
                cands.append(("calls", i))
            if f.get("error") is not None:
                cands.append(("error", i))
        for i, cb in enumerate(best["cbs"]):
            for j in range(len(cb["params"])):
                cands.append(("cbparam", i, j))
        for i, s in enumerate(best["structs"]):
            for j in range(len(s["members"])):
                cands.append(("member", i, j))
        for c in reversed(cands):
            if time.time() - t0 >= budget:
                log("  reduction budget (%d s) spent: keeping the smallest so far" % budget)
                break
            m = copy.deepcopy(best)
            if c[0] == "func":
                if sum(1 for f in m["funcs"] if f["public"]) <= 1 and m["funcs"][c[1]]["public"]:
                    continue
                del m["funcs"][c[1]]
            elif c[0] == "cb":
                n = m["cbs"][c[1]]["name"]
                del m["cbs"][c[1]]
                for f in m["funcs"]:
                    f["calls"] = [x for x in f.get("calls", []) if x != n]
                live = {a for cb in m["cbs"] for a in cb["allow"]}
                m["funcs"] = [f for f in m["funcs"] if f["public"] or f["name"] in live]
            elif c[0] == "param":
                del m["funcs"][c[1]]["params"][c[2]]
            elif c[0] == "second":
                del m["second"]
            elif c[0] == "calls":
                m["funcs"][c[1]]["calls"] = []
            elif c[0] == "error":
                m["funcs"][c[1]]["error"] = None
            elif c[0] == "cbparam":
                del m["cbs"][c[1]]["params"][c[2]]
            elif c[0] == "member":
                del m["structs"][c[1]]["members"][c[2]]
                by = {s["name"]: s for s in m["structs"]}
                for s in m["structs"]:
                    fzgen.fix_struct(s, by)
            if still(m):
                best = m
                changed = True
                log("  reduced: dropped %s" % (c,))
                break
    # unused structs
    for s in list(best["structs"]):
        m = copy.deepcopy(best)
        m["structs"] = [x for x in m["structs"] if x["name"] != s["name"]]
        if still(m):
            best = m
    return best


def campaign(args):
    seed = args.get("seed", 1)
    count = args.get("count")
    secs = args.get("seconds")
    work = args.get("keep") or tempfile.mkdtemp(prefix="fz-gates.")
    t0 = time.time()
    tot = {"interfaces": 0, "refused": 0, "refusals": 0, "calls": 0, "hostile": 0, "racing": 0, "findings": 0}
    found = {}
    i = 0
    while True:
        if count is not None and i >= count:
            break
        if secs is not None and time.time() - t0 >= secs:
            break
        s = seed + i
        i += 1
        model = fzgen.gen_model(s)
        d = os.path.join(work, "fz%d" % s)
        fz, st, status = run_one(model, d, rounds=args.get("rounds", 20), race=args.get("race", 10))
        model = st.get("model", model)
        tot["interfaces"] += 1
        tot["refused"] += status == "refused-shape"
        for k in ("calls", "hostile", "racing", "refusals"):
            tot[k] += st[k]
        if status == "harness":
            print("HARNESS PROBLEM seed %d: %s" % (s, fz[0][2][:400]))
            continue
        tot["findings"] += len(fz)
        for c in sorted(classes(fz)):
            ex = [x for x in fz if x[0] == c][0]
            print("seed %d: finding %s (%s): %s" % (s, c, ex[1], ex[2][:300]))
            found.setdefault(c, []).append((s, model, ex))
        if status == "ran" and not fz:
            shutil.rmtree(d, ignore_errors=True)
        sys.stdout.flush()
    print("round: seed %d..%d, %d interfaces (%d shapes refused by erimgen as documented and dropped, %d interfaces "
          "left empty), %d calls, %d hostile, %d racing, %d findings in %d classes, %.0f s" % (
              seed, seed + i - 1, tot["interfaces"], tot["refusals"], tot["refused"],
                                                            tot["calls"], tot["hostile"], tot["racing"],
                                                            tot["findings"], len(found), time.time() - t0))
    for c, lst in sorted(found.items()):
        print("  class %-28s %d interface(s), first seed %d" % (c, len(lst), lst[0][0]))
    if args.get("reduce"):
        for c, lst in sorted(found.items()):
            s, model, ex = lst[0]
            print("reducing class %s (seed %d)..." % (c, s))
            small = reduce(model, c, os.path.join(work, "red"), log=print, text=ex[2], func=ex[1],
                           budget=args.get("reduce_budget", 240))
            print("minimised interface for %s:" % c)
            print(fzgen.emit_erim(small))
            small["found_as"] = c
            small["backends"] = [b for b in ("none", "mprotect") if "[%s]" % b in ex[2]] if not c.startswith(
                ("generated-c", "erimgen")) else []
            if args.get("save_regress"):
                path = os.path.join(HERE, "regress", "%s-%d.json" % (re.sub(r"[^\w-]+", "_", c).strip("_"), s))
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as fh:
                    json.dump(small, fh, indent=1)
                print("saved %s" % path)
    return 1 if found else 0


def replay(files, rounds=10, race=5):
    bad = 0
    npass = 0
    for f in files:
        model = json.load(open(f))
        d = tempfile.mkdtemp(prefix="fz-replay.")
        # a regression interface runs on the back end(s) that found it ("backends")
        fz, st, status = run_one(model, d, rounds=rounds, race=race,
                                 backends=tuple(model.get("backends", ("none", "mprotect"))))
        name = os.path.basename(f)
        if fz:
            bad += 1
            print("FAIL %s: %s" % (name, "; ".join("%s %s %s" % (c, fn, t[:200]) for c, fn, t in fz[:5])))
        else:
            npass += 1
            ref = ", refused as documented: %s" % ", ".join("-W" + x for x in st["named"]) if st.get("named") else ""
            print("ok   %s (%s, %d calls, %d hostile, %d racing%s)" % (name, status, st["calls"], st["hostile"],
                                                                   st["racing"], ref))
            shutil.rmtree(d, ignore_errors=True)
    return npass, bad


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    cmd = argv[0]
    a = {}
    it = iter(argv[1:])
    rest = []
    for x in it:
        if x in ("--seed", "--count", "--rounds", "--race"):
            a[x[2:]] = int(next(it))
        elif x == "--seconds":
            a["seconds"] = float(next(it))
        elif x == "--reduce-budget":
            a["reduce_budget"] = int(next(it))
        elif x == "--keep":
            a["keep"] = next(it)
        elif x == "--reduce":
            a["reduce"] = True
        elif x == "--save-regress":
            a["save_regress"] = True
        else:
            rest.append(x)
    if cmd == "campaign":
        if "count" not in a and "seconds" not in a:
            a["count"] = 20
        return campaign(a)
    if cmd == "replay":
        p, b = replay(rest)
        print("fuzz_gates_regress: %d passed, %d failed" % (p, b))
        return 1 if b else 0
    if cmd == "check":
        files = [f for f in rest if os.path.exists(f)]
        p, b = replay(files, rounds=a.get("rounds", 5), race=a.get("race", 3))
        for s in range(a.get("seed", 1), a.get("seed", 1) + a.get("count", 6)):
            model = fzgen.gen_model(s)
            d = tempfile.mkdtemp(prefix="fz-check.")
            fz, st, status = run_one(model, d, rounds=a.get("rounds", 5), race=a.get("race", 3))
            if fz:
                b += 1
                print("FAIL seed %d (%s):" % (s, status))
                for c in sorted(classes(fz)):
                    ex = [x for x in fz if x[0] == c][0]
                    print("  finding %s (%s): %s" % (c, ex[1], ex[2][:300]))
                print(fzgen.emit_erim(st.get("model", model)))
            else:
                p += 1
                ref = ", refused as documented: %s" % ", ".join("-W" + x for x in st["named"]) if st.get("named") else ""
                print("ok   seed %d (%s, %d calls, %d hostile, %d racing%s)" % (s, status, st["calls"], st["hostile"],
                                                                          st["racing"], ref))
            shutil.rmtree(d, ignore_errors=True)
            sys.stdout.flush()
        print("fuzz_gates_check: %d passed, %d failed" % (p, b))
        return 1 if b else 0
    if cmd == "build":
        # native (no sanitizer) drivers for the mpk slice in the PKU guest
        out = rest[0]
        models = [json.load(open(f)) for f in rest[1:] if os.path.exists(f)]
        models += [fzgen.gen_model(x) for x in range(a.get("seed", 1), a.get("seed", 1) + a.get("count", 2))]
        for k, model in enumerate(models):
            # regression files may share a model name (fz1006 three times):
            # every build gets its own directory and executable
            d = os.path.join(out, "%s_%d" % (model["name"], k))
            fz, st, status = run_one(model, d, backends=("mprotect",), compilers=False, execute=False)
            exe = os.path.join(d, "fz_mprotect")
            if os.path.exists(exe):
                # the guest runner copies tests by base name: make them unique
                dst = os.path.join(out, "%s_%d_drv" % (model["name"], k))
                shutil.copy2(exe, dst)
                print("%s %d" % (dst, model["seed"]))
        return 0
    if cmd == "one":
        model = fzgen.gen_model(int(rest[0]))
        d = a.get("keep") or tempfile.mkdtemp(prefix="fz-one.")
        fz, st, status = run_one(model, d)
        print(fzgen.emit_erim(model))
        st.pop("model", None)
        print("status %s, stats %s, dir %s" % (status, st, d))
        for x in fz:
            print("  %s %s: %s" % x)
        return 1 if fz else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
