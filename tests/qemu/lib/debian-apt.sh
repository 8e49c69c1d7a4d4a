#!/usr/bin/env bash
# Private apt configuration for Debian's archive.
#
# The machine's own apt sources are never touched: apt is pointed at a
# sources file, list directory and archive cache inside $MMREPRO_CACHE/apt.
# The mirror is the one this machine's apt already uses (read from
# /etc/apt/sources.list.d and /etc/apt/sources.list), or $MMREPRO_DEBIAN_MIRROR;
# SUITE-security comes from the security archive beside it (the mirror's
# path + "-security", or $MMREPRO_DEBIAN_SECURITY_MIRROR).
#
# Source this file, then:
#   mmr_apt_init SUITE...     write sources for the suites, `apt-get update`
#                             (once per run: see mmr_stale)
#   mmr_apt_resolve PKG SUITE [PIN]
#                             the version of PKG that SUITE carries (its
#                             newest), or PIN when SUITE still has it
#   mmr_apt_download NAME VER into $MMREPRO_CACHE/debs, prints the .deb path
#   mmr_apt_get ARGS...       apt-get with the private configuration
#   mmr_apt_cache ARGS...     apt-cache with the private configuration

: "${MMREPRO_CACHE:=$HOME/.cache/mmrepro}"
MMR_APT_BASE=$MMREPRO_CACHE/apt
MMR_APT_DIR=$MMR_APT_BASE/none
MMR_DEBS=$MMREPRO_CACHE/debs
# Exit status of a lane whose pinned kernel left the archive.
MMR_EXIT_UNAVAILABLE=4

mmr_debian_mirror() {
	if [ -n "${MMREPRO_DEBIAN_MIRROR:-}" ]; then
		echo "$MMREPRO_DEBIAN_MIRROR"
		return
	fi
	local f uri
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f")
		[ -n "$uri" ] && { echo "${uri%/}"; return; }
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($i !~ /security/) { print $i; exit } } }' "$f")
		[ -n "$uri" ] && { echo "${uri%/}"; return; }
	done
	echo "mmrepro: no Debian mirror found in this machine's apt sources; set MMREPRO_DEBIAN_MIRROR" >&2
	return 1
}

# mmr_sources_line SUITE: the sources.list line for SUITE.
mmr_sources_line() {
	local mirror
	mirror=$(mmr_debian_mirror) || return 1
	case $1 in
	*-security) mirror=${MMREPRO_DEBIAN_SECURITY_MIRROR:-$mirror-security} ;;
	esac
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $1 main"
}

# mmr_stale STAMP: true when STAMP (a file holding a time in seconds) is
# missing or older than this run (MMREPRO_RUN_START, set by matrix.sh and
# lane.sh), or MMREPRO_APT_REFRESH=1: lanes follow the archive as it is
# when they run, and one run updates each index once.
mmr_stale() {
	local t
	[ "${MMREPRO_APT_REFRESH:-0}" = 1 ] && return 0
	t=$(cat "$1" 2>/dev/null) || return 0
	[[ $t =~ ^[0-9]+$ ]] || return 0
	[ "$t" -lt "${MMREPRO_RUN_START:-0}" ]
}

# mmr_pick_version SUITE PKG [PIN]: from `apt-cache madison PKG` on stdin,
# print the newest version SUITE carries, or PIN when SUITE carries it.
# Otherwise say what SUITE has and return $MMR_EXIT_UNAVAILABLE.
mmr_pick_version() {
	local suite=$1 pkg=$2 pin=${3:-} have v best=
	have=$(awk -F' *[|] *' -v s="$suite" '
		{ n = split($3, w, " "); if (n >= 2 && w[2] ~ "^" s "/") print $2 }')
	if [ -z "$pin" ] && [ -n "$have" ]; then
		for v in $have; do
			if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
				best=$v
			fi
		done
		echo "$best"
		return 0
	fi
	if [ -n "$pin" ] && printf '%s\n' "$have" | grep -qxF -- "$pin"; then
		echo "$pin"
		return 0
	fi
	if [ -n "$pin" ]; then
		echo "mmrepro: $pkg $pin is not in $suite any more; it carries:" \
			"$(echo ${have:-nothing} | sed 's/ /, /g')." \
			"Pin one of those in the lane file (LANE_PIN), or remove the pin to follow $suite." >&2
	else
		echo "mmrepro: $suite carries no $pkg" >&2
	fi
	return "$MMR_EXIT_UNAVAILABLE"
}

mmr_apt_opts() {
	printf '%s\n' \
		-o "Dir::Etc::sourcelist=$MMR_APT_DIR/sources.list" \
		-o "Dir::Etc::sourceparts=/nonexistent" \
		-o "Dir::State::Lists=$MMR_APT_DIR/lists" \
		-o "Dir::Cache::Archives=$MMR_APT_DIR/archives" \
		-o "Dir::Cache::pkgcache=$MMR_APT_DIR/pkgcache.bin" \
		-o "Dir::Cache::srcpkgcache=$MMR_APT_DIR/srcpkgcache.bin" \
		-o "Dir::State::status=/var/lib/dpkg/status" \
		-o "Acquire::Check-Valid-Until=false" \
		-o "APT::Get::AllowUnauthenticated=false" \
		-o "Debug::NoLocking=true" \
		-o "APT::Sandbox::User=root"
}

mmr_apt_get() {
	local -a opts
	mapfile -t opts < <(mmr_apt_opts)
	apt-get -q "${opts[@]}" "$@"
}

mmr_apt_cache() {
	local -a opts
	mapfile -t opts < <(mmr_apt_opts)
	apt-cache "${opts[@]}" "$@"
}

# mmr_apt_init SUITE...: select the private apt state for this set of
# suites (one directory per set, so lanes of different suites do not undo
# each other's lists) and update it once per run (mmr_stale), under a lock.
mmr_apt_init() {
	local suite want
	MMR_APT_DIR=$MMR_APT_BASE/$(echo "$@" | tr ' ' '+')
	mkdir -p "$MMR_APT_DIR/lists/partial" "$MMR_APT_DIR/archives/partial" "$MMR_DEBS"
	want=$(for suite in "$@"; do mmr_sources_line "$suite" || exit 1; done) || return 1
	(
		flock 8
		if [ "$want" != "$(cat "$MMR_APT_DIR/sources.list" 2>/dev/null)" ] ||
		   mmr_stale "$MMR_APT_DIR/updated"; then
			echo "$want" >"$MMR_APT_DIR/sources.list"
			echo "mmrepro: apt update for suites: $*" >&2
			mmr_apt_get update >&2 || exit 1
			date +%s >"$MMR_APT_DIR/updated"
		fi
	) 8>"$MMR_APT_DIR/lock"
}

# mmr_apt_resolve PKG SUITE [PIN]: see mmr_pick_version (after mmr_apt_init).
mmr_apt_resolve() {
	mmr_apt_cache madison "$1" 2>/dev/null | mmr_pick_version "$2" "$1" "${3:-}"
}

# mmr_apt_download NAME VERSION: fetch one package into the cache (once),
# print the path of the .deb.
mmr_apt_download() {
	local name=$1 ver=$2 deb
	(
		flock 8
		deb=$(ls "$MMR_DEBS/${name}_${ver//:/%3a}"_*.deb 2>/dev/null | head -n 1)
		if [ -n "$deb" ] && dpkg-deb --info "$deb" >/dev/null 2>&1; then
			echo "$deb"
			exit 0
		fi
		[ -n "$deb" ] && { echo "mmrepro: $deb is damaged: downloading it again" >&2; rm -f "$deb"; }
		echo "mmrepro: downloading $name $ver" >&2
		(cd "$MMR_DEBS" && mmr_apt_get download "${name//+/\\+}=$ver" >&2) || {
			echo "mmrepro: cannot download $name=$ver from $MMR_APT_DIR/sources.list" >&2
			exit 1
		}
		ls "$MMR_DEBS/${name}_${ver//:/%3a}"_*.deb | head -n 1
	) 8>"$MMR_DEBS/.lock"
}
