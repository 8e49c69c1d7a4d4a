// SPDX-License-Identifier: GPL-2.0
/* The fuzzer's generator: a seed replays the same draws. */
#include "scenarios/fuzz.h"
#include "unit.h"

TEST(fuzz_seed_replays)
{
	uint64_t a = 42, b = 42, c = 43;
	int i, same = 1, differ = 0;

	for (i = 0; i < 100; i++) {
		uint64_t x = fuzz_next(&a), y = fuzz_next(&b), z = fuzz_next(&c);

		same &= x == y;
		differ |= x != z;
	}
	CHECK(same);
	CHECK(differ);
	a = 0;
	/* splitmix64's first output for state 0 */
	CHECK(fuzz_next(&a) == 0xe220a8397b1dcdafULL);
}

TEST(fuzz_below_in_range)
{
	uint64_t s = 7, v;
	int i, seen[5] = { 0 };

	for (i = 0; i < 1000; i++) {
		v = fuzz_below(&s, 5);
		REQUIRE(v < 5);
		seen[v]++;
	}
	for (i = 0; i < 5; i++)
		CHECK(seen[i] > 100);
	CHECK(fuzz_below(&s, 1) == 0);
}
