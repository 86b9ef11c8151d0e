// See temp_file.h.
#include "temp_file.h"

#include "api_error.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

namespace berth::dockerapi {

TempFile::TempFile(const char* what) {
    const char* base = std::getenv("TMPDIR");
    m_path = std::string(base && *base ? base : "/tmp") + "/berth-api-" + what + "-XXXXXX";
    m_fd = ::mkostemp(m_path.data(), O_CLOEXEC);
    if (m_fd < 0) throw ApiError(500, "create a temporary file in " + m_path + ": " + std::strerror(errno));
}

TempFile::~TempFile() {
    if (m_fd >= 0) ::close(m_fd);
    ::unlink(m_path.c_str());
}

void TempFile::reopen() {
    ::close(m_fd);
    m_fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (m_fd < 0) throw ApiError(500, "open " + m_path + ": " + std::strerror(errno));
}

void TempFile::rewind() {
    if (::lseek(m_fd, 0, SEEK_SET) != 0) throw ApiError(500, "seek " + m_path + ": " + std::strerror(errno));
}

namespace {

void writeAll(int fd, const char* data, size_t size) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw ApiError(500, std::string("write a temporary file: ") + std::strerror(errno));
        data += n;
        size -= size_t(n);
    }
}

} // namespace

void spoolBody(Request& req, TempFile& file, uint64_t maxBytes, const std::string& limitHint) {
    if (!req.bodySource) badRequest("the request has no body");
    std::string buf(1 << 16, '\0');
    uint64_t total = 0;
    while (size_t n = req.bodySource->read(buf.data(), buf.size())) {
        total += n;
        if (total > maxBytes)
            throw ApiError(413, "request body too large: the limit is " + std::to_string(maxBytes) + " bytes" + limitHint);
        writeAll(file.fd(), buf.data(), n);
    }
}

void checkDeclaredSize(const Request& req, uint64_t maxBytes, const std::string& what, const std::string& limitHint) {
    const std::string length = req.header("Content-Length");
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), n);
    if (ec == std::errc::result_out_of_range || (ec == std::errc{} && n > maxBytes))
        throw ApiError(413, what + " too large: the limit is " + std::to_string(maxBytes) + " bytes" + limitHint);
}

void spoolUpload(Request& req, TempFile& file) {
    const std::string hint = " (berth system service --max-upload)";
    checkDeclaredSize(req, req.maxUpload, "image upload", hint);
    spoolBody(req, file, req.maxUpload, hint);
}

} // namespace berth::dockerapi
