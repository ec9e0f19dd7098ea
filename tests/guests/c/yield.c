/* time from C: the deadline is an unsigned 64-bit number; the ready set comes back 0. */
#include "solo5.h"

int solo5_app_main(const struct solo5_start_info *si) {
    (void)si;
    solo5_handle_set_t ready = 42;
    solo5_time_t start = solo5_clock_monotonic();
    solo5_yield(start + 50000000ULL, &ready);
    solo5_time_t slept = solo5_clock_monotonic() - start;
    if (ready != 0 || slept < 50000000ULL) solo5_exit(1);
    solo5_yield(0, &ready); /* a deadline in the past polls */
    solo5_console_write("SUCCESS\n", 8);
    solo5_exit(0);
}
