#include "sys/error.h"

#include <cstring>

namespace berth {

const char* errcName(Errc code) {
    switch (code) {
    case Errc::InvalidArgument: return "invalid argument";
    case Errc::NotFound: return "not found";
    case Errc::AlreadyExists: return "already exists";
    case Errc::Conflict: return "conflict";
    case Errc::NotModified: return "not modified";
    case Errc::Corrupt: return "corrupt";
    case Errc::PermissionDenied: return "permission denied";
    case Errc::Unsupported: return "unsupported";
    case Errc::Unavailable: return "unavailable";
    case Errc::Io: return "i/o error";
    case Errc::System: return "system error";
    case Errc::Cancelled: return "cancelled";
    case Errc::Timeout: return "timeout";
    case Errc::Network: return "network error";
    case Errc::Auth: return "authentication failed";
    case Errc::CommandNotFound: return "command not found";
    case Errc::NotExecutable: return "not executable";
    case Errc::Internal: return "internal error";
    }
    return "error";
}

Error Error::fromErrno(std::string_view what, int e) {
    Errc code = Errc::System;
    switch (e) {
    case ENOENT: code = Errc::NotFound; break;
    case EEXIST: code = Errc::AlreadyExists; break;
    case EACCES:
    case EPERM: code = Errc::PermissionDenied; break;
    case EINVAL: code = Errc::InvalidArgument; break;
    case EBUSY: code = Errc::Conflict; break;
    case EIO: code = Errc::Io; break;
    case ETIMEDOUT: code = Errc::Timeout; break;
    default: break;
    }
    std::string msg(what);
    msg += ": ";
    msg += std::strerror(e);
    return Error(code, std::move(msg), e);
}

Error& Error::addContext(std::string_view ctx) {
    std::string msg(ctx);
    msg += ": ";
    msg += m_message;
    m_message = std::move(msg);
    return *this;
}

Error Error::withContext(std::string_view ctx) const& {
    Error copy = *this;
    copy.addContext(ctx);
    return copy;
}

Error Error::withContext(std::string_view ctx) && {
    addContext(ctx);
    return std::move(*this);
}

} // namespace berth
