/* SPDX-License-Identifier: GPL-2.0 */
/* CLOCK_MONOTONIC for deadlines and durations, and a sleep that survives signals. */
#ifndef MMREPRO_CLOCK_H
#define MMREPRO_CLOCK_H

long long clock_mono_ms(void);
double clock_mono_s(void);
/* Sleep ms milliseconds, resuming after a signal handler ran. */
void sleep_ms(long ms);

#endif /* MMREPRO_CLOCK_H */
