#!/bin/sh
# SPDX-License-Identifier: MIT
# idl_fuzz_replay.sh: replay the .erim fuzz corpus and every saved crasher
# through the harness built as a normal program (see idl_fuzz_replay.c).
: "${srcdir:=$(dirname "$0")/..}"
: "${builddir:=.}"
exec "$builddir/fuzz/idl_fuzz_replay" "$srcdir/fuzz/corpus/idl" "$srcdir/fuzz/crashers/idl"
