// SPDX-License-Identifier: GPL-2.0
/* hmm-swap's one judgement, shared by the scenario and `mmrepro repro`. */
#include <string.h>

#include "scenarios/repro_hmm_swap.h"
#include "unit.h"

static struct hmm_swap_report report(size_t npages, size_t exclusive, size_t present, bool memcg)
{
	struct hmm_swap_report r;

	memset(&r, 0, sizeof(r));
	r.size = npages * 4096;
	r.npages = npages;
	r.memcg = memcg;
	r.rss_before_kb = (long)npages * 4;
	r.rss_after_kb = (long)(exclusive + present) * 4;
	r.after.exclusive = exclusive;
	r.after.present = present;
	r.after.swap = npages - exclusive - present;
	snprintf(r.memcg_why, sizeof(r.memcg_why), "no cgroup2 mount");
	return r;
}

TEST(hmm_swap_judge_verdicts)
{
	char buf[RESULT_REASON_MAX];
	struct hmm_swap_report r;

	/* the cover letter's bug: everything still there */
	r = report(262144, 262144, 0, true);
	CHECK_INT(hmm_swap_judge(&r, "device-exclusive", buf, sizeof(buf)), VERDICT_BUG);
	CHECK_STR(buf, "1 GiB device-exclusive: smaps_rollup Rss 1048576 kB before memory.reclaim, "
		       "1048576 kB after; 262144 of 262144 pages still resident (262144 device-exclusive)");
	/* 1% may stay resident; more may not */
	r = report(1000, 0, 10, true);
	CHECK_INT(hmm_swap_judge(&r, "device-exclusive", buf, sizeof(buf)), VERDICT_OK);
	CHECK_STR(buf, "3 MiB device-exclusive: smaps_rollup Rss 4000 kB before memory.reclaim, "
		       "40 kB after; 990 of 1000 pages swapped out");
	r = report(1000, 11, 0, true);
	CHECK_INT(hmm_swap_judge(&r, "pinned", buf, sizeof(buf)), VERDICT_BUG);
	/* MADV_PAGEOUT alone proves nothing: no memory.reclaim is a skip, not ok */
	r = report(1000, 0, 0, false);
	CHECK_INT(hmm_swap_judge(&r, "device-exclusive", buf, sizeof(buf)), VERDICT_SKIP);
	CHECK_STR(buf, "cannot force reclaim of the range: no cgroup2 mount");
}
