// libpq, PostgreSQL's own client library, for Swift. libpq-fe.h is plain C and imports as it is;
// this header only adds the network byte-order helpers the binary result format needs, so the
// system library target needs no C sources.
#ifndef TALLY_CLIBPQ_SHIM_H
#define TALLY_CLIBPQ_SHIM_H

#include <libpq-fe.h>
#include <poll.h>
#include <errno.h>
#include <string.h>

/// Waits up to `timeout_ms` for the connection's socket to become readable: 1 readable, 0 timed out,
/// -1 error. The caller polls its cancellation flag between waits.
static inline int tally_pq_wait_readable(PGconn *conn, int timeout_ms) {
    int fd = PQsocket(conn);
    if (fd < 0) return -1;
    struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
    int r = poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR) return 0;
    return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

/// Waits for the socket to become writable (while a COPY's data is flushed).
static inline int tally_pq_wait_writable(PGconn *conn, int timeout_ms) {
    int fd = PQsocket(conn);
    if (fd < 0) return -1;
    struct pollfd p = { .fd = fd, .events = POLLOUT, .revents = 0 };
    int r = poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR) return 0;
    return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

#endif
