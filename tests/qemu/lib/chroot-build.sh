#!/usr/bin/env bash
# chroot-build.sh SUITE KREL VERSION DIR: build the module sources in DIR
# (Kbuild, module/, uapi/) against linux-headers-KREL=VERSION inside a
# debootstrap chroot of SUITE, for kernels whose compiler the host lacks
# (sid's 7.2 wants gcc-16). The chroot is made once and cached under
# $MMREPRO_CACHE/chroots/SUITE; headers are installed into it on demand.
# DIR gets mmrepro.ko and module/compat_gen.h.
set -euo pipefail

suite=$1 krel=$2 version=$3 dir=$4
here=$(cd "$(dirname "$0")" && pwd)
: "${MMREPRO_CACHE:=$HOME/.cache/mmrepro}"
# shellcheck source=debian-apt.sh
. "$here/debian-apt.sh"

root=$MMREPRO_CACHE/chroots/$suite
mirror=$(mmr_debian_mirror)

if [ ! -f "$root/.ready" ]; then
	echo "chroot-build: debootstrap $suite (once; cached in $root)"
	rm -rf "$root.tmp"
	debootstrap --variant=minbase --include=make,ca-certificates "$suite" "$root.tmp" "$mirror"
	rm -rf "$root" && mv "$root.tmp" "$root"
	touch "$root/.ready"
fi

mounted=
cleanup() { [ -n "$mounted" ] && umount "$root/proc" 2>/dev/null; true; }
trap cleanup EXIT
mount -t proc proc "$root/proc" && mounted=1

in_chroot() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C "$@"; }

pkg=linux-headers-$krel
if [ "$(in_chroot dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null)" != "$version" ]; then
	echo "chroot-build: installing $pkg=$version in the $suite chroot"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" \
		>"$root/etc/apt/sources.list"
	in_chroot apt-get -q -o Acquire::Check-Valid-Until=false update
	in_chroot env DEBIAN_FRONTEND=noninteractive apt-get -q -y --no-install-recommends \
		install "$pkg=$version"
fi

b=/build/$(basename "$dir")
rm -rf "${root:?}$b" && mkdir -p "$root$b"
cp -r "$dir/Kbuild" "$dir/module" "$dir/uapi" "$root$b/"
in_chroot make -C "/usr/src/linux-headers-$krel" M="$b" modules
cp "$root$b/mmrepro.ko" "$dir/"
cp "$root$b/module/compat_gen.h" "$dir/module/"
rm -rf "${root:?}$b"
