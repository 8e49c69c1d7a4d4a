// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-abi: every documented errno of uapi/linux/mmrepro.h, checked
 * against the loaded module: bad alignment, zero and oversized counts,
 * ranges that wrap, unmapped and read-only ranges, overlap with held pages,
 * unknown flags, non-zero padding, I/O on pages not held, writes through a
 * read-only pin, bad buffers, unknown ioctls, a forked child's PIN,
 * EXCLUSIVE / CHECK_EXCLUSIVE / RELEASE / EVENTS / FORCE_PROTNONE with and
 * without kernel support, and the FOLL_PIN counters balancing afterwards.
 *
 * Negative control: one valid PIN is checked as if it had to fail with
 * EINVAL; the same comparison must report it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dev.h"
#include "memutil.h"
#include "scenarios.h"

struct abi_tally {
	struct scenario_ctx *ctx;
	unsigned int checks, failed;
	char first[160];
};

/* got: 0 or -errno as returned by the dev_* wrappers. */
static void expect_errno(struct abi_tally *t, const char *what, int got, int want)
{
	t->checks++;
	if (got == -want)
		return;
	t->failed++;
	scen_log(t->ctx, "MISMATCH %s: got %s, want %s", what, got ? strerror(-got) : "success",
		 want ? strerror(want) : "success");
	if (!t->first[0])
		snprintf(t->first, sizeof(t->first), "%s: got %s, want %s", what,
			 got ? strerror(-got) : "success", want ? strerror(want) : "success");
}

static int raw_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static void check_pin_args(struct abi_tally *t, int fd, char *buf, size_t psz)
{
	struct mmrepro_pin pin;

	expect_errno(t, "PIN unaligned address", dev_pin(fd, buf + 1, 1, 0), EINVAL);
	expect_errno(t, "PIN zero pages", dev_pin(fd, buf, 0, 0), EINVAL);
	expect_errno(t, "PIN too many pages", dev_pin(fd, buf, MMREPRO_MAX_PIN_PAGES + 1, 0), E2BIG);
	expect_errno(t, "PIN wrapping range", dev_pin(fd, (void *)(UINTPTR_MAX & ~(uintptr_t)(psz - 1)), 2, 0),
		     EOVERFLOW);
	expect_errno(t, "PIN unknown flag", dev_pin(fd, buf, 1, 1U << 31), EINVAL);
	memset(&pin, 0, sizeof(pin));
	pin.addr = (uintptr_t)buf;
	pin.npages = 1;
	pin.pad = 1;
	expect_errno(t, "PIN non-zero padding", raw_ioctl(fd, MMREPRO_IOC_PIN, &pin), EINVAL);
}

static void check_pin_ranges(struct abi_tally *t, int fd, char *buf, size_t psz)
{
	char *hole, *ro;

	hole = mmap(NULL, psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, psz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole != MAP_FAILED) {
		munmap(hole, psz);
		expect_errno(t, "PIN unmapped range", dev_pin(fd, hole, 1, 0), EFAULT);
	}
	if (ro != MAP_FAILED) {
		expect_errno(t, "PIN WRITE of a read-only mapping",
			     dev_pin(fd, ro, 1, MMREPRO_PIN_WRITE), EFAULT);
		munmap(ro, psz);
	}
	expect_errno(t, "PIN 4 pages", dev_pin(fd, buf, 4, MMREPRO_PIN_WRITE), 0);
	expect_errno(t, "PIN overlapping held pages", dev_pin(fd, buf + 2 * psz, 4, 0), EBUSY);
	expect_errno(t, "PIN read-only (no WRITE)", dev_pin(fd, buf + 4 * psz, 1, 0), 0);
	if (t->ctx->info.caps & MMREPRO_CAP_HONOR_NUMA_FAULT) {
		expect_errno(t, "PIN HONOR_NUMA_FAULT", dev_pin(fd, buf + 5 * psz, 1,
			     MMREPRO_PIN_HONOR_NUMA_FAULT), 0);
	} else {
		expect_errno(t, "PIN HONOR_NUMA_FAULT without kernel support",
			     dev_pin(fd, buf + 5 * psz, 1, MMREPRO_PIN_HONOR_NUMA_FAULT), EOPNOTSUPP);
	}
}

static void check_io(struct abi_tally *t, int fd, char *buf, size_t psz)
{
	char *tmp = malloc(psz);

	if (!tmp)
		return;
	expect_errno(t, "DEV_READ zero bytes", dev_read(fd, buf, tmp, 0), EINVAL);
	expect_errno(t, "DEV_READ too many bytes", dev_read(fd, buf, tmp, MMREPRO_MAX_IO_BYTES + 1),
		     E2BIG);
	expect_errno(t, "DEV_READ wrapping range", dev_read(fd, (void *)(UINTPTR_MAX - 8), tmp, 64),
		     EOVERFLOW);
	expect_errno(t, "DEV_READ of pages not held", dev_read(fd, buf + 8 * psz, tmp, psz), ENOENT);
	expect_errno(t, "DEV_READ straddling held and not held",
		     dev_read(fd, buf + 6 * psz - 16, tmp, 32), ENOENT);
	expect_errno(t, "DEV_WRITE through a read-only pin", dev_write(fd, buf + 4 * psz, tmp, 8),
		     EACCES);
	expect_errno(t, "DEV_READ into a bad buffer", dev_read(fd, buf, (void *)8, 16), EFAULT);
	expect_errno(t, "DEV_READ unaligned, across two pages", dev_read(fd, buf + psz - 8, tmp, 16), 0);
	free(tmp);
}

/* EXCLUSIVE, CHECK_EXCLUSIVE, RELEASE, EVENTS and FORCE_PROTNONE arguments. */
static void check_exclusive_args(struct abi_tally *t, int fd, char *buf, size_t psz)
{
	int no_excl = t->ctx->info.caps & MMREPRO_CAP_DEVICE_EXCLUSIVE ? 0 : EOPNOTSUPP;
	struct mmrepro_exclusive ex;
	struct mmrepro_release rel;
	struct mmrepro_events ev;
	uint64_t n = 0;

	expect_errno(t, "EXCLUSIVE unaligned address", dev_exclusive(fd, buf + 1, 1, NULL, NULL), EINVAL);
	expect_errno(t, "EXCLUSIVE zero pages", dev_exclusive(fd, buf, 0, NULL, NULL), EINVAL);
	expect_errno(t, "EXCLUSIVE too many pages",
		     dev_exclusive(fd, buf, MMREPRO_MAX_PIN_PAGES + 1, NULL, NULL), E2BIG);
	memset(&ex, 0, sizeof(ex));
	ex.addr = (uintptr_t)buf;
	ex.npages = 1;
	ex.flags = 1;
	expect_errno(t, "EXCLUSIVE non-zero flags", raw_ioctl(fd, MMREPRO_IOC_EXCLUSIVE, &ex), EINVAL);
	/* One page made exclusive (where the kernel can), then given back. */
	expect_errno(t, no_excl ? "EXCLUSIVE without kernel support" : "EXCLUSIVE one page",
		     dev_exclusive(fd, buf + 12 * psz, 1, NULL, NULL), no_excl);
	expect_errno(t, "CHECK_EXCLUSIVE", dev_check_exclusive(fd, buf + 12 * psz, 1, &n), 0);
	t->checks++;
	if (n != (no_excl ? 0 : 1)) {
		t->failed++;
		snprintf(t->first, sizeof(t->first), "CHECK_EXCLUSIVE: %llu held, want %d",
			 (unsigned long long)n, no_excl ? 0 : 1);
	}
	expect_errno(t, "CHECK_EXCLUSIVE wrapping range",
		     dev_check_exclusive(fd, (void *)(UINTPTR_MAX & ~(uintptr_t)(psz - 1)), 2, NULL),
		     EOVERFLOW);
	memset(&rel, 0, sizeof(rel));
	rel.flags = 1U << 31;
	expect_errno(t, "RELEASE unknown flag", raw_ioctl(fd, MMREPRO_IOC_RELEASE, &rel), EINVAL);
	expect_errno(t, "RELEASE zero pages", dev_release(fd, buf, 0, NULL), EINVAL);
	expect_errno(t, "RELEASE everything", dev_release(fd, NULL, 0, &n), 0);
	memset(&ev, 0, sizeof(ev));
	ev.pad = 1;
	expect_errno(t, "EVENTS non-zero padding", raw_ioctl(fd, MMREPRO_IOC_EVENTS, &ev), EINVAL);
	expect_errno(t, "EVENTS", dev_events(fd, &ev, false),
		     t->ctx->info.caps & MMREPRO_CAP_NOTIFIER_EVENTS ? 0 : EOPNOTSUPP);
	expect_errno(t, "FORCE_PROTNONE zero pages", dev_force_protnone(fd, buf, 0, NULL), EINVAL);
	expect_errno(t, t->ctx->info.caps & MMREPRO_CAP_FORCE_PROTNONE ?
		     "FORCE_PROTNONE one page" : "FORCE_PROTNONE without kernel support",
		     dev_force_protnone(fd, buf + 13 * psz, 1, NULL),
		     t->ctx->info.caps & MMREPRO_CAP_FORCE_PROTNONE ? 0 : EOPNOTSUPP);
}

static void check_child_pin(struct abi_tally *t, int fd, char *buf, size_t psz)
{
	int status, got;
	pid_t pid;

	fflush(t->ctx->log);
	pid = fork();
	if (pid == 0) {
		got = dev_pin(fd, buf + 7 * psz, 1, 0);
		_exit(got == -EPERM ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return;
	expect_errno(t, "PIN from a forked child", WIFEXITED(status) && !WEXITSTATUS(status) ? -EPERM : 0,
		     EPERM);
}

static void ioctl_abi_run(struct scenario_ctx *ctx, struct result *res)
{
	struct abi_tally t = { .ctx = ctx };
	size_t psz = ctx->info.page_size;
	struct mmrepro_unpin unpin;
	struct pin_balance pb;
	long long d_acq, d_rel;
	uint64_t n = 0;
	char *buf;

	buf = map_anon_aligned(16 * psz, psz);
	if (!buf) {
		result_set(res, VERDICT_ERROR, "cannot map 16 pages");
		return;
	}
	memset(buf, 0x5a, 16 * psz);
	pin_balance_start(&pb);

	expect_errno(&t, "unknown ioctl", raw_ioctl(ctx->devfd, _IO(MMREPRO_IOC_MAGIC, 0x7f), NULL),
		     ENOTTY);
	check_pin_args(&t, ctx->devfd, buf, psz);
	check_pin_ranges(&t, ctx->devfd, buf, psz);
	check_io(&t, ctx->devfd, buf, psz);
	check_child_pin(&t, ctx->devfd, buf, psz);
	check_exclusive_args(&t, ctx->devfd, buf, psz);
	if (ctx->control)	/* a valid PIN, checked as if it had to fail */
		expect_errno(&t, "control: valid PIN checked as invalid",
			     dev_pin(ctx->devfd, buf + 10 * psz, 1, 0), EINVAL);

	memset(&unpin, 0, sizeof(unpin));
	unpin.addr = (uintptr_t)buf + 1;
	unpin.npages = 1;
	expect_errno(&t, "UNPIN unaligned address", raw_ioctl(ctx->devfd, MMREPRO_IOC_UNPIN, &unpin),
		     EINVAL);
	expect_errno(&t, "UNPIN everything", dev_unpin_all(ctx->devfd, &n), 0);
	scen_log(ctx, "UNPIN_ALL released %llu pages", (unsigned long long)n);
	if (!pin_balance_check(&pb, &d_acq, &d_rel)) {
		t.checks++;
		t.failed++;
		snprintf(t.first, sizeof(t.first), "pin counters: acquired +%lld, released +%lld", d_acq, d_rel);
	}
	munmap(buf, 16 * psz);

	if (t.failed)
		result_set(res, VERDICT_BUG, "mmrepro ABI: %u of %u checks failed; first: %s",
			   t.failed, t.checks, t.first);
	else
		result_set(res, VERDICT_OK, "mmrepro ABI: all %u errno checks as documented; pins balance (+%lld/+%lld)",
			   t.checks, d_acq, d_rel);
}

const struct scenario scenario_ioctl_abi = {
	.name = "ioctl-abi",
	.thread = NULL,
	.summary = "every ioctl refuses bad input with the errno uapi/linux/mmrepro.h documents, and pins balance",
	.control = "a valid PIN is checked as if it had to fail with EINVAL; the comparison must report it",
	.flags = SCEN_NEEDS_DEVICE,
	.run = ioctl_abi_run,
};
