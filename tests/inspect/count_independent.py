#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""count_independent.py: an independent count of WRPKRU and XRSTOR byte
sequences in the executable code of every ELF file under the given paths,
written without erim's scanner, ELF reader or directory walker: ELF headers
are unpacked with struct, the search is one regular expression, and files are
de-duplicated by (st_dev, st_ino) like erim-inspect does.  Prints
"wrpkru=N xrstor=N files=N elf=N"."""
import os
import re
import struct
import sys

# XRSTOR: 0F AE with ModRM.reg == 5 and ModRM.mod != 3, i.e. ModRM in
# 0x28-0x2F (mod 0), 0x68-0x6F (mod 1), 0xA8-0xAF (mod 2).
PATTERN = re.compile(rb"\x0f(?:(\x01\xef)|\xae[\x28-\x2f\x68-\x6f\xa8-\xaf])")


def code_regions(data):
    """Yield (vaddr, bytes) of executable code, as erim-inspect defines it."""
    if data[:4] != b"\x7fELF" or len(data) < 52:
        return None
    cls, enc = data[4], data[5]
    if enc != 1 or cls not in (1, 2):
        return None
    e = "<"
    if cls == 2:
        (etype, mach, _v, _entry, phoff, shoff, _fl, _eh, phentsize, phnum,
         shentsize, shnum, _shstrndx) = struct.unpack_from(e + "HHIQQQIHHHHHH", data, 16)
        phfmt, shfmt = e + "IIQQQQQQ", e + "IIQQQQIIQQ"
    else:
        (etype, mach, _v, _entry, phoff, shoff, _fl, _eh, phentsize, phnum,
         shentsize, shnum, _shstrndx) = struct.unpack_from(e + "HHIIIIIHHHHHH", data, 16)
        phfmt, shfmt = e + "IIIIIIII", e + "IIIIIIIIII"
    regions = []
    if etype in (2, 3):
        for i in range(phnum):
            if cls == 2:
                ptype, flags, off, vaddr, _pa, filesz, _m, _al = struct.unpack_from(phfmt, data, phoff + i * phentsize)
            else:
                ptype, off, vaddr, _pa, filesz, _m, flags, _al = struct.unpack_from(phfmt, data, phoff + i * phentsize)
            if ptype == 1 and flags & 1 and filesz:
                regions.append((vaddr, data[off:off + filesz]))
        # vaddr-adjacent segments are one stream of code
        merged = []
        for va, b in regions:
            if merged and merged[-1][0] + len(merged[-1][1]) == va:
                merged[-1] = (merged[-1][0], merged[-1][1] + b)
            else:
                merged.append((va, b))
        return merged
    if etype == 1:
        for i in range(shnum):
            f = struct.unpack_from(shfmt, data, shoff + i * shentsize)
            shtype, shflags, off, size = f[1], f[2], f[4], f[5]
            if shflags & 4 and shtype != 8 and size:
                regions.append((0, data[off:off + size]))
        return regions
    return None


def main(paths):
    seen = set()
    w = x = files = elf = 0
    stack = list(paths)
    while stack:
        p = stack.pop()
        try:
            st = os.stat(p)
        except OSError:
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            continue
        seen.add(key)
        if os.path.isdir(p):
            stack.extend(os.path.join(p, n) for n in os.listdir(p))
            continue
        if not os.path.isfile(p):
            continue
        files += 1
        with open(p, "rb") as f:
            data = f.read()
        regions = code_regions(data)
        if regions is None:
            continue
        elf += 1
        for _va, b in regions:
            for m in PATTERN.finditer(b):
                if m.group(1):
                    w += 1
                else:
                    x += 1
    print("wrpkru=%d xrstor=%d files=%d elf=%d" % (w, x, files, elf))


if __name__ == "__main__":
    main(sys.argv[1:])
