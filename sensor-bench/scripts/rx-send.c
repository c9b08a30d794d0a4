/*
 * rx-send: replays the VXLAN datagrams of a capture to a UDP address at a given rate, from memory, with sendmmsg
 * (issue 10: tcpreplay tops out at 85-134 k datagrams/s on a 2-core machine, below what `dbwire run` takes).
 *
 * The capture (classic pcap, Ethernet, as make-bench-capture.sh writes bench-vxlan.pcap) is read once: of every
 * IPv4/UDP frame the UDP payload (VXLAN header + mirrored frame) is kept, byte for byte; other frames are skipped.
 * The payloads are then sent from an ordinary UDP socket, so the kernel builds the outer headers and the receiver
 * sees what a mirror would send. Each SEGMENT is RATE:COUNT, COUNT datagrams at RATE per second (RATE 0: as fast
 * as the socket takes them); segments follow one another, the capture's datagrams continue across them and start
 * again from the first when they run out. Pacing: datagram i of a segment is due at start + i / RATE; whatever is
 * due is sent in one sendmmsg call of at most 64 (and at most 100 us worth at RATE, so a paced stream is not
 * bunched into large bursts), then the sender sleeps until such a batch is due again.
 *
 * Prints one line per segment on stdout: "segment RATE sent N seconds S rate R", R the rate achieved.
 *
 * Build: gcc -O2 -o rx-send rx-send.c      Usage: rx-send PCAP DST_IP DST_PORT [SRC_IP] -- SEGMENT...
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_BATCH 64

struct datagram { uint8_t *bytes; uint32_t length; };

static struct datagram *datagrams;
static size_t count, capacity;

static void die(const char *what) { perror(what); exit(2); }

static uint16_t be16(const uint8_t *p) { return (uint16_t) (p[0] << 8 | p[1]); }

/* Keeps the UDP payload of an Ethernet (optionally one VLAN tag) / IPv4 / UDP frame; ignores anything else. */
static void keep(const uint8_t *f, uint32_t n, size_t limit) {
    if (count >= limit || n < 14) return;
    size_t at = 12;
    uint16_t type = be16(f + at);
    if (type == 0x8100 && n >= 18) { at += 4; type = be16(f + at); }
    at += 2;
    if (type != 0x0800 || n < at + 20 || (f[at] >> 4) != 4 || f[at + 9] != 17) return;
    size_t ihl = (size_t) (f[at] & 0x0f) * 4;
    size_t ip_len = be16(f + at + 2);
    if (n < at + ihl + 8 || ip_len < ihl + 8 || n < at + ip_len) return;
    size_t udp = at + ihl;
    size_t payload = be16(f + udp + 4);
    if (payload < 8 || udp + payload > at + ip_len) return;
    payload -= 8;
    if (count == capacity) {
        capacity = capacity ? capacity * 2 : 65536;
        datagrams = realloc(datagrams, capacity * sizeof *datagrams);
        if (!datagrams) die("realloc");
    }
    uint8_t *copy = malloc(payload ? payload : 1);
    if (!copy) die("malloc");
    memcpy(copy, f + udp + 8, payload);
    datagrams[count].bytes = copy;
    datagrams[count].length = (uint32_t) payload;
    count++;
}

static void load(const char *path, size_t limit) {
    FILE *in = fopen(path, "rb");
    if (!in) die(path);
    uint8_t header[24];
    if (fread(header, 1, 24, in) != 24) { fprintf(stderr, "%s: not a pcap file\n", path); exit(2); }
    uint32_t magic;
    memcpy(&magic, header, 4);
    int swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
    if (!swapped && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
        fprintf(stderr, "%s: not a classic pcap file (pcapng: convert with editcap -F pcap)\n", path);
        exit(2);
    }
    uint8_t *frame = malloc(1 << 18);
    uint8_t record[16];
    while (count < limit && fread(record, 1, 16, in) == 16) {
        uint32_t caplen;
        memcpy(&caplen, record + 8, 4);
        if (swapped) caplen = __builtin_bswap32(caplen);
        if (caplen > (1 << 18) || fread(frame, 1, caplen, in) != caplen) break;
        keep(frame, caplen, limit);
    }
    free(frame);
    fclose(in);
}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + t.tv_nsec / 1e9;
}

static void sleep_until(double when) {
    struct timespec t = {(time_t) when, (long) ((when - (time_t) when) * 1e9)};
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
}

static size_t next; /* index of the next datagram to send, cycling through the capture */

/* Sends n datagrams of the capture at rate per second (0: top speed); returns how many the socket took. */
static size_t send_segment(int fd, double rate, size_t n) {
    struct mmsghdr msgs[MAX_BATCH];
    struct iovec iov[MAX_BATCH];
    size_t cap = MAX_BATCH;
    if (rate > 0) {
        cap = (size_t) (rate * 100e-6);
        if (cap < 1) cap = 1;
        if (cap > MAX_BATCH) cap = MAX_BATCH;
    }
    double start = now_seconds();
    size_t sent = 0;
    while (sent < n) {
        size_t due = n - sent;
        if (rate > 0) {
            double now = now_seconds();
            double owed = (now - start) * rate + 1 - (double) sent;
            if (owed < (double) cap && (double) due > owed) {
                /* wait for a whole batch: a wake-up per datagram would cost more than sending it */
                sleep_until(start + (double) (sent + cap - 1) / rate);
                continue;
            }
            if ((double) due > owed) due = (size_t) owed;
        }
        if (due > cap) due = cap;
        memset(msgs, 0, due * sizeof msgs[0]);
        for (size_t i = 0; i < due; i++) {
            struct datagram *d = &datagrams[(next + i) % count];
            iov[i].iov_base = d->bytes;
            iov[i].iov_len = d->length;
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int r = sendmmsg(fd, msgs, (unsigned) due, 0);
        if (r < 0) {
            if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN) continue; /* nothing sent: try again */
            die("sendmmsg");
        }
        sent += (size_t) r;
        next = (next + (size_t) r) % count;
    }
    return sent;
}

int main(int argc, char **argv) {
    int sep = 0;
    for (int i = 1; i < argc; i++) if (strcmp(argv[i], "--") == 0) { sep = i; break; }
    if (sep < 4 || sep == argc - 1) {
        fprintf(stderr, "usage: %s PCAP DST_IP DST_PORT [SRC_IP] -- RATE:COUNT...\n", argv[0]);
        return 2;
    }
    size_t total = 0;
    for (int i = sep + 1; i < argc; i++) {
        const char *colon = strchr(argv[i], ':');
        if (!colon) { fprintf(stderr, "segment %s: expected RATE:COUNT\n", argv[i]); return 2; }
        total += strtoull(colon + 1, NULL, 10);
    }
    load(argv[1], total);
    if (count == 0) { fprintf(stderr, "%s: no IPv4 UDP datagram\n", argv[1]); return 2; }

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) die("socket");
    int sndbuf = 8 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    if (sep == 5) {
        struct sockaddr_in src = {.sin_family = AF_INET};
        if (inet_pton(AF_INET, argv[4], &src.sin_addr) != 1) { fprintf(stderr, "bad SRC_IP %s\n", argv[4]); return 2; }
        if (bind(fd, (struct sockaddr *) &src, sizeof src) < 0) die("bind");
    }
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t) atoi(argv[3]))};
    if (inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1) { fprintf(stderr, "bad DST_IP %s\n", argv[2]); return 2; }
    if (connect(fd, (struct sockaddr *) &dst, sizeof dst) < 0) die("connect");
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); /* sleep to the microsecond, not the default 50 us slack */

    for (int i = sep + 1; i < argc; i++) {
        double rate = strtod(argv[i], NULL);
        size_t n = strtoull(strchr(argv[i], ':') + 1, NULL, 10);
        double start = now_seconds();
        size_t sent = send_segment(fd, rate, n);
        double seconds = now_seconds() - start;
        printf("segment %.0f sent %zu seconds %.3f rate %.0f\n", rate, sent, seconds,
                seconds > 0 ? sent / seconds : 0);
        fflush(stdout);
    }
    return 0;
}
