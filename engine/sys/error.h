#pragma once
// Error and Result: every failing engine call returns an Error that keeps errno (when a
// system call failed) and a message naming what was attempted; callers add context as the
// error travels up, e.g. "load busybox.tar: layer 2: open `etc/passwd`: Permission denied".

#include <cerrno>
#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace berth {

enum class Errc {
    InvalidArgument,  // bad flag, malformed reference, bad spec
    NotFound,         // no such image/container/blob
    AlreadyExists,    // name taken
    Conflict,         // state forbids it (running, in use)
    Corrupt,          // digest mismatch, broken archive, hostile entry
    PermissionDenied,
    Unsupported,
    Io,
    System,           // a system call failed; sysErrno() says why
    Cancelled,
    Timeout,
    Network,
    Auth,
    Internal,
};

const char* errcName(Errc code);

class Error {
public:
    Error(Errc code, std::string message, int sysErrno = 0)
        : m_code(code), m_message(std::move(message)), m_errno(sysErrno) {}

    // "what: strerror(e)", with the code derived from errno.
    static Error fromErrno(std::string_view what, int e = errno);

    Errc code() const { return m_code; }
    int sysErrno() const { return m_errno; }
    const std::string& message() const { return m_message; }

    // Prefixes the message: "ctx: message". Returns *this for chaining.
    Error& addContext(std::string_view ctx);
    Error withContext(std::string_view ctx) const&;
    Error withContext(std::string_view ctx) &&;

private:
    Errc m_code;
    std::string m_message;
    int m_errno;
};

template <class T>
using Result = std::expected<T, Error>;
using VoidResult = std::expected<void, Error>;

inline std::unexpected<Error> fail(Errc code, std::string message) {
    return std::unexpected(Error(code, std::move(message)));
}
inline std::unexpected<Error> fail(Error e) { return std::unexpected(std::move(e)); }
inline std::unexpected<Error> failErrno(std::string_view what, int e = errno) {
    return std::unexpected(Error::fromErrno(what, e));
}

} // namespace berth

// Propagates an error to the caller (GCC/Clang statement expressions). BERTH_TRY yields
// the value of a Result<T>; BERTH_TRYV is for Result<void>.
#define BERTH_TRY(expr)                                                   \
    ({                                                                    \
        auto&& berthTryResult_ = (expr);                                  \
        if (!berthTryResult_) return std::unexpected(std::move(berthTryResult_).error()); \
        std::move(*berthTryResult_);                                      \
    })
#define BERTH_TRYV(expr)                                                  \
    do {                                                                  \
        auto&& berthTryResult_ = (expr);                                  \
        if (!berthTryResult_) return std::unexpected(std::move(berthTryResult_).error()); \
    } while (0)
// Same, adding context to the error on the way up.
#define BERTH_TRY_CTX(expr, ctx)                                          \
    ({                                                                    \
        auto&& berthTryResult_ = (expr);                                  \
        if (!berthTryResult_)                                             \
            return std::unexpected(std::move(berthTryResult_).error().withContext(ctx)); \
        std::move(*berthTryResult_);                                      \
    })
#define BERTH_TRYV_CTX(expr, ctx)                                         \
    do {                                                                  \
        auto&& berthTryResult_ = (expr);                                  \
        if (!berthTryResult_)                                             \
            return std::unexpected(std::move(berthTryResult_).error().withContext(ctx)); \
    } while (0)
