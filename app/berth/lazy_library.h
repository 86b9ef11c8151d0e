#pragma once
// Lazy loading of the CLI's heavy shared libraries (libcurl, libarchive, libcrypto).
//
// Why: linking them the usual way loads ~40 shared objects (libcurl alone brings GnuTLS,
// LDAP, Kerberos, RTMP...) and runs their constructors at every start: ~14 ms of CPU and
// ~5 MiB of resident pages for *every* `berth` call, although `run`, `ps`, `stop` or
// `stats` never use them. lazy_curl.cpp, lazy_archive.cpp and lazy_crypto.cpp define the
// functions the engine calls, with the libraries' own prototypes (a mismatch does not
// compile), and forward each to the real one, loaded with dlopen() on first use. With
// -Wl,--as-needed the linker then drops the libraries from the program's needs.
//
// Used by the `berth` program only; the engine libraries, tests and the desktop app link
// the libraries normally. A function the shims lack is simply resolved from the real
// library (which then loads at start, as before): correct, only slower.

// A library or function that cannot be loaded is not fatal inside the call: the shim returns
// the library's failure value (failValue below: its error code, a null pointer, "" for a
// string), the engine reports the call's failure as any other, and main() adds why
// (lazy::failure(): "cannot load libcurl.so.4: ...: is the library installed?") and exits
// with 125. One seam: every lazily loaded function goes through Library::symbol.

#include <dlfcn.h>

#include <cstdio>
#include <string>
#include <type_traits>

namespace berth::cli::lazy {

// The first reason a library or function could not be loaded in this run; "" when none.
std::string failure();
void noteFailure(const char* what, const char* name);  // lazy_library.cpp

class Library {
public:
    // `failCode`: what the library's integer-returning functions answer for a failure
    // (CURLE_FAILED_INIT, ARCHIVE_FATAL, -1, 0 for OpenSSL's EVP_*).
    constexpr Library(const char* soname, long failCode) : m_soname(soname), m_failCode(failCode) {}

    // The address of `name` in the library, loading it first; nullptr (and the reason
    // noted) when the library or the function is missing.
    void* symbol(const char* name) {
        void* handle = load();
        if (!handle) return nullptr;
        void* sym = ::dlsym(handle, name);
        if (!sym) noteFailure("cannot find", name);
        return sym;
    }
    long failCode() const { return m_failCode; }

private:
    void* load() {
        // Concurrent first calls may both dlopen: the loader refcounts, same handle.
        void* h = __atomic_load_n(&m_handle, __ATOMIC_ACQUIRE);
        if (h) return h;
        h = ::dlopen(m_soname, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            noteFailure("cannot load", m_soname);
            return nullptr;
        }
        __atomic_store_n(&m_handle, h, __ATOMIC_RELEASE);
        return h;
    }

    const char* m_soname;
    long m_failCode;
    void* m_handle = nullptr;
};

// What a shim returns when its function could not be loaded.
template <class R>
R failValue(const Library& lib) {
    if constexpr (std::is_void_v<R>) {
        return;
    } else if constexpr (std::is_same_v<R, const char*>) {
        return "";  // callers print or copy it
    } else if constexpr (std::is_pointer_v<R>) {
        return nullptr;
    } else if constexpr (std::is_same_v<R, bool>) {
        return false;
    } else {
        return R(lib.failCode());
    }
}

} // namespace berth::cli::lazy

// Defines `ret name params` forwarding to `lib`'s `name` (looked up once; a missing one
// answers failValue, see above).
#define BERTH_LAZY_FORWARD(lib, ret, name, params, args)                                            \
    extern "C" ret name params {                                                                    \
        using Fn = ret(*) params;                                                                   \
        static const Fn real = reinterpret_cast<Fn>(lib.symbol(#name));                            \
        if (!real) return berth::cli::lazy::failValue<ret>(lib);                                    \
        return real args;                                                                           \
    }
