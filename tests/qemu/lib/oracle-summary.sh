#!/bin/sh
# oracle-summary.sh CONSOLE [TAG [LABEL]]: one line summing up an oracle's
# run in a guest console (tests/qemu/guest-init prefixes its output with
# "# TAG: ", TAG oracle by default):
#   LABEL: 30 pass, 2 fail (hmm_device_private.exclusive_cow, ...), 6 skip
# or what went wrong ("did not finish", "did not start"). LABEL: hmm-tests.
set -eu
if [ $# -lt 1 ] || [ $# -gt 3 ]; then
	echo "usage: oracle-summary.sh CONSOLE [TAG [LABEL]]" >&2
	exit 64
fi
console=$1
tag=${2:-oracle}
label=${3:-hmm-tests}
if ! grep -q '^MMREPRO-ORACLE-BEGIN' "$console"; then
	echo "$label: did not start"
	exit 0
fi
awk -v tag="# $tag: " -v label="$label" '
	/^MMREPRO-ORACLE-END/ { ended = 1 }
	index($0, tag) == 1 {
		$0 = substr($0, length(tag) + 1)
		if ($0 ~ /^# Totals:/) totals = $0
		if ($0 ~ /^not ok [0-9]+ /) {
			name = $0; sub(/^not ok [0-9]+ /, "", name); sub(/ #.*/, "", name)
			sub(/^[^.]*\./, "", name)	# drop the fixture: variant.test
			failed = failed (failed == "" ? "" : ", ") name
		}
		if ($0 ~ /insmod .* failed/) insmod = 1
	}
	END {
		if (!totals) {
			printf "%s: no totals (%s)\n", label, insmod ? "test_hmm did not load" : \
				ended ? "crashed or killed" : "did not finish before the guest stopped"
			exit
		}
		n = split(totals, f, /[ :]+/)
		for (i = 1; i < n; i++) c[f[i]] = f[i + 1]
		printf "%s: %d pass, %d fail", label, c["pass"], c["fail"]
		if (failed != "") printf " (%s)", failed
		printf ", %d skip", c["skip"]
		if (c["error"] + 0) printf ", %d error", c["error"]
		printf "\n"
	}' "$console"
