#ifndef LENS_GPT_CWEBP_H
#define LENS_GPT_CWEBP_H
// libwebp's advanced decoding API (scaled output); the encoder is there for the tests.
#include <webp/decode.h>
#include <webp/encode.h>
#endif
