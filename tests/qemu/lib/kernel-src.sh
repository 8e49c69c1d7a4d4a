#!/usr/bin/env bash
# kernel-src.sh PACKAGE VERSION SUITE...: unpack Debian's linux-source
# package PACKAGE=VERSION (fetched with the private apt configuration of
# SUITE...) into $MMREPRO_CACHE/src/PACKAGE_VERSION, once, and print that
# directory. The tree stays pristine: builds copy it and patch the copy;
# checkpatch.pl and friends are run from it. A cached tree is checked
# (a top Makefile whose version matches, scripts/checkpatch.pl) and
# unpacked again when it is not whole.
set -euo pipefail

pkg=$1 version=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
: "${MMREPRO_CACHE:=$HOME/.cache/mmrepro}"
# shellcheck source=debian-apt.sh
. "$here/debian-apt.sh"

dir=$MMREPRO_CACHE/src/${pkg}_${version//[:~]/_}

# Why the cached tree is not whole, or nothing.
tree_problem() {
	local want=${pkg#linux-source-}
	[ -f "$dir/.ready" ] || { echo "not finished"; return; }
	[ -x "$dir/scripts/checkpatch.pl" ] || { echo "no scripts/checkpatch.pl"; return; }
	[ "$(awk '/^VERSION =/ { v = $3 } /^PATCHLEVEL =/ { p = $3 } END { print v "." p }' \
		"$dir/Makefile" 2>/dev/null)" = "$want" ] || echo "its Makefile is not $want's"
}

mkdir -p "$MMREPRO_CACHE/src"
exec 9>"$MMREPRO_CACHE/src/.lock"
flock 9
why=$(tree_problem)
if [ -n "$why" ]; then
	[ -d "$dir" ] && echo "kernel-src: $dir is not usable ($why): unpacking it again" >&2
	mmr_apt_init "$@"
	deb=$(mmr_apt_download "$pkg" "$version")
	echo "kernel-src: unpacking $pkg $version into $dir" >&2
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/deb"
	dpkg-deb -x "$deb" "$dir.tmp/deb"
	tarball=$(ls "$dir.tmp"/deb/usr/src/linux-source-*.tar.* | head -n 1)
	[ -f "$tarball" ] || { echo "kernel-src: no tarball in $deb" >&2; exit 1; }
	tar -C "$dir.tmp" -xf "$tarball"
	top=$(ls -d "$dir.tmp"/linux-source-*/ | head -n 1)
	rm -rf "$dir.tmp/deb"
	rm -rf "$dir" && mv "${top%/}" "$dir" && rmdir "$dir.tmp"
	touch "$dir/.ready"
	why=$(tree_problem)
	[ -z "$why" ] || { echo "kernel-src: $dir: $why" >&2; exit 1; }
fi
echo "$dir"
