// SPDX-License-Identifier: GPL-2.0
/* /proc/self/pagemap and /proc/kpageflags; see pagemap.h. */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "lib/pagemap.h"

void pagemap_decode(uint64_t entry, struct page_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->present = entry & PM_PRESENT;
	pi->swapped = entry & PM_SWAP;
	pi->exclusive = entry & PM_MMAP_EXCLUSIVE;
	/* For a swapped page bits 0-54 hold the swap type and offset. */
	if (pi->present)
		pi->pfn = entry & PM_PFN_MASK;
}

size_t pagemap_parse(const void *buf, size_t len, struct page_info *out, size_t max)
{
	const unsigned char *p = buf;
	size_t i, n = len / sizeof(uint64_t);
	uint64_t e;

	if (n > max)
		n = max;
	for (i = 0; i < n; i++) {
		memcpy(&e, p + i * sizeof(e), sizeof(e));
		pagemap_decode(e, &out[i]);
	}
	return n;
}

/* pread() all of len bytes at off; 0, or -errno (-EIO on a short file). */
static int pread_full(int fd, void *buf, size_t len, off_t off)
{
	char *p = buf;
	ssize_t r;

	while (len) {
		r = pread(fd, p, len, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			return -EIO;
		p += r;
		len -= (size_t)r;
		off += r;
	}
	return 0;
}

int pagemap_read(const void *addr, size_t npages, size_t page_size, struct page_info *out)
{
	uint64_t words[64];
	off_t off = (off_t)((uintptr_t)addr / page_size * sizeof(uint64_t));
	size_t done = 0, chunk;
	int fd, ret = 0;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (done < npages) {
		chunk = npages - done < 64 ? npages - done : 64;
		ret = pread_full(fd, words, chunk * sizeof(uint64_t),
				 off + (off_t)(done * sizeof(uint64_t)));
		if (ret)
			break;
		pagemap_parse(words, chunk * sizeof(uint64_t), out + done, chunk);
		done += chunk;
	}
	close(fd);
	return ret;
}

int kpageflags_fill(struct page_info *pi, size_t n)
{
	uint64_t flags;
	int fd, ret = 0;
	size_t i;

	fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		if (!pi[i].present || !pi[i].pfn)
			continue;
		ret = pread_full(fd, &flags, sizeof(flags), (off_t)(pi[i].pfn * sizeof(flags)));
		if (ret)
			break;
		pi[i].kflags = flags;
		pi[i].kflags_valid = true;
	}
	close(fd);
	return ret;
}

void page_tally(const struct page_info *pi, size_t n, uint64_t kpf_mask, struct page_tally *t)
{
	size_t i, k;
	bool seen;

	memset(t, 0, sizeof(*t));
	t->pages = n;
	for (i = 0; i < n; i++) {
		if (pi[i].swapped)
			t->swapped++;
		if (!pi[i].present)
			continue;
		t->present++;
		if (!pi[i].pfn) {
			t->pfn_hidden++;
			continue;
		}
		if (pi[i].kflags_valid && (pi[i].kflags & kpf_mask) == kpf_mask) {
			t->flagged++;
			for (k = 0; k < n; k++) {
				if (k != i && pi[k].present && pi[k].pfn == pi[i].pfn) {
					t->flagged_shared++;
					break;
				}
			}
		}
		seen = false;
		for (k = 0; k < i && !seen; k++)
			seen = pi[k].present && pi[k].pfn == pi[i].pfn;
		if (!seen)
			t->distinct_pfns++;
	}
}
