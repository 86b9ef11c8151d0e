// libcrypto for the CLI (see lazy_library.h). The engine uses it for SHA-256 only, and
// `run`/`create` hash a few small strings (layer chain ids, small blobs): loading
// libcrypto for those costs more than the hashing (~3 MiB resident, ~2 ms). Small inputs
// are therefore hashed here (sha256.h, FIPS 180-4); an input that grows past kNativeLimit is
// handed to libcrypto (loaded then), whose SHA-NI/AVX code is far faster on layer-sized
// data. tests/unit/cli/tst_lazy_crypto.cpp checks these functions against known answers and
// against libcrypto itself (loaded in a link namespace of its own) on many sizes and splits.
#include "lazy_library.h"
#include "sha256.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <new>
#include <cstring>
#include <string>

namespace {

berth::cli::lazy::Library g_crypto("libcrypto.so.3", 0);  // EVP_*: 0 is failure

constexpr size_t kNativeLimit = size_t(1) << 20;

// What the CLI's EVP_MD_CTX* really points to. Input is kept (up to kNativeLimit) while
// hashed natively, so it can be replayed into libcrypto if it grows past that.
struct Context {
    berth::cli::Sha256 native;
    std::string kept;
    EVP_MD_CTX* real = nullptr;
    bool handedOver = false;  // libcrypto hashes this input (too large, or not SHA-256)
};

// Stands for EVP_sha256() until libcrypto is needed; never dereferenced.
const int kNativeSha256Tag = 0;
const EVP_MD* nativeSha256() { return reinterpret_cast<const EVP_MD*>(&kNativeSha256Tag); }

template <class Fn>
Fn real(const char* name) {
    return reinterpret_cast<Fn>(g_crypto.symbol(name));
}

// Each answers OpenSSL's failure value when libcrypto cannot be loaded (lazy_library.h).
const EVP_MD* realSha256() {
    static const auto fn = real<const EVP_MD* (*)()>("EVP_sha256");
    return fn ? fn() : nullptr;
}

EVP_MD_CTX* realContext() {
    static const auto fn = real<EVP_MD_CTX* (*)()>("EVP_MD_CTX_new");
    return fn ? fn() : nullptr;
}

int realInit(EVP_MD_CTX* ctx, const EVP_MD* md, ENGINE* impl) {
    static const auto fn = real<int (*)(EVP_MD_CTX*, const EVP_MD*, ENGINE*)>("EVP_DigestInit_ex");
    return fn && md ? fn(ctx, md, impl) : 0;
}

int realUpdate(EVP_MD_CTX* ctx, const void* d, size_t n) {
    static const auto fn = real<int (*)(EVP_MD_CTX*, const void*, size_t)>("EVP_DigestUpdate");
    return fn ? fn(ctx, d, n) : 0;
}

Context* from(EVP_MD_CTX* ctx) { return reinterpret_cast<Context*>(ctx); }

} // namespace

extern "C" const EVP_MD* EVP_sha256(void) { return nativeSha256(); }

extern "C" EVP_MD_CTX* EVP_MD_CTX_new(void) { return reinterpret_cast<EVP_MD_CTX*>(new (std::nothrow) Context); }

extern "C" void EVP_MD_CTX_free(EVP_MD_CTX* ctx) {
    if (!ctx) return;
    Context* c = from(ctx);
    if (c->real)
        if (auto fn = real<void (*)(EVP_MD_CTX*)>("EVP_MD_CTX_free")) fn(c->real);
    delete c;
}

extern "C" int EVP_DigestInit_ex(EVP_MD_CTX* ctx, const EVP_MD* type, ENGINE* impl) {
    Context* c = from(ctx);
    c->kept.clear();
    c->native.reset();
    if (type == nativeSha256() && !impl) {
        c->handedOver = false;
        return 1;
    }
    if (!c->real && !(c->real = realContext())) return 0;
    c->handedOver = true;
    return realInit(c->real, type == nativeSha256() ? realSha256() : type, impl);
}

extern "C" int EVP_DigestUpdate(EVP_MD_CTX* ctx, const void* d, size_t n) {
    Context* c = from(ctx);
    if (c->handedOver) return realUpdate(c->real, d, n);
    if (c->kept.size() + n <= kNativeLimit) {
        c->native.update(static_cast<const unsigned char*>(d), n);
        c->kept.append(static_cast<const char*>(d), n);
        return 1;
    }
    // Too large to be worth hashing here: libcrypto takes over from the start.
    if (!c->real && !(c->real = realContext())) return 0;
    if (realInit(c->real, realSha256(), nullptr) != 1) return 0;
    if (!c->kept.empty() && realUpdate(c->real, c->kept.data(), c->kept.size()) != 1) return 0;
    c->kept.clear();
    c->kept.shrink_to_fit();
    c->handedOver = true;
    return realUpdate(c->real, d, n);
}

extern "C" int EVP_DigestFinal_ex(EVP_MD_CTX* ctx, unsigned char* md, unsigned int* s) {
    Context* c = from(ctx);
    if (c->handedOver) {
        static const auto fn = real<int (*)(EVP_MD_CTX*, unsigned char*, unsigned int*)>("EVP_DigestFinal_ex");
        return fn ? fn(c->real, md, s) : 0;
    }
    c->native.finish(md);
    if (s) *s = 32;
    c->kept.clear();
    return 1;
}
