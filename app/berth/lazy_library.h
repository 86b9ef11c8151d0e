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

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

namespace berth::cli::lazy {

class Library {
public:
    explicit constexpr Library(const char* soname) : m_soname(soname) {}

    // The address of `name` in the library, loading it first. A missing library or symbol
    // is an installation problem with no error channel in the caller's API: say so and exit.
    void* symbol(const char* name) {
        void* handle = load();
        void* sym = ::dlsym(handle, name);
        if (!sym) die("cannot find", name);
        return sym;
    }

private:
    void* load() {
        // Concurrent first calls may both dlopen: the loader refcounts, same handle.
        void* h = __atomic_load_n(&m_handle, __ATOMIC_ACQUIRE);
        if (h) return h;
        h = ::dlopen(m_soname, RTLD_NOW | RTLD_LOCAL);
        if (!h) die("cannot load", m_soname);
        __atomic_store_n(&m_handle, h, __ATOMIC_RELEASE);
        return h;
    }

    [[noreturn]] static void die(const char* what, const char* name) {
        const char* why = ::dlerror();
        std::fprintf(stderr, "berth: %s %s: %s (is the library installed?)\n", what, name, why ? why : "unknown error");
        std::exit(125);
    }

    const char* m_soname;
    void* m_handle = nullptr;
};

} // namespace berth::cli::lazy

// Defines `ret name params` forwarding to `lib`'s `name` (looked up once).
#define BERTH_LAZY_FORWARD(lib, ret, name, params, args)                                            \
    extern "C" ret name params {                                                                    \
        using Fn = ret(*) params;                                                                   \
        static const Fn real = reinterpret_cast<Fn>(lib.symbol(#name));                            \
        return real args;                                                                           \
    }
