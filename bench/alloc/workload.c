// The allocator benchmark's workloads in C, for dlmalloc from wasi-libc: the same code
// as workload.ts (same random numbers, same actions), so the numbers compare.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(#name)))
__attribute__((import_module("bench"), import_name("t0"))) void t0(void);
__attribute__((import_module("bench"), import_name("t1"))) void t1(void);

static uint32_t rng = 1;
static uint32_t rnd(void) {
  uint32_t x = rng;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return rng = x;
}

// Uniform in [0, n) by multiply-shift, as in workload.ts.
static uint32_t below(uint32_t n) { return (uint32_t)(((uint64_t)rnd() * n) >> 32); }

#define MAX_LIVE 65536
static struct { char *ptr; char *base; size_t size, align; } table[MAX_LIVE];
static uint32_t count;
static size_t live, max_live_bytes;
static int timed;

// talc's alignment distribution: 8 (75 %), 16 (19 %), 32 (5 %) ... up to 2048.
static size_t random_align(void) { return (size_t)8 << (__builtin_ctz((rnd() & 0xffff) | 0x10000) >> 1); }

// Returns 0 when the allocator refused.
static int allocate(size_t size, size_t align) {
  if (timed) t0();
  char *p = align > 16 ? aligned_alloc(align, size) : malloc(size);
  if (timed) t1();
  if (!p) return 0;
  table[count].ptr = table[count].base = p;
  table[count].size = size;
  table[count].align = align;
  count++;
  live += size;
  return 1;
}

static void release(uint32_t k) {
  live -= table[k].size;
  if (timed) t0();
  free(table[k].base);
  if (timed) t1();
  table[k] = table[--count];
}

static int resize(uint32_t k, size_t size) {
  size_t old = table[k].size, align = table[k].align;
  if (align > 16) {
    char *from = table[k].ptr;
    if (!allocate(size, align)) return 0;
    memcpy(table[--count].ptr, from, old < size ? old : size);
    if (timed) t0();
    free(from);
    if (timed) t1();
    table[k] = table[count];
    live -= old;
    return 1;
  }
  if (timed) t0();
  char *p = realloc(table[k].ptr, size);
  if (timed) t1();
  if (!p) return 0;
  table[k].ptr = table[k].base = p;
  table[k].size = size;
  live += size - old;
  return 1;
}

EXPORT(run) void run(uint32_t seed, uint32_t actions, uint32_t kinds, uint32_t min_size, uint32_t max_size,
                     uint32_t large_pct, uint32_t large_min, uint32_t large_max, int aligned, int time) {
  rng = seed;
  timed = time;
  for (uint32_t i = 0; i < actions; ++i) {
    uint32_t action = below(kinds);
    if (count < 50) action = 0;
    if (action == 1) {
      release(below(count));
      continue;
    }
    size_t size = below(100) < large_pct ? large_min + below(large_max - large_min + 1)
                                          : min_size + below(max_size - min_size + 1);
    if (action == 0) {
      size_t align = aligned ? random_align() : 16;
      if (!allocate(size, align)) __builtin_trap();
    } else if (!resize(below(count), size)) {
      __builtin_trap();
    }
  }
  while (count) release(count - 1);
}

EXPORT(fill) void fill(uint32_t seed) {
  rng = seed;
  timed = 0;
  while (count < MAX_LIVE) {
    uint32_t action = below(10);
    if (action < 5) {
      uint32_t cap = 16 + below(10000 - 16);
      size_t size = 4 + below(cap - 4);
      if (!allocate(size, random_align())) return;
    } else if (action == 5) {
      if (count) release(below(count));
    } else if (count) {
      uint32_t k = below(count);
      if (!resize(k, 1 + below(100000 - 1))) return;
    }
    if (live > max_live_bytes) max_live_bytes = live;
  }
}

EXPORT(max_live) size_t max_live(void) { return max_live_bytes; }

EXPORT(calibrate) void calibrate(uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    t0();
    t1();
  }
}
