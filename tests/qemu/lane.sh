#!/usr/bin/env bash
# lane.sh LANE OUTDIR: boot one lane of the matrix and leave its console in
# OUTDIR/console.log.
#
# A stock lane (LANE_KIND=debian, the default) fetches the lane's kernel
# image and headers (Debian packages, private apt configuration, cached); a
# source lane (LANE_KIND=source) builds its kernel from Debian's
# linux-source package with the project's patches and config fragment
# (tests/qemu/lib/kernel-build.sh, cached) and also packs the tree's
# test_hmm.ko and hmm-tests, the oracle the guest runs after mmrepro. Then
# it builds the module against that kernel (cached, keyed by module sources
# + kernel), packs an initramfs (busybox, the CLI and its libraries, the
# module, tests/qemu/guest-init) and boots it under QEMU with TCG until the
# guest powers off or LANE_TIMEOUT passes. OUTDIR/oracle gets the oracle's
# counts.
#
# Environment: MMREPRO_CACHE (default ~/.cache/mmrepro), MMREPRO_LANE_TIMEOUT
# (seconds, overrides the lane file), MMREPRO_ACCEL
# (default tcg), MMREPRO_SCENARIOS (scenario names to run, default all).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
lane=$1
out=$2
: "${MMREPRO_CACHE:=$HOME/.cache/mmrepro}"
export MMREPRO_CACHE

lanefile=$here/lanes/$lane
[ -f "$lanefile" ] || { echo "mmrepro: no lane '$lane' (files in $here/lanes)" >&2; exit 2; }
# shellcheck source=lanes/debian-6.1
. "$lanefile"
LANE_TIMEOUT=${MMREPRO_LANE_TIMEOUT:-$LANE_TIMEOUT}
# shellcheck source=lib/debian-apt.sh
. "$here/lib/debian-apt.sh"

say() { printf '[%s] %s\n' "$lane" "$*" >&2; }

mkdir -p "$out"
cli=${MMREPRO_CLI:-$top/userspace/mmrepro}
[ -x "$cli" ] || { echo "mmrepro: build the CLI first (make userspace)" >&2; exit 2; }

# --- kernel ----------------------------------------------------------------
mmr_apt_init $LANE_SUITES

if [ "${LANE_KIND:-debian}" = source ]; then
	srcdir=$("$here/lib/kernel-src.sh" "$LANE_SRC_PKG" "$LANE_VERSION" $LANE_SUITES)
	kb=$("$here/lib/kernel-build.sh" "$srcdir" "$top/$LANE_PATCHES" "$top/$LANE_CONFIG")
	LANE_KREL=$(cat "$kb/krel")
	kern=$kb
	kmods=$kb/modroot/lib/modules/$LANE_KREL
	kdir=$kb/out
	kernkey=$(basename "$kb")
fi

kern=${kern:-$MMREPRO_CACHE/kernels/${LANE_KREL}_$LANE_VERSION}
if [ "${LANE_KIND:-debian}" != source ] && [ ! -f "$kern/vmlinuz" ]; then
	say "fetching kernel $LANE_IMAGE_PKGS $LANE_VERSION"
	rm -rf "$kern.tmp" && mkdir -p "$kern.tmp/root"
	for p in $LANE_IMAGE_PKGS; do
		dpkg-deb -x "$(mmr_apt_download "$p" "$LANE_VERSION")" "$kern.tmp/root"
	done
	for v in boot/vmlinuz-$LANE_KREL usr/lib/modules/$LANE_KREL/vmlinuz; do
		[ -f "$kern.tmp/root/$v" ] && cp "$kern.tmp/root/$v" "$kern.tmp/vmlinuz"
	done
	[ -f "$kern.tmp/vmlinuz" ] || { say "no vmlinuz in $LANE_IMAGE_PKGS"; exit 3; }
	# Packages ship no modules.dep (depmod runs at install): make one.
	[ -d "$kern.tmp/root/lib" ] || ln -s usr/lib "$kern.tmp/root/lib"
	depmod -b "$kern.tmp/root" "$LANE_KREL" 2>/dev/null
	rm -rf "$kern" && mv "$kern.tmp" "$kern"
fi
kmods=${kmods:-$kern/root/lib/modules/$LANE_KREL}

hdrs=$MMREPRO_CACHE/headers/${LANE_KREL}_$LANE_VERSION
kdir=${kdir:-$hdrs/root/usr/src/linux-headers-$LANE_KREL}
if [ "${LANE_KIND:-debian}" != source ] && [ "$LANE_BUILD" = host ] && [ ! -f "$hdrs/.ready" ]; then
	say "fetching headers $LANE_HEADERS_PKGS"
	rm -rf "$hdrs" && mkdir -p "$hdrs/root"
	for p in $LANE_HEADERS_PKGS; do
		dpkg-deb -x "$(mmr_apt_download "$p" "$LANE_VERSION")" "$hdrs/root"
	done
	# Debian's headers include their -common half by absolute path: point
	# that at the unpacked copy, so nothing has to be installed on the host.
	sed -i "s|^include /usr/src/|include $hdrs/root/usr/src/|" "$kdir/Makefile"
	touch "$hdrs/.ready"
fi

# --- module --------------------------------------------------------------
srchash=$(cd "$top" && cat Kbuild module/*.c module/*.h module/conftest.sh uapi/linux/*.h |
	sha256sum | cut -c1-16)
mod=$MMREPRO_CACHE/modules/${kernkey:-$LANE_KREL-$LANE_VERSION}-$srchash
if [ ! -f "$mod/mmrepro.ko" ]; then
	say "building mmrepro.ko against $LANE_KREL ($LANE_BUILD)"
	rm -rf "$mod" && mkdir -p "$mod"
	cp -r "$top/Kbuild" "$top/module" "$top/uapi" "$mod/"
	rm -f "$mod/module/compat_gen.h" "$mod"/module/*.o
	case $LANE_BUILD in
	host)
		make -C "$kdir" M="$mod" modules >"$mod/build.log" 2>&1 ||
			{ tail -n 30 "$mod/build.log" >&2; say "module build failed"; exit 3; }
		;;
	chroot-*)
		# The lane's compiler is not the host's: build inside a cached
		# debootstrap chroot of that suite with the headers installed.
		"$here/lib/chroot-build.sh" "${LANE_BUILD#chroot-}" "$LANE_KREL" "$LANE_VERSION" \
			"$mod" >"$mod/build.log" 2>&1 ||
			{ tail -n 30 "$mod/build.log" >&2; say "module build in chroot failed"; exit 3; }
		;;
	*)
		say "unknown LANE_BUILD '$LANE_BUILD'"; exit 2 ;;
	esac
fi
cp "$mod/module/compat_gen.h" "$out/compat_gen.h"

# --- initramfs -----------------------------------------------------------
say "packing initramfs"
root=$out/initramfs
rm -rf "$root" && mkdir -p "$root"/{bin,sbin,lib,lib64,proc,sys,dev,tmp,etc}
cp /bin/busybox "$root/bin/busybox"
for app in $("$root/bin/busybox" --list); do
	[ -e "$root/bin/$app" ] || ln -s busybox "$root/bin/$app"
done
cp "$cli" "$root/bin/mmrepro"
# The CLI's shared libraries, where the dynamic loader looks for them.
{ ldd "$cli" 2>/dev/null || true; } | awk '/=>/ { print $3 } /^\t\// { print $1 }' | while read -r so; do
	[ -f "$so" ] || continue
	mkdir -p "$root$(dirname "$so")"
	cp -L "$so" "$root$so"
done
cp "$mod/mmrepro.ko" "$root/lib/mmrepro.ko"
# Modules of the lane's kernel the guest needs (zram for swap, ...), with
# their dependencies, uncompressed, in load order for guest-init.
: >"$root/lib/guest-modules"
for m in ${LANE_GUEST_MODULES:-}; do
	"$here/lib/moddeps.sh" "$kmods" "$m"
done | awk '!seen[$0]++' | while read -r rel; do
	base=$(basename "$rel"); base=${base%.xz}; base=${base%.zst}; base=${base%.gz}
	case $rel in
	*.xz) xz -dc "$kmods/$rel" ;;
	*.zst) zstd -qdc "$kmods/$rel" ;;
	*.gz) gzip -dc "$kmods/$rel" ;;
	*) cat "$kmods/$rel" ;;
	esac >"$root/lib/$base"
	echo "/lib/$base" >>"$root/lib/guest-modules"
done
# The oracle: the kernel tree's own test_hmm.ko (with its dependencies)
# and hmm-tests, run by guest-init after mmrepro.
if [ -n "${LANE_ORACLE:-}" ]; then
	mkdir -p "$root/lib/oracle"
	: >"$root/lib/oracle/modules"
	"$here/lib/moddeps.sh" "$kmods" test_hmm | while read -r rel; do
		cp "$kmods/$rel" "$root/lib/oracle/"
		echo "/lib/oracle/$(basename "$rel")" >>"$root/lib/oracle/modules"
	done
	cp "$kb/hmm-tests" "$root/bin/hmm-tests"
fi
cp "$here/guest-init" "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz"
rm -rf "$root"

# --- boot ----------------------------------------------------------------
# The guest every lane gets unless its file says otherwise: two NUMA nodes
# (one single-CPU socket each: CPUs sharing a cache across nodes WARN at boot)
# of 1 GiB, and a 512 MiB DIMM on node 1 that the kernel onlines movable
# (memory offline scenarios), 32 MiB of 2 MiB hugetlb pages, THP madvise.
GUEST_QEMU_OPTS="-m 2G,slots=2,maxmem=4G
	-object memory-backend-ram,id=m0,size=1G -numa node,nodeid=0,memdev=m0,cpus=0
	-object memory-backend-ram,id=m1,size=1G -numa node,nodeid=1,memdev=m1,cpus=1
	-object memory-backend-ram,id=hp0,size=512M -device pc-dimm,id=dimm0,memdev=hp0,node=1"
GUEST_CMDLINE="memhp_default_state=online_movable hugepages=16 transparent_hugepage=madvise"
accel=${MMREPRO_ACCEL:-tcg}
append="console=ttyS0 loglevel=6 panic=-1 mmrepro.guest=1 ${LANE_CMDLINE:-$GUEST_CMDLINE}"
[ -n "${MMREPRO_SCENARIOS:-}" ] && append="$append mmrepro.args=\"$MMREPRO_SCENARIOS\""
[ -n "${LANE_ORACLE_ARGS:-}" ] && append="$append mmrepro.oracle=\"$LANE_ORACLE_ARGS\""
[ -n "${LANE_ORACLE_THP_ARGS:-}" ] && append="$append mmrepro.oracle_thp=\"$LANE_ORACLE_THP_ARGS\""
say "booting $LANE_KREL under QEMU ($accel, deadline ${LANE_TIMEOUT}s)"
start=$(date +%s)
set +e
timeout --foreground -k 10 "$LANE_TIMEOUT" \
	qemu-system-x86_64 -accel "$accel" -smp 2,sockets=2,cores=1,threads=1 ${LANE_QEMU_OPTS:-$GUEST_QEMU_OPTS} \
		-nographic -no-reboot -net none -monitor none \
		-kernel "$kern/vmlinuz" -initrd "$out/initramfs.cpio.gz" \
		-append "$append" </dev/null 2>"$out/qemu.stderr" |
	tr -d '\r' | tee "$out/console.log" |
	grep --line-buffered -E '^(ok|not ok) [0-9]|MMREPRO-|Kernel panic' | sed -u "s/^/[$lane] /" >&2
rc=${PIPESTATUS[0]}
set -e
echo "$(( $(date +%s) - start ))" >"$out/boot-seconds"
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	say "deadline of ${LANE_TIMEOUT}s passed: guest killed"
	echo hang >"$out/status"
elif [ "$rc" -ne 0 ]; then
	say "qemu exited with $rc: $(tail -n 3 "$out/qemu.stderr")"
	echo "qemu-$rc" >"$out/status"
else
	echo done >"$out/status"
fi
rm -f "$out/oracle"
if [ -n "${LANE_ORACLE:-}" ]; then
	line=$("$here/lib/oracle-summary.sh" "$out/console.log")
	if [ -n "${LANE_ORACLE_THP_ARGS:-}" ]; then
		line="$line; $("$here/lib/oracle-summary.sh" "$out/console.log" oracle-thp \
			"hmm-tests $LANE_ORACLE_THP_ARGS with THP always")"
	fi
	echo "$line" >"$out/oracle"
	say "oracle: $(cat "$out/oracle")"
fi
exit 0
