#!/usr/bin/env bash
# dkms-source.sh SRCDIR: fill SRCDIR/mmrepro-VERSION (SRCDIR is /usr/src,
# or a chroot's) with what DKMS builds the module from: dkms.conf, Kbuild,
# the module's sources and the uapi header; nothing built in place comes
# along. Prints VERSION (dkms.conf's PACKAGE_VERSION, which must be the
# module's own MMREPRO_MODULE_VERSION).
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: dkms-source.sh SRCDIR" >&2; exit 64; }
top=$(cd "$(dirname "$0")/.." && pwd)

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
module_version=$(sed -n 's/^#define MMREPRO_MODULE_VERSION\t"\(.*\)"$/\1/p' "$top/module/main.c")
if [ -z "$version" ] || [ "$version" != "$module_version" ]; then
	echo "dkms-source.sh: dkms.conf's PACKAGE_VERSION ($version) is not the module's MMREPRO_MODULE_VERSION ($module_version): make them equal" >&2
	exit 1
fi
dest=$1/mmrepro-$version
rm -rf "$dest"
mkdir -p "$dest/module" "$dest/uapi/linux"
cp "$top/dkms.conf" "$top/Kbuild" "$dest/"
cp "$top"/module/*.c "$top"/module/*.h "$top/module/conftest.sh" "$dest/module/"
rm -f "$dest/module/compat_gen.h"
cp "$top/uapi/linux/mmrepro.h" "$dest/uapi/linux/"
echo "$version"
