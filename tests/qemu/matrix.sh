#!/usr/bin/env bash
# matrix.sh [--check] [-j N] [LANE...]: run every scenario in every lane
# (default: every file in tests/qemu/lanes) and print one table, scenarios
# by lanes, marking each cell that differs from tests/expect/<lane>. The
# table also goes to results/matrix.md and results/matrix.json.
#
# --check  exit non-zero when any cell differs from its expectation
# -j N     run N lanes at once (default 1: TCG guests want the CPUs)
#
# Environment: MMREPRO_CACHE, MMREPRO_RESULTS (default ./results),
# MMREPRO_SCENARIOS (run only these), MMREPRO_ACCEL (default tcg).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
check=0
jobs=1
lanes=()
while [ $# -gt 0 ]; do
	case $1 in
	--check) check=1 ;;
	-j) jobs=$2; shift ;;
	-j*) jobs=${1#-j} ;;
	-h|--help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) echo "matrix.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
	*) lanes+=("$1") ;;
	esac
	shift
done
if [ ${#lanes[@]} -eq 0 ]; then
	for f in "$here"/lanes/*; do lanes+=("$(basename "$f")"); done
fi
results=${MMREPRO_RESULTS:-$top/results}
mkdir -p "$results"

make -s -C "$top" userspace

run_lane() {
	local lane=$1 start rc
	start=$(date +%s)
	mkdir -p "$results/$lane"
	rm -f "$results/$lane/console.log" "$results/$lane/status"
	if "$here/lane.sh" "$lane" "$results/$lane" 2> >(tee "$results/$lane/lane.log" >&2); then
		rc=0
	else
		rc=$?
		echo "setup-failed-$rc" >"$results/$lane/status"
		echo "[$lane] lane setup failed (exit $rc): see $results/$lane/lane.log" >&2
	fi
	echo "$(( $(date +%s) - start ))" >"$results/$lane/seconds"
	echo "[$lane] finished in $(cat "$results/$lane/seconds") s" >&2
}

running=0
for lane in "${lanes[@]}"; do
	if [ "$jobs" -le 1 ]; then
		run_lane "$lane"
		continue
	fi
	run_lane "$lane" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n || true
		running=$((running - 1))
	fi
done
wait

echo
set +e
"$top/userspace/mmrepro" matrix --results "$results" --expect-dir "$top/tests/expect" \
	--markdown "$results/matrix.md" --json "$results/matrix.json" "${lanes[@]}"
rc=$?
set -e
echo
for lane in "${lanes[@]}"; do
	printf '%-14s %4ss wall  (%s)\n' "$lane" "$(cat "$results/$lane/seconds" 2>/dev/null || echo ?)" \
		"$(cat "$results/$lane/status" 2>/dev/null || echo 'no status')"
done
echo "results: $results/matrix.md, $results/matrix.json, $results/<lane>/console.log"
if [ "$check" = 1 ]; then
	exit "$rc"
fi
exit 0
