#!/usr/bin/env bash
# Private apt configuration for fetching Debian kernel packages.
#
# The machine's own apt sources are never touched: apt is pointed at a
# sources file, list directory and archive cache inside $MMREPRO_CACHE/apt.
# The mirror is the one this machine's apt already uses (read from
# /etc/apt/sources.list.d and /etc/apt/sources.list), or $MMREPRO_DEBIAN_MIRROR.
#
# Source this file, then:
#   mmr_apt_init SUITE...     write sources for the suites, `apt-get update`
#   mmr_apt_download NAME=VER into $MMREPRO_CACHE/debs, prints the .deb path
#   mmr_apt_get ARGS...       apt-get with the private configuration
#   mmr_apt_cache ARGS...     apt-cache with the private configuration

: "${MMREPRO_CACHE:=$HOME/.cache/mmrepro}"
MMR_APT_BASE=$MMREPRO_CACHE/apt
MMR_APT_DIR=$MMR_APT_BASE/none
MMR_DEBS=$MMREPRO_CACHE/debs

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
# each other's lists) and update it the first time, or again with
# MMREPRO_APT_REFRESH=1 (when a lane's pinned version left the archive
# index, for instance).
mmr_apt_init() {
	local mirror suite want stamp
	mirror=$(mmr_debian_mirror) || return 1
	MMR_APT_DIR=$MMR_APT_BASE/$(echo "$@" | tr ' ' '+')
	mkdir -p "$MMR_APT_DIR/lists/partial" "$MMR_APT_DIR/archives/partial" "$MMR_DEBS"
	want=$(for suite in "$@"; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main"
	done)
	stamp=$MMR_APT_DIR/updated
	if [ "$want" != "$(cat "$MMR_APT_DIR/sources.list" 2>/dev/null)" ] ||
	   [ ! -f "$stamp" ] || [ "${MMREPRO_APT_REFRESH:-0}" = 1 ]; then
		echo "$want" >"$MMR_APT_DIR/sources.list"
		echo "mmrepro: apt update for suites: $*" >&2
		mmr_apt_get update >&2 || return 1
		date +%s >"$stamp"
	fi
}

# mmr_apt_download NAME VERSION: fetch one package into the cache (once),
# print the path of the .deb.
mmr_apt_download() {
	local name=$1 ver=$2 deb
	deb=$MMR_DEBS/${name}_${ver//:/%3a}_amd64.deb
	if [ ! -s "$deb" ]; then
		deb=$(ls "$MMR_DEBS/${name}_${ver//:/%3a}"_*.deb 2>/dev/null | head -n 1)
	fi
	if [ -n "$deb" ] && [ -s "$deb" ]; then
		echo "$deb"
		return 0
	fi
	echo "mmrepro: downloading $name $ver" >&2
	(cd "$MMR_DEBS" && mmr_apt_get download "${name//+/\\+}=$ver" >&2) || {
		echo "mmrepro: cannot download $name=$ver; is the version in the lane file still in the archive?" \
			"(try MMREPRO_APT_REFRESH=1, or update the lane file)" >&2
		return 1
	}
	ls "$MMR_DEBS/${name}_${ver//:/%3a}"_*.deb | head -n 1
}
