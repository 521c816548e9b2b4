// OpenSSL headers plus wrappers for what Swift cannot call directly (macros, variadics).
#ifndef LENS_GPT_COPENSSL_H
#define LENS_GPT_COPENSSL_H
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/hmac.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

// MARK: - Macros and bit constants as functions

static inline int lensgpt_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}
static inline int lensgpt_ssl_ctx_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}
static inline int lensgpt_ssl_set_min_proto_version(SSL *ssl, int version) {
    return (int)SSL_set_min_proto_version(ssl, version);
}
static inline int lensgpt_ssl_set_max_proto_version(SSL *ssl, int version) {
    return (int)SSL_set_max_proto_version(ssl, version);
}
static inline uint64_t lensgpt_ssl_op_no_renegotiation(void) { return SSL_OP_NO_RENEGOTIATION; }
static inline long lensgpt_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}
static inline long lensgpt_ssl_ctx_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}
/// Takes ownership of `x509` on success.
static inline int lensgpt_ssl_ctx_add0_chain_cert(SSL_CTX *ctx, X509 *x509) {
    return (int)SSL_CTX_add0_chain_cert(ctx, x509);
}
static inline int lensgpt_ssl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}
static inline void lensgpt_bio_set_mem_eof_return(BIO *bio, int value) {
    (void)BIO_set_mem_eof_return(bio, value);
}
/// Points `data` at the memory BIO's unread bytes and returns how many there are.
static inline long lensgpt_bio_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}
static inline int lensgpt_err_is_pem_no_start_line(unsigned long code) {
    return ERR_GET_LIB(code) == ERR_LIB_PEM && ERR_GET_REASON(code) == PEM_R_NO_START_LINE;
}
static inline unsigned long lensgpt_xn_flag_rfc2253(void) { return XN_FLAG_RFC2253; }
static inline int lensgpt_err_reason(unsigned long code) { return ERR_GET_REASON(code); }
static inline int lensgpt_err_lib(unsigned long code) { return ERR_GET_LIB(code); }

// MARK: - Per-connection events seen by callbacks

// OpenSSL reports some events only through callbacks; they are recorded here (hung off the SSL
// as app data, owned by the Swift session) and read back after each call into OpenSSL.
typedef struct {
    int renegotiation_refused; // we sent a no_renegotiation alert: the peer tried to renegotiate
} lensgpt_ssl_events;

static inline void lensgpt_ssl_set_events(SSL *ssl, lensgpt_ssl_events *events) {
    (void)SSL_set_app_data(ssl, events);
}

static inline void lensgpt_info_callback(const SSL *ssl, int where, int value) {
    if ((where & SSL_CB_ALERT) && (where & SSL_CB_WRITE)
            && (value & 0xff) == SSL_AD_NO_RENEGOTIATION) {
        lensgpt_ssl_events *events = (lensgpt_ssl_events *)SSL_get_app_data(ssl);
        if (events != NULL) events->renegotiation_refused = 1;
    }
}

// MARK: - Server ALPN selection

/// The server's protocols in wire format (length-prefixed), in order of preference.
typedef struct {
    const unsigned char *data;
    unsigned int length;
} lensgpt_alpn_list;

static inline int lensgpt_alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                               const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl;
    const lensgpt_alpn_list *server = (const lensgpt_alpn_list *)arg;
    unsigned char *selected = NULL;
    unsigned char selected_length = 0;
    if (server == NULL || server->length == 0) return SSL_TLSEXT_ERR_NOACK;
    if (SSL_select_next_proto(&selected, &selected_length, server->data, server->length,
                              in, inlen) != OPENSSL_NPN_NEGOTIATED) {
        // RFC 7301 3.2: the client offered only protocols we do not speak.
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    *out = selected;
    *outlen = selected_length;
    return SSL_TLSEXT_ERR_OK;
}

/// `alpn` (may be NULL: no ALPN) must outlive `ctx` and every SSL made from it.
static inline void lensgpt_ssl_ctx_install_callbacks(SSL_CTX *ctx, lensgpt_alpn_list *alpn) {
    SSL_CTX_set_info_callback(ctx, lensgpt_info_callback);
    if (alpn != NULL) SSL_CTX_set_alpn_select_cb(ctx, lensgpt_alpn_select, alpn);
}

// MARK: - Key generation

static inline int lensgpt_evp_pkey_ctx_set_ec_curve(EVP_PKEY_CTX *ctx, int nid) {
    return EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, nid);
}
#endif
