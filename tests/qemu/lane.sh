#!/usr/bin/env bash
# lane.sh [--prepare] LANE OUTDIR: boot one lane of the matrix and leave its
# console in OUTDIR/console.log. With --prepare, only get its kernel ready
# (resolved, fetched, built or installed, cached) and stop: matrix.sh builds
# a cold run's source kernels so, one after the other, while lanes run.
#
# A stock lane (LANE_KIND=debian, the default) follows a Debian suite: it
# takes the kernel the suite carries now (or the lane's LANE_PIN, when the
# suite still has it), installed with its headers by apt in a cached chroot
# of that release, where the module is built too
# (tests/qemu/lib/debian-chroot.sh). A source lane (LANE_KIND=source) builds
# its kernel from the newest linux-source-X.Y of its suite with the
# project's patches and config fragment (tests/qemu/lib/kernel-build.sh,
# cached) and also packs the tree's test_hmm.ko and hmm-tests, the oracle
# the guest runs after mmrepro; its module is built on the host against that
# tree. The lane named `kernel` is no file: it is the user's own built tree
# in MMREPRO_KERNEL (LANE_KIND=tree, tests/qemu/kernel.sh), its bzImage
# booted, the module built against it; or the kernel packages listed in
# MMREPRO_KERNEL_DEBS (LANE_KIND=debs), installed by apt in a chroot as a
# stock lane's kernel is. The module is cached, keyed by its sources + the kernel, and checked
# before reuse. Then it packs an initramfs (busybox, the CLI and its
# libraries, the module, tests/qemu/guest-init) and boots it under QEMU
# with TCG until the guest powers off or LANE_TIMEOUT passes.
#
# OUTDIR gets: kernel (the Debian version of the kernel or source package
# used), krel (its uname -r), oracle (the oracle's counts), phases (the
# host's phases, "NAME SECONDS" lines, for tests/qemu/lib/profile.py),
# and on a setup failure reason (one line: what went wrong, what to do).
# With MMREPRO_PROFILE=1 the lane's kernel is also booted once with an
# init that only powers off (raw-boot-seconds), the floor its run is
# measured against. Exit status: 0
# the guest ran (OUTDIR/status says how it ended), 4 a pinned kernel is
# no longer in the archive, other non-zero a setup failure.
#
# Environment: MMREPRO_CACHE (default ~/.cache/mmrepro), MMREPRO_LANE_TIMEOUT
# (seconds, overrides the lane file), MMREPRO_ACCEL (default tcg),
# MMREPRO_SCENARIOS (scenario names to run, default all), MMREPRO_RUN_START
# (set by matrix.sh: package indexes older than it are updated),
# MMREPRO_FUZZ_SEED (the fuzzer's seed in lanes that run it; default: new
# each run, printed on the console).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
prepare=0
[ "${1:-}" = --prepare ] && { prepare=1; shift; }
if [ $# -ne 2 ]; then
	echo "usage: lane.sh [--prepare] LANE OUTDIR (LANE: a file in $here/lanes, or 'kernel'; matrix.sh calls it)" >&2
	exit 64
fi
lane=$1
out=$2
: "${MMREPRO_CACHE:=$HOME/.cache/mmrepro}"
: "${MMREPRO_RUN_START:=$(date +%s)}"
export MMREPRO_CACHE MMREPRO_RUN_START

# A lane file is data, not code: KEY=VALUE lines (the value may be in
# double quotes), # comments and blank lines. Unknown keys are refused, so a
# misspelt or dead key is an error, not a silent default; the keys each
# kind needs are checked.
lane_keys=(LANE_DESC LANE_KIND LANE_SUITE LANE_FLAVOUR LANE_PIN LANE_SRC_PKG LANE_PATCHES
	LANE_CONFIG LANE_GUEST_MODULES LANE_TIMEOUT LANE_CMDLINE LANE_QEMU_OPTS LANE_ORACLE
	LANE_ORACLE_ARGS LANE_ORACLE_THP_ARGS LANE_FUZZ_SECONDS LANE_KMEMLEAK LANE_MUTANTS LANE_BENCH)
read_lane_file() {
	local file=$1 line key val n=0 k
	local -a need=(LANE_DESC LANE_SUITE LANE_TIMEOUT)
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		case $line in '' | '#'*) continue ;; esac
		[[ $line =~ ^(LANE_[A-Z_]+)=(\"([^\"]*)\"|[^\"\ ]*)$ ]] ||
			{ echo "mmrepro: $file:$n: not KEY=VALUE or KEY=\"VALUE\": $line" >&2; exit 2; }
		key=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
		[[ $val == \"*\" ]] && val=${BASH_REMATCH[3]}
		for k in "${lane_keys[@]}"; do [ "$k" = "$key" ] && break; done
		[ "$k" = "$key" ] ||
			{ echo "mmrepro: $file:$n: unknown key $key (known: ${lane_keys[*]})" >&2; exit 2; }
		printf -v "$key" '%s' "$val"
	done <"$file"
	case ${LANE_KIND:-debian} in
	debian) need+=(LANE_FLAVOUR) ;;
	source) need+=(LANE_SRC_PKG LANE_PATCHES LANE_CONFIG) ;;
	esac
	for k in "${need[@]}"; do
		[ -n "${!k:-}" ] || { echo "mmrepro: $file: $k is required" >&2; exit 2; }
	done
}

# Only the lane file sets LANE_*: nothing leaks in from the environment.
unset "${!LANE_@}"
if [ "$lane" = kernel ]; then
	# Not a file: the user's built kernel tree in MMREPRO_KERNEL
	# (tests/qemu/kernel.sh, `make run KERNEL=...`).
	# Or Debian packages in MMREPRO_KERNEL_DEBS (one path a line),
	# installed by apt in the chroot of MMREPRO_DEB_SUITE (bookworm).
	if [ -n "${MMREPRO_KERNEL_DEBS:-}" ]; then
		LANE_KIND=debs
		LANE_SUITE=${MMREPRO_DEB_SUITE:-bookworm}
	else
		[ -n "${MMREPRO_KERNEL:-}" ] ||
			{ echo "mmrepro: lane 'kernel' needs MMREPRO_KERNEL=/path/to/built/linux" >&2; exit 2; }
		LANE_KIND=tree
	fi
	LANE_TIMEOUT=2400
else
	lanefile=$here/lanes/$lane
	[ -f "$lanefile" ] || { echo "mmrepro: no lane '$lane' (files in $here/lanes)" >&2; exit 2; }
	read_lane_file "$lanefile"
fi
LANE_TIMEOUT=${MMREPRO_LANE_TIMEOUT:-$LANE_TIMEOUT}
LANE_KIND=${LANE_KIND:-debian}
case $LANE_KIND in
debian|source|tree|debs) ;;
*) echo "mmrepro: lane '$lane': LANE_KIND=$LANE_KIND is none of debian, source, tree, debs" >&2; exit 2 ;;
esac
# shellcheck source=lib/debian-apt.sh
. "$here/lib/debian-apt.sh"
# shellcheck source=lib/validate.sh
. "$here/lib/validate.sh"

say() { printf '[%s] %s\n' "$lane" "$*" >&2; }
[ -n "${LANE_DESC:-}" ] && say "$LANE_DESC"
# fail CODE MESSAGE: the lane cannot run; OUTDIR/reason says why (and
# matrix.sh prints it).
fail() {
	local code=$1
	shift
	echo "$*" >"$out/reason"
	exit "$code"
}

mkdir -p "$out"
rm -f "$out/reason" "$out/kernel" "$out/krel" "$out/phases" "$out/raw-boot-seconds"
# phase NAME: the time since the previous mark was NAME's (OUTDIR/phases).
phase_mark=${EPOCHREALTIME//[!0-9]/}
phase() {
	local now=${EPOCHREALTIME//[!0-9]/} us
	us=$((now - phase_mark))
	printf '%s %d.%03d\n' "$1" $((us / 1000000)) $((us % 1000000 / 1000)) >>"$out/phases"
	phase_mark=$now
}
# Stopped while setting up (the signal reached the whole process group:
# a kernel build or apt stops with it).
trap 'trap - INT TERM; echo interrupted >"$out/status"; echo "interrupted while setting up" >"$out/reason"; exit 130' INT TERM
cli=${MMREPRO_CLI:-$top/userspace/mmrepro}
[ -x "$cli" ] || fail 2 "build the CLI first (make userspace)"

# --- kernel ----------------------------------------------------------------
# Run a setup step; on failure, its last line of stderr becomes the reason.
step() {
	local rc=0 log=$out/step.log
	"$@" 2> >(tee "$log" >&2) || rc=$?
	wait
	[ "$rc" -eq 0 ] && return 0
	fail "$rc" "$(grep -v '^\s*$' "$log" | tail -n 1)"
}

if [ "$LANE_KIND" = tree ]; then
	kd=$(cd "$MMREPRO_KERNEL" 2>/dev/null && pwd) || fail 2 "no directory $MMREPRO_KERNEL"
	for f in .config include/config/kernel.release arch/x86/boot/bzImage Module.symvers; do
		[ -f "$kd/$f" ] || fail 2 "$kd is not a built x86_64 kernel tree (no $f): build it first (make -j\$(nproc) bzImage modules)"
	done
	LANE_KREL=$(cat "$kd/include/config/kernel.release")
	say "kernel: the tree in $kd ($LANE_KREL)"
	echo "$LANE_KREL (tree $kd)" >"$out/kernel"
	vmlinuz=$kd/arch/x86/boot/bzImage
	# zram for swap when the tree builds it as a module (built in, or
	# not at all, nothing to load: scenarios that need swap say skip).
	rm -rf "$out/modroot"
	kmods=$out/modroot/lib/modules/$LANE_KREL
	if grep -q '^CONFIG_ZRAM=m' "$kd/.config"; then
		LANE_GUEST_MODULES=zram
		say "installing the tree's modules for the guest (zram)"
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
			make --no-print-directory -s -C "$kd" INSTALL_MOD_PATH="$out/modroot" \
			INSTALL_MOD_STRIP=1 DEPMOD=/sbin/depmod modules_install >"$out/step.log" 2>&1 ||
			fail 3 "modules_install of $kd failed: $(tail -n 1 "$out/step.log")"
	else
		mkdir -p "$kmods" && echo "# no modules needed" >"$kmods/modules.dep"
	fi
	kernkey=tree-$LANE_KREL-$(cat "$kd/.config" "$kd/Module.symvers" | sha256sum | cut -c1-12)
elif [ "$LANE_KIND" = debs ]; then
	chr=$here/lib/debian-chroot.sh
	mapfile -t debs <<<"$MMREPRO_KERNEL_DEBS"
	res=$(step "$chr" install-debs "$LANE_SUITE" "${debs[@]}")
	mapfile -t lines <<<"$res"
	LANE_KREL=${lines[0]} vmlinuz=${lines[1]} kmods=${lines[2]}
	say "kernel: $LANE_KREL from $(printf '%s ' "${debs[@]##*/}")(in the $LANE_SUITE chroot)"
	echo "$LANE_KREL (packages ${debs[*]##*/})" >"$out/kernel"
	grep -q '^CONFIG_ZRAM=m' "$kmods/../../../../boot/config-$LANE_KREL" 2>/dev/null &&
		LANE_GUEST_MODULES=zram
	kernkey=debs-$LANE_KREL-$(cat "${debs[@]}" | sha256sum | cut -c1-12)
elif [ "$LANE_KIND" = source ]; then
	mmr_apt_init "$LANE_SUITE" || fail 3 "apt update for $LANE_SUITE failed"
	LANE_VERSION=$(step mmr_apt_resolve "$LANE_SRC_PKG" "$LANE_SUITE" "${LANE_PIN:-}")
	say "kernel: $LANE_SRC_PKG $LANE_VERSION from $LANE_SUITE${LANE_PIN:+ (pinned)}"
	echo "$LANE_VERSION" >"$out/kernel"
	phase resolve
	srcdir=$(step "$here/lib/kernel-src.sh" "$LANE_SRC_PKG" "$LANE_VERSION" "$LANE_SUITE")
	phase fetch-source
	read -ra fragments <<<"$LANE_CONFIG"	# one or more, merged in order
	kb=$(step "$here/lib/kernel-build.sh" "$srcdir" "$top/$LANE_PATCHES" "${fragments[@]/#/$top/}")
	phase kernel-build
	LANE_KREL=$(cat "$kb/krel")
	vmlinuz=$kb/vmlinuz
	kmods=$kb/modroot/lib/modules/$LANE_KREL
	kernkey=$(basename "$kb")
else
	chr=$here/lib/debian-chroot.sh
	res=$(step "$chr" resolve "$LANE_SUITE" "$LANE_FLAVOUR" "${LANE_PIN:-}")
	read -r LANE_VERSION LANE_KREL <<<"$res"
	say "kernel: linux-image-$LANE_KREL $LANE_VERSION from $LANE_SUITE${LANE_PIN:+ (pinned)}"
	echo "$LANE_VERSION" >"$out/kernel"
	phase resolve
	res=$(step "$chr" install "$LANE_SUITE" "$LANE_KREL" "$LANE_VERSION")
	vmlinuz=${res%%$'\n'*}
	kmods=${res#*$'\n'}
	kernkey=$LANE_KREL-$LANE_VERSION
fi
echo "$LANE_KREL" >"$out/krel"
# shellcheck disable=SC2086 # a word list
mmr_check_modtree "$kmods" ${LANE_GUEST_MODULES:-} >"$out/step.log" ||
	fail 3 "kernel $LANE_KREL: $(cat "$out/step.log")"
phase kernel
if [ "$prepare" = 1 ]; then
	say "kernel $LANE_KREL ready"
	exit 0
fi

# --- module --------------------------------------------------------------
srchash=$(cd "$top" && cat Kbuild module/*.c module/*.h module/conftest.sh uapi/linux/*.h |
	sha256sum | cut -c1-16)
mod=$MMREPRO_CACHE/modules/$kernkey-$srchash
mkdir -p "$MMREPRO_CACHE/modules"
exec 7>"$mod.lock"
flock 7
module_problem() {
	mmr_check_module "$mod/mmrepro.ko" "$LANE_KREL" || return 0
	[ -s "$mod/module/compat_gen.h" ] || echo "no module/compat_gen.h"
}
why=$(module_problem)
if [ -n "$why" ]; then
	[ -d "$mod" ] && say "cached module in $mod is not usable ($why): building it again"
	say "building mmrepro.ko against $LANE_KREL"
	rm -rf "$mod" && mkdir -p "$mod"
	cp -r "$top/Kbuild" "$top/module" "$top/uapi" "$mod/"
	rm -f "$mod/module/compat_gen.h" "$mod"/module/*.o
	if [ "$LANE_KIND" = source ] || [ "$LANE_KIND" = tree ]; then
		[ "$LANE_KIND" = tree ] && kbuild=$kd || kbuild=$kb/out
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
			make --no-print-directory -C "$kbuild" M="$mod" modules >"$mod/build.log" 2>&1
	else
		"$chr" build "$LANE_SUITE" "$LANE_KREL" "$mod" >"$mod/build.log" 2>&1
	fi || { tail -n 30 "$mod/build.log" >&2; fail 3 "module build failed: $mod/build.log"; }
	why=$(module_problem)
	[ -z "$why" ] || fail 3 "module build in $mod: $why"
fi
cp "$mod/module/compat_gen.h" "$out/compat_gen.h"
exec 7>&-
phase module

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
phase initramfs

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
[ -n "${LANE_KMEMLEAK:-}" ] && append="$append mmrepro.kmemleak=1"
[ -n "${LANE_MUTANTS:-}" ] && append="$append mmrepro.mutants=1"
[ -n "${LANE_BENCH:-}" ] && append="$append mmrepro.bench=1"
[ -n "${LANE_FUZZ_SECONDS:-}" ] && append="$append mmrepro.fuzz=$LANE_FUZZ_SECONDS"
[ -n "${LANE_FUZZ_SECONDS:-}" ] && [ -n "${MMREPRO_FUZZ_SEED:-}" ] &&
	append="$append mmrepro.fuzz_seed=$MMREPRO_FUZZ_SEED"
[ -n "${LANE_ORACLE_ARGS:-}" ] && append="$append mmrepro.oracle=\"$LANE_ORACLE_ARGS\""
[ -n "${LANE_ORACLE_THP_ARGS:-}" ] && append="$append mmrepro.oracle_thp=\"$LANE_ORACLE_THP_ARGS\""
# The lane's machine, without its initramfs and command line: the guest
# below and the raw boot of MMREPRO_PROFILE=1 boot the same one.
# (a word list over several lines: read stops only at the end, status 1)
read -r -d '' -a qemu_opts <<<"${LANE_QEMU_OPTS:-$GUEST_QEMU_OPTS}" || true
# shellcheck disable=SC2054 # the commas are -smp's, not array separators
qemu=(qemu-system-x86_64 -accel "$accel" -smp 2,sockets=2,cores=1,threads=1 "${qemu_opts[@]}"
	-nographic -no-reboot -net none -monitor none -kernel "$vmlinuz")
say "booting $LANE_KREL under QEMU ($accel, deadline ${LANE_TIMEOUT}s)"
start=$(date +%s)
# The guest runs in the background so that a signal (^C, or matrix.sh
# stopping the lane) is handled at once: the guest is stopped and the lane
# recorded as interrupted.
(
	timeout --foreground -k 10 "$LANE_TIMEOUT" "${qemu[@]}" \
		-initrd "$out/initramfs.cpio.gz" -append "$append" </dev/null 2>"$out/qemu.stderr" |
		tr -d '\r' | tee "$out/console.log" |
		grep --line-buffered -E '^(ok|not ok) [0-9]|MMREPRO-|Kernel panic' |
		sed -u "s/^/[$lane] /" >&2
	exit "${PIPESTATUS[0]}"
) &
guest=$!
interrupted() {
	trap - INT TERM
	pkill -TERM -P "$guest" 2>/dev/null || true
	wait "$guest" 2>/dev/null || true
	echo interrupted >"$out/status"
	echo "interrupted after $(( $(date +%s) - start )) s of the guest's run" >"$out/reason"
	say "interrupted: guest stopped"
	exit 130
}
trap interrupted INT TERM
rc=0
wait "$guest" || rc=$?
trap - INT TERM
echo "$(( $(date +%s) - start ))" >"$out/boot-seconds"
phase guest
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	say "deadline of ${LANE_TIMEOUT}s passed: guest killed"
	echo hang >"$out/status"
elif [ "$rc" -ne 0 ]; then
	say "qemu exited with $rc: $(tail -n 3 "$out/qemu.stderr")"
	echo "qemu-$rc" >"$out/status"
else
	echo "done" >"$out/status"
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
	phase oracle-summary
fi

# The floor (MMREPRO_PROFILE=1): the same kernel and machine, an init that
# only powers off. Its time to power-off is what any run of this lane costs.
if [ "${MMREPRO_PROFILE:-0}" = 1 ]; then
	raw=$out/raw-initramfs
	rm -rf "$raw" && mkdir -p "$raw/bin"
	cp /bin/busybox "$raw/bin/busybox"
	printf '#!/bin/busybox sh\n/bin/busybox poweroff -f\n' >"$raw/init"
	chmod +x "$raw/init"
	(cd "$raw" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/raw-initramfs.cpio.gz"
	rm -rf "$raw"
	say "raw boot of $LANE_KREL (init powers off at once)"
	raw_t0=${EPOCHREALTIME//[!0-9]/}
	# Stopped here, the lane's results are whole but the run was stopped:
	# it is recorded as interrupted, as anywhere else.
	trap 'trap - INT TERM; echo interrupted >"$out/status"; echo "interrupted during the raw boot (MMREPRO_PROFILE)" >"$out/reason"; exit 130' INT TERM
	timeout --foreground -k 10 300 "${qemu[@]}" -initrd "$out/raw-initramfs.cpio.gz" \
		-append "console=ttyS0 loglevel=6 panic=-1 ${LANE_CMDLINE:-$GUEST_CMDLINE}" \
		</dev/null >"$out/raw-console.log" 2>&1 || say "raw boot failed: see $out/raw-console.log"
	trap - INT TERM
	raw_us=$(( ${EPOCHREALTIME//[!0-9]/} - raw_t0 ))
	printf '%d.%03d\n' $((raw_us / 1000000)) $((raw_us % 1000000 / 1000)) >"$out/raw-boot-seconds"
	say "raw boot: $(cat "$out/raw-boot-seconds") s"
	phase raw-boot
fi
exit 0
