#pragma once
// One HTTP exchange as a handler sees it: the request (method, path without the version
// prefix, API version, query, route parameters, headers, body) and the ways to answer:
// a whole response, a chunked stream of messages, or the hijacked connection (attach and
// exec). The HTTP itself (parsing, framing, limits, timeouts) is connection.cpp's, with
// Boost.Beast; handlers never see it.

#include "query.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace berth::dockerapi {

struct Header {
    std::string name;
    std::string value;
};

// Where a streaming route's request body comes from (a tar upload).
class BodySource {
public:
    virtual ~BodySource() = default;
    // Up to `size` bytes of the body into `buf`; 0 at its end. Throws ApiError (400) when the
    // client stops sending or the body is malformed.
    virtual size_t read(char* buf, size_t size) = 0;
};

struct Request {
    std::string method;
    std::string path;        // decoded, without /v1.xx
    std::string apiVersion;  // "1.44" when the path had no prefix
    Query query;
    std::map<std::string, std::string> params;  // {name} parts of the route
    std::vector<Header> headers;
    std::string body;                 // the whole body (routes that do not stream it)
    BodySource* bodySource = nullptr; // routes that stream it
    uint64_t maxUpload = UINT64_MAX;  // the service's limit for an uploaded image tarball (Limits)
    std::stop_token stop;             // requested when the client goes away

    // The first header of that name (case-insensitive), or "".
    std::string header(std::string_view name) const;
    // The body as JSON: an empty body is an empty object; malformed JSON is an ApiError
    // (400) naming the problem; a body that is not an object is one too.
    nlohmann::json jsonBody() const;
    // apiVersion >= v ("1.41").
    bool apiAtLeast(std::string_view v) const;
    const std::string& param(const std::string& name) const;
};

// A chunked response: one write per message (a JSON line, a log frame). write() returns
// false once the client has gone; the end is sent when the handler returns.
class ChunkSink {
public:
    virtual ~ChunkSink() = default;
    virtual bool write(std::string_view data) = 0;
};

// The connection after the 101 answer: a raw, full-duplex byte stream. `read` returns 0
// when the client half-closes (stdin ended), -1 when it has gone; the connection is
// closed after the handler returns.
class RawStream {
public:
    virtual ~RawStream() = default;
    virtual int fd() const = 0;
    // Bytes the client sent after its request, before the hijack (stdin already in flight).
    virtual bool hasPending() const = 0;
    virtual long read(char* buf, size_t size) = 0;
    virtual bool write(std::string_view data) = 0;
    // Ends our side (the process's output is over); the client sees EOF.
    virtual void closeWrite() = 0;
};

class Response {
public:
    virtual ~Response() = default;
    virtual void send(int status, std::string_view contentType, std::string_view body,
                      const std::vector<Header>& extra = {}) = 0;
    virtual ChunkSink& stream(int status, std::string_view contentType, const std::vector<Header>& extra = {}) = 0;
    // Answers `HTTP/1.1 101 UPGRADED` (200 OK when the client did not ask to upgrade) with
    // `contentType`, and returns the raw connection once the client has read that answer.
    virtual RawStream& hijack(std::string_view contentType) = 0;
    virtual bool started() const = 0;

    void json(int status, const nlohmann::json& body, const std::vector<Header>& extra = {});
    void noContent(int status = 204);
    void text(int status, std::string_view body);
};

// The 8-byte header docker puts before each block of a multiplexed stream: the stream
// (0 stdin, 1 stdout, 2 stderr, 3 system error), three zero bytes, the length big-endian.
std::string frameHeader(uint8_t stream, uint32_t length);
std::string frame(uint8_t stream, std::string_view payload);

} // namespace berth::dockerapi
