#!/usr/bin/env bash
# kernel.sh [OPTIONS] KDIR: run mmrepro on your own kernel: KDIR is a built
# x86_64 tree (`make bzImage modules` done; an O= build directory is fine).
# kernel.sh [OPTIONS] IMAGE.deb HEADERS.deb...: the same for kernel packages
# (`make bindeb-pkg`, or Debian's), installed by apt in the cached chroot of
# --suite (default bookworm), where the module is built.
# It checks KDIR's .config against what the scenarios need
# (tests/kernel/mmrepro.config), builds the module against KDIR, boots
# bzImage in the usual QEMU guest, runs the scenarios with their controls
# and prints the verdicts (results in $MMREPRO_RESULTS/kernel). No
# expectation file is needed.
#
#   --expect FILE       compare with an expectation file (lines NAME VERDICT)
#   --scenarios "A B"   run only these (default: all)
#   --configure         merge tests/kernel/mmrepro.config into KDIR/.config
#                       (merge_config.sh, then olddefconfig) and stop: you
#                       rebuild, then run again
#   --build             first build KDIR (olddefconfig, bzImage, modules)
#   --suite SUITE       the chroot the packages go into (default bookworm)
#   --bisect SCENARIO   for `git bisect run`: run only SCENARIO and exit
#                       0 ok, 1 bug/splat/hang, 125 skip/error or a kernel
#                       that could not be built, booted or tested; e.g. in
#                       the kernel tree:
#                         git bisect run /path/to/mmrepro/tests/qemu/kernel.sh \
#                             --build --bisect exclusive-swapout .
#
# `make run KERNEL=KDIR` and `tests/qemu/matrix.sh --kernel KDIR` call it.
# Environment: MMREPRO_CACHE, MMREPRO_RESULTS (default ./results),
# MMREPRO_ACCEL (default tcg).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
fragment=$top/tests/kernel/mmrepro.config
usage() { sed -n '2,32s/^# \{0,1\}//p' "$0" >&2; exit 64; }

expect='' scenarios='' configure=0 bisect='' build=0 suite=bookworm
while [ $# -gt 0 ]; do
	case $1 in
	--expect) expect=$(realpath "$2"); shift ;;
	--scenarios) scenarios=$2; shift ;;
	--configure) configure=1 ;;
	--build) build=1 ;;
	--suite) suite=$2; shift ;;
	--bisect) bisect=$2; shift ;;
	-h|--help) usage ;;
	-*) echo "kernel.sh: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
	shift
done
[ $# -ge 1 ] || usage
# In bisect mode anything that keeps the commit from being judged is 125.
untestable() { echo "kernel.sh: $*" >&2; [ -n "$bisect" ] && exit 125; exit 2; }
debs=()
if [ "${1%.deb}" != "$1" ]; then
	for f in "$@"; do
		[ -f "$f" ] && [ "${f%.deb}" != "$f" ] || untestable "$f is not a .deb file"
		debs+=("$(realpath "$f")")
	done
	[ "$configure" = 0 ] && [ "$build" = 0 ] ||
		{ echo "kernel.sh: --configure and --build are for a kernel tree, not packages" >&2; exit 64; }
	kd=$(mktemp -d)
	trap 'rm -rf "$kd"' EXIT
	# The image package's config, for the check below.
	for f in "${debs[@]}"; do
		dpkg-deb --fsys-tarfile "$f" | tar -xOf - --wildcards './boot/config-*' \
			>"$kd/.config" 2>/dev/null && [ -s "$kd/.config" ] && break
	done
	[ -s "$kd/.config" ] || untestable "no ./boot/config-* in ${debs[*]}: is the linux-image package among them?"
	config_name="the packages' /boot/config"
else
	[ $# -eq 1 ] || usage
	kd=$(cd "$1" 2>/dev/null && pwd) || { echo "kernel.sh: no directory $1" >&2; exit 64; }
	[ -f "$kd/.config" ] || untestable "$kd has no .config: configure and build it first"
	config_name=$kd/.config
fi

# --- the config --------------------------------------------------------------
# What a scenario loses without an option of the fragment's needed part
# (above "catching what goes wrong"); options not named here are what the
# guest needs to boot and run at all. "-": not needed on your kernel.
purpose() {
	case $1 in
	CONFIG_LOCALVERSION*|CONFIG_NR_CPUS|CONFIG_TRANSPARENT_HUGEPAGE_MADVISE) echo - ;;
	CONFIG_TEST_HMM|CONFIG_GUP_TEST|CONFIG_RUNTIME_TESTING_MENU)
		echo "- (the source lanes' in-tree oracle; not run on your kernel)" ;;
	CONFIG_DEVICE_PRIVATE|CONFIG_ZONE_DEVICE|CONFIG_HMM_MIRROR|CONFIG_MMU_NOTIFIER)
		echo "exclusive-* and hmm-swap skip: no device-exclusive API (thread 003)" ;;
	CONFIG_TRANSPARENT_HUGEPAGE) echo "the *-thp scenarios skip" ;;
	CONFIG_HUGETLBFS) echo "hugetlb-pin and exclusive-hugetlb skip (thread 004)" ;;
	CONFIG_NUMA|CONFIG_X86_64_ACPI_NUMA)
		echo "one node only: protnone-*, exclusive-migrate skip (threads 000, 002, 003)" ;;
	CONFIG_NUMA_BALANCING)
		echo "no NUMA-hinting faults: protnone-* skip (threads 000, 002)" ;;
	CONFIG_MIGRATION|CONFIG_COMPACTION) echo "exclusive-migrate, THP collapse" ;;
	CONFIG_MEMORY_HOTPLUG|CONFIG_MEMORY_HOTREMOVE|CONFIG_ACPI_HOTPLUG_MEMORY|CONFIG_SPARSEMEM_VMEMMAP)
		echo "exclusive-offline skips (no movable DIMM to offline)" ;;
	CONFIG_KSM) echo "ksm-protnone skips (thread 000)" ;;
	CONFIG_SWAP|CONFIG_ZRAM|CONFIG_BLOCK)
		echo "no swap in the guest: exclusive-swapout and hmm-swap skip" ;;
	CONFIG_CGROUPS|CONFIG_MEMCG)
		echo "no memory.reclaim: exclusive-swapout skips" ;;
	CONFIG_PROC_PAGE_MONITOR) echo "no pagemap or kpageflags: ksm-protnone, smaps-protnone" ;;
	CONFIG_DEBUG_FS) echo "no NUMA scanner pace (protnone-*-scanner), no mutant switches" ;;
	CONFIG_NET|CONFIG_UNIX) echo "ioctl-abi's SCM_RIGHTS rows" ;;
	*) echo "the guest needs it to boot and run" ;;
	esac
}

# "CONFIG_X=want (have: V): what it costs" for each option of the needed
# part of the fragment that KDIR's .config does not give.
config_gaps() {
	local key want have why
	awk -v cfg="$kd/.config" '
		BEGIN {
			while ((getline l < cfg) > 0) {
				if (l ~ /^CONFIG_[A-Za-z0-9_]+=/) {
					k = l; sub(/=.*/, "", k); v = l; sub(/^[^=]*=/, "", v); have[k] = v
				}
			}
		}
		/^# --- catching what goes wrong/ { exit }
		/^CONFIG_[A-Za-z0-9_]+=/ {
			k = $0; sub(/=.*/, "", k); v = $0; sub(/^[^=]*=/, "", v)
			h = (k in have) ? have[k] : "n"
			# built in where a module is asked will do; a module where
			# built in is asked will not (the console, the initramfs)
			if (h == v || (v == "m" && h == "y")) next
			print k, v, h
		}' "$fragment" |
	while read -r key want have; do
		why=$(purpose "$key")
		[ "${why:0:1}" = - ] && continue
		echo "$key=$want (have: $have): $why"
	done
}

if [ "$configure" = 1 ]; then
	merge=$kd/scripts/kconfig/merge_config.sh
	[ -x "$merge" ] || merge=$kd/source/scripts/kconfig/merge_config.sh
	[ -x "$merge" ] || { echo "kernel.sh: no scripts/kconfig/merge_config.sh in $kd" >&2; exit 2; }
	(cd "$kd" && "$merge" -m .config "$fragment" >/dev/null)
	make -s -C "$kd" olddefconfig
	gaps=$(config_gaps)
	echo "kernel.sh: merged $fragment into $kd/.config; rebuild: make -C $kd -j$(nproc) bzImage modules"
	[ -z "$gaps" ] || { echo "still missing after olddefconfig (their dependencies are off):"; sed 's/^/  /' <<<"$gaps"; }
	exit 0
fi

if [ "$build" = 1 ]; then
	echo "kernel.sh: building $kd (log: $kd/mmrepro-build.log)"
	{ make -C "$kd" olddefconfig && make -C "$kd" -j"$(nproc)" bzImage modules; } \
		>"$kd/mmrepro-build.log" 2>&1 ||
		untestable "the kernel does not build: $(tail -n 1 "$kd/mmrepro-build.log")"
fi

gaps=$(config_gaps)
if [ -n "$gaps" ]; then
	echo "kernel.sh: $config_name lacks what some scenarios need (they will say skip, or the guest may not boot):"
	sed 's/^/  /' <<<"$gaps"
	echo "  (--configure merges tests/kernel/mmrepro.config; then rebuild)"
fi

# --- run -------------------------------------------------------------------
results=${MMREPRO_RESULTS:-$top/results}
out=$results/kernel
mkdir -p "$results"
make -s --no-print-directory -C "$top" userspace
[ -n "$bisect" ] && scenarios=$bisect
rc=0
if [ ${#debs[@]} -gt 0 ]; then
	MMREPRO_KERNEL_DEBS=$(printf '%s\n' "${debs[@]}") MMREPRO_DEB_SUITE=$suite \
		MMREPRO_SCENARIOS=$scenarios "$here/lane.sh" kernel "$out" || rc=$?
else
	MMREPRO_KERNEL=$kd MMREPRO_SCENARIOS=$scenarios "$here/lane.sh" kernel "$out" || rc=$?
fi
if [ "$rc" -ne 0 ]; then
	untestable "the kernel could not be set up: $(cat "$out/reason" 2>/dev/null || echo "lane.sh exited $rc")"
fi
status=$(cat "$out/status" 2>/dev/null || echo none)
console_args=(--lane "kernel $(cat "$out/krel")")
[ -n "$expect" ] && console_args+=(--expect "$expect")
crc=0
"$top/userspace/mmrepro" console "${console_args[@]}" "$out/console.log" | tee "$out/verdicts.txt" || crc=$?

if [ -n "$bisect" ]; then
	verdict=$(awk -v s="$bisect" '$1 == s { print $2; exit }' "$out/verdicts.txt")
	case $verdict in
	ok) echo "kernel.sh: bisect: $bisect ok (good)"; exit 0 ;;
	bug|splat|hang) echo "kernel.sh: bisect: $bisect $verdict (bad)"; exit 1 ;;
	*) echo "kernel.sh: bisect: $bisect ${verdict:-not observed} (guest $status): cannot judge this commit"; exit 125 ;;
	esac
fi
[ "$status" = "done" ] || { echo "kernel.sh: the guest did not finish ($status)" >&2; exit 1; }
exit "$crc"
