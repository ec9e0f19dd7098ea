/*
 * The baselines for the ping -f benchmark. It attaches an existing TAP
 * interface (never creates one) and answers ARP requests for its IPv4 address
 * and ICMP echo requests to it; every other frame is ignored. Runs until killed.
 * How it waits for a frame:
 *  - by default, a blocking read(): the least a TAP peer can do;
 *  - with --spt, as Solo5's spt tender runs test_net: each turn arms a timerfd
 *    for a deadline one second ahead (test_net's yield), sleeps in epoll_pwait
 *    on the TAP and the timerfd, then makes one non-blocking read. That is the
 *    price of a yield with a deadline, which any Solo5 tender pays; spt itself
 *    cannot be built here (no network beyond npm and Debian).
 *
 * usage: tap-responder [--spt] IFNAME [IPV4]      (IPV4 defaults to 10.0.0.2)
 */
#include <net/if.h> /* before linux/if_tun.h, which pulls in linux/if.h */
#include <linux/if_tun.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static const uint8_t our_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* The Internet checksum (RFC 1071), stored big-endian by the caller. */
static uint16_t inet_checksum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;
    for (; n > 1; p += 2, n -= 2)
        sum += be16(p);
    if (n)
        sum += (uint32_t)p[0] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Turns an ARP request for `ip` into its reply, in place; returns the reply's
 * length, or 0 if the frame is not such a request. */
static size_t answer_arp(uint8_t *f, size_t n, const uint8_t ip[4])
{
    if (n < 42 || be16(f + 14) != 1 || be16(f + 16) != 0x0800 || f[18] != 6 ||
        f[19] != 4 || be16(f + 20) != 1 || memcmp(f + 38, ip, 4) != 0)
        return 0;
    memcpy(f, f + 22, 6);           /* to the asker */
    memcpy(f + 6, our_mac, 6);
    f[21] = 2;                      /* op: reply */
    memcpy(f + 32, f + 22, 10);     /* target = the asker's MAC and IP */
    memcpy(f + 22, our_mac, 6);     /* sender = us */
    memcpy(f + 28, ip, 4);
    return 42;
}

/* Turns an ICMP echo request to `ip` into its reply, in place; returns the
 * reply's length, or 0 if the frame is not such a request. */
static size_t answer_ping(uint8_t *f, size_t n, const uint8_t ip[4])
{
    if (n < 34 || (f[14] >> 4) != 4 || f[23] != 1 || memcmp(f + 30, ip, 4) != 0)
        return 0;
    size_t ihl = (size_t)(f[14] & 0x0f) * 4;
    size_t total = be16(f + 16);
    if (ihl < 20 || total < ihl + 8 || 14 + total > n || (be16(f + 20) & 0x3fff) != 0)
        return 0;                   /* malformed, or a fragment */
    uint8_t *icmp = f + 14 + ihl;
    if (icmp[0] != 8 || icmp[1] != 0)
        return 0;

    uint8_t tmp[6];
    memcpy(f, f + 6, 6);            /* back to the sender */
    memcpy(f + 6, our_mac, 6);
    memcpy(tmp, f + 26, 4);         /* swap IPv4 addresses: the header */
    memcpy(f + 26, f + 30, 4);      /* checksum is a sum, so it still holds */
    memcpy(f + 30, tmp, 4);
    icmp[0] = 0;                    /* echo reply */
    icmp[2] = icmp[3] = 0;
    uint16_t sum = inet_checksum(icmp, total - ihl);
    icmp[2] = (uint8_t)(sum >> 8);
    icmp[3] = (uint8_t)sum;
    return 14 + total;
}

/* Solo5 spt's solo5_yield(now + 1 s): arm the timerfd for the absolute
 * deadline, sleep in epoll_pwait; returns whether the TAP is readable. */
static int spt_yield(int epoll_fd, int timer_fd, int tap_fd)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    struct itimerspec it = { .it_value = { .tv_sec = now.tv_sec + 1, .tv_nsec = now.tv_nsec } };
    if (timerfd_settime(timer_fd, TFD_TIMER_ABSTIME, &it, NULL) < 0) {
        fprintf(stderr, "tap-responder: timerfd_settime: %s\n", strerror(errno));
        exit(1);
    }
    struct epoll_event events[2];
    int n;
    do
        n = epoll_pwait(epoll_fd, events, 2, -1, NULL);
    while (n < 0 && errno == EINTR);
    for (int i = 0; i < n; i++)
        if (events[i].data.fd == tap_fd)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    int spt = argc > 1 && strcmp(argv[1], "--spt") == 0;
    argv += spt;
    argc -= spt;
    if (argc < 2 || argc > 3 || strlen(argv[1]) >= IFNAMSIZ) {
        fprintf(stderr, "usage: tap-responder [--spt] IFNAME [IPV4]\n");
        return 2;
    }
    const char *ifname = argv[1];
    uint8_t ip[4];
    if (inet_pton(AF_INET, argc == 3 ? argv[2] : "10.0.0.2", ip) != 1) {
        fprintf(stderr, "tap-responder: not an IPv4 address: %s\n", argv[2]);
        return 2;
    }
    /* TUNSETIFF would create a missing interface: refuse instead. */
    if (if_nametoindex(ifname) == 0) {
        fprintf(stderr, "tap-responder: TAP interface %s does not exist\n", ifname);
        return 1;
    }
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    strcpy(ifr.ifr_name, ifname);
    if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
        fprintf(stderr, "tap-responder: cannot attach %s: %s\n", ifname, strerror(errno));
        return 1;
    }

    int epoll_fd = -1, timer_fd = -1;
    if (spt) {
        epoll_fd = epoll_create1(EPOLL_CLOEXEC);
        timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        struct epoll_event tap_ev = { .events = EPOLLIN, .data.fd = fd };
        struct epoll_event timer_ev = { .events = EPOLLIN, .data.fd = timer_fd };
        if (epoll_fd < 0 || timer_fd < 0 || fcntl(fd, F_SETFL, O_NONBLOCK) < 0 ||
            epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &tap_ev) < 0 ||
            epoll_ctl(epoll_fd, EPOLL_CTL_ADD, timer_fd, &timer_ev) < 0) {
            fprintf(stderr, "tap-responder: cannot set up the spt wait: %s\n", strerror(errno));
            return 1;
        }
    }

    static uint8_t frame[65536];
    for (;;) {
        if (spt && !spt_yield(epoll_fd, timer_fd, fd))
            continue;
        ssize_t n = read(fd, frame, sizeof frame);
        if (n < 0) {
            if (errno == EINTR || (spt && errno == EAGAIN))
                continue;
            fprintf(stderr, "tap-responder: read: %s\n", strerror(errno));
            return 1;
        }
        if (n < 14)
            continue;
        size_t len = 0;
        switch (be16(frame + 12)) {
        case 0x0806: len = answer_arp(frame, (size_t)n, ip); break;
        case 0x0800: len = answer_ping(frame, (size_t)n, ip); break;
        }
        if (len > 0 && write(fd, frame, len) < 0 && errno != EINTR)
            fprintf(stderr, "tap-responder: write: %s\n", strerror(errno));
    }
}
