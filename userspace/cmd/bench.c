// SPDX-License-Identifier: GPL-2.0
/*
 * mmrepro bench: what the device's ioctls cost per page, beside the in-tree
 * test drivers that do the same work (lib/peers.h).
 *
 * Each measurement runs on a fresh mapping, filled by the CPU first (and,
 * for THP rows, PMD-mapped: checked in smaps), so that no run inherits what
 * the previous one did to the pages (EXCLUSIVE splits a THP; the CPU's
 * access takes device-exclusive pages back). A row is the median of the
 * runs. mmrepro's times are wall times around the ioctl, so they include
 * the syscall and the bookkeeping of what the device holds (xarray,
 * accounting); gup_test's are the kernel's own around its pin loop, and
 * test_hmm's wall times around its ioctl, as mmrepro's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cmd/cli_args.h"
#include "cmd/cmds.h"
#include "lib/clock.h"
#include "lib/dev.h"
#include "lib/memutil.h"
#include "lib/peers.h"

const char usage_bench[] =
"Usage: mmrepro bench [--size SIZE] [--repeat N] [--json]\n"
"\n"
"Measure what /dev/mmrepro's ioctls cost per page (PIN, PIN with\n"
"FOLL_LONGTERM, UNPIN, EXCLUSIVE, DEV_READ, SNAPSHOT) on 4 KiB pages and\n"
"on PMD-mapped THPs, and, where the kernel has them, the in-tree test\n"
"drivers doing the same work on the same memory: gup_test's PIN_BASIC_TEST\n"
"and PIN_LONGTERM_BENCHMARK (CONFIG_GUP_TEST, debugfs mounted) and\n"
"test_hmm's HMM_DMIRROR_EXCLUSIVE and HMM_DMIRROR_SNAPSHOT (test_hmm.ko\n"
"loaded). Each row is the median of N runs on fresh memory, in ns per\n"
"page; ratio is mmrepro's over the peer's (below 1: mmrepro is faster).\n"
"Root; the module must be loaded. Lines start with \"# bench:\" (KTAP\n"
"diagnostics).\n"
"\n"
"Options:\n"
"  --size SIZE   memory per run, a multiple of 2M (default 16M)\n"
"  --repeat N    runs per row, 1 to 101 (default 5)\n"
"  --json        one JSON object instead of the table\n"
"\n"
"A row the kernel refuses (EXCLUSIVE of a THP before 6.15: EBUSY) says so\n"
"and is not a failure.\n"
"\n"
"Exit status: 0 measured, 2 a measurement failed, 64 usage, 69 no module,\n"
"77 not root.\n";

enum bench_op {
	OP_PIN, OP_PIN_LONGTERM, OP_UNPIN, OP_EXCLUSIVE, OP_DEV_READ, OP_SNAPSHOT,
	PEER_PIN_BASIC, PEER_PIN_LONGTERM, PEER_UNPIN, PEER_EXCLUSIVE, PEER_SNAPSHOT,
	NR_OPS,
};

/* An op's name and the peer it is compared with. */
static const struct {
	const char *name;
	enum bench_op peer;	/* NR_OPS: none */
} ops[NR_OPS] = {
	[OP_PIN] = { "PIN", PEER_PIN_BASIC },
	[OP_PIN_LONGTERM] = { "PIN LONGTERM", PEER_PIN_LONGTERM },
	[OP_UNPIN] = { "UNPIN", PEER_UNPIN },
	[OP_EXCLUSIVE] = { "EXCLUSIVE", PEER_EXCLUSIVE },
	[OP_DEV_READ] = { "DEV_READ", NR_OPS },
	[OP_SNAPSHOT] = { "SNAPSHOT", PEER_SNAPSHOT },
	[PEER_PIN_BASIC] = { "gup_test PIN_BASIC_TEST", NR_OPS },
	[PEER_PIN_LONGTERM] = { "gup_test PIN_LONGTERM_BENCHMARK", NR_OPS },
	[PEER_UNPIN] = { "gup_test PIN_LONGTERM_BENCHMARK unpin", NR_OPS },
	[PEER_EXCLUSIVE] = { "test_hmm HMM_DMIRROR_EXCLUSIVE", NR_OPS },
	[PEER_SNAPSHOT] = { "test_hmm HMM_DMIRROR_SNAPSHOT", NR_OPS },
};

struct bench {
	int fd, gup_fd, hmm_fd;
	size_t psz, size, npages;
	uint64_t caps;		/* INFO's */
	bool thp;
	void *scratch;		/* npages * psz: device views, DEV_READ's target */
	void *states;		/* SNAPSHOT's output */
};

/* Fresh memory for one run, filled; NULL if it cannot be (THP: not PMD-mapped). */
static char *bench_map(const struct bench *b)
{
	char *p = map_anon_aligned(b->size, b->thp ? SZ_2M : b->psz);

	if (!p)
		return NULL;
	madvise(p, b->size, b->thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	memset(p, 0x5a, b->size);
	if (b->thp && smaps_field_kb(p, "AnonHugePages") < (long)(b->size >> 10)) {
		unmap_anon_aligned(p, b->size);
		return NULL;
	}
	return p;
}

static double since(double t0)
{
	return (clock_mono_s() - t0) * 1e9;
}

/* One run of op on fresh memory: ns for the whole range, or -errno. */
static double bench_once(struct bench *b, enum bench_op op)
{
	char *p = bench_map(b);
	double t0, ns = 0, put_ns = 0;
	uint64_t done = 0;
	size_t off;
	int ret = 0;

	if (!p)
		return -ENOMEM;
	switch (op) {
	case OP_PIN:
	case OP_PIN_LONGTERM:
	case OP_UNPIN:
		t0 = clock_mono_s();
		ret = dev_pin(b->fd, p, b->npages, op == OP_PIN_LONGTERM ? MMREPRO_PIN_LONGTERM : 0);
		ns = since(t0);
		t0 = clock_mono_s();
		dev_unpin_all(b->fd, NULL);
		if (op == OP_UNPIN)
			ns = since(t0);
		break;
	case OP_EXCLUSIVE:
		t0 = clock_mono_s();
		ret = dev_exclusive(b->fd, p, b->npages, b->scratch, &done);
		ns = since(t0);
		dev_release(b->fd, NULL, 0, NULL);
		break;
	case OP_DEV_READ:
		ret = dev_pin(b->fd, p, b->npages, 0);
		t0 = clock_mono_s();
		for (off = 0; !ret && off < b->size; off += MMREPRO_MAX_IO_BYTES)
			ret = dev_read(b->fd, p + off, (char *)b->scratch + off,
				       b->size - off < MMREPRO_MAX_IO_BYTES ? b->size - off :
				       MMREPRO_MAX_IO_BYTES);
		ns = since(t0);
		dev_unpin_all(b->fd, NULL);
		break;
	case OP_SNAPSHOT:
		t0 = clock_mono_s();
		ret = dev_snapshot(b->fd, p, b->npages, b->states);
		ns = since(t0);
		break;
	case PEER_PIN_BASIC:
	case PEER_PIN_LONGTERM:
	case PEER_UNPIN:
		ret = peer_gup_test(b->gup_fd, op == PEER_PIN_BASIC ? PIN_BASIC_TEST :
				    PIN_LONGTERM_BENCHMARK, p, b->npages, b->psz, 0, &ns, &put_ns);
		if (op == PEER_UNPIN)
			ns = put_ns;
		break;
	case PEER_EXCLUSIVE:
	case PEER_SNAPSHOT:
		t0 = clock_mono_s();
		ret = peer_dmirror(b->hmm_fd, op == PEER_EXCLUSIVE ? HMM_DMIRROR_EXCLUSIVE :
				   HMM_DMIRROR_SNAPSHOT, p, b->npages,
				   op == PEER_EXCLUSIVE ? b->scratch : b->states);
		ns = since(t0);
		break;
	case NR_OPS:
		ret = -EINVAL;
	}
	unmap_anon_aligned(p, b->size);
	return ret ? ret : ns;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median ns per page of repeat runs; -errno of the first failed run. */
static double bench_median(struct bench *b, enum bench_op op, unsigned int repeat)
{
	double runs[BENCH_MAX_REPEAT];
	unsigned int i;

	for (i = 0; i < repeat; i++) {
		runs[i] = bench_once(b, op);
		if (runs[i] < 0)
			return runs[i];
	}
	qsort(runs, repeat, sizeof(runs[0]), cmp_double);
	return runs[repeat / 2] / b->npages;
}

static bool peer_available(const struct bench *b, enum bench_op op)
{
	if (op == PEER_EXCLUSIVE || op == PEER_SNAPSHOT)
		return b->hmm_fd >= 0;
	return b->gup_fd >= 0;
}

/* A figure, or what stands for none: "null" in JSON, "-" in the table. */
static void put_figure(bool json, int width, int prec, double v)
{
	if (v >= 0)
		printf("%*.*f", json ? 0 : width, prec, v);
	else
		printf("%*s", json ? 0 : width, json ? "null" : "-");
}

/*
 * A run that failed because the kernel would not do it (EXCLUSIVE of a THP
 * tail page before 6.15 is EBUSY: thread 003's bug) is a figure this
 * kernel does not have, not a failure of the benchmark.
 */
static bool refused(double v)
{
	return v == -EBUSY || v == -EOPNOTSUPP;
}

/* Why op cannot run on this kernel, or NULL. */
static const char *op_unsupported(const struct bench *b, enum bench_op op)
{
	if (op == OP_EXCLUSIVE && !(b->caps & MMREPRO_CAP_DEVICE_EXCLUSIVE))
		return "no device-exclusive API in this kernel";
	if (op == OP_PIN_LONGTERM && !(b->caps & MMREPRO_CAP_PIN_LONGTERM))
		return "FOLL_LONGTERM not accepted by this kernel";
	return NULL;
}

static int bench_all(struct bench *b, const struct bench_opts *o)
{
	static const char *const mem_names[] = { "4k", "thp" };
	double mine, peer;
	enum bench_op op;
	struct utsname u;
	int failed = 0, rows = 0, m;

	uname(&u);
	if (o->json)
		printf("{\"release\":\"%s\",\"size\":%zu,\"page_size\":%zu,\"repeat\":%llu,\"rows\":[",
		       u.release, b->size, b->psz, o->repeat);
	else
		printf("# bench: %s: %zu MiB a run (%zu pages), median of %llu runs, ns per page\n"
		       "# bench: %-14s %-4s %8s  %-38s %8s %6s\n", u.release, b->size >> 20,
		       b->npages, o->repeat, "op", "mem", "mmrepro", "peer", "peer", "ratio");
	for (m = 0; m < 2; m++) {
		b->thp = m;
		for (op = OP_PIN; op <= OP_SNAPSHOT; op++) {
			enum bench_op p = ops[op].peer;
			bool has_peer = p != NR_OPS && peer_available(b, p);
			const char *why = op_unsupported(b, op);

			if (why) {
				if (!o->json)
					printf("# bench: %-14s %-4s skipped: %s\n", ops[op].name,
					       mem_names[m], why);
				continue;
			}
			mine = bench_median(b, op, (unsigned int)o->repeat);
			peer = has_peer ? bench_median(b, p, (unsigned int)o->repeat) : -1;
			if (mine == -ENOMEM && b->thp) {
				if (!o->json)
					printf("# bench: %-14s %-4s skipped: the memory is not PMD-mapped THP\n",
					       ops[op].name, mem_names[m]);
				continue;
			}
			failed |= (mine < 0 && !refused(mine)) || (has_peer && peer < 0 && !refused(peer));
			if (o->json) {
				printf("%s{\"op\":\"%s\",\"mem\":\"%s\",\"ns_per_page\":",
				       rows++ ? "," : "", ops[op].name, mem_names[m]);
				put_figure(true, 0, 1, mine);
				printf(",\"peer\":%s%s%s,\"peer_ns_per_page\":", has_peer ? "\"" : "",
				       has_peer ? ops[p].name : "null", has_peer ? "\"" : "");
				put_figure(true, 0, 1, peer);
				printf(",\"ratio\":");
				put_figure(true, 0, 2, mine > 0 && peer > 0 ? mine / peer : -1);
				printf("}");
				continue;
			}
			printf("# bench: %-14s %-4s ", ops[op].name, mem_names[m]);
			put_figure(false, 8, 1, mine);
			printf("  %-38s ", has_peer ? ops[p].name : p == NR_OPS ? "(none in tree)" :
			       "(not available)");
			put_figure(false, 8, 1, peer);
			if (mine > 0 && peer > 0)
				printf(" %6.2f", mine / peer);
			if (mine < 0 || (has_peer && peer < 0)) {
				double e = mine < 0 ? mine : peer;

				printf("  %s: %s", refused(e) ? "refused by the kernel" : "failed",
				       strerror((int)-e));
			}
			printf("\n");
		}
	}
	if (o->json)
		printf("]}\n");
	return failed ? EXIT_ERROR : EXIT_OK;
}

int cmd_bench(int argc, char **argv)
{
	struct mmrepro_info info;
	struct bench b = { .gup_fd = -1, .hmm_fd = -1 };
	struct bench_opts o;
	char err[256];
	int code;

	if (parse_bench_args(argc, argv, &o, err, sizeof(err)) || o.help)
		return usage_or_error("bench", usage_bench, o.help, err);
	b.fd = module_open(&info, &code, err, sizeof(err));
	if (b.fd < 0) {
		fprintf(stderr, "mmrepro bench: %s\n", err);
		return code;
	}
	b.psz = info.page_size;
	b.caps = info.caps;
	b.size = (size_t)o.size;
	b.npages = b.size / b.psz;
	b.scratch = malloc(b.size);
	b.states = calloc(b.npages, sizeof(struct mmrepro_page_state));
	b.gup_fd = open(GUP_TEST_PATH, O_RDWR | O_CLOEXEC);
	b.hmm_fd = open(HMM_DMIRROR_PATH, O_RDWR | O_CLOEXEC);
	if (!b.scratch || !b.states) {
		fprintf(stderr, "mmrepro bench: no memory for %zu MiB of buffers\n", b.size >> 20);
		code = EXIT_ERROR;
	} else {
		code = bench_all(&b, &o);
	}
	free(b.scratch);
	free(b.states);
	if (b.gup_fd >= 0)
		close(b.gup_fd);
	if (b.hmm_fd >= 0)
		close(b.hmm_fd);
	close(b.fd);
	return code;
}
