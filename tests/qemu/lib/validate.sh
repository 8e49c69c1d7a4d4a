#!/usr/bin/env bash
# Checks a cached artifact passes before it is reused. Source this file.
# Each mmr_check_* returns 0 when the artifact is whole, else prints why
# not (one line, for "rebuilding: ...") and returns 1.

# mmr_valid_krel STR: STR is one kernel release string (uname -r), such as
# 6.1.0-56-amd64 or 7.2.13-mmrepro, and nothing else (no make chatter).
mmr_valid_krel() {
	[[ $1 =~ ^[0-9]+\.[0-9]+(\.[0-9]+)?[A-Za-z0-9.+_~-]*$ ]]
}

# mmr_check_bzimage FILE: an x86 bzImage (the "HdrS" boot header magic at
# 0x202).
mmr_check_bzimage() {
	[ -s "$1" ] || { echo "no kernel image $1"; return 1; }
	[ "$(dd if="$1" bs=1 skip=514 count=4 status=none 2>/dev/null)" = HdrS ] ||
		{ echo "$1 is not a bzImage"; return 1; }
}

# mmr_check_modtree DIR [MODULE...]: DIR (lib/modules/KREL) has a
# modules.dep that names at least one module, and each MODULE in it.
mmr_check_modtree() {
	local dir=$1 m
	shift
	[ -s "$dir/modules.dep" ] || { echo "no modules.dep in $dir"; return 1; }
	for m in "$@"; do
		grep -Eq "(^|/)${m//-/[-_]}\.ko(\.[a-z]+)?:" "$dir/modules.dep" ||
			{ echo "no module $m in $dir/modules.dep"; return 1; }
	done
}

# mmr_check_module KO KREL: an ELF kernel module built for KREL (vermagic).
mmr_check_module() {
	local vm
	[ -s "$1" ] || { echo "no $1"; return 1; }
	[ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ] ||
		{ echo "$1 is not an ELF file"; return 1; }
	vm=$(modinfo -F vermagic "$1" 2>/dev/null || true)
	[ "${vm%% *}" = "$2" ] || { echo "$1 has vermagic '$vm', not $2"; return 1; }
}
