#ifndef LENS_GPT_CLEPTONICA_H
#define LENS_GPT_CLEPTONICA_H
#include <leptonica/allheaders.h>
// Leptonica keeps 8-bit pixels in 32-bit words (byte order flipped on little-endian hosts);
// its GET_DATA_BYTE macro says where a pixel is, and Swift cannot call macros.
static inline unsigned char clept_get_byte(const l_uint32 *line, int x) { return GET_DATA_BYTE(line, x); }
static inline void clept_set_byte(l_uint32 *line, int x, unsigned char v) { SET_DATA_BYTE(line, x, v); }
#endif
