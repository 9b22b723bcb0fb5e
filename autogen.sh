#!/bin/sh
# SPDX-License-Identifier: MIT
# autogen.sh: regenerate configure and the Makefile.in files from a git checkout.
# Release tarballs (make dist) ship them, so users of a tarball skip this step.
set -e
cd "$(dirname "$0")"
for tool in autoreconf libtoolize pkg-config; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "autogen.sh: $tool not found (Debian: apt-get install autoconf automake libtool pkg-config, or run tools/install-deps)" >&2
		exit 1
	fi
done
mkdir -p m4 build-aux
autoreconf --force --install --warnings=all,no-portability
