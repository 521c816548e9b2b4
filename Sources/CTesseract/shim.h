#ifndef LENS_GPT_CTESSERACT_H
#define LENS_GPT_CTESSERACT_H
// The C API only; images come in as Leptonica's `struct Pix` (CLeptonica), opaque here.
#include <tesseract/capi.h>
#endif
