#!/usr/bin/env bash
# check-workflow.sh RESULTS LANE...: the CI workflow (.github/workflows/
# matrix.yml) fits the project: it parses as YAML, its lane jobs are
# exactly the files of tests/qemu/lanes/, and merging lanes that ran in
# separate result directories (one per CI job) gives the same matrix, in
# every output, as reading them from the one directory they ran in here.
# Exit 0 when all hold. matrix.sh --check runs it after the matrix.
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: check-workflow.sh RESULTS LANE..." >&2; exit 64; }
top=$(cd "$(dirname "$0")/../.." && pwd)
results=$(cd "$1" && pwd)
shift
lanes=("$@")
workflow=$top/.github/workflows/matrix.yml
cli=$top/userspace/mmrepro
rc=0

# 1. YAML, and the lane list.
if ! listed=$(/usr/bin/python3 - "$workflow" <<'PY'
import sys, yaml
with open(sys.argv[1]) as f:
    wf = yaml.safe_load(f)
print("\n".join(sorted(wf["jobs"]["lane"]["strategy"]["matrix"]["lane"])))
PY
); then
	echo "workflow: $workflow does not parse as YAML with jobs.lane.strategy.matrix.lane"
	exit 1
fi
files=$(ls "$top/tests/qemu/lanes" | sort)
if [ "$listed" = "$files" ]; then
	echo "workflow: parses; its $(wc -l <<<"$listed") lane jobs are tests/qemu/lanes/"
else
	echo "workflow: its lane jobs differ from tests/qemu/lanes/:"
	diff <(echo "$listed") <(echo "$files") | sed -n 's/^[<>]/  &/p' || true
	rc=1
fi

# 2. One directory per lane, as the merge job downloads them.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dirs=()
for lane in "${lanes[@]}"; do
	[ -d "$results/$lane" ] || continue
	mkdir -p "$tmp/split/$lane"
	ln -s "$results/$lane" "$tmp/split/$lane/$lane"
	dirs+=(--results "$tmp/split/$lane")
done
run() {
	local out=$1
	shift
	mkdir -p "$tmp/$out"
	"$cli" matrix "$@" --expect-dir "$top/tests/expect" --markdown "$tmp/$out/md" \
		--json "$tmp/$out/json" --kcidb "$tmp/$out/kcidb" --run-id check \
		"${lanes[@]}" >"$tmp/$out/text" || true
}
run one --results "$results"
run merged "${dirs[@]}"
same=1
for f in text md json kcidb; do
	cmp -s "$tmp/one/$f" "$tmp/merged/$f" ||
		{ echo "workflow: merged results differ in $f:"; diff "$tmp/one/$f" "$tmp/merged/$f" | head -5 || true; same=0; rc=1; }
done
[ "$same" = 1 ] &&
	echo "workflow: ${#lanes[@]} lanes merged from ${#lanes[@]} result directories give the same table, Markdown, JSON and KCIDB as one"
exit "$rc"
