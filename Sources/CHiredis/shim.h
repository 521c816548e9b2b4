#ifndef LENS_GPT_CHIREDIS_H
#define LENS_GPT_CHIREDIS_H
#include <hiredis/hiredis.h>
// Field access through functions, so the Swift side does not depend on the struct layout
// of the hiredis version installed (Debian 12 ships 0.14).
static inline int chiredis_has_error(const redisContext *c) { return c == NULL || c->err != 0; }
static inline const char *chiredis_error(const redisContext *c) { return c == NULL ? "cannot allocate a redis context" : c->errstr; }
static inline int chiredis_fd(const redisContext *c) { return c->fd; }
#endif
