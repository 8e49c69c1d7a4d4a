# SPDX-License-Identifier: GPL-2.0
#
# mmrepro top-level Makefile.
#
#   make                 module (for KDIR) and the CLI
#   make module KDIR=D   the module against a kernel build tree or headers dir
#   make userspace       the CLI (userspace/mmrepro)
#   make check-unit      host unit tests: no root, no QEMU
#   make check           unit tests, the QEMU lanes, the DKMS package, a kernel
#                        tree through KERNEL= (what CI runs)
#   make dkms-install    the module as a DKMS package for KREL (default: running kernel)
#   make run             the scenario matrix in QEMU on the default lanes
#   make run KERNEL=D    the scenarios on your own built kernel tree D
#   make matrix          the same (LANES=..., JOBS=N lanes at once)
#   make deps            install the host packages the above need (root)

KDIR ?= /lib/modules/$(shell uname -r)/build
# Every lane: the kernels Debian's suites carry today (each lane follows
# its suite), the two built from Debian's linux-source, and the second of
# them again with KASAN, KFENCE and kmemleak.
LANES ?= debian-12 debian-12-security debian-12-backports debian-13 \
	 debian-13-backports debian-sid src-6.12 src-7.2 src-7.2-debug

# Lanes at once: on 2 cores the warm matrix took 418 s with 2 and 710 s
# with 1 (make bench-matrix, 2026-11-27).
JOBS ?= 2

.PHONY: all module userspace check check-unit check-qemu check-dkms check-kernel bench-matrix dkms-install \
	dkms-remove \
	run matrix deps clean

all: module userspace

module:
	@if [ ! -d "$(KDIR)" ]; then \
		echo "mmrepro: no kernel build tree at $(KDIR)." >&2; \
		echo "  Install the headers of the kernel under test (Debian: linux-headers-\$$(uname -r))," >&2; \
		echo "  or point KDIR at a built kernel tree: make module KDIR=/path/to/linux" >&2; \
		exit 1; \
	fi
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

include userspace/build.mk

userspace: $(MMREPRO_BIN)

deps:
	tests/qemu/install-deps.sh

check: deps
	$(MAKE) check-unit
	$(MAKE) check-qemu
	$(MAKE) check-dkms
	$(MAKE) check-kernel

# `make run KERNEL=...` on the newest kernel tree a source lane built here,
# and its --bisect exit codes (tests/qemu/kernel-check.sh).
check-kernel: deps userspace
	tests/qemu/kernel-check.sh

# The DKMS package, built and installed by Debian's dkms in the bookworm
# chroot for its kernel, then removed.
check-dkms: deps
	tests/qemu/dkms-check.sh

# DKMS on this machine (root; Debian: apt-get install dkms): the package
# goes to /usr/src/mmrepro-VERSION and is built and installed for KREL
# (default: the running kernel). AUTOINSTALL is off (dkms.conf).
KREL ?= $(shell uname -r)
dkms-install:
	@command -v dkms >/dev/null || { echo "mmrepro: dkms is not installed (Debian: apt-get install dkms)" >&2; exit 1; }
	@v=$$(scripts/dkms-source.sh /usr/src) && \
	{ dkms remove mmrepro/$$v --all >/dev/null 2>&1 || true; } && \
	dkms add mmrepro/$$v && dkms install mmrepro/$$v -k "$(KREL)" && \
	echo "mmrepro: installed for $(KREL); load it with \`userspace/mmrepro load\`"

dkms-remove:
	@command -v dkms >/dev/null || { echo "mmrepro: dkms is not installed" >&2; exit 1; }
	@v=$$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf) && \
	{ dkms remove mmrepro/$$v --all || true; } && rm -rf /usr/src/mmrepro-$$v

check-qemu: deps
	tests/qemu/matrix.sh --check -j $(JOBS) $(LANES)

# KERNEL=/path/to/built/linux, or KERNEL="IMAGE.deb HEADERS.deb...": that
# kernel instead of the lanes (tests/qemu/kernel.sh; EXPECT=FILE compares,
# SCENARIOS="A B" selects).
run matrix: deps
ifdef KERNEL
	tests/qemu/kernel.sh $(if $(EXPECT),--expect "$(EXPECT)") \
		$(if $(SCENARIOS),--scenarios "$(SCENARIOS)") $(KERNEL)
else
	tests/qemu/matrix.sh -j $(JOBS) $(LANES)
endif

# The matrix with the profile's floor: each lane's kernel is also booted
# with an init that only powers off, and results/profile.json gives each
# lane's phases and its ratio to that raw boot.
bench-matrix: deps
	MMREPRO_PROFILE=1 tests/qemu/matrix.sh -j $(JOBS) $(LANES)

clean: clean-userspace
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; fi
	rm -f module/compat_gen.h
