// What the code-size comparison builds for C: malloc, free, realloc and aligned_alloc from
// wasi-libc (dlmalloc), or with -DBUMP an empty bump allocator (the baseline).
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(#name)))

#ifdef BUMP
extern unsigned char __heap_base;
static char *top = (char *)&__heap_base;
void *aligned_alloc(size_t align, size_t n) {
  char *p = (char *)(((size_t)top + align - 1) & ~(align - 1));
  top = p + n;
  return p;
}
void *malloc(size_t n) { return aligned_alloc(16, n); }
void *realloc(void *p, size_t n) { return memcpy(malloc(n), p, n); }
void free(void *p) {}
#endif

EXPORT(m) void *m(size_t n) { return malloc(n); }
EXPORT(r) void *r(void *p, size_t n) { return realloc(p, n); }
EXPORT(f) void f(void *p) { free(p); }
EXPORT(a) void *a(size_t align, size_t n) { return aligned_alloc(align, n); }
