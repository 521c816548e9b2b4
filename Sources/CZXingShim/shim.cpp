// A plain C entry into ZXing-C++ (whose API is C++ only) for the Swift side: no C++ type
// or exception crosses it.
#include "CZXingShim.h"

// text() as UTF-8 (ZXing 1.4 otherwise returns a wide string).
#define ZX_USE_UTF8 1

#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <cstring>
#include <string>

extern "C" int czxing_read_retail(const uint8_t *grey, int width, int height, int stride,
                                  czxing_result *results, int capacity) {
    if (grey == nullptr || results == nullptr || width <= 0 || height <= 0 || stride < width || capacity <= 0) return -1;
    try {
        ZXing::ImageView image(grey, width, height, ZXing::ImageFormat::Lum, stride);
        ZXing::DecodeHints hints;
        hints.setFormats(ZXing::BarcodeFormat::EAN13 | ZXing::BarcodeFormat::EAN8 |
                         ZXing::BarcodeFormat::UPCA | ZXing::BarcodeFormat::UPCE);
        hints.setTryHarder(true);
        hints.setTryRotate(true);
        // One symbol per image: with more, ZXing 1.4 merges the reads of one symbol through
        // Result::operator==, whose assertion (left on in Debian's build) aborts the process on
        // linear codes read on several lines (zxing-cpp issue 740, fixed after 1.4).
        int count = 0;
        for (const auto &result : {ZXing::ReadBarcode(image, hints)}) {
            if (count >= capacity) break;
            if (!result.isValid()) continue;
            int format = 0;
            switch (result.format()) {
            case ZXing::BarcodeFormat::EAN13: format = CZXING_EAN13; break;
            case ZXing::BarcodeFormat::EAN8: format = CZXING_EAN8; break;
            case ZXing::BarcodeFormat::UPCA: format = CZXING_UPCA; break;
            case ZXing::BarcodeFormat::UPCE: format = CZXING_UPCE; break;
            default: continue;
            }
            const std::string text = result.text();
            if (text.empty() || text.size() >= sizeof(results[count].text)) continue;
            czxing_result &out = results[count];
            out.format = format;
            std::memcpy(out.text, text.c_str(), text.size() + 1);
            const auto &p = result.position();
            out.left = std::min({p[0].x, p[1].x, p[2].x, p[3].x});
            out.right = std::max({p[0].x, p[1].x, p[2].x, p[3].x});
            out.top = std::min({p[0].y, p[1].y, p[2].y, p[3].y});
            out.bottom = std::max({p[0].y, p[1].y, p[2].y, p[3].y});
            count += 1;
        }
        return count;
    } catch (...) {
        return -1;
    }
}
