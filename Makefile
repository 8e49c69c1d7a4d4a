# SPDX-License-Identifier: GPL-2.0
#
# mmrepro top-level Makefile.
#
#   make                 module (for KDIR) and the CLI
#   make module KDIR=D   the module against a kernel build tree or headers dir
#   make userspace       the CLI (userspace/mmrepro)
#   make check-unit      host unit tests: no root, no QEMU
#   make check           unit tests, then the QEMU lane(s) (what CI runs)
#   make run             the scenario matrix in QEMU on the default lanes
#   make matrix          the same (LANES=..., JOBS=N lanes at once)
#   make deps            install the host packages the above need (root)

KDIR ?= /lib/modules/$(shell uname -r)/build
# Every lane: the kernels Debian's suites carry today (each lane follows
# its suite), the two built from Debian's linux-source, and the second of
# them again with KASAN, KFENCE and kmemleak.
LANES ?= debian-12 debian-12-security debian-12-backports debian-13 \
	 debian-13-backports debian-sid src-6.12 src-7.2 src-7.2-debug

JOBS ?= 1

.PHONY: all module userspace check check-unit check-qemu run matrix deps clean

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

check-qemu: deps
	tests/qemu/matrix.sh --check -j $(JOBS) $(LANES)

run matrix: deps
	tests/qemu/matrix.sh -j $(JOBS) $(LANES)

clean: clean-userspace
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; fi
	rm -f module/compat_gen.h
