// libcrypto for the CLI (see lazy_library.h). The engine uses it for SHA-256 only, and
// `run`/`create` hash a few small strings (layer chain ids, small blobs): loading
// libcrypto for those costs more than the hashing (~3 MiB resident, ~2 ms). Small inputs
// are therefore hashed here (FIPS 180-4); an input that grows past kNativeLimit is handed
// to libcrypto (loaded then), whose SHA-NI/AVX code is far faster on layer-sized data.
#include "lazy_library.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <new>
#include <cstring>
#include <string>

namespace {

berth::cli::lazy::Library g_crypto("libcrypto.so.3");

constexpr size_t kNativeLimit = size_t(1) << 20;

class NativeSha256 {
public:
    void reset() {
        static constexpr uint32_t kInit[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
        std::memcpy(m_h, kInit, sizeof m_h);
        m_length = 0;
        m_used = 0;
    }

    void update(const unsigned char* p, size_t n) {
        m_length += n;
        while (n > 0) {
            size_t take = std::min(n, sizeof m_block - m_used);
            std::memcpy(m_block + m_used, p, take);
            m_used += take;
            p += take;
            n -= take;
            if (m_used == sizeof m_block) {
                compress(m_block);
                m_used = 0;
            }
        }
    }

    void finish(unsigned char out[32]) {
        uint64_t bits = m_length * 8;
        unsigned char pad[72] = {0x80};
        size_t padLen = (m_used < 56 ? 56 : 120) - m_used;
        for (int i = 0; i < 8; ++i) pad[padLen + size_t(i)] = (unsigned char)(bits >> (56 - 8 * i));
        update(pad, padLen + 8);
        for (int i = 0; i < 8; ++i)
            for (int b = 0; b < 4; ++b) out[4 * i + b] = (unsigned char)(m_h[i] >> (24 - 8 * b));
    }

private:
    static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

    void compress(const unsigned char* block) {
        static constexpr uint32_t k[64] = {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
        uint32_t w[64];
        for (int i = 0; i < 16; ++i)
            w[i] = uint32_t(block[4 * i]) << 24 | uint32_t(block[4 * i + 1]) << 16 | uint32_t(block[4 * i + 2]) << 8 |
                   uint32_t(block[4 * i + 3]);
        for (int i = 16; i < 64; ++i) {
            uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = m_h[0], b = m_h[1], c = m_h[2], d = m_h[3], e = m_h[4], f = m_h[5], g = m_h[6], h = m_h[7];
        for (int i = 0; i < 64; ++i) {
            uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
            uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        m_h[0] += a, m_h[1] += b, m_h[2] += c, m_h[3] += d, m_h[4] += e, m_h[5] += f, m_h[6] += g, m_h[7] += h;
    }

    uint32_t m_h[8];
    uint64_t m_length = 0;
    unsigned char m_block[64];
    size_t m_used = 0;
};

// What the CLI's EVP_MD_CTX* really points to. Input is kept (up to kNativeLimit) while
// hashed natively, so it can be replayed into libcrypto if it grows past that.
struct Context {
    NativeSha256 native;
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

const EVP_MD* realSha256() {
    static const EVP_MD* md = real<const EVP_MD* (*)()>("EVP_sha256")();
    return md;
}

EVP_MD_CTX* realContext() {
    static const auto fn = real<EVP_MD_CTX* (*)()>("EVP_MD_CTX_new");
    return fn();
}

int realInit(EVP_MD_CTX* ctx, const EVP_MD* md, ENGINE* impl) {
    static const auto fn = real<int (*)(EVP_MD_CTX*, const EVP_MD*, ENGINE*)>("EVP_DigestInit_ex");
    return fn(ctx, md, impl);
}

int realUpdate(EVP_MD_CTX* ctx, const void* d, size_t n) {
    static const auto fn = real<int (*)(EVP_MD_CTX*, const void*, size_t)>("EVP_DigestUpdate");
    return fn(ctx, d, n);
}

Context* from(EVP_MD_CTX* ctx) { return reinterpret_cast<Context*>(ctx); }

} // namespace

extern "C" const EVP_MD* EVP_sha256(void) { return nativeSha256(); }

extern "C" EVP_MD_CTX* EVP_MD_CTX_new(void) { return reinterpret_cast<EVP_MD_CTX*>(new (std::nothrow) Context); }

extern "C" void EVP_MD_CTX_free(EVP_MD_CTX* ctx) {
    if (!ctx) return;
    Context* c = from(ctx);
    if (c->real) real<void (*)(EVP_MD_CTX*)>("EVP_MD_CTX_free")(c->real);
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
        return fn(c->real, md, s);
    }
    c->native.finish(md);
    if (s) *s = 32;
    c->kept.clear();
    return 1;
}
