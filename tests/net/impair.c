/*
 * impair: a netfilter queue verdict program that makes a link lossy. This kernel
 * has no sch_netem, so tests impair links in user space: iptables sends the link's
 * IPv4 packets to queue N (rules from impair.mjs), and this program decides each
 * one's fate with a seeded PRNG, in this order:
 *
 *   drop       a fraction of packets never pass;
 *   duplicate  a fraction pass twice (a copy is sent through a raw socket marked
 *              with --mark, which the rules let through, right after the original);
 *   reorder    a fraction are held until --reorder-after more packets have passed,
 *              or --reorder-hold-ms have gone by if fewer came;
 *   delay      every packet passes --delay-ms after it reached this stage.
 *
 * The same seed and the same packets give the same fates: each packet draws three
 * numbers whatever happens to it. On SIGTERM or SIGINT it lets every held packet
 * pass, then prints one JSON line of counts (with the kernel's own drops for the
 * queue: full, or not read in time) and exits. It prints "ready" once the queue is
 * bound, before which the rules must not be installed (packets queued to no one are
 * dropped).
 *
 *   impair --queue=N [--seed=S] [--drop=P] [--duplicate=P] [--reorder=P]
 *          [--reorder-after=N] [--reorder-hold-ms=MS] [--delay-ms=MS] [--mark=M]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_HELD 1024     /* packets held for reordering at once */
#define MAX_DELAYED 65536 /* packets in the delay line at once: the queue's length */

struct options {
	unsigned queue;
	uint64_t seed;
	double drop, duplicate, reorder;
	unsigned reorder_after, reorder_hold_ms, delay_ms, mark;
};

/* A packet whose verdict is still to come; `copy` is what to send again, if anything. */
struct pending {
	uint32_t id;
	unsigned left;  /* reordering: packets still to pass before this one */
	int64_t due_ns; /* when it passes whatever else happens */
	unsigned char *copy;
	int copy_len;
};

static struct {
	unsigned long seen, dropped, duplicated, reordered, delayed, line_full, duplicate_errors, enobufs;
} counts;

static struct options opt = { .reorder_after = 1, .reorder_hold_ms = 50, .mark = 0x5e5 };
static struct nfq_q_handle *queue;
static int raw_socket;
static uint64_t prng_state;
static struct pending held[MAX_HELD];
static unsigned n_held;
static struct pending line[MAX_DELAYED]; /* the delay line, a ring */
static unsigned line_head, line_len;
static volatile sig_atomic_t stopping;

/* splitmix64: small, seedable, and good enough to pick fates. */
static double uniform(void)
{
	uint64_t z = (prng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) * 0x1.0p-53;
}

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The packet passes now, and its copy after it. */
static void release(struct pending *p)
{
	nfq_set_verdict(queue, p->id, NF_ACCEPT, 0, NULL);
	if (p->copy == NULL)
		return;
	struct sockaddr_in to = { .sin_family = AF_INET };
	memcpy(&to.sin_addr, p->copy + 16, 4); /* the IPv4 destination */
	if (sendto(raw_socket, p->copy, p->copy_len, 0, (struct sockaddr *)&to, sizeof to) == p->copy_len)
		counts.duplicated++;
	else
		counts.duplicate_errors++;
	free(p->copy);
	p->copy = NULL;
}

/* Into the delay line, or through at once without a delay (or with the line full). */
static void delay_stage(struct pending p, int64_t now)
{
	if (opt.delay_ms == 0)
		return release(&p);
	if (line_len == MAX_DELAYED) {
		counts.line_full++;
		return release(&p);
	}
	p.due_ns = now + (int64_t)opt.delay_ms * 1000000;
	line[(line_head + line_len++) % MAX_DELAYED] = p;
	counts.delayed++;
}

/* Held packet `i` goes on to the delay stage. */
static void unhold(unsigned i, int64_t now)
{
	struct pending p = held[i];
	memmove(&held[i], &held[i + 1], (n_held - i - 1) * sizeof held[0]);
	n_held--;
	delay_stage(p, now);
}

static int on_packet(struct nfq_q_handle *q, struct nfgenmsg *msg, struct nfq_data *nfa, void *data)
{
	(void)q, (void)msg, (void)data;
	struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr(nfa);
	if (header == NULL)
		return 0;
	unsigned char *payload;
	int len = nfq_get_payload(nfa, &payload);
	struct pending p = { .id = ntohl(header->packet_id) };
	double drop = uniform(), duplicate = uniform(), reorder = uniform();
	int64_t now = now_ns();
	counts.seen++;

	if (drop < opt.drop) {
		counts.dropped++;
		nfq_set_verdict(queue, p.id, NF_DROP, 0, NULL);
		return 0;
	}
	if (duplicate < opt.duplicate && len >= 20 && (p.copy = malloc(len)) != NULL) {
		memcpy(p.copy, payload, len);
		p.copy_len = len;
	}
	if (reorder < opt.reorder && n_held < MAX_HELD) {
		p.left = opt.reorder_after;
		p.due_ns = now + (int64_t)opt.reorder_hold_ms * 1000000;
		held[n_held++] = p;
		counts.reordered++;
		return 0;
	}
	delay_stage(p, now);
	/* Held packets go after the ones that passed them. */
	for (unsigned i = 0; i < n_held;) {
		if (--held[i].left == 0)
			unhold(i, now);
		else
			i++;
	}
	return 0;
}

/* Lets through what is due by `now` (everything, when stopping); returns the next due time, or -1. */
static int64_t due(int64_t now, int all)
{
	for (unsigned i = 0; i < n_held;) {
		if (all || held[i].due_ns <= now)
			unhold(i, now);
		else
			i++;
	}
	while (line_len > 0 && (all || line[line_head].due_ns <= now)) {
		release(&line[line_head]);
		line_head = (line_head + 1) % MAX_DELAYED;
		line_len--;
	}
	int64_t next = line_len > 0 ? line[line_head].due_ns : -1;
	for (unsigned i = 0; i < n_held; i++)
		if (next < 0 || held[i].due_ns < next)
			next = held[i].due_ns;
	return next;
}

/* The kernel's drops for our queue: queue full, and messages we did not read in time. */
static void kernel_drops(unsigned long *full, unsigned long *unread)
{
	FILE *f = fopen("/proc/net/netfilter/nfnetlink_queue", "r");
	unsigned number;
	unsigned long fields[6];
	*full = *unread = 0;
	if (f == NULL)
		return;
	while (fscanf(f, "%u %lu %lu %lu %lu %lu %lu %*u %*u", &number, &fields[0], &fields[1], &fields[2], &fields[3],
		      &fields[4], &fields[5]) == 7) {
		if (number == opt.queue) {
			*full = fields[4];
			*unread = fields[5];
		}
	}
	fclose(f);
}

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void usage(const char *bad)
{
	fprintf(stderr, "impair: %s\nusage: impair --queue=N [--seed=S] [--drop=P] [--duplicate=P] [--reorder=P] "
			"[--reorder-after=N] [--reorder-hold-ms=MS] [--delay-ms=MS] [--mark=M]\n", bad);
	exit(2);
}

static void parse(int argc, char **argv)
{
	int have_queue = 0;
	for (int i = 1; i < argc; i++) {
		char *value = strchr(argv[i], '=');
		if (strncmp(argv[i], "--", 2) != 0 || value == NULL)
			usage(argv[i]);
		*value++ = '\0';
		const char *name = argv[i] + 2;
		char *end;
		double x = strtod(value, &end);
		if (*end != '\0' || x < 0)
			usage(value);
		if (strcmp(name, "queue") == 0)
			opt.queue = (unsigned)x, have_queue = 1;
		else if (strcmp(name, "seed") == 0)
			opt.seed = strtoull(value, NULL, 0);
		else if (strcmp(name, "drop") == 0)
			opt.drop = x;
		else if (strcmp(name, "duplicate") == 0)
			opt.duplicate = x;
		else if (strcmp(name, "reorder") == 0)
			opt.reorder = x;
		else if (strcmp(name, "reorder-after") == 0 && x >= 1)
			opt.reorder_after = (unsigned)x;
		else if (strcmp(name, "reorder-hold-ms") == 0)
			opt.reorder_hold_ms = (unsigned)x;
		else if (strcmp(name, "delay-ms") == 0)
			opt.delay_ms = (unsigned)x;
		else if (strcmp(name, "mark") == 0)
			opt.mark = (unsigned)strtoul(value, NULL, 0);
		else
			usage(name);
	}
	if (!have_queue)
		usage("--queue=N is required");
}

int main(int argc, char **argv)
{
	parse(argc, argv);
	prng_state = opt.seed;
	struct sigaction sa = { .sa_handler = on_signal }; /* no SA_RESTART: ppoll returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	raw_socket = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (raw_socket < 0 || setsockopt(raw_socket, SOL_SOCKET, SO_MARK, &opt.mark, sizeof opt.mark) < 0) {
		perror("impair: raw socket for duplicates");
		return 1;
	}
	struct nfq_handle *h = nfq_open();
	if (h == NULL || (queue = nfq_create_queue(h, opt.queue, on_packet, NULL)) == NULL) {
		fprintf(stderr, "impair: cannot bind netfilter queue %u: %s\n", opt.queue, strerror(errno));
		return 1;
	}
	if (nfq_set_mode(queue, NFQNL_COPY_PACKET, 0xffff) < 0 || nfq_set_queue_maxlen(queue, MAX_DELAYED) < 0) {
		fprintf(stderr, "impair: cannot set up queue %u: %s\n", opt.queue, strerror(errno));
		return 1;
	}
	/* Room for bursts: a full socket is the kernel dropping packets (counted as unread). */
	nfnl_rcvbufsiz(nfq_nfnlh(h), 32 << 20);
	int fd = nfq_fd(h);
	printf("ready\n");
	fflush(stdout);

	static char buf[0x10000 + 4096] __attribute__((aligned));
	int64_t next = -1;
	while (!stopping) {
		struct timespec wait, *timeout = NULL;
		if (next >= 0) {
			int64_t left = next - now_ns();
			if (left < 0)
				left = 0;
			wait = (struct timespec){ left / 1000000000, left % 1000000000 };
			timeout = &wait;
		}
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (ppoll(&pfd, 1, timeout, NULL) < 0 && errno != EINTR) {
			perror("impair: ppoll");
			return 1;
		}
		for (;;) {
			ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
			if (n >= 0)
				nfq_handle_packet(h, buf, (int)n);
			else if (errno == ENOBUFS)
				counts.enobufs++;
			else
				break;
		}
		next = due(now_ns(), 0);
	}
	due(now_ns(), 1);
	unsigned long full, unread;
	kernel_drops(&full, &unread);
	printf("{\"seen\":%lu,\"dropped\":%lu,\"duplicated\":%lu,\"reordered\":%lu,\"delayed\":%lu,\"lineFull\":%lu,"
	       "\"duplicateErrors\":%lu,\"enobufs\":%lu,\"queueFull\":%lu,\"unread\":%lu}\n",
	       counts.seen, counts.dropped, counts.duplicated, counts.reordered, counts.delayed, counts.line_full,
	       counts.duplicate_errors, counts.enobufs, full, unread);
	nfq_destroy_queue(queue);
	nfq_close(h);
	return 0;
}
