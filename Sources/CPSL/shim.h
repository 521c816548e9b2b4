// libpsl: the Public Suffix List (Debian libpsl-dev; libcurl already loads libpsl).
#include <libpsl.h>
