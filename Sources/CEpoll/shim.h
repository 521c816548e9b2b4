// Linux kernel interfaces that Swift's Glibc module does not export.
#ifndef LENS_GPT_CEPOLL_H
#define LENS_GPT_CEPOLL_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>
#include <pthread.h>

// epoll_event is packed on x86_64, which Swift imports awkwardly; these accessors keep
// the loop free of layout assumptions.
static inline uint32_t cepoll_event_flags(const struct epoll_event *e) { return e->events; }
static inline uint64_t cepoll_event_u64(const struct epoll_event *e) { return e->data.u64; }

static inline int cepoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t token) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = token;
    return epoll_ctl(epfd, op, fd, &ev);
}

static inline int cepoll_errno(void) { return errno; }

static inline int cepoll_accept(int fd) {
    return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

// Blocking accept whose socket is close-on-exec from birth (no child spawned meanwhile inherits it).
static inline int cepoll_accept_blocking(int fd) {
    return accept4(fd, NULL, NULL, SOCK_CLOEXEC);
}

// mkstemp with O_CLOEXEC set atomically (declared here for the same reason as pthread_setname_np).
extern int mkostemp(char *template_path, int flags);
static inline int cepoll_mkstemp_cloexec(char *template_path) { return mkostemp(template_path, O_CLOEXEC); }

static inline int cepoll_set_nodelay(int fd) {
    int one = 1;
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static inline int cepoll_set_reuseaddr(int fd) {
    int one = 1;
    return setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
}

static inline int cepoll_set_reuseport(int fd) {
    int one = 1;
    return setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
}

// Sends without raising SIGPIPE on a peer that has gone away.
static inline ssize_t cepoll_send(int fd, const void *buf, size_t len) {
    return send(fd, buf, len, MSG_NOSIGNAL);
}

static inline ssize_t cepoll_writev(int fd, const struct iovec *iov, int count) {
    struct msghdr msg = {0};
    msg.msg_iov = (struct iovec *)iov;
    msg.msg_iovlen = count;
    return sendmsg(fd, &msg, MSG_NOSIGNAL);
}

static inline int cepoll_sock_stream(void) { return SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC; }

// Names the calling thread (shows in top -H and gdb).
// Declared here rather than through _GNU_SOURCE, which would change the system headers this
// module shares with the others.
extern int pthread_setname_np(pthread_t thread, const char *name);
static inline void cepoll_set_thread_name(const char *name) { pthread_setname_np(pthread_self(), name); }
#endif
