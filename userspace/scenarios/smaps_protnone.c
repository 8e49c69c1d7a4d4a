// SPDX-License-Identifier: GPL-2.0
/*
 * smaps-protnone (thread 000_1874d232a7d1bcda.txt, "mm/gup: reintroduce
 * FOLL_NUMA as FOLL_HONOR_NUMA_FAULT"): /proc/<pid>/smaps and smaps_rollup
 * must keep accounting pages after their VMA is made PROT_NONE. Commit
 * 474098edac26 made follow_trans_huge_pmd(), which smaps uses for a
 * PMD-mapped THP, refuse PROT_NONE-mapped pages, so a THP in an
 * inaccessible VMA vanished from Rss and AnonHugePages (liubo's report of
 * imprecise smaps_rollup); FOLL_HONOR_NUMA_FAULT (6.6, Cc stable) restored
 * the old behaviour. 4 KiB pages go through vm_normal_page(), not
 * follow_page(), and are checked alongside.
 *
 * Steps: a 2 MiB-aligned 4 MiB anonymous mapping, MADV_HUGEPAGE on the
 * first half and MADV_NOHUGEPAGE on the second (two VMAs of 2 MiB), every
 * 4 KiB page written. Rss and AnonHugePages of both VMAs and of
 * smaps_rollup are read, the whole range is made PROT_NONE, and they are
 * read again: every per-VMA value must be unchanged and the rollup Rss must
 * not drop.
 *
 * Negative control: after mprotect, both halves are dropped with
 * MADV_DONTNEED, so the accounting is known to fall; the same check must
 * report it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/memutil.h"
#include "scenarios/scenarios.h"

#define SMAPS_HALF_KB		((long)(SZ_2M >> 10))
/*
 * The rollup covers the whole process: the smaps readers' own stdio
 * buffers and other small allocations may move it a little between the
 * two readings. More than this is not noise.
 */
#define SMAPS_ROLLUP_SLACK_KB	64

struct smaps_snap {
	long thp_size, thp_rss, thp_ahp;	/* the MADV_HUGEPAGE VMA */
	long small_size, small_rss, small_ahp;	/* the MADV_NOHUGEPAGE VMA */
	long roll_rss, roll_ahp;		/* smaps_rollup; -1 if unavailable */
};

/* The first "field:" line of /proc/self/smaps_rollup, in kB; -1 if none. */
static long rollup_kb(const char *field)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "re");
	size_t flen = strlen(field);
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, flen) && line[flen] == ':' &&
		    sscanf(line + flen + 1, "%ld", &kb) == 1)
			break;
		kb = -1;
	}
	fclose(f);
	return kb;
}

static void smaps_take(const char *buf, struct smaps_snap *s)
{
	const char *small = buf + SZ_2M;

	s->thp_size = smaps_field_kb(buf, "Size");
	s->thp_rss = smaps_field_kb(buf, "Rss");
	s->thp_ahp = smaps_field_kb(buf, "AnonHugePages");
	s->small_size = smaps_field_kb(small, "Size");
	s->small_rss = smaps_field_kb(small, "Rss");
	s->small_ahp = smaps_field_kb(small, "AnonHugePages");
	s->roll_rss = rollup_kb("Rss");
	s->roll_ahp = rollup_kb("AnonHugePages");
}

static void smaps_log(struct scenario_ctx *ctx, const char *when, const struct smaps_snap *s)
{
	scen_log(ctx, "%s: THP VMA Size %ld Rss %ld AnonHugePages %ld kB; 4 KiB VMA Size %ld Rss %ld AnonHugePages %ld kB; rollup Rss %ld AnonHugePages %ld kB",
		 when, s->thp_size, s->thp_rss, s->thp_ahp, s->small_size, s->small_rss,
		 s->small_ahp, s->roll_rss, s->roll_ahp);
}

/* Both VMAs found, each exactly our 2 MiB (not merged with a neighbour). */
static bool smaps_vmas_ok(const struct smaps_snap *s, const char *when, struct result *res)
{
	if (s->thp_size == SMAPS_HALF_KB && s->small_size == SMAPS_HALF_KB &&
	    s->thp_rss >= 0 && s->thp_ahp >= 0 && s->small_rss >= 0 && s->small_ahp >= 0)
		return true;
	result_set(res, VERDICT_ERROR,
		   "%s: /proc/self/smaps does not show the two 2 MiB VMAs (Size %ld and %ld kB, Rss %ld and %ld kB)",
		   when, s->thp_size, s->small_size, s->thp_rss, s->small_rss);
	return false;
}

/*
 * ok when nothing per VMA changed and the rollup Rss did not drop by more
 * than the slack; bug naming what dropped otherwise.
 */
static void smaps_judge(const struct smaps_snap *b, const struct smaps_snap *a,
			struct result *res)
{
	bool thp = a->thp_rss != b->thp_rss || a->thp_ahp != b->thp_ahp;
	bool small = a->small_rss != b->small_rss || a->small_ahp != b->small_ahp;
	bool roll = b->roll_rss >= 0 && a->roll_rss >= 0 &&
		    b->roll_rss - a->roll_rss > SMAPS_ROLLUP_SLACK_KB;
	char nums[320], what[128];

	snprintf(nums, sizeof(nums),
		 "THP VMA Rss %ld/%ld kB AnonHugePages %ld/%ld kB; 4 KiB VMA Rss %ld/%ld kB; rollup Rss %ld/%ld kB AnonHugePages %ld/%ld kB",
		 a->thp_rss, b->thp_rss, a->thp_ahp, b->thp_ahp, a->small_rss, b->small_rss,
		 a->roll_rss, b->roll_rss, a->roll_ahp, b->roll_ahp);
	if (!thp && !small && !roll) {
		result_set(res, VERDICT_OK,
			   "smaps accounts PROT_NONE-mapped pages as before mprotect (after/before): %s%s",
			   nums, b->roll_rss < 0 ? " (no smaps_rollup)" : "");
		return;
	}
	snprintf(what, sizeof(what), "%s%s%s%s%s",
		 thp ? "THP VMA (follow_trans_huge_pmd() refuses PROT_NONE-mapped THPs)" : "",
		 thp && (small || roll) ? ", " : "", small ? "4 KiB VMA" : "",
		 small && roll ? ", " : "", roll ? "rollup Rss" : "");
	result_set(res, VERDICT_BUG,
		   "smaps accounting of PROT_NONE-mapped pages changed (after/before): %s; changed: %s",
		   nums, what);
}

/* Map and fault in the two halves; skip unless the first is THP-backed. */
static char *smaps_setup(struct scenario_ctx *ctx, const char *mode, struct smaps_snap *before,
			 struct result *res)
{
	size_t psz = (size_t)sysconf(_SC_PAGESIZE), off;
	char *buf = map_anon_aligned(2 * SZ_2M, SZ_2M);

	if (!buf) {
		result_set(res, VERDICT_ERROR, "mmap of 4 MiB: %s", strerror(errno));
		return NULL;
	}
	if (madvise(buf, SZ_2M, MADV_HUGEPAGE)) {
		result_set(res, VERDICT_ERROR, "madvise(MADV_HUGEPAGE): %s", strerror(errno));
		goto fail;
	}
	if (madvise(buf + SZ_2M, SZ_2M, MADV_NOHUGEPAGE)) {
		result_set(res, VERDICT_ERROR, "madvise(MADV_NOHUGEPAGE): %s", strerror(errno));
		goto fail;
	}
	for (off = 0; off < 2 * SZ_2M; off += psz)
		memset(buf + off, 0x3c, psz);
	smaps_take(buf, before);
	smaps_log(ctx, "before mprotect", before);
	if (!smaps_vmas_ok(before, "before mprotect", res))
		goto fail;
	if (before->thp_ahp < SMAPS_HALF_KB) {
		result_set(res, VERDICT_SKIP,
			   "MADV_HUGEPAGE half is not THP-backed (AnonHugePages %ld kB, Rss %ld kB, THP mode [%s]): no free huge page?",
			   before->thp_ahp, before->thp_rss, mode);
		goto fail;
	}
	return buf;
fail:
	unmap_anon_aligned(buf, 2 * SZ_2M);
	return NULL;
}

/* The negative control: drop both halves, the accounting must fall. */
static int smaps_control(struct scenario_ctx *ctx, char *buf, struct result *res)
{
	if (madvise(buf + SZ_2M, SZ_2M, MADV_DONTNEED) || madvise(buf, SZ_2M, MADV_DONTNEED)) {
		result_set(res, VERDICT_ERROR, "madvise(MADV_DONTNEED): %s", strerror(errno));
		return -1;
	}
	scen_log(ctx, "control: both halves dropped with MADV_DONTNEED after mprotect");
	return 0;
}

static void smaps_protnone_run(struct scenario_ctx *ctx, struct result *res)
{
	struct smaps_snap before, after;
	char mode[32];
	char *buf;

	/* NEED_THP: the runner checked that THP is there and not [never]. */
	if (sysfs_mode("/sys/kernel/mm/transparent_hugepage/enabled", mode, sizeof(mode)))
		snprintf(mode, sizeof(mode), "?");
	buf = smaps_setup(ctx, mode, &before, res);
	if (!buf)
		return;
	if (mprotect(buf, 2 * SZ_2M, PROT_NONE)) {
		result_set(res, VERDICT_ERROR, "mprotect(PROT_NONE): %s", strerror(errno));
		goto out;
	}
	if (ctx->control && smaps_control(ctx, buf, res))
		goto out;
	smaps_take(buf, &after);
	smaps_log(ctx, "after mprotect", &after);
	if (!smaps_vmas_ok(&after, "after mprotect", res))
		goto out;
	smaps_judge(&before, &after, res);
out:
	unmap_anon_aligned(buf, 2 * SZ_2M);
}

SCENARIO(smaps_protnone, "smaps-protnone", "000_1874d232a7d1bcda.txt",
	 NEED_THP, smaps_protnone_run,
	 "smaps and smaps_rollup account a THP and 4 KiB pages after their VMAs are made PROT_NONE exactly as before (Rss, AnonHugePages)",
	 "both halves are dropped with MADV_DONTNEED after mprotect; the same check must report that the accounting fell");
