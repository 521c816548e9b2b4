#ifndef LENS_GPT_CPNG_H
#define LENS_GPT_CPNG_H
// A PNG decoded to 8-bit grey one row at a time and shrunk as it goes (box averaging), so an
// image of 100 megapixels never exists in memory at full size. libpng reports errors with
// longjmp, which Swift cannot catch: the whole read lives here, in C.
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct { const unsigned char *data; size_t size, at; } lens_png_source;

static void lens_png_read_bytes(png_structp png, png_bytep out, size_t n) {
    lens_png_source *s = (lens_png_source *)png_get_io_ptr(png);
    if (n > s->size - s->at) png_error(png, "truncated");
    memcpy(out, s->data + s->at, n);
    s->at += n;
}
static void lens_png_quiet_error(png_structp png, png_const_charp message) { (void)message; png_longjmp(png, 1); }
static void lens_png_quiet_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

/// Decodes the PNG in `data` to grey `out_w` × `out_h` pixels written to `out` (`stride` bytes a
/// row), each the average of the source pixels it covers. `out_w` and `out_h` may not exceed the
/// image's size. An interlaced image shrunk to at most half its height is read from its last
/// pass alone (every odd row); otherwise an interlaced image must be read at full size.
/// Returns 0 on success, 1 when the data is not a PNG that can be decoded, 2 on a bad request.
static inline int lens_png_grey(const unsigned char *data, size_t size, unsigned char *out, size_t stride,
                                uint32_t out_w, uint32_t out_h) {
    lens_png_source source = { data, size, 0 };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, lens_png_quiet_error, lens_png_quiet_warning);
    if (!png) return 1;
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_read_struct(&png, NULL, NULL); return 1; }
    // Changed after setjmp, so volatile (their values must survive the longjmp to be freed).
    unsigned char *volatile row = NULL;
    uint32_t *volatile columns = NULL;
    uint64_t *volatile sums = NULL;
    uint32_t *volatile counts = NULL;
    volatile int result = 1;
    if (setjmp(png_jmpbuf(png))) goto done;
    png_set_read_fn(png, &source, lens_png_read_bytes);
    png_read_info(png, info);
    uint32_t w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    int colour = png_get_color_type(png, info);
    int interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
    // Palettes and small grey depths to 8 bits, 16 bits to 8, transparency dropped.
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_strip_alpha(png);
    int full = out_w == w && out_h == h;
    // Colour to grey as Leptonica turns it grey (the readers were tuned on its pixels): the
    // weights 0.3, 0.5, 0.2 in float, rounded. An interlaced image read whole is turned grey by
    // libpng with the same weights (it may round differently).
    int own_grey = (colour & PNG_COLOR_MASK_COLOR) && !(interlaced && full);
    if ((colour & PNG_COLOR_MASK_COLOR) && !own_grey) png_set_rgb_to_gray_fixed(png, 1, 30000, 50000);
    if (interlaced && full) png_set_interlace_handling(png);
    png_read_update_info(png, info);
    result = 2;
    size_t channels = own_grey ? 3 : 1;
    if (out_w == 0 || out_h == 0 || out_w > w || out_h > h || png_get_rowbytes(png, info) != channels * w) goto done;
    if (interlaced && full) {
        // Seven passes, each filling in the rows it carries.
        int passes = PNG_INTERLACE_ADAM7_PASSES;
        result = 1;
        for (int pass = 0; pass < passes; pass++)
            for (uint32_t y = 0; y < h; y++) png_read_row(png, out + (size_t)y * stride, NULL);
        result = 0;
        goto done;
    }
    // The rows that are shrunk: every row, or an interlaced image's last pass (rows 1, 3, 5, ...).
    uint32_t rows = interlaced ? h / 2 : h;
    if (out_h > rows) goto done;
    result = 1;
    row = (unsigned char *)malloc(channels * w);
    columns = (uint32_t *)malloc(sizeof(uint32_t) * w);
    sums = (uint64_t *)calloc(out_w, sizeof(uint64_t));
    counts = (uint32_t *)calloc(out_w, sizeof(uint32_t));
    if (!row || !columns || !sums || !counts) goto done;
    for (uint32_t x = 0; x < w; x++) {
        columns[x] = (uint32_t)((uint64_t)x * out_w / w);
        counts[columns[x]]++;
    }
    if (interlaced) {
        // The first six passes are decoded and dropped (libpng skips passes with no pixels).
        for (int pass = 0; pass < 6; pass++) {
            if (PNG_PASS_COLS(w, pass) == 0) continue;
            for (uint32_t y = 0; y < PNG_PASS_ROWS(h, pass); y++) png_read_row(png, row, NULL);
        }
    }
    uint32_t in_row = 0;
    for (uint32_t y = 0; y < rows; y++) {
        png_read_row(png, row, NULL);
        if (own_grey) {
            for (uint32_t x = 0; x < w; x++) {
                unsigned r = row[3 * x], g = row[3 * x + 1], b = row[3 * x + 2];
                row[x] = (unsigned char)(int)(0.3f * r + 0.5f * g + 0.2f * b + 0.5);
            }
        }
        for (uint32_t x = 0; x < w; x++) sums[columns[x]] += row[x];
        in_row++;
        uint32_t oy = (uint32_t)((uint64_t)y * out_h / rows);
        if (y + 1 == rows || (uint32_t)((uint64_t)(y + 1) * out_h / rows) != oy) {
            unsigned char *line = out + (size_t)oy * stride;
            for (uint32_t x = 0; x < out_w; x++) {
                uint64_t n = (uint64_t)counts[x] * in_row;
                line[x] = (unsigned char)((sums[x] + n / 2) / n);
                sums[x] = 0;
            }
            in_row = 0;
        }
    }
    result = 0;
done:
    free(row);
    free(columns);
    free(sums);
    free(counts);
    png_destroy_read_struct(&png, &info, NULL);
    return result;
}
#endif
