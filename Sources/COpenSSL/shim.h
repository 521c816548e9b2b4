// OpenSSL headers plus wrappers for what Swift cannot call directly (macros, variadics).
#ifndef LENS_GPT_COPENSSL_H
#define LENS_GPT_COPENSSL_H
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/hmac.h>
#include <openssl/bio.h>
#endif
