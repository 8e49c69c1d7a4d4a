#!/usr/bin/env bash
# ktap-agree.sh CONSOLE...: read each KTAP document mmrepro printed on a
# guest console (`mmrepro run --ktap`, `mmrepro mutants --ktap`) with the
# kernel's own parser, tools/testing/kunit/kunit.py parse, from a cached
# linux-source tree, and compare what it counts with the document's own
# kselftest `# Totals:` line. kunit.py counts XFAIL as passed and an error
# as failed, so they agree when
#   passed = pass + xfail + xpass, failed = fail + error, skipped = skip
# and kunit.py found no error in the document (a KTAP line broken by a
# kernel message would be one).
#
# One line per document; exit 0 when every document agrees, 1 when one
# does not, 0 with a note when no cached tree has kunit.py (it comes with
# the source lanes' kernel trees) or a document has no Totals line (its
# guest did not finish it: the matrix says so).
#
# Environment: MMREPRO_CACHE (default ~/.cache/mmrepro), MMREPRO_KUNIT (a
# kunit.py to use instead).
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: ktap-agree.sh CONSOLE..." >&2; exit 64; }
: "${MMREPRO_CACHE:=$HOME/.cache/mmrepro}"

kunit=${MMREPRO_KUNIT:-}
if [ -z "$kunit" ]; then
	trees=()
	for t in "$MMREPRO_CACHE"/kbuild/*/src/tools/testing/kunit/kunit.py; do
		[ -f "$t" ] && trees+=("$t")
	done
	if [ ${#trees[@]} -gt 0 ]; then
		kunit=$(printf '%s\n' "${trees[@]}" | sort -V | tail -n 1)
	fi
fi
if [ -z "$kunit" ]; then
	echo "ktap: not checked: no kernel tree with tools/testing/kunit/kunit.py in $MMREPRO_CACHE/kbuild (a source lane caches one)"
	exit 0
fi
# Debian's python3 (install-deps.sh), whatever else is first on PATH.
python=/usr/bin/python3
[ -x "$python" ] ||
	{ echo "ktap: $python is missing (tests/qemu/install-deps.sh installs it)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
for console in "$@"; do
	rm -f "$tmp"/doc.*
	# Each document runs from its "KTAP version 1" to the next one or to a
	# line the guest prints between its commands.
	tr -d '\r' <"$console" | awk -v dir="$tmp" '
		/^KTAP version 1$/ { n++; out = sprintf("%s/doc.%d", dir, n) }
		/^MMREPRO-/ { out = "" }
		out != "" { print > out }'
	docs=("$tmp"/doc.*)
	if [ ! -e "${docs[0]}" ]; then
		echo "ktap: $console: no KTAP document"
		continue
	fi
	for doc in "${docs[@]}"; do
		what="$console, document ${doc##*.} (plan $(sed -n 2p "$doc"))"
		totals=$(grep -m1 '^# Totals: ' "$doc" || true)
		if [ -z "$totals" ]; then
			echo "ktap: $what: no '# Totals:' line (the guest did not finish it)"
			continue
		fi
		declare -A m=()
		for kv in ${totals#'# Totals: '}; do m[${kv%%:*}]=${kv#*:}; done
		# kunit.py exits non-zero when a test failed: its summary is what counts.
		summary=$({ "$python" "$kunit" parse "$doc" 2>&1 || true; } |
			sed -n 's/.*Testing complete\. //p' | tail -n 1)
		declare -A k=([passed]=0 [failed]=0 [skipped]=0 [crashed]=0 [errors]=0)
		while read -r key n; do
			k[$key]=$n
		done < <(printf '%s\n' "${summary#*: }" | tr ',' '\n' | sed -n 's/^ *\([a-z]*\): \([0-9]*\)$/\1 \2/p')
		want_passed=$((m[pass] + m[xfail] + m[xpass]))
		want_failed=$((m[fail] + m[error]))
		if [ -n "$summary" ] && [ "${k[passed]}" = "$want_passed" ] &&
			[ "${k[failed]}" = "$want_failed" ] && [ "${k[skipped]}" = "${m[skip]}" ] &&
			[ "${k[crashed]}" = 0 ] && [ "${k[errors]}" = 0 ]; then
			echo "ktap: $what: agree: kunit.py $summary; ${totals#'# '}"
		else
			echo "ktap: $what: DIFFER: kunit.py ${summary:-printed no summary}; mmrepro ${totals#'# '} (want passed $want_passed, failed $want_failed, skipped ${m[skip]}, no errors)"
			rc=1
		fi
		unset m k
	done
done
exit "$rc"
