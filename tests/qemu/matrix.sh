#!/usr/bin/env bash
# matrix.sh [--check] [-j N] [LANE...]: run every scenario in every lane
# (default: every file in tests/qemu/lanes) and print one table, scenarios
# by lanes, marking each cell that differs from tests/expect/<lane>. The
# table also goes to results/matrix.md and results/matrix.json; the header
# names the kernel (Debian package version) each lane ran.
#
# --check  exit non-zero when any cell differs from its expectation, when
#          the kernel's KTAP parser (kunit.py, from a cached source tree)
#          counts a lane's KTAP differently (lib/ktap-agree.sh), when
#          results/kcidb.json is not valid KCIDB v5 (tests/kcidb/validate.py),
#          or when the CI workflow does not fit (tests/ci/check-workflow.sh)
# -j N     run N lanes at once (default 2: on 2 cores the warm matrix took
#          418 s with -j 2 and 710 s with -j 1, every cell the same; later
#          286 s with -j 2 and 286 s with -j 3, which only stretched every
#          lane, the debug lane from 244 to 285 s: 1.9 cores are busy at -j 2)
# --kernel [OPTIONS] KDIR   your own built kernel tree instead of the lanes:
#          tests/qemu/kernel.sh (its options: --expect, --bisect, ...)
#
# ^C (or SIGTERM) stops the guests, records the lanes as interrupted,
# prints the matrix of what ran, and exits 130.
#
# Environment: MMREPRO_CACHE, MMREPRO_RESULTS (default ./results),
# MMREPRO_SCENARIOS (run only these), MMREPRO_ACCEL (default tcg),
# MMREPRO_APT_REFRESH=1 (update package indexes again even if this run did),
# MMREPRO_PROFILE=1 (also boot each lane's kernel with an init that only
# powers off: the profile's floor; `make bench-matrix`).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
check=0
jobs=2
lanes=()
while [ $# -gt 0 ]; do
	case $1 in
	--check) check=1 ;;
	-j) jobs=$2; shift ;;
	-j*) jobs=${1#-j} ;;
	--kernel) shift; exec "$here/kernel.sh" "$@" ;;
	-h|--help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	-*) echo "matrix.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
	*) lanes+=("$1") ;;
	esac
	shift
done
if [ ${#lanes[@]} -eq 0 ]; then
	for f in "$here"/lanes/*; do lanes+=("$(basename "$f")"); done
fi
for lane in "${lanes[@]}"; do
	[ -f "$here/lanes/$lane" ] ||
		{ echo "matrix.sh: no lane '$lane' (lanes: $(ls "$here/lanes" | tr '\n' ' '))" >&2; exit 64; }
done
results=${MMREPRO_RESULTS:-$top/results}
mkdir -p "$results"
# Package indexes older than this are updated (once per run): lanes follow
# the archive as it is now.
MMREPRO_RUN_START=$(date +%s)
export MMREPRO_RUN_START

"$here/install-deps.sh" --check
make -s --no-print-directory -C "$top" userspace

# Each lane runs in a session of its own (setsid), in the background, also
# when lanes run one at a time, so that ^C or SIGTERM is handled at once:
# the lane's whole process group (lane.sh, a kernel build, the guest) is
# sent SIGTERM, and lane.sh records itself as interrupted.
run_lane() {
	local lane=$1 start rc=0 pid follow
	start=$(date +%s)
	mkdir -p "$results/$lane"
	rm -f "$results/$lane"/{console.log,status,reason,kernel,krel,oracle,seconds}
	# lane.log is written by lane.sh itself and followed by tail, not by a
	# tee of a process substitution: that tee would be lane.sh's child, and
	# lane.sh, stopping on ^C, would wait for it while it waits for
	# lane.sh's stderr to close.
	: >"$results/$lane/lane.log"
	setsid "$here/lane.sh" "$lane" "$results/$lane" 2>>"$results/$lane/lane.log" &
	pid=$!
	echo "$pid" >"$results/$lane/.pid"
	tail -n +1 -f --pid="$pid" "$results/$lane/lane.log" >&2 &
	follow=$!
	wait "$pid" || rc=$?
	wait "$follow" || true
	rm -f "$results/$lane/.pid"
	if [ "$rc" -ne 0 ] && [ ! -f "$results/$lane/status" ]; then
		case $rc in
		4) echo unavailable ;;
		130|143) echo interrupted ;;
		*) echo "setup-failed-$rc" ;;
		esac >"$results/$lane/status"
		[ -s "$results/$lane/reason" ] ||
			echo "lane setup failed (exit $rc): see $results/$lane/lane.log" >"$results/$lane/reason"
		echo "[$lane] $(cat "$results/$lane/status"): $(cat "$results/$lane/reason")" >&2
	fi
	echo "$(( $(date +%s) - start ))" >"$results/$lane/seconds"
	echo "[$lane] finished in $(cat "$results/$lane/seconds") s" >&2
}

# prebuild LANE...: get each lane's kernel ready (lane.sh --prepare), one
# after the other, logged in results/.prebuild/LANE/lane.log. A failure is
# left to the lane itself, which tries again and says why.
prebuild() {
	local lane dir pid
	for lane in "$@"; do
		dir=$results/.prebuild/$lane
		mkdir -p "$dir"
		: >"$dir/lane.log"
		setsid "$here/lane.sh" --prepare "$lane" "$dir" 2>>"$dir/lane.log" &
		pid=$!
		echo "$pid" >"$dir/.pid"
		tail -n +1 -f --pid="$pid" "$dir/lane.log" | sed -u 's/^/[prebuild] /' >&2 &
		wait "$pid" || echo "[prebuild] $lane: no kernel ready (exit $?); the lane will try again" >&2
		wait $! || true
		rm -f "$dir/.pid"
	done
}
prebuild_pid=

interrupted=0
stop_lanes() {
	local f
	interrupted=1
	trap - INT TERM
	echo "matrix.sh: interrupted: stopping the running lanes" >&2
	[ -z "$prebuild_pid" ] || kill -TERM "$prebuild_pid" 2>/dev/null || true
	for f in "$results"/*/.pid "$results"/.prebuild/*/.pid; do
		[ -f "$f" ] && kill -TERM -- "-$(cat "$f")" 2>/dev/null || true
	done
}
trap stop_lanes INT TERM

# With more than one lane at a time, the start order: first the lanes the
# last run timed, longest first, so that a long lane does not start last and
# run alone. Then the lanes without a figure (a cold run): kernel builds run
# one at a time (lib/kernel-build.sh), so one source lane starts (the one
# with the longest deadline), then the lanes that build no kernel, then the
# other source lanes; a second source lane at the start would only wait for
# the first one's build. The table keeps the lanes' order.
#
# The kernels of those untimed source lanes are built by a chain of their
# own (prebuild), in the same order (longest deadline first; ties: the
# later name first, the newer tree), one right after the other, not when a
# lane gets its turn: a cold run's source lanes then wait only for their
# own kernel, not for a slot and then for the build. On 2 cores the cold
# matrix's three builds had ~200 s gaps between them before.
order=("${lanes[@]}")
if [ "$jobs" -gt 1 ]; then
	timed=() builders=() others=()
	for lane in "${lanes[@]}"; do
		if [ -s "$results/$lane/seconds" ]; then
			timed+=("$(cat "$results/$lane/seconds") $lane")
		elif grep -qx 'LANE_KIND=source' "$here/lanes/$lane"; then
			builders+=("$(sed -n 's/^LANE_TIMEOUT=//p' "$here/lanes/$lane") $lane")
		else
			others+=("$lane")
		fi
	done
	order=()
	[ ${#timed[@]} -gt 0 ] &&
		mapfile -t order < <(printf '%s\n' "${timed[@]}" | sort -s -rn -k1,1 | cut -d' ' -f2)
	[ ${#builders[@]} -gt 0 ] &&
		mapfile -t builders < <(printf '%s\n' "${builders[@]}" | sort -k1,1rn -k2,2r | cut -d' ' -f2)
	order+=("${builders[@]:0:1}" "${others[@]}" "${builders[@]:1}")
	if [ ${#builders[@]} -gt 0 ]; then
		prebuild "${builders[@]}" &
		prebuild_pid=$!
	fi
fi
# A slot is free when one of the lanes ends: `wait -n` is given the lanes'
# pids, since the prebuild chain is a job too (without them, its end freed
# a slot that no lane had left, and a warm run ran three lanes at once).
running=() started=()
for lane in "${order[@]}"; do
	[ "$interrupted" = 0 ] || break
	run_lane "$lane" &
	running+=("$!")
	started+=("$lane")
	while [ ${#running[@]} -ge "$jobs" ]; do
		# (-p unsets ended first, and sets it only when a lane ended)
		wait -n -p ended "${running[@]}" || true
		[ -n "${ended:-}" ] || break	# interrupted: the trap stops the lanes
		for i in "${!running[@]}"; do
			[ "${running[$i]}" = "$ended" ] && unset 'running[i]'
		done
		running=("${running[@]}")
	done
done
while [ "$(jobs -pr | wc -l)" -gt 0 ]; do
	wait || true
done
trap - INT TERM
# A lane this run started has its own status (lane.sh's, or run_lane's
# when lane.sh died without one); one it did not start may still hold an
# earlier run's results, which must not be read as this run's.
if [ "$interrupted" = 1 ]; then
	for lane in "${lanes[@]}"; do
		mkdir -p "$results/$lane"
		if printf '%s\n' "${started[@]}" | grep -qxF -- "$lane"; then
			[ -f "$results/$lane/status" ] && continue
			why="interrupted: the matrix was stopped while the lane ran"
		else
			rm -f "$results/$lane"/{console.log,kernel,krel,oracle,seconds,phases}
			why="not run: the matrix was interrupted"
		fi
		echo interrupted >"$results/$lane/status"
		echo "$why" >"$results/$lane/reason"
	done
fi

echo
set +e
"$top/userspace/mmrepro" matrix --results "$results" --expect-dir "$top/tests/expect" \
	--markdown "$results/matrix.md" --json "$results/matrix.json" \
	--kcidb "$results/kcidb.json" --run-id "$(uname -n)-$MMREPRO_RUN_START" "${lanes[@]}"
rc=$?
set -e
echo
for lane in "${lanes[@]}"; do
	printf '%-20s %-22s %5ss wall  (%s)\n' "$lane" "$(cat "$results/$lane/kernel" 2>/dev/null || echo '?')" \
		"$(cat "$results/$lane/seconds" 2>/dev/null || echo ?)" \
		"$(cat "$results/$lane/status" 2>/dev/null || echo 'no status')"
done
# Where the time went, per lane and phase (results/profile.json).
echo
/usr/bin/python3 "$here/lib/profile.py" "$results" "${lanes[@]}" || true
echo "results: $results/matrix.md, $results/matrix.json, $results/kcidb.json, $results/profile.json, $results/<lane>/console.log"
# The kernel's own KTAP parser must count every lane's KTAP as mmrepro does.
consoles=()
for lane in "${lanes[@]}"; do
	[ -s "$results/$lane/console.log" ] && consoles+=("$results/$lane/console.log")
done
agree_rc=0
if [ ${#consoles[@]} -gt 0 ]; then
	echo
	"$here/lib/ktap-agree.sh" "${consoles[@]}" | tee "$results/ktap-agree.txt" || agree_rc=1
fi
# KCIDB v5 as aggregators read it (tests/kcidb/validate.py), and the CI
# workflow's lanes and merge (tests/ci/check-workflow.sh).
/usr/bin/python3 "$top/tests/kcidb/validate.py" "$results/kcidb.json" || agree_rc=1
"$top/tests/ci/check-workflow.sh" "$results" "${lanes[@]}" || agree_rc=1
[ "$interrupted" = 0 ] || exit 130
if [ "$check" = 1 ]; then
	[ "$rc" -ne 0 ] && exit "$rc"
	exit "$agree_rc"
fi
exit 0
