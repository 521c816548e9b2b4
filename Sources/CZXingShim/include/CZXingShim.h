#ifndef CZXING_SHIM_H
#define CZXING_SHIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The retail symbologies the shim reports (any other ZXing format is left out).
enum czxing_format { CZXING_EAN13 = 1, CZXING_EAN8 = 2, CZXING_UPCA = 3, CZXING_UPCE = 4 };

/// One barcode ZXing read: its symbology, its digits (NUL-terminated) and the box around
/// where it was found, in the image's pixel coordinates.
typedef struct czxing_result {
    int format;
    char text[32];
    int left, top, right, bottom;
} czxing_result;

/// Reads EAN-13, EAN-8, UPC-A and UPC-E barcodes in an 8-bit grey image (`stride` bytes per
/// row) with ZXing-C++ (try harder, try rotated): the first symbol found, for now (see
/// shim.cpp). Writes at most `capacity` results and returns how many were written, or -1 when
/// ZXing failed.
int czxing_read_retail(const uint8_t *grey, int width, int height, int stride,
                       czxing_result *results, int capacity);

#ifdef __cplusplus
}
#endif

#endif
