/* Solo5's test_hello from a second toolchain (clang), against include/solo5.h. */
#include "solo5.h"

static size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

static void puts(const char *s) { solo5_console_write(s, strlen(s)); }

static int streq(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

int solo5_app_main(const struct solo5_start_info *si) {
    puts("\n**** Solo5 standalone test_hello ****\n\n");
    puts("Hello, World\nCommand line is: '");
    puts(si->cmdline);
    puts("'\n");
    /* The heap is everything from heap_start to the end of memory, 16-aligned. */
    if (si->heap_start % 16 != 0 || si->heap_start + si->heap_size != __builtin_wasm_memory_size(0) * 65536)
        solo5_abort();
    /* The start info sits at align16(__heap_base) and the command line right after it. */
    if ((uintptr_t)si->cmdline != (uintptr_t)si + 16) solo5_abort();
    if (streq(si->cmdline, "Hello_Solo5")) puts("SUCCESS\n");
    return 0;
}
