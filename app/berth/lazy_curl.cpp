// libcurl, loaded on first use (see lazy_library.h): only pull/push/login need it.
#include "lazy_library.h"

#include <curl/curl.h>

#include <cstdarg>

namespace {
berth::cli::lazy::Library g_curl("libcurl.so.4", CURLE_FAILED_INIT);

// curl's variadic setters take exactly one argument whose type the option number's range
// names (curl.h: CURLOPTTYPE_LONG 0, OBJECTPOINT 10000, FUNCTIONPOINT 20000, OFF_T 30000,
// BLOB 40000); read it as that type and pass it on.
template <class Handle, class Option, class Result>
Result forwardOption(const char* name, Handle* h, Option option, va_list ap) {
    using LongFn = Result (*)(Handle*, Option, long);
    using PtrFn = Result (*)(Handle*, Option, void*);
    using FnPtrFn = Result (*)(Handle*, Option, void (*)());
    using OffFn = Result (*)(Handle*, Option, curl_off_t);
    void* sym = g_curl.symbol(name);
    if (!sym) return berth::cli::lazy::failValue<Result>(g_curl);
    int n = int(option);
    if (n < CURLOPTTYPE_OBJECTPOINT) return reinterpret_cast<LongFn>(sym)(h, option, va_arg(ap, long));
    if (n < CURLOPTTYPE_FUNCTIONPOINT) return reinterpret_cast<PtrFn>(sym)(h, option, va_arg(ap, void*));
    if (n < CURLOPTTYPE_OFF_T) return reinterpret_cast<FnPtrFn>(sym)(h, option, va_arg(ap, void (*)()));
    if (n < CURLOPTTYPE_BLOB) return reinterpret_cast<OffFn>(sym)(h, option, va_arg(ap, curl_off_t));
    return reinterpret_cast<PtrFn>(sym)(h, option, va_arg(ap, void*));
}
} // namespace

// The names are parenthesised: curl's headers define type-checking macros of the same names.
extern "C" CURLcode(curl_easy_setopt)(CURL* curl, CURLoption option, ...) {
    va_list ap;
    va_start(ap, option);
    CURLcode r = forwardOption<CURL, CURLoption, CURLcode>("curl_easy_setopt", curl, option, ap);
    va_end(ap);
    return r;
}

extern "C" CURLMcode(curl_multi_setopt)(CURLM* multi, CURLMoption option, ...) {
    va_list ap;
    va_start(ap, option);
    CURLMcode r = forwardOption<CURLM, CURLMoption, CURLMcode>("curl_multi_setopt", multi, option, ap);
    va_end(ap);
    return r;
}

// Every CURLINFO_* result is written through one pointer.
extern "C" CURLcode(curl_easy_getinfo)(CURL* curl, CURLINFO info, ...) {
    using Fn = CURLcode (*)(CURL*, CURLINFO, void*);
    static const Fn real = reinterpret_cast<Fn>(g_curl.symbol("curl_easy_getinfo"));
    if (!real) return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, info);
    void* out = va_arg(ap, void*);
    va_end(ap);
    return real(curl, info, out);
}

BERTH_LAZY_FORWARD(g_curl, CURLcode, curl_global_init, (long flags), (flags))
BERTH_LAZY_FORWARD(g_curl, CURL*, curl_easy_init, (void), ())
BERTH_LAZY_FORWARD(g_curl, void, curl_easy_cleanup, (CURL * curl), (curl))
BERTH_LAZY_FORWARD(g_curl, CURLcode, curl_easy_perform, (CURL * curl), (curl))
BERTH_LAZY_FORWARD(g_curl, void, curl_easy_reset, (CURL * curl), (curl))
BERTH_LAZY_FORWARD(g_curl, const char*, curl_easy_strerror, (CURLcode code), (code))
BERTH_LAZY_FORWARD(g_curl, void, curl_free, (void* p), (p))
BERTH_LAZY_FORWARD(g_curl, CURLM*, curl_multi_init, (void), ())
BERTH_LAZY_FORWARD(g_curl, CURLMcode, curl_multi_cleanup, (CURLM * m), (m))
BERTH_LAZY_FORWARD(g_curl, CURLMcode, curl_multi_add_handle, (CURLM * m, CURL* c), (m, c))
BERTH_LAZY_FORWARD(g_curl, CURLMcode, curl_multi_remove_handle, (CURLM * m, CURL* c), (m, c))
BERTH_LAZY_FORWARD(g_curl, CURLMcode, curl_multi_perform, (CURLM * m, int* running), (m, running))
BERTH_LAZY_FORWARD(g_curl, CURLMsg*, curl_multi_info_read, (CURLM * m, int* left), (m, left))
BERTH_LAZY_FORWARD(g_curl, CURLMcode, curl_multi_poll,
                   (CURLM * m, struct curl_waitfd extra[], unsigned int n, int timeoutMs, int* numfds),
                   (m, extra, n, timeoutMs, numfds))
BERTH_LAZY_FORWARD(g_curl, struct curl_slist*, curl_slist_append, (struct curl_slist * list, const char* data),
                   (list, data))
BERTH_LAZY_FORWARD(g_curl, void, curl_slist_free_all, (struct curl_slist * list), (list))
BERTH_LAZY_FORWARD(g_curl, CURLU*, curl_url, (void), ())
BERTH_LAZY_FORWARD(g_curl, void, curl_url_cleanup, (CURLU * u), (u))
BERTH_LAZY_FORWARD(g_curl, CURLUcode, curl_url_get, (CURLU * u, CURLUPart what, char** part, unsigned int flags),
                   (u, what, part, flags))
BERTH_LAZY_FORWARD(g_curl, CURLUcode, curl_url_set, (CURLU * u, CURLUPart what, const char* part, unsigned int flags),
                   (u, what, part, flags))
