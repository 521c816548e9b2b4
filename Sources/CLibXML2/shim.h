// libxml2's HTML parser and tree API. Everything used from Swift is a plain function or
// struct field, so no wrappers are needed beyond the includes.
#ifndef LENS_GPT_CLIBXML2_H
#define LENS_GPT_CLIBXML2_H
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, and its encoding header then pulls in ICU's headers,
// whose types clash with the ICU copy inside Swift's Foundation when both reach one module
// ("'UErrorCode' has different definitions"). Nothing here uses libxml2's ICU parts (encoding
// handlers are only passed around by pointer), so they are hidden.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/parser.h>
#endif
