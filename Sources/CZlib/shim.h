// zlib for gzip-compressed page snapshots. inflateInit2 is a macro, so it gets a wrapper.
#ifndef LENS_GPT_CZLIB_H
#define LENS_GPT_CZLIB_H
#include <zlib.h>

static inline int lens_gpt_inflate_init_gzip(z_stream *stream) {
    // 16 + MAX_WBITS: expect a gzip header and trailer, not a raw zlib stream.
    return inflateInit2(stream, 16 + MAX_WBITS);
}
#endif
