#ifndef LENS_GPT_CCURL_H
#define LENS_GPT_CCURL_H
#include <curl/curl.h>
// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed
// wrapper per argument type.
typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *user);

static inline CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_callback(CURL *h, CURLoption o, ccurl_data_callback v) { return curl_easy_setopt(h, o, v); }
// The connect-time address check (SSRF guard) opens each socket itself, after looking at the address.
typedef curl_socket_t (*ccurl_opensocket_callback)(void *user, curlsocktype purpose, struct curl_sockaddr *address);
static inline CURLcode ccurl_setopt_opensocket(CURL *h, ccurl_opensocket_callback v) { return curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, v); }
// Field access through functions: `addr` is the head of a larger storage that Swift would copy.
static inline int ccurl_sockaddr_family(const struct curl_sockaddr *a) { return a->family; }
static inline int ccurl_sockaddr_socktype(const struct curl_sockaddr *a) { return a->socktype; }
static inline int ccurl_sockaddr_protocol(const struct curl_sockaddr *a) { return a->protocol; }
static inline const struct sockaddr *ccurl_sockaddr_addr(const struct curl_sockaddr *a) { return &a->addr; }
static inline CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
#endif
