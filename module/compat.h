/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where kernel API differences are handled. The answers come
 * from module/conftest.sh, which compiles probes against the kernel being
 * built for (compat_gen.h); nothing here tests LINUX_VERSION_CODE.
 */
#ifndef MMREPRO_COMPAT_H
#define MMREPRO_COMPAT_H

#include <linux/mm.h>

#include "compat_gen.h"

#ifdef MMREPRO_HAVE_PIN_USER_PAGES_VMAS
#define MMREPRO_PIN_API	MMREPRO_PIN_API_VMAS
#else
#define MMREPRO_PIN_API	MMREPRO_PIN_API_NO_VMAS
#endif

static inline long mmrepro_pin_user_pages(unsigned long start, unsigned long nr_pages,
					  unsigned int gup_flags, struct page **pages)
{
#ifdef MMREPRO_HAVE_PIN_USER_PAGES_VMAS
	return pin_user_pages(start, nr_pages, gup_flags, pages, NULL);
#else
	return pin_user_pages(start, nr_pages, gup_flags, pages);
#endif
}

#ifdef MMREPRO_HAVE_FOLL_HONOR_NUMA_FAULT
#define MMREPRO_FOLL_HONOR_NUMA_FAULT	FOLL_HONOR_NUMA_FAULT
#else
#define MMREPRO_FOLL_HONOR_NUMA_FAULT	0
#endif

#if defined(MMREPRO_HAVE_MAKE_DEVICE_EXCLUSIVE)
#define MMREPRO_EXCL_API	MMREPRO_EXCL_API_SINGLE
#elif defined(MMREPRO_HAVE_MAKE_DEVICE_EXCLUSIVE_RANGE)
#define MMREPRO_EXCL_API	MMREPRO_EXCL_API_RANGE
#else
#define MMREPRO_EXCL_API	MMREPRO_EXCL_API_NONE
#endif

#endif /* MMREPRO_COMPAT_H */
