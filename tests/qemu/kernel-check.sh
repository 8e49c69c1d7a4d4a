#!/usr/bin/env bash
# kernel-check.sh: `make run KERNEL=...` on a kernel tree built here: the
# newest source lane's build tree in the cache (an O= directory, as a
# developer's might be) runs fork-pin through tests/qemu/kernel.sh
# --bisect, which must exit 0 (ok); then the same tree without its
# bzImage must exit 125 (cannot be tested). Without a built tree in the
# cache (no source lane ran) it says so and passes.
#
# Environment: MMREPRO_CACHE (default ~/.cache/mmrepro), MMREPRO_RESULTS.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
: "${MMREPRO_CACHE:=$HOME/.cache/mmrepro}"
tree=
while read -r d; do
	[ -f "$d/arch/x86/boot/bzImage" ] && [ -f "$d/Module.symvers" ] && { tree=$d; break; }
done < <(ls -dt "$MMREPRO_CACHE"/kbuild/*/out 2>/dev/null)
if [ -z "$tree" ]; then
	echo "kernel-check: no built kernel tree in $MMREPRO_CACHE/kbuild (a source lane builds one): not checked"
	exit 0
fi
rc=0
"$here/kernel.sh" --bisect fork-pin "$tree" || rc=$?
[ "$rc" -eq 0 ] || { echo "kernel-check: kernel.sh --bisect fork-pin $tree exited $rc, want 0 (ok)" >&2; exit 1; }

# A tree that is not built is untestable, not bad: 125 for git bisect.
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
cp "$tree/.config" "$fake/"
rc=0
"$here/kernel.sh" --bisect fork-pin "$fake" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 125 ] || { echo "kernel-check: an unbuilt tree exited $rc under --bisect, want 125" >&2; exit 1; }
echo "kernel-check: $tree: fork-pin ok through kernel.sh --bisect (exit 0); an unbuilt tree exits 125"
