#!/bin/sh
# oracle-summary.sh CONSOLE: one line summing up the oracle's run in a guest
# console (tests/qemu/guest-init prefixes its output with "# oracle: "):
#   hmm-tests: 30 pass, 2 fail (exclusive_cow, ...), 6 skip
# or what went wrong ("did not finish", "did not start").
set -eu
console=$1
if ! grep -q '^MMREPRO-ORACLE-BEGIN' "$console"; then
	echo "hmm-tests: did not start"
	exit 0
fi
awk '
	/^MMREPRO-ORACLE-END/ { ended = 1 }
	/^# oracle: / {
		sub(/^# oracle: /, "")
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
			printf "hmm-tests: no totals (%s)\n", insmod ? "test_hmm did not load" : \
				ended ? "crashed or killed" : "did not finish before the guest stopped"
			exit
		}
		n = split(totals, f, /[ :]+/)
		for (i = 1; i < n; i++) c[f[i]] = f[i + 1]
		printf "hmm-tests: %d pass, %d fail", c["pass"], c["fail"]
		if (failed != "") printf " (%s)", failed
		printf ", %d skip", c["skip"]
		if (c["error"] + 0) printf ", %d error", c["error"]
		printf "\n"
	}' "$console"
