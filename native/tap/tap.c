/*
 * The syscalls a guest's worker thread needs to drive a Linux TAP interface
 * itself, as solo5-hvt does (no thread hop between the TAP and the guest),
 * plus an eventfd through which the main thread wakes that worker when
 * other backends have frames for it.
 *
 * Every function is synchronous and the addon keeps no per-instance state,
 * so it is context-aware and loads in any number of worker_threads.
 * Wrapped and typed by host/node/tap.ts.
 */
#define _GNU_SOURCE
#include <net/if.h> /* before linux/if_tun.h, which pulls in linux/if.h */
#include <linux/if_tun.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <node_api.h>

/* wait() reports readiness as a bitmask that must fit a JS uint32. */
#define MAX_WAIT_FDS 32

/* Failures carry the errno name as error.code, so callers can branch on it. */
static napi_value throw_errno(napi_env env, int err, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    napi_throw_error(env, strerrorname_np(err), msg);
    return NULL;
}

/* ---- argument checks: wrong types are the caller's bug, so they throw ---- */

static bool get_args(napi_env env, napi_callback_info info, size_t want,
                     napi_value *argv)
{
    size_t argc = want;
    napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
    if (argc < want) {
        napi_throw_type_error(env, NULL, "too few arguments");
        return false;
    }
    return true;
}

static bool get_number(napi_env env, napi_value v, const char *what, double *out)
{
    if (napi_get_value_double(env, v, out) != napi_ok || isnan(*out)) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s must be a number", what);
        napi_throw_type_error(env, NULL, msg);
        return false;
    }
    return true;
}

/* A non-negative int32, as file descriptors and lengths are. */
static bool get_index(napi_env env, napi_value v, const char *what, int32_t *out)
{
    double d;
    if (!get_number(env, v, what, &d))
        return false;
    if (d < 0 || d > INT32_MAX || d != floor(d)) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s must be a non-negative integer", what);
        napi_throw_range_error(env, NULL, msg);
        return false;
    }
    *out = (int32_t)d;
    return true;
}

static bool get_typed(napi_env env, napi_value v, napi_typedarray_type want,
                      const char *what, void **data, size_t *length)
{
    bool is;
    napi_typedarray_type type;
    if (napi_is_typedarray(env, v, &is) != napi_ok || !is ||
        napi_get_typedarray_info(env, v, &type, length, data, NULL, NULL) != napi_ok ||
        type != want) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s has the wrong type", what);
        napi_throw_type_error(env, NULL, msg);
        return false;
    }
    return true;
}

/* ---- openTap ---- */

static napi_value throw_missing(napi_env env, const char *name)
{
    return throw_errno(env, ENODEV,
        "TAP interface %s does not exist: create it with `ip tuntap add %s mode tap` "
        "and bring it up (`ip link set dev %s up`)", name, name, name);
}

/* Called with the interface known to exist and be up. Returns the fd or -1
 * after throwing. */
static int attach_tap(napi_env env, const char *name, unsigned index)
{
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT || err == ENXIO || err == ENODEV)
            throw_errno(env, err, "cannot attach TAP interface %s: /dev/net/tun is missing: "
                "load the tun driver (`modprobe tun`) or, in a container, pass /dev/net/tun in", name);
        else if (err == EACCES || err == EPERM)
            throw_errno(env, err, "cannot attach TAP interface %s: no permission to open "
                "/dev/net/tun: run as root or with CAP_NET_ADMIN", name);
        else
            throw_errno(env, err, "cannot attach TAP interface %s: open /dev/net/tun: %s",
                name, strerror(err));
        return -1;
    }

    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    strcpy(ifr.ifr_name, name); /* length checked by the caller */
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int err = errno;
        close(fd);
        if (err == EBUSY)
            throw_errno(env, err, "TAP interface %s is busy: another process has it open "
                "(stop that one, or use another TAP)", name);
        else if (err == EINVAL)
            throw_errno(env, err, "%s is not a usable TAP interface (it is a TUN, a multi_queue "
                "TAP or not a tuntap device): use a TAP interface made with "
                "`ip tuntap add IFNAME mode tap`", name);
        else if (err == EPERM || err == EACCES)
            throw_errno(env, err, "no permission to attach TAP interface %s: run as root or with "
                "CAP_NET_ADMIN, or give it to this user (`ip tuntap add %s mode tap user NAME`)",
                name, name);
        else
            throw_errno(env, err, "cannot attach TAP interface %s: TUNSETIFF: %s",
                name, strerror(err));
        return -1;
    }

    /* TUNSETIFF creates the interface when the name is free, so if ours
     * vanished after the existence check we now hold a fresh, non-persistent
     * one: closing the fd destroys it again, and we refuse as "missing". */
    if (if_nametoindex(name) != index) {
        close(fd);
        throw_missing(env, name);
        return -1;
    }
    return fd;
}

static napi_value open_tap(napi_env env, napi_callback_info info)
{
    napi_value argv[1];
    if (!get_args(env, info, 1, argv))
        return NULL;
    char name[IFNAMSIZ];
    size_t len;
    if (napi_get_value_string_utf8(env, argv[0], NULL, 0, &len) != napi_ok) {
        napi_throw_type_error(env, NULL, "the interface name must be a string");
        return NULL;
    }
    if (len == 0 || len >= IFNAMSIZ) {
        napi_throw_range_error(env, NULL, "an interface name has 1 to 15 bytes");
        return NULL;
    }
    napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len);

    unsigned index = if_nametoindex(name);
    if (index == 0)
        return throw_missing(env, name);

    /* Interface flags and MTU are only reachable through a socket. */
    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0)
        return throw_errno(env, errno, "cannot inspect TAP interface %s: socket: %s",
            name, strerror(errno));
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, name);
    if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0) {
        close(sock);
        return throw_missing(env, name);
    }
    if (!(ifr.ifr_flags & IFF_UP)) {
        close(sock);
        return throw_errno(env, ENETDOWN, "TAP interface %s is down: bring it up with "
            "`ip link set dev %s up`", name, name);
    }

    int fd = attach_tap(env, name, index);
    if (fd < 0) {
        close(sock);
        return NULL;
    }

    /* Read the MTU after attaching: that is the value the guest will get. */
    if (ioctl(sock, SIOCGIFMTU, &ifr) < 0) {
        int err = errno;
        close(sock);
        close(fd);
        return throw_errno(env, err, "cannot read the MTU of TAP interface %s: %s",
            name, strerror(err));
    }
    close(sock);

    napi_value result, v;
    napi_create_object(env, &result);
    napi_create_int32(env, fd, &v);
    napi_set_named_property(env, result, "fd", v);
    napi_create_int32(env, ifr.ifr_mtu, &v);
    napi_set_named_property(env, result, "mtu", v);
    return result;
}

/* ---- frames ---- */

/* read() on a TAP fd silently truncates a frame to the buffer it is given,
 * so we read with readv() into the caller's buffer followed by this sink:
 * a result longer than the caller's buffer means "too long", and the frame is
 * consumed (dropped). 64 KiB covers any frame the tun driver can hold (its
 * MTU is at most 65535). The sink is only ever written by the kernel, never
 * read, so sharing it between worker threads is harmless. */
static char oversize_sink[65536];

static napi_value read_frame(napi_env env, napi_callback_info info)
{
    napi_value argv[2];
    int32_t fd;
    void *data;
    size_t len;
    if (!get_args(env, info, 2, argv) || !get_index(env, argv[0], "fd", &fd) ||
        !get_typed(env, argv[1], napi_uint8_array, "buf (a Uint8Array)", &data, &len))
        return NULL;

    struct iovec iov[2] = { { data, len }, { oversize_sink, sizeof oversize_sink } };
    ssize_t n;
    do
        n = readv(fd, iov, 2);
    while (n < 0 && errno == EINTR);

    int32_t r;
    if (n >= 0)
        r = (size_t)n > len ? -2 : (int32_t)n;
    else if (errno == EAGAIN)
        r = -1;
    else
        /* EBADFD: the interface was deleted under us; the device is gone. */
        return throw_errno(env, errno, "TAP read failed: %s", strerror(errno));

    napi_value result;
    napi_create_int32(env, r, &result);
    return result;
}

static napi_value write_frame(napi_env env, napi_callback_info info)
{
    napi_value argv[3];
    int32_t fd, len;
    void *data;
    size_t cap;
    if (!get_args(env, info, 3, argv) || !get_index(env, argv[0], "fd", &fd) ||
        !get_typed(env, argv[1], napi_uint8_array, "buf (a Uint8Array)", &data, &cap) ||
        !get_index(env, argv[2], "len", &len))
        return NULL;
    if ((size_t)len > cap) {
        napi_throw_range_error(env, NULL, "len is beyond the end of buf");
        return NULL;
    }

    ssize_t n;
    do
        n = write(fd, data, (size_t)len);
    while (n < 0 && errno == EINTR);

    /* A bad fd or a deleted interface will not get better: throw. Anything
     * else (EAGAIN when the queue is full, EIO while the link is down, a
     * frame the kernel refuses) is one dropped frame for the caller to count. */
    if (n < 0 && (errno == EBADF || errno == EBADFD || errno == EFAULT))
        return throw_errno(env, errno, "TAP write failed: %s", strerror(errno));

    napi_value result;
    napi_get_boolean(env, n == len, &result);
    return result;
}

/* ---- waking and waiting ---- */

static napi_value create_waker(napi_env env, napi_callback_info info)
{
    (void)info;
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0)
        return throw_errno(env, errno, "eventfd: %s", strerror(errno));
    napi_value result;
    napi_create_int32(env, fd, &result);
    return result;
}

static napi_value wake(napi_env env, napi_callback_info info)
{
    napi_value argv[1];
    int32_t fd;
    if (!get_args(env, info, 1, argv) || !get_index(env, argv[0], "waker", &fd))
        return NULL;
    uint64_t one = 1;
    /* EAGAIN means the counter is saturated: the waker is already set. */
    if (write(fd, &one, sizeof one) < 0 && errno != EAGAIN)
        return throw_errno(env, errno, "wake: %s", strerror(errno));
    return NULL;
}

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static napi_value wait_fds(napi_env env, napi_callback_info info)
{
    napi_value argv[3];
    void *data;
    size_t n;
    int32_t waker;
    double timeout;
    if (!get_args(env, info, 3, argv) ||
        !get_typed(env, argv[0], napi_int32_array, "fds (an Int32Array)", &data, &n) ||
        !get_index(env, argv[1], "waker", &waker) ||
        !get_number(env, argv[2], "timeoutNs", &timeout))
        return NULL;
    if (n > MAX_WAIT_FDS) {
        napi_throw_range_error(env, NULL, "wait() takes at most 32 fds");
        return NULL;
    }

    const int32_t *fds = data;
    struct pollfd p[MAX_WAIT_FDS + 1];
    for (size_t i = 0; i < n; i++)
        p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
    p[n] = (struct pollfd){ .fd = waker, .events = POLLIN };

    /* An absolute deadline, so that a signal (EINTR) does not stretch the
     * wait; capped at ~31 years, which is forever for us. */
    bool forever = timeout < 0 || timeout > 1e18;
    int64_t deadline = forever ? 0 : monotonic_ns() + (int64_t)timeout;
    for (;;) {
        struct timespec ts, *tsp = NULL;
        if (!forever) {
            int64_t left = deadline - monotonic_ns();
            if (left < 0)
                left = 0;
            ts.tv_sec = left / 1000000000;
            ts.tv_nsec = left % 1000000000;
            tsp = &ts;
        }
        if (ppoll(p, n + 1, tsp, NULL) >= 0)
            break;
        if (errno != EINTR)
            return throw_errno(env, errno, "ppoll: %s", strerror(errno));
    }

    if (p[n].revents & POLLNVAL)
        return throw_errno(env, EBADF, "wait: the waker fd %d is not open", waker);
    if (p[n].revents & POLLIN) {
        uint64_t count;
        if (read(waker, &count, sizeof count) < 0 && errno != EAGAIN)
            return throw_errno(env, errno, "wait: draining the waker: %s", strerror(errno));
    }

    /* Errors and hang-ups count as readable too: the next readFrame() then
     * reports them, instead of wait() returning at once, forever, with 0. */
    uint32_t mask = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i].revents)
            mask |= UINT32_C(1) << i;

    napi_value result;
    napi_create_uint32(env, mask, &result);
    return result;
}

static napi_value close_fd(napi_env env, napi_callback_info info)
{
    napi_value argv[1];
    int32_t fd;
    if (!get_args(env, info, 1, argv) || !get_index(env, argv[0], "fd", &fd))
        return NULL;
    /* On Linux the fd is released even when close() says EINTR. */
    if (close(fd) < 0 && errno != EINTR)
        return throw_errno(env, errno, "close(%d): %s", fd, strerror(errno));
    return NULL;
}

NAPI_MODULE_INIT()
{
    static const struct { const char *name; napi_callback cb; } fns[] = {
        { "openTap", open_tap },
        { "readFrame", read_frame },
        { "writeFrame", write_frame },
        { "createWaker", create_waker },
        { "wake", wake },
        { "wait", wait_fds },
        { "closeFd", close_fd },
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        napi_value fn;
        if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].cb, NULL, &fn) != napi_ok ||
            napi_set_named_property(env, exports, fns[i].name, fn) != napi_ok)
            return NULL;
    }
    return exports;
}
