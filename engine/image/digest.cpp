#include "image/digest.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <stdexcept>

namespace berth::image {

namespace {

bool isLowerHex(std::string_view s) {
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

std::string toHex(const unsigned char* data, size_t len) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(len * 2, '0');
    for (size_t i = 0; i < len; ++i) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 0xf];
    }
    return out;
}

} // namespace

Result<Digest> Digest::parse(std::string_view text) {
    constexpr std::string_view prefix = "sha256:";
    if (text.empty()) return fail(Errc::InvalidArgument, "invalid digest: empty");
    if (!text.starts_with(prefix)) {
        auto colon = text.find(':');
        if (colon == std::string_view::npos)
            return fail(Errc::InvalidArgument,
                        "invalid digest \"" + std::string(text) + "\": missing \"sha256:\" prefix");
        return fail(Errc::InvalidArgument, "invalid digest \"" + std::string(text) +
                                               "\": unsupported algorithm \"" +
                                               std::string(text.substr(0, colon)) + "\"");
    }
    std::string_view hex = text.substr(prefix.size());
    if (hex.size() != 64)
        return fail(Errc::InvalidArgument, "invalid digest \"" + std::string(text) +
                                               "\": expected 64 hex characters, got " +
                                               std::to_string(hex.size()));
    if (!isLowerHex(hex))
        return fail(Errc::InvalidArgument, "invalid digest \"" + std::string(text) +
                                               "\": not lowercase hexadecimal");
    Digest d;
    d.m_hex = std::string(hex);
    return d;
}

Digest Digest::ofBytes(std::string_view bytes) {
    Sha256 h;
    h.update(bytes);
    return h.finish();
}

Digest Digest::fromHex(std::string hex) {
    Digest d;
    d.m_hex = std::move(hex);
    return d;
}

bool Digest::isHex(std::string_view hex) { return hex.size() == 64 && isLowerHex(hex); }

VoidResult Digest::verify(std::string_view bytes, std::string_view what) const {
    Digest actual = ofBytes(bytes);
    if (actual == *this) return {};
    return fail(Errc::Corrupt, std::string(what) + ": digest mismatch: expected " + str() +
                                   ", got " + actual.str());
}

struct Sha256::Impl {
    EVP_MD_CTX* ctx = nullptr;
    ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : m_impl(std::make_unique<Impl>()) {
    m_impl->ctx = EVP_MD_CTX_new();
    // Allocation failure or a FIPS-less OpenSSL without SHA-256 leaves nothing sensible to
    // do: every digest in the store would be wrong.
    if (!m_impl->ctx || EVP_DigestInit_ex(m_impl->ctx, EVP_sha256(), nullptr) != 1) std::abort();
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(const void* data, size_t len) {
    if (len == 0) return;
    EVP_DigestUpdate(m_impl->ctx, data, len);
}

Digest Sha256::finish() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(m_impl->ctx, md, &len);
    // Ready for reuse: a finished hasher starts over.
    EVP_DigestInit_ex(m_impl->ctx, EVP_sha256(), nullptr);
    return Digest::fromHex(toHex(md, len));
}

} // namespace berth::image
