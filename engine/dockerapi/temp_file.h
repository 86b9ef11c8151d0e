#pragma once
// Uploads and archives on their way through the service: a temporary file ($TMPDIR, else
// /tmp) removed when the request ends, and a streamed request body spooled into one.

#include "exchange.h"

#include <cstdint>
#include <string>

namespace berth::dockerapi {

class TempFile {
public:
    explicit TempFile(const char* what);
    ~TempFile();
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return m_path; }
    int fd() const { return m_fd; }
    // The file now at path(), for one that was replaced there (the engine writes its
    // archives to a new file and renames it over the path).
    void reopen();
    // Back to the start, to read what was written.
    void rewind();

private:
    std::string m_path;
    int m_fd = -1;
};

// The request body (a tarball) into `file`: a 400 when there is none, a 413 when it grows
// past `maxBytes`, a 500 when the disk refuses it.
void spoolBody(Request& req, TempFile& file, uint64_t maxBytes = UINT64_MAX, const std::string& limitHint = {});
// A 413 before reading when the body's Content-Length says it is larger than `maxBytes`
// (`what` names it: "build context"; `limitHint` says how to change the limit).
void checkDeclaredSize(const Request& req, uint64_t maxBytes, const std::string& what, const std::string& limitHint = {});
// An image tarball upload (POST /images/load, /images/create?fromSrc=-): checked against
// the service's limit (Request::maxUpload) before and while it is spooled into `file`.
void spoolUpload(Request& req, TempFile& file);

} // namespace berth::dockerapi
