#!/usr/bin/env bash
# Install the host packages mmrepro's build, tests and QEMU lanes need,
# from the machine's configured Debian archive. Idempotent: does nothing
# when everything is there.
set -euo pipefail

pkgs=(
	make gcc pkg-config libkmod-dev	# the CLI
	kmod bc flex bison libelf-dev	# kbuild against headers / source trees
	patch rsync			# source lanes: our kernel patches, headers_install
	sparse				# make C=1
	qemu-system-x86 busybox-static cpio gzip xz-utils zstd	# the guests
	debootstrap			# sid chroot for lanes whose compiler the host lacks
	ca-certificates
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "mmrepro: missing packages: ${missing[*]}" >&2
	echo "  install them as root: apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "mmrepro: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
