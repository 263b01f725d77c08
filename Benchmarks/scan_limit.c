/* The byte-scanning limit of a CSV load: two threads, each reading half of FILE (read() into its own
 * 1 MiB buffer, from its own offset) and counting newlines and commas with a plain byte loop. No
 * parsing, no values kept: a loader that does anything useful cannot be faster than this on this
 * machine. Prints `seconds bytes bytes_per_s newlines commas`. Built by Benchmarks/run.sh with
 * `gcc -O2 -pthread`. Usage: scan_limit FILE [THREADS] (default 2 threads). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct part { int fd; off_t from, to; long newlines, commas; };

static void *scan(void *arg) {
    struct part *p = arg;
    size_t size = 1 << 20;
    unsigned char *buf = malloc(size);
    if (!buf) { perror("malloc"); exit(1); }
    long nl = 0, cm = 0;
    for (off_t at = p->from; at < p->to;) {
        size_t want = (size_t)(p->to - at) < size ? (size_t)(p->to - at) : size;
        ssize_t got = pread(p->fd, buf, want, at);
        if (got <= 0) { perror("pread"); exit(1); }
        for (ssize_t i = 0; i < got; i++) {
            nl += buf[i] == '\n';
            cm += buf[i] == ',';
        }
        at += got;
    }
    p->newlines = nl;
    p->commas = cm;
    free(buf);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: scan_limit FILE [THREADS]\n"); return 2; }
    int threads = argc > 2 ? atoi(argv[2]) : 2;
    if (threads < 1 || threads > 64) { fprintf(stderr, "scan_limit: THREADS must be 1..64\n"); return 2; }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror(argv[1]); return 1; }
    struct stat st;
    if (fstat(fd, &st) != 0) { perror("fstat"); return 1; }
    struct part parts[64];
    pthread_t ids[64];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < threads; i++) {
        parts[i] = (struct part){fd, st.st_size * i / threads, st.st_size * (i + 1) / threads, 0, 0};
        pthread_create(&ids[i], NULL, scan, &parts[i]);
    }
    long nl = 0, cm = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
        nl += parts[i].newlines;
        cm += parts[i].commas;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%.4f %lld %.0f %ld %ld\n", s, (long long)st.st_size, st.st_size / s, nl, cm);
    return 0;
}
