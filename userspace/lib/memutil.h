/* SPDX-License-Identifier: GPL-2.0 */
/* Memory set-up and the kernel's own accounts of it (/proc, /sys). */
#ifndef MMREPRO_MEMUTIL_H
#define MMREPRO_MEMUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SZ_2M	(2UL << 20)

/* Anonymous private RW mapping of len bytes aligned to align; NULL on error. */
void *map_anon_aligned(size_t len, size_t align);
/* The same with protection prot and extra mmap flags (MAP_NORESERVE, ...). */
void *map_anon_aligned_prot(size_t len, size_t align, int prot, int flags);
void unmap_anon_aligned(void *addr, size_t len);

/*
 * Value in kB of field (e.g. "AnonHugePages") in the smaps entry of the VMA
 * containing addr; -1 if not found. smaps_field_kb_from() parses an open
 * smaps-format stream (for tests).
 */
long smaps_field_kb(const void *addr, const char *field);
long smaps_field_kb_from(FILE *f, uintptr_t addr, const char *field);

/*
 * Value in kB of a "Field: N kB" line of a /proc file such as /proc/meminfo
 * or /proc/self/smaps_rollup; -1 if absent. swap_total_kb(): SwapTotal.
 */
long proc_field_kb(const char *path, const char *field);

/* word is one of the blank-separated words of s (cgroup.controllers, a cmdline). */
bool text_has_word(const char *s, const char *word);

/* All of stream f, NUL-terminated, malloc()ed (len: without the NUL); NULL with errno set. */
char *stream_read_all(FILE *f, size_t *len);

/* Read up to len - 1 bytes of a /proc or /sys file, NUL-terminated; 0 or -errno. */
int file_read_str(const char *path, char *buf, size_t len);
/* Write val to a /proc or /sys file in one write(2); 0 or -errno. */
int file_write_str(const char *path, const char *val);
/* A number in a /proc or /sys file; 0, -errno, or -EINVAL when it holds none. */
int file_read_ulong(const char *path, unsigned long *val);
int file_write_ulong(const char *path, unsigned long val);
long swap_total_kb(void);

/* /proc/vmstat counter; 0 or -errno (-ENOENT when this kernel lacks it). */
int vmstat_read(const char *name, unsigned long long *val);

/* The [selected] word of a mode text ("always [madvise] never"); pure. 0 or -1. */
int text_selected_word(const char *s, char *out, size_t outlen);
/* The [selected] word of a sysfs mode file such as THP's "enabled". 0 or -errno. */
int sysfs_mode(const char *path, char *buf, size_t len);

/* Fill / check a page with a pattern identifying (seed, index). */
void pattern_fill(void *page, size_t page_size, uint8_t seed, size_t index);
bool pattern_is(const void *page, size_t page_size, uint8_t seed, size_t index);
/* The same over npages consecutive pages, page i with index i. */
void pattern_fill_pages(void *buf, size_t npages, size_t page_size, uint8_t seed);
size_t pattern_count_pages(const void *buf, size_t npages, size_t page_size, uint8_t seed);

/* Pin accounting across a scenario: nr_foll_pin_acquired/released deltas. */
struct pin_balance {
	unsigned long long acquired, released;
	bool valid;
};
void pin_balance_start(struct pin_balance *pb);
/* Returns true when the deltas since start are equal (or unknown). */
bool pin_balance_check(const struct pin_balance *pb, long long *d_acq, long long *d_rel);

#endif /* MMREPRO_MEMUTIL_H */
