/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny self-registering unit test harness.
 *
 *	TEST(ktap_ok_line)
 *	{
 *		CHECK(x == 1);
 *		CHECK_INT(got, 3);
 *		CHECK_STR(buf, "expected");
 *		REQUIRE(p != NULL);	// returns from the test when false
 *	}
 *
 * unit_main.c runs every TEST (or those whose name contains argv[1]), each
 * in a child process of its own (a crash, or a test still running after
 * UNIT_TIMEOUT_S, fails that test alone), and ends with "N passed, N
 * failed"; the exit status is 1 if any failed.
 */
#ifndef MMREPRO_UNIT_H
#define MMREPRO_UNIT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define UNIT_TIMEOUT_S	60

struct unit_test {
	const char *name;
	const char *file;
	int line;
	void (*fn)(void);
	struct unit_test *next;
};

void unit_register(struct unit_test *t);
/* A file of the tree (tests run from its top), NUL-terminated, malloc()ed; NULL if unreadable. */
char *unit_slurp(const char *path);
/* Report a failed check of the running test. */
void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * What the statements write to FILE *fp, as a malloc()ed string (NULL when
 * open_memstream() fails): CAPTURE(f, report_json.end(f, &h, &t)).
 */
#define CAPTURE(fp, ...)							\
	({									\
		struct unit_capture *capture_ = unit_capture_open();		\
		FILE *fp = capture_ ? capture_->f : NULL;			\
										\
		if (fp) {							\
			__VA_ARGS__;						\
		}								\
		unit_capture_close(capture_);					\
	})

/* CAPTURE()'s stream: heap-held, so the buffer outlives the statement. */
struct unit_capture {
	FILE *f;
	char *buf;
	size_t len;
};
struct unit_capture *unit_capture_open(void);
/* Close, free the capture and return its text (NULL for a NULL capture). */
char *unit_capture_close(struct unit_capture *c);

#define TEST(tname)								\
	static void unit_fn_##tname(void);					\
	static struct unit_test unit_t_##tname = {				\
		.name = #tname, .file = __FILE__, .line = __LINE__,		\
		.fn = unit_fn_##tname,						\
	};									\
	__attribute__((constructor)) static void unit_reg_##tname(void)	\
	{									\
		unit_register(&unit_t_##tname);					\
	}									\
	static void unit_fn_##tname(void)

#define CHECK(cond)								\
	do {									\
		if (!(cond))							\
			unit_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);	\
	} while (0)

#define REQUIRE(cond)								\
	do {									\
		if (!(cond)) {							\
			unit_fail(__FILE__, __LINE__, "REQUIRE(%s)", #cond);	\
			return;							\
		}								\
	} while (0)

#define CHECK_INT(got, want)							\
	do {									\
		long long g_ = (long long)(got), w_ = (long long)(want);	\
		if (g_ != w_)							\
			unit_fail(__FILE__, __LINE__, "%s == %lld, want %lld",	\
				  #got, g_, w_);				\
	} while (0)

#define CHECK_STR(got, want)							\
	do {									\
		const char *g_ = (got), *w_ = (want);				\
		if (!g_ || strcmp(g_, w_))					\
			unit_fail(__FILE__, __LINE__,				\
				  "%s is\n---\n%s\n---\nwant\n---\n%s\n---",	\
				  #got, g_ ? g_ : "(null)", w_);		\
	} while (0)

/* got contains want */
#define CHECK_HAS(got, want)							\
	do {									\
		const char *g_ = (got), *w_ = (want);				\
		if (!g_ || !strstr(g_, w_))					\
			unit_fail(__FILE__, __LINE__, "%s is '%s', lacks '%s'",	\
				  #got, g_ ? g_ : "(null)", w_);		\
	} while (0)

#endif /* MMREPRO_UNIT_H */
