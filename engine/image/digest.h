#pragma once
// Content digests ("sha256:<64 hex>") and a streaming SHA-256 hasher (OpenSSL EVP).

#include "sys/error.h"

#include <memory>
#include <string>
#include <string_view>

namespace berth::image {

class Digest {
public:
    Digest() = default;
    // Accepts "sha256:<64 lowercase hex>" only; anything else is InvalidArgument.
    static Result<Digest> parse(std::string_view text);
    static Digest ofBytes(std::string_view bytes);
    static Digest fromHex(std::string hex);  // hex must already be valid
    // True for exactly 64 lowercase hex characters (a bare sha256 digest, an image id).
    static bool isHex(std::string_view hex);

    // Checks that `bytes` hash to this digest; Corrupt error naming both digests otherwise.
    // `what` names the content in the error ("blob", "manifest of busybox").
    VoidResult verify(std::string_view bytes, std::string_view what = "content") const;

    const std::string& hex() const { return m_hex; }
    std::string str() const { return "sha256:" + m_hex; }
    std::string shortId() const { return m_hex.substr(0, 12); }
    bool empty() const { return m_hex.empty(); }
    auto operator<=>(const Digest&) const = default;

private:
    std::string m_hex;
};

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    void update(const void* data, size_t len);
    void update(std::string_view s) { update(s.data(), s.size()); }
    Digest finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace berth::image
