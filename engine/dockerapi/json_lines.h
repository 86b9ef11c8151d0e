#pragma once
// docker's JSON message streams (pull, push, load, events): one JSON object per line in a
// chunked 200 answer. The answer starts with the first line, so an operation that fails
// before it has anything to say is answered with docker's status code instead
// ({"message":…}); one that fails later ends the stream with docker's error line
// ({"errorDetail":{"message":…},"error":…}), which the clients print and exit non-zero on.
// Thread-safe: an engine's progress callback may come from its worker threads.

#include "exchange.h"

#include "berth/error.h"

#include <nlohmann/json.hpp>

#include <mutex>

namespace berth::dockerapi {

class JsonLines {
public:
    explicit JsonLines(Response& res) : m_res(res) {}
    // Sends the header now (a client waiting for events needs it before the first one).
    void start();
    // False once the client has gone.
    bool send(const nlohmann::json& line);
    bool sendText(std::string_view line);  // one JSON object, without its newline
    bool started() const;
    // The operation failed: before any line, throws docker's answer for `e` (an ApiError);
    // after, sends the error line.
    void fail(const Error& e);
    // `code`, when not 0, is errorDetail's code (docker's CLI exits with it).
    void fail(const std::string& message, int code = 0);

private:
    Response& m_res;
    mutable std::mutex m_mutex;
    ChunkSink* m_sink = nullptr;
    bool m_gone = false;
};

// {"status":…} and, when given, "id" and docker's "progressDetail"/"progress" for a
// transfer of `current` of `total` bytes.
nlohmann::json statusLine(const std::string& status, const std::string& id = {});
nlohmann::json progressLine(const std::string& status, const std::string& id, uint64_t current, uint64_t total);

} // namespace berth::dockerapi
