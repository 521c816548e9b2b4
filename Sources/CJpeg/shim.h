#ifndef LENS_GPT_CJPEG_H
#define LENS_GPT_CJPEG_H
// libjpeg for what Leptonica's JPEG reader does not tell or do: whether a JPEG is progressive
// (its decoder then holds every coefficient of the image), and CMYK to grey. libjpeg reports
// errors with longjmp, which Swift cannot catch, so these live here, in C.
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>

typedef struct { struct jpeg_error_mgr manager; jmp_buf jump; } lens_jpeg_error;

static void lens_jpeg_error_exit(j_common_ptr info) { longjmp(((lens_jpeg_error *)info->err)->jump, 1); }
static void lens_jpeg_quiet(j_common_ptr info) { (void)info; }

typedef struct {
    uint32_t width, height;
    int components;
    /// J_COLOR_SPACE: JCS_CMYK and JCS_YCCK need `lens_jpeg_cmyk_grey`.
    int colour_space;
    /// Progressive, or colours in separate scans: the decoder then keeps every DCT coefficient
    /// of the image (`coefficient_bytes`) until the last scan.
    int multiple_scans;
    uint64_t coefficient_bytes;
} lens_jpeg_header;

/// The header of the JPEG in `data`; 0 on success.
static inline int lens_jpeg_read_header(const unsigned char *data, size_t size, lens_jpeg_header *header) {
    struct jpeg_decompress_struct info;
    lens_jpeg_error error;
    info.err = jpeg_std_error(&error.manager);
    error.manager.error_exit = lens_jpeg_error_exit;
    error.manager.output_message = lens_jpeg_quiet;
    if (setjmp(error.jump)) { jpeg_destroy_decompress(&info); return 1; }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    header->width = info.image_width;
    header->height = info.image_height;
    header->components = info.num_components;
    header->colour_space = info.jpeg_color_space;
    header->multiple_scans = info.progressive_mode || info.comps_in_scan < info.num_components;
    header->coefficient_bytes = 0;
    for (int i = 0; i < info.num_components; i++)
        header->coefficient_bytes += (uint64_t)info.comp_info[i].width_in_blocks * info.comp_info[i].height_in_blocks * DCTSIZE2 * sizeof(JCOEF);
    jpeg_destroy_decompress(&info);
    return 0;
}

/// Decodes a CMYK or YCCK JPEG at 1/`reduction` of its size (1, 2, 4 or 8) to grey in `out`
/// (`stride` bytes a row, `out_w` × `out_h` as `lens_jpeg_scaled_size` says). Adobe's writers
/// (Photoshop) store the inks inverted and say so with their APP14 marker; others store them plain.
/// Grey is the luminance of the RGB the inks leave on white paper. 0 on success.
static inline int lens_jpeg_cmyk_grey(const unsigned char *data, size_t size, int reduction,
                                      unsigned char *out, size_t stride, uint32_t out_w, uint32_t out_h) {
    struct jpeg_decompress_struct info;
    lens_jpeg_error error;
    unsigned char *volatile row = NULL;
    info.err = jpeg_std_error(&error.manager);
    error.manager.error_exit = lens_jpeg_error_exit;
    error.manager.output_message = lens_jpeg_quiet;
    if (setjmp(error.jump)) { free(row); jpeg_destroy_decompress(&info); return 1; }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    if (info.jpeg_color_space != JCS_CMYK && info.jpeg_color_space != JCS_YCCK) { jpeg_destroy_decompress(&info); return 2; }
    info.out_color_space = JCS_CMYK;
    info.scale_num = 1;
    info.scale_denom = (unsigned)reduction;
    jpeg_start_decompress(&info);
    if (info.output_width != out_w || info.output_height != out_h || info.output_components != 4) {
        jpeg_destroy_decompress(&info);
        return 2;
    }
    row = (unsigned char *)malloc((size_t)out_w * 4);
    if (!row) { jpeg_destroy_decompress(&info); return 1; }
    int inverted = info.saw_Adobe_marker;
    for (uint32_t y = 0; y < out_h; y++) {
        JSAMPROW rows[1] = { row };
        if (jpeg_read_scanlines(&info, rows, 1) != 1 || info.err->num_warnings > 0) {
            free(row);
            jpeg_destroy_decompress(&info);
            return 1;
        }
        unsigned char *line = out + (size_t)y * stride;
        for (uint32_t x = 0; x < out_w; x++) {
            // What is left of white after each ink: (255 - ink), or the stored value when inverted.
            unsigned c = row[4 * x], m = row[4 * x + 1], yellow = row[4 * x + 2], k = row[4 * x + 3];
            if (!inverted) { c = 255 - c; m = 255 - m; yellow = 255 - yellow; k = 255 - k; }
            unsigned r = c * k / 255, g = m * k / 255, b = yellow * k / 255;
            // Leptonica's luminance weights, as for every other colour photo.
            line[x] = (unsigned char)((3 * r + 5 * g + 2 * b + 5) / 10);
        }
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    free(row);
    return 0;
}

/// The size `lens_jpeg_cmyk_grey` decodes to at 1/`reduction`: libjpeg rounds up.
static inline uint32_t lens_jpeg_scaled_size(uint32_t size, int reduction) {
    return (uint32_t)(((uint64_t)size + (uint64_t)reduction - 1) / (uint64_t)reduction);
}
#endif
