// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "lib/clock.h"
#include "lib/dev.h"
#include "lib/memcg.h"
#include "lib/memutil.h"
#include "scenarios/repro_hmm_swap.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

/* The same tally excl_snapshot() makes, in SNAPSHOT-sized steps. */
static int snapshot_all(int devfd, char *addr, size_t npages, size_t psz, struct excl_states *st)
{
	struct excl_states part;
	size_t off, n;
	int ret;

	memset(st, 0, sizeof(*st));
	st->npages = npages;
	st->nid0 = -1;
	for (off = 0; off < npages; off += n) {
		n = npages - off < MMREPRO_MAX_PIN_PAGES ? npages - off : MMREPRO_MAX_PIN_PAGES;
		ret = excl_snapshot(devfd, addr + off * psz, n, &part);
		if (ret)
			return ret;
		st->exclusive += part.exclusive;
		st->present += part.present;
		st->swap += part.swap;
		st->migration += part.migration;
		st->other += part.other;
		if (st->nid0 < 0)
			st->nid0 = part.nid0;
	}
	return 0;
}

/* Pin one page in every pin_every of the chunk at addr; the pages pinned. */
static int pin_chunk(int devfd, char *addr, size_t chunk_pages, size_t psz,
		     unsigned int pin_every, uint64_t *done)
{
	size_t i;
	int ret;

	if (pin_every == 1) {
		ret = dev_pin(devfd, addr, chunk_pages, MMREPRO_PIN_WRITE);
		*done = ret ? 0 : chunk_pages;
		return ret;
	}
	for (i = 0; i < chunk_pages; i += pin_every) {
		ret = dev_pin(devfd, addr + i * psz, 1, MMREPRO_PIN_WRITE);
		if (ret)
			return ret;
		(*done)++;
	}
	return 0;
}

int hmm_swap_run(int devfd, size_t psz, size_t size, unsigned int pin_every, FILE *log,
		 struct hmm_swap_report *r)
{
	size_t chunk_pages = HMM_SWAP_CHUNK / psz, off;
	bool pin = pin_every > 0;
	char *addr, *mirror = NULL;
	struct memcg_scope mcg;
	uint64_t done;
	double t0;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	r->size = size;
	r->npages = size / psz;
	/* Before the memory is touched: it is charged to whoever faults it. */
	r->memcg = !memcg_enter(&mcg, r->memcg_why, sizeof(r->memcg_why));
	addr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (addr == MAP_FAILED) {
		ret = -errno;
		snprintf(r->error, sizeof(r->error), "mmap of %zu bytes: %s", size, strerror(errno));
		memcg_leave(&mcg);
		return ret;
	}
	/* As the cover letter: no THP, only order-0 folios. */
	madvise(addr, size, MADV_NOHUGEPAGE);
	memset(addr, 1, size);
	/*
	 * The device's view of each chunk, mapped here (not malloc()ed) so that
	 * it can be unmapped for sure before reclaim: it is memory of this
	 * cgroup too, and memory.reclaim of the range's size took it first
	 * once, leaving 474 device-exclusive pages (2.9%) of a fixed kernel
	 * resident.
	 */
	mirror = mmap(NULL, HMM_SWAP_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (mirror == MAP_FAILED) {
		mirror = NULL;
		ret = -ENOMEM;
		snprintf(r->error, sizeof(r->error), "no memory for the mirror buffer");
		goto out;
	}

	t0 = clock_mono_s();
	for (off = 0; off < size; off += HMM_SWAP_CHUNK) {
		done = 0;
		if (pin) {
			ret = pin_chunk(devfd, addr + off, chunk_pages, psz, pin_every, &done);
		} else {
			ret = dev_exclusive(devfd, addr + off, chunk_pages, mirror, &done);
		}
		r->held += done;
		if (ret) {
			snprintf(r->error, sizeof(r->error), "%s of the chunk at offset %zu MiB: %s",
				 pin ? "PIN" : "EXCLUSIVE", off >> 20, strerror(-ret));
			goto out;
		}
	}
	r->take_s = clock_mono_s() - t0;
	munmap(mirror, HMM_SWAP_CHUNK);
	mirror = NULL;
	r->rss_before_kb = proc_field_kb("/proc/self/smaps_rollup", "Rss");
	if (log)
		fprintf(log, "hmm-swap: %llu of %zu pages %s in %.1f s; smaps_rollup Rss %ld kB\n",
			(unsigned long long)r->held, r->npages, pin ? "pinned" : "device-exclusive",
			r->take_s, r->rss_before_kb);

	t0 = clock_mono_s();
	if (madvise(addr, size, MADV_PAGEOUT)) {
		ret = -errno;
		snprintf(r->error, sizeof(r->error), "MADV_PAGEOUT: %s", strerror(errno));
		goto out;
	}
	r->rss_pageout_kb = proc_field_kb("/proc/self/smaps_rollup", "Rss");
	ret = snapshot_all(devfd, addr, r->npages, psz, &r->pageout);
	r->rss_after_kb = r->rss_pageout_kb;
	r->after = r->pageout;
	if (log)
		fprintf(log, "hmm-swap: after MADV_PAGEOUT: smaps_rollup Rss %ld kB; %zu device-exclusive, %zu present, %zu swapped\n",
			r->rss_pageout_kb, r->pageout.exclusive, r->pageout.present, r->pageout.swap);
	if (!ret && r->memcg) {
		r->reclaim_ret = memcg_reclaim(&mcg, size);
		r->rss_after_kb = proc_field_kb("/proc/self/smaps_rollup", "Rss");
		ret = snapshot_all(devfd, addr, r->npages, psz, &r->after);
		if (log)
			fprintf(log, "hmm-swap: after memory.reclaim of %zu MiB (%s): smaps_rollup Rss %ld kB; %zu device-exclusive, %zu present, %zu swapped\n",
				size >> 20, r->reclaim_ret ? strerror(-r->reclaim_ret) : "done",
				r->rss_after_kb, r->after.exclusive, r->after.present, r->after.swap);
	} else if (log && !r->memcg) {
		fprintf(log, "hmm-swap: no memory.reclaim (%s)\n", r->memcg_why);
	}
	r->reclaim_s = clock_mono_s() - t0;
	if (ret)
		snprintf(r->error, sizeof(r->error), "SNAPSHOT: %s", strerror(-ret));
out:
	if (pin)
		dev_unpin_all(devfd, NULL);
	else
		dev_release(devfd, NULL, 0, NULL);
	if (mirror)
		munmap(mirror, HMM_SWAP_CHUNK);
	munmap(addr, size);
	memcg_leave(&mcg);
	return ret;
}

enum verdict hmm_swap_judge(const struct hmm_swap_report *r, const char *what, char *buf,
			    size_t len)
{
	size_t resident = hmm_swap_resident(r);
	char size[32];

	if (r->size >= (1UL << 30) && !(r->size % (1UL << 30)))
		snprintf(size, sizeof(size), "%zu GiB", r->size >> 30);
	else
		snprintf(size, sizeof(size), "%zu MiB", r->size >> 20);
	if (!r->memcg) {
		snprintf(buf, len, "cannot force reclaim of the range: %s", r->memcg_why);
		return VERDICT_SKIP;
	}
	if (resident * 100 > r->npages) {
		snprintf(buf, len,
			 "%s %s: smaps_rollup Rss %ld kB before memory.reclaim, %ld kB after; %zu of %zu pages still resident (%zu device-exclusive)",
			 size, what, r->rss_before_kb, r->rss_after_kb, resident, r->npages,
			 r->after.exclusive);
		return VERDICT_BUG;
	}
	snprintf(buf, len,
		 "%s %s: smaps_rollup Rss %ld kB before memory.reclaim, %ld kB after; %zu of %zu pages swapped out",
		 size, what, r->rss_before_kb, r->rss_after_kb, r->after.swap, r->npages);
	return VERDICT_OK;
}
