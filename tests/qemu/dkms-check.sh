#!/usr/bin/env bash
# dkms-check.sh [SUITE]: the module as a DKMS package, as a user of a stock
# kernel would install it (`make dkms-install`), in the cached chroot of
# SUITE (default bookworm, the debian-12 lane's): its current kernel and
# headers installed by apt, Debian's dkms, dkms install for that kernel,
# the .ko checked, dkms remove. Exit 0 when it built and installed.
#
# Environment: MMREPRO_CACHE (default ~/.cache/mmrepro).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
suite=${1:-bookworm}
chr=$here/lib/debian-chroot.sh
: "${MMREPRO_CACHE:=$HOME/.cache/mmrepro}"
: "${MMREPRO_RUN_START:=$(date +%s)}"
export MMREPRO_CACHE MMREPRO_RUN_START

read -r version krel < <("$chr" resolve "$suite" amd64) ||
	{ echo "dkms-check: cannot resolve $suite's kernel" >&2; exit 1; }
"$chr" install "$suite" "$krel" "$version" >/dev/null
"$chr" dkms "$suite" "$krel"
