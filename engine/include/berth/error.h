#pragma once
// berth::Error and berth::Result: how every call of the engine, public or internal, fails.
// An Error carries a code (what kind of failure, enough for a client to choose an exit code
// or an HTTP status), a message naming what was attempted ("load busybox.tar: layer 2: open
// `etc/passwd`: Permission denied"), and the errno of the system call that failed, if one
// did. Callers add context as the error travels up. There is one Error type: the engine's
// internal layers use this one (engine/sys/error.h only adds nothing but an include).

#include <cerrno>
#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace berth {

// The codes a front-end acts on. How the clients map them:
//                     CLI exit (run/exec)   Docker API status
//   InvalidArgument   125                   400
//   NotFound          125 / 1               404
//   AlreadyExists     125                   409
//   Conflict          125                   409
//   NotModified       0 (nothing to do)     304 (start of a running container, stop of a stopped one)
//   PermissionDenied  125                   403
//   Unavailable       125                   503 (a feature this mode or host lacks)
//   CommandNotFound   127                   400 ("executable file not found")
//   NotExecutable     126                   400 ("permission denied" on the command)
//   Cancelled         130                   499 (client closed) / nothing sent
//   anything else     125                   500
enum class Errc {
    InvalidArgument,  // bad flag, malformed reference, bad spec
    NotFound,         // no such image/container/network/volume/blob
    AlreadyExists,    // name taken
    Conflict,         // state forbids it (running, in use)
    NotModified,      // already in the state asked for (started, stopped, paused...)
    Corrupt,          // digest mismatch, broken archive, hostile entry
    PermissionDenied,
    Unsupported,      // never possible (a driver or option Berth does not implement)
    Unavailable,      // not possible here or now (rootless without the tool, no cgroup...)
    Io,
    System,           // a system call failed; sysErrno() says why
    Cancelled,        // the caller's std::stop_token asked to stop
    Timeout,
    Network,
    Auth,
    CommandNotFound,  // a container's or exec's command does not exist (docker: 127)
    NotExecutable,    // it exists but cannot be executed (docker: 126)
    Internal,
};

// "not found", "conflict"... for logs and messages.
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
