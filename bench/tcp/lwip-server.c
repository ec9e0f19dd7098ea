/*
 * lwip-server: the lwIP baseline of the TCP benchmark. It serves http-serve's two
 * benchmarked routes on lwIP 2.1.3 as Debian builds it (liblwip-dev: NO_SYS=0 with
 * core locking, TCP_MSS 1460, a 64 KiB window and send buffer), attached to an
 * existing TAP through the library's own unix port (tapif, which reads the TAP in a
 * thread of its own and hands frames to the tcpip thread):
 *
 *   GET /         200 text/html, the page read from PAGE (612 bytes)
 *   GET /bytes/N  200 application/octet-stream, N bytes, byte i being i % 251
 *   anything else 404
 *
 * HTTP/1.1 keep-alive, pipelined requests answered in order, Connection: close
 * honoured. The raw API, as lwIP is used where speed matters: the callbacks run in
 * the tcpip thread, bodies are queued straight from a static buffer (no copy).
 * Prints "ready" once listening on TCP 80; runs until killed.
 *
 *   lwip-server TAP ADDRESS/PREFIX MTU PAGE
 */
#define _GNU_SOURCE /* memmem, strcasestr */
#include <lwip/init.h>
#include <lwip/netif.h>
#include <lwip/tcp.h>
#include <lwip/tcpip.h>
#include <netif/tapif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEAD_MAX 8192
#define PATTERN 251

/* Whole periods of the body pattern, so any offset's bytes start somewhere in here. */
static unsigned char pattern[PATTERN * 64];
static char *page;
static size_t page_len;

struct conn {
	struct tcp_pcb *pcb;
	char head[HEAD_MAX];
	size_t len;          /* bytes of requests received and not yet answered */
	uint64_t remaining;  /* body bytes of /bytes/N still to queue */
	uint64_t offset;     /* of the next body byte */
	int close_when_sent; /* Connection: close, or a request we cannot read */
};

static void serve(struct conn *c);

static void finish(struct conn *c)
{
	tcp_arg(c->pcb, NULL);
	tcp_recv(c->pcb, NULL);
	tcp_sent(c->pcb, NULL);
	tcp_err(c->pcb, NULL);
	if (tcp_close(c->pcb) != ERR_OK)
		tcp_abort(c->pcb);
	free(c);
}

/* Queues as much of the body as the send buffer takes; then the next request, or the close. */
static void push_body(struct conn *c)
{
	while (c->remaining > 0) {
		size_t start = c->offset % PATTERN;
		size_t n = sizeof pattern - start;
		if (n > c->remaining)
			n = c->remaining;
		if (n > tcp_sndbuf(c->pcb))
			n = tcp_sndbuf(c->pcb);
		if (n == 0 || tcp_sndqueuelen(c->pcb) >= TCP_SND_QUEUELEN - 1)
			break;
		if (tcp_write(c->pcb, pattern + start, (u16_t)n, n < c->remaining ? TCP_WRITE_FLAG_MORE : 0) != ERR_OK)
			break;
		c->remaining -= n;
		c->offset += n;
	}
	tcp_output(c->pcb);
	if (c->remaining == 0)
		serve(c);
}

static void respond(struct conn *c, const char *status, const char *type, uint64_t length, const char *body)
{
	char header[256];
	int n = snprintf(header, sizeof header, "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %llu\r\n\r\n", status,
			 type, (unsigned long long)length);
	tcp_write(c->pcb, header, (u16_t)n, TCP_WRITE_FLAG_COPY | (length > 0 ? TCP_WRITE_FLAG_MORE : 0));
	if (body != NULL)
		tcp_write(c->pcb, body, (u16_t)length, 0);
}

/* Answers the requests received in full, in order, while no body is being sent. */
static void serve(struct conn *c)
{
	for (;;) {
		if (c->close_when_sent) {
			if (c->remaining == 0 && tcp_sndqueuelen(c->pcb) == 0)
				finish(c);
			return;
		}
		char *end = memmem(c->head, c->len, "\r\n\r\n", 4);
		if (end == NULL) {
			if (c->len == HEAD_MAX) {
				respond(c, "400 Bad Request", "text/plain", 0, NULL);
				c->close_when_sent = 1;
			}
			tcp_output(c->pcb);
			return;
		}
		*end = '\0';
		char method[8], path[64];
		unsigned long long n;
		if (strcasestr(c->head, "\r\nconnection: close"))
			c->close_when_sent = 1;
		if (sscanf(c->head, "%7s %63s HTTP/1.", method, path) != 2 || strcmp(method, "GET") != 0)
			respond(c, "404 Not Found", "text/plain", 0, NULL);
		else if (strcmp(path, "/") == 0)
			respond(c, "200 OK", "text/html", page_len, page);
		else if (sscanf(path, "/bytes/%llu", &n) == 1) {
			respond(c, "200 OK", "application/octet-stream", n, NULL);
			c->remaining = n;
			c->offset = 0;
		} else
			respond(c, "404 Not Found", "text/plain", 0, NULL);
		size_t used = (size_t)(end + 4 - c->head);
		memmove(c->head, c->head + used, c->len - used);
		c->len -= used;
		if (c->remaining > 0)
			return push_body(c);
	}
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct conn *c = arg;
	(void)err;
	if (p == NULL) { /* the peer closed */
		finish(c);
		return ERR_OK;
	}
	size_t room = HEAD_MAX - c->len;
	size_t n = p->tot_len < room ? p->tot_len : room;
	pbuf_copy_partial(p, c->head + c->len, (u16_t)n, 0);
	c->len += n;
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	if (c->remaining == 0)
		serve(c);
	return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	(void)pcb, (void)len;
	push_body(arg);
	return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
	(void)err;
	free(arg); /* lwIP has freed the pcb */
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	struct conn *c;
	if (err != ERR_OK || (c = calloc(1, sizeof *c)) == NULL)
		return ERR_MEM;
	c->pcb = pcb;
	tcp_arg(pcb, c);
	tcp_recv(pcb, on_recv);
	tcp_sent(pcb, on_sent);
	tcp_err(pcb, on_err);
	return ERR_OK;
}

static void read_page(const char *path)
{
	FILE *f = fopen(path, "rb");
	static char buf[65536];
	if (f == NULL || (page_len = fread(buf, 1, sizeof buf, f)) == 0) {
		perror(path);
		exit(1);
	}
	fclose(f);
	page = buf;
}

int main(int argc, char **argv)
{
	unsigned prefix;
	char address[32];
	if (argc != 5 || sscanf(argv[2], "%31[0-9.]/%u", address, &prefix) != 2 || prefix > 32) {
		fprintf(stderr, "usage: lwip-server TAP ADDRESS/PREFIX MTU PAGE\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof pattern; i++)
		pattern[i] = (unsigned char)(i % PATTERN);
	read_page(argv[4]);
	/* tapif attaches this TAP as it is, instead of making tap0 and running ifconfig. */
	setenv("PRECONFIGURED_TAPIF", argv[1], 1);

	tcpip_init(NULL, NULL);
	static struct netif netif;
	ip4_addr_t ip, mask, gw;
	ip4addr_aton(address, &ip);
	ip4_addr_set_u32(&mask, prefix == 0 ? 0 : lwip_htonl(0xffffffffu << (32 - prefix)));
	ip4_addr_set_zero(&gw);
	LOCK_TCPIP_CORE();
	if (netif_add(&netif, &ip, &mask, &gw, NULL, tapif_init, tcpip_input) == NULL) {
		fprintf(stderr, "lwip-server: cannot attach %s\n", argv[1]);
		return 1;
	}
	netif.mtu = (u16_t)atoi(argv[3]); /* tapif says 1500 */
	netif_set_default(&netif);
	netif_set_up(&netif);
	struct tcp_pcb *listener = tcp_new();
	if (listener == NULL || tcp_bind(listener, IP_ADDR_ANY, 80) != ERR_OK || (listener = tcp_listen(listener)) == NULL) {
		fprintf(stderr, "lwip-server: cannot listen on TCP 80\n");
		return 1;
	}
	tcp_accept(listener, on_accept);
	UNLOCK_TCPIP_CORE();
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
