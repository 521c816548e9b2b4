#ifndef LENS_GPT_CZBAR_H
#define LENS_GPT_CZBAR_H
#include <zbar.h>
// zbar_fourcc is a macro: the grey ("Y800") format code as a constant Swift can see.
static const unsigned long czbar_format_y800 = zbar_fourcc('Y', '8', '0', '0');
#endif
