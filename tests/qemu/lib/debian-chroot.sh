#!/usr/bin/env bash
# debian-chroot.sh: Debian's stock kernels, and modules built for them the
# way Debian builds modules: in a chroot of the kernel's own suite, where
# apt installs the kernel and its headers package with every dependency
# (the compiler the headers name, linux-kbuild, pahole, ...). The host
# only needs debootstrap.
#
#   debian-chroot.sh resolve SUITE FLAVOUR [PIN]
#       print "VERSION KREL": the kernel SUITE carries now (the version of
#       its linux-headers-FLAVOUR, and the release it points at), or PIN
#       when SUITE still carries it; exit 4 with what SUITE has otherwise
#   debian-chroot.sh install SUITE KREL VERSION
#       install linux-image-KREL and linux-headers-KREL at VERSION; print
#       the kernel image's path and the modules directory, one a line
#   debian-chroot.sh build SUITE KREL DIR
#       build the module sources in DIR (Kbuild, module/, uapi/) against
#       the installed headers; DIR gets mmrepro.ko and module/compat_gen.h
#   debian-chroot.sh install-debs SUITE DEB...
#       install the kernel packages DEB... (a linux-image and its
#       linux-headers, e.g. from `make bindeb-pkg` or Debian's archive) with
#       apt, which fetches what they depend on; print the release, the
#       kernel image's path and the modules directory, one a line
#   debian-chroot.sh dkms SUITE KREL
#       install Debian's dkms in the chroot, add mmrepro's DKMS package
#       (scripts/dkms-source.sh), dkms install it for KREL, check the
#       installed .ko is built for KREL, and dkms remove it again
#
# One chroot per release (bookworm, trixie, sid), in
# $MMREPRO_CACHE/chroots/RELEASE, serves that release's suites: RELEASE,
# -updates, -security and -backports are all in its sources, and apt is
# told which one a lane follows (-t SUITE). The chroot is made once
# (debootstrap --variant=minbase), checked before each use and made again
# when it is not whole; its package index is updated once per run (see
# mmr_stale in debian-apt.sh). A lock serialises everything done in one
# chroot. Debian's initramfs is never built: the guests boot mmrepro's
# own, so update-initramfs is diverted to a no-op inside the chroot.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
: "${MMREPRO_CACHE:=$HOME/.cache/mmrepro}"
# shellcheck source=debian-apt.sh
. "$here/debian-apt.sh"
# shellcheck source=validate.sh
. "$here/validate.sh"

usage() { sed -n '2,27s/^# \{0,1\}//p' "$0" >&2; exit 64; }
[ $# -ge 3 ] || usage
cmd=$1 suite=$2
shift 2
release=${suite%%-*}
root=$MMREPRO_CACHE/chroots/$release

say() { printf '[chroot %s] %s\n' "$release" "$*" >&2; }

# The suites a release's chroot can install from.
suites_of() {
	case $1 in
	sid|unstable|experimental) echo "$1" ;;
	*) echo "$1 $1-updates $1-security $1-backports" ;;
	esac
}

in_chroot() {
	chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

apt_in_chroot() {
	in_chroot apt-get -q -o Acquire::Check-Valid-Until=false -o Dpkg::Use-Pty=0 "$@"
}

# Why the chroot is not whole, or nothing.
chroot_problem() {
	[ -f "$root/.ready" ] || { echo "not finished"; return; }
	local f
	# usr/bin/as: gcc runs plain `as`, which only the binutils package
	# gives; the headers of some kernels (trixie-backports' 7.3) pull just
	# binutils-x86-64-linux-gnu, so a chroot first used for them lacked it.
	for f in usr/bin/apt-get usr/bin/make usr/bin/as usr/bin/dpkg usr/sbin/update-initramfs \
		usr/share/keyrings/debian-archive-keyring.gpg; do
		[ -e "$root/$f" ] || { echo "no /$f"; return; }
	done
	in_chroot dpkg-divert --list /usr/sbin/update-initramfs | grep -q mmrepro ||
		echo "update-initramfs is not diverted"
}

make_chroot() {
	local mirror
	mirror=$(mmr_debian_mirror)
	say "debootstrap $release (once; cached in $root)"
	rm -rf "$root.tmp"
	debootstrap --variant=minbase --include=make,binutils,ca-certificates,debian-archive-keyring \
		"$release" "$root.tmp" "$mirror" >"$root.log" 2>&1 ||
		{ tail -n 20 "$root.log" >&2; say "debootstrap failed (log: $root.log)"; return 1; }
	# Initramfs-tools satisfies the images' "initramfs-tools | dracut"
	# dependency; its update-initramfs is diverted before it is installed.
	chroot "$root.tmp" dpkg-divert --local --rename --add \
		--divert /usr/sbin/update-initramfs.mmrepro /usr/sbin/update-initramfs >/dev/null
	printf '#!/bin/sh\n# mmrepro: guests boot their own initramfs\nexit 0\n' \
		>"$root.tmp/usr/sbin/update-initramfs"
	chmod 755 "$root.tmp/usr/sbin/update-initramfs"
	rm -rf "$root" && mv "$root.tmp" "$root"
	write_sources
	apt_in_chroot update >&2
	apt_in_chroot install -y --no-install-recommends initramfs-tools kmod >&2
	date +%s >"$root/.apt-updated"
	touch "$root/.ready"
}

write_sources() {
	local s
	for s in $(suites_of "$release"); do
		mmr_sources_line "$s"
	done >"$root/etc/apt/sources.list"
}

# With /proc mounted (objtool and apt want it) while the lock is held.
mounted=
cleanup() { if [ -n "$mounted" ]; then umount "$root/proc" 2>/dev/null || true; fi; }
trap cleanup EXIT

# Take the chroot's lock; make or remake the chroot when it is not whole;
# update its index once per run.
enter() {
	local why
	mkdir -p "$MMREPRO_CACHE/chroots"
	exec 9>"$root.lock"
	if ! flock -n 9; then
		say "waiting for another lane using this chroot"
		flock 9
	fi
	why=$(chroot_problem)
	if [ -n "$why" ]; then
		[ -d "$root" ] && say "cached chroot is not usable ($why): making it again"
		make_chroot
		why=$(chroot_problem)
		[ -z "$why" ] || { say "the new chroot is not whole: $why"; exit 1; }
	fi
	mount -t proc proc "$root/proc" && mounted=1
	if mmr_stale "$root/.apt-updated"; then
		write_sources
		say "apt update ($(suites_of "$release"))"
		apt_in_chroot update >&2
		date +%s >"$root/.apt-updated"
	fi
}

# The kernel image of KREL installed in the chroot (older packages put it
# in /boot, newer ones in /usr/lib/modules/KREL).
image_of() {
	local v
	for v in "$root/boot/vmlinuz-$1" "$root/usr/lib/modules/$1/vmlinuz"; do
		[ -f "$v" ] && { echo "$v"; return; }
	done
	echo "$root/boot/vmlinuz-$1"
}

cmd_resolve() {
	local flavour=$1 pin=${2:-} version krel
	version=$(in_chroot apt-cache madison "linux-headers-$flavour" 2>/dev/null |
		mmr_pick_version "$suite" "linux-headers-$flavour" "$pin") || exit $?
	krel=$(in_chroot apt-cache show "linux-headers-$flavour=$version" 2>/dev/null |
		sed -n 's/^Depends: //p' | head -n 1 | tr ',' '\n' |
		sed -n "s/^ *linux-headers-\([0-9][^ ]*\) .*/\1/p" | head -n 1)
	mmr_valid_krel "$krel" ||
		{ say "linux-headers-$flavour $version names no linux-headers-KREL"; exit 1; }
	echo "$version $krel"
}

installed_version() {
	in_chroot dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$1" 2>/dev/null |
		awk '$1 == "ii" { print $2 }'
}

# Why KREL at VERSION is not installed whole, or nothing.
kernel_problem() {
	local krel=$1 version=$2 p
	for p in "linux-image-$krel" "linux-headers-$krel"; do
		[ "$(installed_version "$p")" = "$version" ] || { echo "$p $version not installed"; return; }
	done
	mmr_check_bzimage "$(image_of "$krel")" || return 0
	mmr_check_modtree "$root/usr/lib/modules/$krel" || return 0
	[ -f "$root/usr/src/linux-headers-$krel/Makefile" ] || echo "no headers tree"
}

cmd_install() {
	local krel=$1 version=$2 why
	why=$(kernel_problem "$krel" "$version")
	if [ -n "$why" ]; then
		say "installing linux-image-$krel and linux-headers-$krel $version from $suite ($why)"
		apt_in_chroot install -y --no-install-recommends -t "$suite" \
			"linux-image-$krel=$version" "linux-headers-$krel=$version" >&2 ||
			{ say "apt could not install $krel $version"; exit 1; }
		# A damaged install is reinstalled: files missing under a
		# package that dpkg counts as installed.
		why=$(kernel_problem "$krel" "$version")
		if [ -n "$why" ]; then
			say "reinstalling: $why"
			apt_in_chroot install -y --reinstall --no-install-recommends -t "$suite" \
				"linux-image-$krel=$version" "linux-headers-$krel=$version" >&2
			in_chroot depmod "$krel"
		fi
		why=$(kernel_problem "$krel" "$version")
		[ -z "$why" ] || { say "kernel $krel $version: $why"; exit 1; }
	fi
	image_of "$krel"
	echo "$root/usr/lib/modules/$krel"
}

cmd_build() {
	local krel=$1 dir=$2 b
	[ -f "$root/usr/src/linux-headers-$krel/Makefile" ] ||
		{ say "no headers for $krel: run install first"; exit 1; }
	b=/build/$(basename "$dir")
	rm -rf "${root:?}$b" && mkdir -p "$root$b"
	cp -r "$dir/Kbuild" "$dir/module" "$dir/uapi" "$root$b/"
	in_chroot make --no-print-directory -C "/usr/src/linux-headers-$krel" M="$b" modules
	cp "$root$b/mmrepro.ko" "$dir/"
	cp "$root$b/module/compat_gen.h" "$dir/module/"
	rm -rf "${root:?}$b"
}

# What `make dkms-install` does on a user's machine, in the chroot, against
# headers apt installed: Debian's dkms builds and installs the package.
cmd_dkms() {
	local krel=$1 version ko vermagic
	[ -f "$root/usr/src/linux-headers-$krel/Makefile" ] ||
		{ say "no headers for $krel: run install first"; exit 1; }
	if [ -z "$(installed_version dkms)" ]; then
		say "installing dkms"
		apt_in_chroot install -y --no-install-recommends dkms >&2
	fi
	version=$("$here/../../../scripts/dkms-source.sh" "$root/usr/src")
	in_chroot dkms remove "mmrepro/$version" --all >/dev/null 2>&1 || true
	in_chroot dkms add "mmrepro/$version" >&2
	in_chroot dkms install "mmrepro/$version" -k "$krel" >&2 ||
		{ say "dkms install mmrepro/$version -k $krel failed"; exit 1; }
	ko=$(in_chroot modinfo -k "$krel" -n mmrepro 2>/dev/null || true)
	vermagic=$(in_chroot modinfo -k "$krel" -F vermagic mmrepro 2>/dev/null || true)
	in_chroot dkms status "mmrepro/$version" >&2
	in_chroot dkms remove "mmrepro/$version" --all >&2
	rm -rf "${root:?}/usr/src/mmrepro-$version"
	case $ko in
	*/updates/dkms/mmrepro.ko*) ;;
	*) say "after dkms install, modinfo finds '${ko:-no mmrepro}' for $krel"; exit 1 ;;
	esac
	[ "${vermagic%% *}" = "$krel" ] ||
		{ say "the DKMS-built module's vermagic is '$vermagic', not $krel"; exit 1; }
	echo "dkms: mmrepro/$version built and installed for $krel as ${ko#"$root"} (vermagic $vermagic), then removed"
}

# The release a kernel package's files are for: its lib/modules/KREL.
deb_krel() {
	dpkg-deb -c "$1" 2>/dev/null |
		sed -n 's|.* \./\(usr/\)\{0,1\}lib/modules/\([^/]*\)/$|\2|p' | head -n 1
}

cmd_install_debs() {
	local deb krel='' k d debs=() why
	for deb in "$@"; do
		[ -f "$deb" ] || { say "no file $deb"; exit 1; }
		case $(dpkg-deb -f "$deb" Package 2>/dev/null) in
		linux-image-*) k=$(deb_krel "$deb"); [ -n "$k" ] && krel=$k ;;
		esac
	done
	mmr_valid_krel "$krel" || { say "none of $* is a linux-image package with lib/modules/KREL"; exit 1; }
	d=/tmp/mmrepro-debs
	rm -rf "${root:?}$d" && mkdir -p "$root$d"
	for deb in "$@"; do
		cp "$deb" "$root$d/"
		debs+=("$d/$(basename "$deb")")
	done
	say "installing $(printf '%s ' "${debs[@]##*/}")"
	apt_in_chroot install -y --no-install-recommends --allow-downgrades "${debs[@]}" >&2 ||
		{ say "apt could not install the packages"; exit 1; }
	rm -rf "${root:?}$d"
	mmr_check_bzimage "$(image_of "$krel")" >&2 || exit 1
	mmr_check_modtree "$root/usr/lib/modules/$krel" >&2 || exit 1
	[ -f "$root/usr/src/linux-headers-$krel/Makefile" ] ||
		{ say "no headers for $krel (/usr/src/linux-headers-$krel): add its linux-headers package"; exit 1; }
	echo "$krel"
	image_of "$krel"
	echo "$root/usr/lib/modules/$krel"
}

enter
case $cmd in
install-debs) [ $# -ge 1 ] || usage; cmd_install_debs "$@" ;;
resolve) cmd_resolve "$@" ;;
install) [ $# -eq 2 ] || usage; cmd_install "$@" ;;
build) [ $# -eq 2 ] || usage; cmd_build "$@" ;;
dkms) [ $# -eq 1 ] || usage; cmd_dkms "$@" ;;
*) usage ;;
esac
