#!/usr/bin/env bash
# kernel-build.sh SRCDIR PATCHDIR FRAGMENT...: build a test kernel from the
# pristine tree SRCDIR (tests/qemu/lib/kernel-src.sh), with the patches
# PATCHDIR/*.patch applied in name order and the FRAGMENTs merged on top of
# tinyconfig in order (a later one's line wins), and print the directory
# that holds the result:
#
#   vmlinuz          the bzImage
#   krel             its `uname -r`
#   out/             the O= build tree: `make -C out M=... modules` builds
#                    external modules against it (Module.symvers included)
#   modroot/lib/modules/KREL   its modules, with modules.dep
#   hdr/include      its UAPI headers (headers_install)
#   hmm-tests        tools/testing/selftests/mm/hmm-tests of the same tree,
#                    linked statically, the in-guest oracle
#   build.log        the kernel build's output
#
# Cached in $MMREPRO_CACHE/kbuild/<tree>-<key>, the key a hash of the tree's
# name (package and version), the fragments, the patches (names and
# contents, not where the checkout is) and this recipe's version, so a
# second run is instant and a changed patch rebuilds. A cached build is
# checked before it is reused (tests/qemu/lib/validate.sh: the release
# string, the image, the modules tree, Module.symvers, hmm-tests) and built
# again, with a line saying why, when it is not whole. One kernel build runs
# at a time on this machine (flock), whatever -j the matrix runs lanes with.
# Progress goes to stderr every 250 files.
set -euo pipefail

src=$1 patchdir=$2
shift 2
fragments=("$@")
[ ${#fragments[@]} -gt 0 ] || { echo "usage: kernel-build.sh SRCDIR PATCHDIR FRAGMENT..." >&2; exit 64; }
here=$(cd "$(dirname "$0")" && pwd)
: "${MMREPRO_CACHE:=$HOME/.cache/mmrepro}"
# Bump when a change here changes what gets built.
recipe=2
# shellcheck source=validate.sh
. "$here/validate.sh"

say() { printf '[kbuild] %s\n' "$*" >&2; }

key=$( { echo "recipe $recipe $(basename "$src")"; cat "${fragments[@]}";
	 for p in "$patchdir"/*.patch; do [ -f "$p" ] && { basename "$p"; cat "$p"; }; done; } |
	sha256sum | cut -c1-12)
kb=$MMREPRO_CACHE/kbuild/$(basename "$src")-$key

# Why the cached build is not whole, or nothing.
kbuild_problem() {
	local krel
	[ -f "$kb/.ready" ] || { echo "not finished"; return; }
	krel=$(cat "$kb/krel" 2>/dev/null || true)
	mmr_valid_krel "$krel" || { echo "krel is not one release string: '$krel'"; return; }
	mmr_check_bzimage "$kb/vmlinuz" || return 0
	mmr_check_modtree "$kb/modroot/lib/modules/$krel" || return 0
	[ -s "$kb/out/Module.symvers" ] || { echo "no out/Module.symvers"; return; }
	[ -x "$kb/hmm-tests" ] || echo "no hmm-tests"
}

# reuse [quiet]: print $kb and exit when the cached build is whole.
reuse() {
	local why
	why=$(kbuild_problem)
	if [ -z "$why" ]; then
		echo "$kb"
		exit 0
	fi
	[ -n "${1:-}" ] || [ ! -d "$kb" ] ||
		say "cached build $kb is not usable ($why): building it again"
}

reuse quiet
mkdir -p "$MMREPRO_CACHE/kbuild"
exec 9>"$MMREPRO_CACHE/kbuild/.lock"
if ! flock -n 9; then
	say "another kernel build is running; waiting for it"
	flock 9
fi
reuse	# built while we waited, or left half done by a killed run?

start=$(date +%s)
jobs=$(( $(nproc) + 1 ))
rm -rf "$kb" && mkdir -p "$kb"
say "tree $(basename "$src"), key $key, in $kb"
# Hard links: patch(1) writes each file it changes anew, and an O= build
# writes nothing into the source tree, so the pristine tree stays pristine.
cp -al "$src" "$kb/src"
rm -f "$kb/src/.ready"
for p in "$patchdir"/*.patch; do
	[ -f "$p" ] || continue
	say "applying $(basename "$p")"
	patch -d "$kb/src" -p1 --quiet --no-backup-if-mismatch <"$p" ||
		{ say "patch $p does not apply to $(basename "$src")"; exit 1; }
done

# The same build whether run by hand or under `make check`: nothing of an
# outer make's flags or level (directory messages, jobserver) comes in.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		make --no-print-directory -C "$kb/src" O="$kb/out" ARCH=x86_64 "$@"
}
say "configuring: tinyconfig + $(for f in "${fragments[@]}"; do basename "$f"; done | paste -sd+)"
mk -s tinyconfig >"$kb/build.log" 2>&1
"$kb/src/scripts/kconfig/merge_config.sh" -m -O "$kb/out" "$kb/out/.config" "${fragments[@]}" \
	>>"$kb/build.log" 2>&1
mk -s olddefconfig >>"$kb/build.log" 2>&1
# Every line of the fragments (the last one's, for an option set twice)
# must have survived olddefconfig.
missing=0
while IFS= read -r line; do
	name=${line%%=*} val=${line#*=}
	if [ "$val" = n ]; then
		grep -qx "# $name is not set" "$kb/out/.config" && continue
		grep -q "^$name=" "$kb/out/.config" || continue
	fi
	grep -qxF "$line" "$kb/out/.config" && continue
	say "config: $line was not kept (got: $(grep -E "^$name=|^# $name is not" "$kb/out/.config" || echo unset))"
	missing=1
done < <(cat "${fragments[@]}" | sed -n 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1=n/p; /^CONFIG_[A-Za-z0-9_]*=/p' |
	awk -F= '{ last[$1] = $0; if (!seen[$1]++) order[++n] = $1 } END { for (i = 1; i <= n; i++) print last[order[i]] }')
[ "$missing" = 0 ] || { say "fix the fragment: a dependency is missing"; exit 1; }

say "building bzImage and modules with -j$jobs (log: $kb/build.log)"
set +e
mk -j"$jobs" bzImage modules 2>&1 | tee -a "$kb/build.log" |
	awk -v t0="$start" '/^  (CC|AS|LD)/ { n++; if (n % 250 == 0) {
		printf "[kbuild] %d files built, %d s\n", n, systime() - t0 > "/dev/stderr"; fflush("/dev/stderr") } }'
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ]; then
	grep -E 'error|Error' "$kb/build.log" | tail -n 20 >&2
	say "kernel build failed (exit $rc): $kb/build.log"
	exit 1
fi
mk -s modules_install INSTALL_MOD_PATH="$kb/modroot" INSTALL_MOD_STRIP=1 >>"$kb/build.log" 2>&1
mk -s headers_install INSTALL_HDR_PATH="$kb/hdr" >>"$kb/build.log" 2>&1
cp "$kb/out/arch/x86/boot/bzImage" "$kb/vmlinuz"
# The release as kbuild wrote it: `make kernelrelease` on stdout would also
# carry make's directory messages when run under another make.
cp "$kb/out/include/config/kernel.release" "$kb/krel"
mmr_valid_krel "$(cat "$kb/krel")" || { say "bad kernel release '$(cat "$kb/krel")'"; exit 1; }

# The in-tree selftest, from the same tree, static so the guest needs no
# libraries for it.
sel=$kb/src/tools/testing/selftests
extra=
for f in vm_util.c hugepage_settings.c thp_settings.c; do
	if [ -f "$sel/mm/$f" ] && grep -q "${f%.c}.h" "$sel/mm/hmm-tests.c"; then
		extra="$extra $sel/mm/$f"
	fi
done
# shellcheck disable=SC2086 # extra is a word list
gcc -static -O2 -Wall -D_GNU_SOURCE -isystem "$kb/hdr/include" -isystem "$kb/src/tools/include/uapi" \
	-I "$sel" -I "$sel/mm" -I "$kb/src" -I "$kb/src/tools/include" \
	-o "$kb/hmm-tests" "$sel/mm/hmm-tests.c" $extra -lpthread >>"$kb/build.log" 2>&1 ||
	{ tail -n 20 "$kb/build.log" >&2; say "hmm-tests did not build"; exit 1; }

touch "$kb/.ready"
why=$(kbuild_problem)
[ -z "$why" ] || { say "the build in $kb is not whole: $why"; exit 1; }
say "built $(cat "$kb/krel") in $(( $(date +%s) - start )) s"
echo "$kb"
