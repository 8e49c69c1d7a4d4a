#!/usr/bin/env bash
# install-deps.sh [--check]: install the host packages mmrepro's build,
# tests and QEMU lanes need, from the machine's configured Debian archive
# (idempotent: does nothing when everything is there); then check that
# every tool the lanes call works, naming the package of any that does
# not. --check: only check (what matrix.sh runs first).
#
# This list is the whole of what the host needs. Modules for Debian's
# stock kernels are built in chroots where apt installs the headers and
# their own dependencies (compiler, linux-kbuild, pahole); nothing of that
# comes from the host.
set -euo pipefail

# package, and what shows it usable: a command on PATH, or a file.
deps=(
	"make			cmd:make"		# everything
	"gcc			cmd:gcc"		# the CLI, unit tests, source kernels
	"libc6-dev		file:/usr/lib/x86_64-linux-gnu/libc.a"	# static hmm-tests
	"pkg-config		cmd:pkg-config"		# the CLI
	"libkmod-dev		file:/usr/include/libkmod.h"
	"kmod			cmd:depmod"		# modules.dep, modinfo (cache checks)
	"bc			cmd:bc"			# source kernels
	"flex			cmd:flex"
	"bison			cmd:bison"
	"libelf-dev		file:/usr/include/gelf.h"	# objtool
	"libssl-dev		file:/usr/include/openssl/evp.h"	# kernel host tools
	"perl			cmd:perl"		# kbuild, checkpatch.pl
	"patch			cmd:patch"		# our kernel patches
	"rsync			cmd:rsync"		# headers_install
	"sparse			cmd:sparse"		# make C=1
	"qemu-system-x86	cmd:qemu-system-x86_64"	# the guests
	"busybox-static		file:/bin/busybox"
	"cpio			cmd:cpio"
	"gzip			cmd:gzip"
	"xz-utils		cmd:xz"
	"zstd			cmd:zstd"
	"debootstrap		cmd:debootstrap"	# the per-release chroots
	"debian-archive-keyring	file:/usr/share/keyrings/debian-archive-keyring.gpg"
	"ca-certificates	file:/etc/ssl/certs/ca-certificates.crt"
	"procps			cmd:pkill"		# stopping guests
	"util-linux		cmd:flock"		# cache locks
	"python3		file:/usr/bin/python3"	# kunit.py, the KCIDB validator (make check)
	"python3-yaml		file:/usr/lib/python3/dist-packages/yaml/__init__.py"	# the CI workflow check
)

pkgs=()
missing_tools=()
for d in "${deps[@]}"; do
	read -r pkg probe <<<"$d"
	pkgs+=("$pkg")
	case $probe in
	cmd:*) command -v "${probe#cmd:}" >/dev/null 2>&1 ;;
	file:*) [ -e "${probe#file:}" ] ;;
	esac || missing_tools+=("$pkg (${probe#*:})")
done

check_only=0
[ "${1:-}" = --check ] && check_only=1

if [ "$check_only" = 0 ]; then
	missing=()
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		if [ "$(id -u)" -ne 0 ]; then
			echo "mmrepro: missing packages: ${missing[*]}" >&2
			echo "  install them as root: apt-get install ${missing[*]}" >&2
			exit 1
		fi
		echo "mmrepro: installing ${missing[*]}" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q >&2
		apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
	fi
	exec "$0" --check
fi

if [ ${#missing_tools[@]} -gt 0 ]; then
	echo "mmrepro: these tools are missing: ${missing_tools[*]}" >&2
	echo "  run 'make deps' as root, or: apt-get install ${missing_tools[*]%% *}" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "mmrepro: the QEMU lanes need root (debootstrap, chroot, mount)" >&2
	exit 1
fi
