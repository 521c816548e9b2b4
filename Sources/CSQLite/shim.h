#ifndef LENS_GPT_CSQLITE_H
#define LENS_GPT_CSQLITE_H
#include <sqlite3.h>
// SQLITE_TRANSIENT is a cast macro Swift cannot import: it tells SQLite to copy bound data.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
#endif
