# SPDX-License-Identifier: GPL-2.0
# The mmrepro CLI and its unit tests; included by the top-level Makefile.
#
#   userspace/mmrepro        every userspace/*/*.c
#   tests/unit/unit-tests    tests/unit/*.c + the same except cmd/main.c
#
# The folders are the architecture:
#   lib/        device, sysfs, memory, pagemap, memcg, knobs, kmod
#   harness/    the scenario interface and the runner
#   scenarios/  one file per scenario (abi/: the ioctl-abi table)
#   report/     KTAP, JSON, KCIDB and table writers
#   host/       console parsing, expectations, the matrix model
#   cmd/        main and the subcommands
# Headers are included by their path under userspace/ ("lib/dev.h").
#
# Objects and dependency files go to build/ (mirroring the source tree).

MMREPRO_BIN	:= userspace/mmrepro
UNIT_BIN	:= tests/unit/unit-tests
MMREPRO_OBJDIR	:= build

MMREPRO_KMOD_CFLAGS	:= $(shell pkg-config --cflags libkmod 2>/dev/null)
MMREPRO_KMOD_LIBS	:= $(shell pkg-config --libs libkmod 2>/dev/null)
MMREPRO_CFLAGS	:= -std=gnu11 -O2 -g -pthread -Wall -Wextra -Werror -I. -Iuserspace $(MMREPRO_KMOD_CFLAGS) \
		   -MMD -MP
MMREPRO_LDLIBS	:= -pthread $(MMREPRO_KMOD_LIBS)

MMREPRO_SRCS	:= $(wildcard userspace/*/*.c userspace/*/*/*.c)
MMREPRO_OBJS	:= $(MMREPRO_SRCS:%.c=$(MMREPRO_OBJDIR)/%.o)
UNIT_SRCS	:= $(wildcard tests/unit/*.c)
UNIT_OBJS	:= $(UNIT_SRCS:%.c=$(MMREPRO_OBJDIR)/%.o) \
		   $(filter-out $(MMREPRO_OBJDIR)/userspace/cmd/main.o,$(MMREPRO_OBJS))

.PHONY: check-unit clean-userspace mmrepro-check-libkmod

mmrepro-check-libkmod:
	@pkg-config --exists libkmod || { \
		echo "libkmod not found by pkg-config: install libkmod-dev and pkg-config" \
		     "(apt-get install libkmod-dev pkg-config), then rerun make" >&2; exit 1; }

$(MMREPRO_OBJDIR)/%.o: %.c | mmrepro-check-libkmod
	@mkdir -p $(dir $@)
	$(CC) $(MMREPRO_CFLAGS) -c -o $@ $<

$(MMREPRO_BIN): $(MMREPRO_OBJS)
	$(CC) -o $@ $^ $(MMREPRO_LDLIBS)

$(UNIT_BIN): $(UNIT_OBJS)
	$(CC) -o $@ $^ $(MMREPRO_LDLIBS)

check-unit: $(UNIT_BIN)
	./$(UNIT_BIN)
	/usr/bin/python3 tests/kcidb/validate.py --self-test
	/usr/bin/python3 tests/qemu/lib/profile.py --self-test

clean-userspace:
	rm -rf $(MMREPRO_OBJDIR)/userspace $(MMREPRO_OBJDIR)/tests
	-rmdir $(MMREPRO_OBJDIR) 2>/dev/null || true
	rm -f $(MMREPRO_BIN) $(UNIT_BIN)

-include $(MMREPRO_OBJS:.o=.d) $(UNIT_SRCS:%.c=$(MMREPRO_OBJDIR)/%.d)
