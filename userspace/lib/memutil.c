// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/memutil.h"

void *map_anon_aligned(size_t len, size_t align)
{
	return map_anon_aligned_prot(len, align, PROT_READ | PROT_WRITE, 0);
}

void *map_anon_aligned_prot(size_t len, size_t align, int prot, int flags)
{
	size_t span = len + align;
	uintptr_t start, aligned;
	char *p;

	p = mmap(NULL, span, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	start = (uintptr_t)p;
	aligned = (start + align - 1) & ~(uintptr_t)(align - 1);
	if (aligned > start)
		munmap(p, aligned - start);
	if (aligned + len < start + span)
		munmap((void *)(aligned + len), start + span - aligned - len);
	return (void *)aligned;
}

void unmap_anon_aligned(void *addr, size_t len)
{
	munmap(addr, len);
}

long smaps_field_kb_from(FILE *f, uintptr_t addr, const char *field)
{
	size_t flen = strlen(field);
	bool in_vma = false;
	char line[512];
	uintptr_t lo, hi;
	long kb;

	while (fgets(line, sizeof(line), f)) {
		/* A VMA header line: "start-end perms offset dev inode [path]" */
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in_vma = addr >= lo && addr < hi;
			continue;
		}
		if (in_vma && !strncmp(line, field, flen) && line[flen] == ':' &&
		    sscanf(line + flen + 1, "%ld", &kb) == 1)
			return kb;
	}
	return -1;
}

char *stream_read_all(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap), *nb;

	while (buf) {
		n += fread(buf + n, 1, cap - n - 1, f);
		if (n < cap - 1) {
			if (ferror(f)) {
				int e = errno ? errno : EIO;

				free(buf);
				errno = e;
				return NULL;
			}
			buf[n] = '\0';
			if (len)
				*len = n;
			return buf;
		}
		cap *= 2;
		nb = realloc(buf, cap);
		if (!nb)
			free(buf);
		buf = nb;
	}
	errno = ENOMEM;
	return NULL;
}

bool text_has_word(const char *s, const char *word)
{
	size_t wl = strlen(word);

	for (;;) {
		size_t len;

		s += strspn(s, " \t\n");
		len = strcspn(s, " \t\n");
		if (!len)
			return false;
		if (len == wl && !strncmp(s, word, wl))
			return true;
		s += len;
	}
}

int file_read_str(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	n = n < 0 ? -errno : n;
	close(fd);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	return 0;
}

int file_read_ulong(const char *path, unsigned long *val)
{
	char buf[64], *end;
	int ret = file_read_str(path, buf, sizeof(buf));

	if (ret)
		return ret;
	errno = 0;
	*val = strtoul(buf, &end, 10);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

int file_write_ulong(const char *path, unsigned long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lu", val);
	return file_write_str(path, buf);
}

int file_write_str(const char *path, const char *val)
{
	ssize_t n;
	int fd, e;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	e = n < 0 ? -errno : 0;
	close(fd);
	return e;
}

long proc_field_kb(const char *path, const char *field)
{
	size_t flen = strlen(field);
	FILE *f = fopen(path, "re");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, flen) && line[flen] == ':' &&
		    sscanf(line + flen + 1, "%ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

long swap_total_kb(void)
{
	return proc_field_kb("/proc/meminfo", "SwapTotal");
}

long smaps_field_kb(const void *addr, const char *field)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	long kb;

	if (!f)
		return -1;
	kb = smaps_field_kb_from(f, (uintptr_t)addr, field);
	fclose(f);
	return kb;
}

int vmstat_read(const char *name, unsigned long long *val)
{
	FILE *f = fopen("/proc/vmstat", "re");
	size_t nlen = strlen(name);
	char line[256];
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, name, nlen) && line[nlen] == ' ') {
			*val = strtoull(line + nlen + 1, NULL, 10);
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

int text_selected_word(const char *s, char *out, size_t outlen)
{
	const char *open = strchr(s, '['), *close;
	size_t n;

	if (!open)
		return -1;
	close = strchr(open + 1, ']');
	if (!close || close == open + 1 || !outlen)
		return -1;
	n = (size_t)(close - open - 1);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, open + 1, n);
	out[n] = '\0';
	return 0;
}

int sysfs_mode(const char *path, char *buf, size_t len)
{
	char line[256];
	int ret = file_read_str(path, line, sizeof(line));

	if (ret)
		return ret;
	return text_selected_word(line, buf, len) ? -EINVAL : 0;
}

/* Eight bytes of identity, then the seed byte repeated. */
static uint64_t pattern_tag(uint8_t seed, size_t index)
{
	return 0x6d6d7270ULL << 32 ^ (uint64_t)seed << 24 ^ (uint64_t)index;
}

void pattern_fill(void *page, size_t page_size, uint8_t seed, size_t index)
{
	uint64_t tag = pattern_tag(seed, index);

	memset(page, seed, page_size);
	memcpy(page, &tag, sizeof(tag));
}

bool pattern_is(const void *page, size_t page_size, uint8_t seed, size_t index)
{
	uint64_t tag = pattern_tag(seed, index);
	const uint8_t *p = page;
	size_t i;

	if (memcmp(p, &tag, sizeof(tag)))
		return false;
	for (i = sizeof(tag); i < page_size; i++)
		if (p[i] != seed)
			return false;
	return true;
}

void pattern_fill_pages(void *buf, size_t npages, size_t page_size, uint8_t seed)
{
	size_t i;

	for (i = 0; i < npages; i++)
		pattern_fill((char *)buf + i * page_size, page_size, seed, i);
}

size_t pattern_count_pages(const void *buf, size_t npages, size_t page_size, uint8_t seed)
{
	size_t i, n = 0;

	for (i = 0; i < npages; i++)
		n += pattern_is((const char *)buf + i * page_size, page_size, seed, i);
	return n;
}

/*
 * /proc/vmstat leaves out what is still batched per CPU; writing
 * vm/stat_refresh (root) folds it in so deltas are exact. Best effort.
 */
static void vmstat_refresh(void)
{
	FILE *f = fopen("/proc/sys/vm/stat_refresh", "we");

	if (f) {
		fputs("1\n", f);
		fclose(f);
	}
}

void pin_balance_start(struct pin_balance *pb)
{
	vmstat_refresh();
	pb->valid = !vmstat_read("nr_foll_pin_acquired", &pb->acquired) &&
		    !vmstat_read("nr_foll_pin_released", &pb->released);
}

bool pin_balance_check(const struct pin_balance *pb, long long *d_acq, long long *d_rel)
{
	unsigned long long acq, rel;

	*d_acq = *d_rel = 0;
	vmstat_refresh();
	if (!pb->valid || vmstat_read("nr_foll_pin_acquired", &acq) ||
	    vmstat_read("nr_foll_pin_released", &rel))
		return true;
	*d_acq = (long long)(acq - pb->acquired);
	*d_rel = (long long)(rel - pb->released);
	return *d_acq == *d_rel;
}
