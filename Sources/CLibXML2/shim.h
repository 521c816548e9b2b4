// libxml2's HTML parser and tree API. Everything used from Swift is a plain function or
// struct field, so no wrappers are needed beyond the includes.
#ifndef LENS_GPT_CLIBXML2_H
#define LENS_GPT_CLIBXML2_H
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/parser.h>
#endif
