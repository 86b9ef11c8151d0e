// Fuzz target `dockerapi_request`: what a client sends to `berth system service` (the
// Docker Engine API on /run/berth/docker.sock), served by the real connection code
// (engine/dockerapi/connection.cpp: Beast's HTTP parser with our limits, keep-alive,
// chunked and streamed bodies, routing with version prefixes, query strings) over a
// socketpair. The routes are /_ping and /version, plus stand-ins that do what handlers do
// with a request: read the JSON body, filters, since/until, booleans and integers of the
// query, route parameters, a streamed body. No handler reaches the engine.
// Properties: the connection ends (no hang: the input is all there, then EOF), and every
// answer it wrote starts with an HTTP status line.

#include "fuzz_target.h"

#include "api_error.h"
#include "query.h"
#include "routes.h"
#include "server.h"

#include <nlohmann/json.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <thread>

using namespace berth;
using namespace berth::dockerapi;

namespace {

void parseLikeHandlers(Request& req, Response& res) {
    nlohmann::json body = req.jsonBody();  // an ApiError (400) when malformed
    auto filters = Filters::parse(req.query.get("filters", "{}"));
    filters.checkKeys({"label", "name", "status", "dangling", "before", "since"});
    (void)filters.matchesLabels("label", {{"a", "b"}});
    (void)filters.boolean("dangling");
    (void)unixTimeNano(req.query.get("since"), "since");
    (void)req.query.boolean("all");
    (void)req.query.integer("tail", -1);
    (void)req.apiAtLeast("1.41");
    (void)req.header("X-Registry-Auth");
    res.json(200, {{"params", req.params}, {"keys", body.size()}});
}

void readStreamedBody(Request& req, Response& res) {
    char buf[4096];
    size_t total = 0;
    while (size_t n = req.bodySource->read(buf, sizeof buf)) total += n;
    res.json(200, {{"bytes", total}});
}

ServerShared& shared() {
    static Router router = [] {
        Router r;
        addPingRoutes(r);
        r.add("POST", "/containers/create", parseLikeHandlers);
        r.add("GET", "/containers/{id}/json", parseLikeHandlers);
        r.add("GET", "/images/{name*}/json", parseLikeHandlers);
        r.add("DELETE", "/images/{name*}", parseLikeHandlers);
        r.add("POST", "/build", readStreamedBody, RouteOptions{.streamsBody = true});
        return r;
    }();
    static ServerShared s = [] {
        Limits l;
        l.maxHeaderBytes = 16 * 1024;
        l.maxJsonBody = 64 * 1024;
        l.headerTimeout = l.keepAliveTimeout = l.bodyTimeout = l.writeTimeout = std::chrono::milliseconds(2000);
        return ServerShared(router, l);
    }();
    return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    int sv[2];
    FUZZ_CHECK(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
    // The client: sends the whole input, then EOF, and reads every answer.
    std::string answer;
    std::thread client([&] {
        for (size_t off = 0; off < size;) {
            ssize_t n = ::send(sv[0], data + off, size - off, MSG_NOSIGNAL);
            if (n <= 0) break;  // the server hung up early (a refused request)
            off += size_t(n);
        }
        ::shutdown(sv[0], SHUT_WR);
        char buf[65536];
        for (ssize_t n; (n = ::read(sv[0], buf, sizeof buf)) > 0;) answer.append(buf, size_t(n));
    });
    serveConnection(sv[1], shared(), std::stop_source());
    client.join();
    ::close(sv[0]);
    ::close(sv[1]);
    FUZZ_CHECK(answer.empty() || answer.starts_with("HTTP/1."), answer.substr(0, 64));
    return 0;
}
