#!/bin/sh
# moddeps.sh MODDIR NAME: print the paths (relative to MODDIR) of module NAME
# and everything it depends on, dependencies first, from MODDIR/modules.dep.
set -eu
if [ $# -ne 2 ]; then
	echo "usage: moddeps.sh MODDIR NAME" >&2
	exit 64
fi
dir=$1
name=$2
awk -v name="$name" '
	function base(p,   b) { b = p; sub(/.*\//, "", b); sub(/\.ko.*$/, "", b); gsub(/-/, "_", b); return b }
	{ key = $1; sub(/:$/, "", key); deps[base(key)] = $0; path[base(key)] = key }
	function visit(n,   f, i, nf, d) {
		if (done[n]++) return
		nf = split(deps[n], f, /[ \t]+/)
		for (i = nf; i >= 2; i--) { d = base(f[i]); visit(d) }
		print path[n]
	}
	END {
		n = name; gsub(/-/, "_", n)
		if (!(n in path)) { print "moddeps: no module " name " in " FILENAME > "/dev/stderr"; exit 1 }
		visit(n)
	}' "$dir/modules.dep"
