/*
 * solo5-wasm: the Solo5 guest interface, ABI v1 and v1.1 (docs/abi.md), for C guests built
 * with clang --target=wasm32. Same names and types as Solo5's solo5.h; calls are
 * wasm imports from module "solo5". Build a kernel with:
 *   clang --target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--import-memory \
 *     -Wl,--export=solo5_app_main -Wl,--export=__heap_base -o k.wasm k.c
 * and attach a manifest with `solo5-wasm embed-manifest manifest.json k.wasm`.
 */
#ifndef SOLO5_WASM_H
#define SOLO5_WASM_H

#include <stddef.h>
#include <stdint.h>

#define SOLO5_IMPORT(name) __attribute__((import_module("solo5"), import_name(#name)))

typedef enum {
    SOLO5_R_OK = 0,
    SOLO5_R_AGAIN = 1,
    SOLO5_R_EINVAL = 2,
    SOLO5_R_EUNSPEC = 3
} solo5_result_t;

typedef uint64_t solo5_handle_t;
typedef uint64_t solo5_handle_set_t;
typedef uint64_t solo5_time_t;
#define SOLO5_TIME_INFINITE UINT64_MAX

struct solo5_start_info {
    const char *cmdline;
    uintptr_t heap_start;
    size_t heap_size;
};

struct solo5_net_info {
    uint8_t mac_address[6];
    uint8_t pad[2];
    uint32_t mtu;
};

struct solo5_block_info {
    uint64_t capacity;
    uint64_t block_size;
};

/* The guest's entry point; returning from it is solo5_exit(return value). */
int solo5_app_main(const struct solo5_start_info *info);

SOLO5_IMPORT(console_write) void solo5_console_write(const char *buf, size_t size);
SOLO5_IMPORT(exit) __attribute__((noreturn)) void solo5_exit(int status);
SOLO5_IMPORT(abort) __attribute__((noreturn)) void solo5_abort(void);
SOLO5_IMPORT(clock_monotonic) solo5_time_t solo5_clock_monotonic(void);
SOLO5_IMPORT(clock_wall) solo5_time_t solo5_clock_wall(void);
SOLO5_IMPORT(yield) void solo5_yield(solo5_time_t deadline, solo5_handle_set_t *ready_set);

/* Handles cross as i32 in calls (wasm32) and are written to memory as uint64_t. */
SOLO5_IMPORT(net_acquire) solo5_result_t solo5_net_acquire(const char *name, solo5_handle_t *handle,
                                                           struct solo5_net_info *info);
SOLO5_IMPORT(net_write) solo5_result_t solo5_net_write(uint32_t handle, const uint8_t *buf, size_t size);
SOLO5_IMPORT(net_read) solo5_result_t solo5_net_read(uint32_t handle, uint8_t *buf, size_t size,
                                                     size_t *read_size);
SOLO5_IMPORT(block_acquire) solo5_result_t solo5_block_acquire(const char *name, solo5_handle_t *handle,
                                                               struct solo5_block_info *info);
SOLO5_IMPORT(block_write) solo5_result_t solo5_block_write(uint32_t handle, uint64_t offset,
                                                           const uint8_t *buf, size_t size);
SOLO5_IMPORT(block_read) solo5_result_t solo5_block_read(uint32_t handle, uint64_t offset, uint8_t *buf,
                                                         size_t size);

/* ABI v1.1 (docs/abi.md, section 7), optional: a guest that never calls it does not
 * import it and stays a v1 guest. Fills `size` bytes (at most SOLO5_ENTROPY_MAX) at
 * `buf` with cryptographically secure random bytes; a larger size is SOLO5_R_EINVAL. */
#define SOLO5_ENTROPY_MAX 65536
SOLO5_IMPORT(entropy) solo5_result_t solo5_entropy(uint8_t *buf, size_t size);

#endif
