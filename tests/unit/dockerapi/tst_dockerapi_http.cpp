// The service's HTTP over a real unix socket, with test routes beside /_ping and /version:
// status codes and docker's error shape, limits (413, 431) and time-outs (408), keep-alive,
// chunked streams, hijacked streams (101 alone, frames, stdin half-close), a client that
// hangs up cancelling its request, a stuck client not holding up another, idle exit.
#include "skip_suites.h"
#include "api_error.h"
#include "berth/docker_api_service.h"
#include "raw_http.h"
#include "routes.h"
#include "server.h"
#include "stream_pump.h"

#include "test_support.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <atomic>
#include <condition_variable>
#include <thread>

#include <unistd.h>

using namespace berth::dockerapi;
using berth::test::RawHttp;
using berth::test::request;

namespace {

const char* kMultiplexed = "application/vnd.docker.multiplexed-stream";

void addTestRoutes(Router& r, std::atomic<int>& cancelled, std::atomic<int>& waiting) {
    r.add("POST", "/echo", [](Request& req, Response& res) { res.json(200, req.jsonBody()); });
    r.add("GET", "/query", [](Request& req, Response& res) {
        auto f = Filters::parse(req.query.get("filters"));
        res.json(200, {{"all", req.query.boolean("all")}, {"keys", f.keys()}, {"version", req.apiVersion}});
    });
    r.add("GET", "/stream", [](Request&, Response& res) {
        ChunkSink& out = res.stream(200, "application/json");
        for (int i = 0; i < 3; ++i) out.write(nlohmann::json{{"n", i}}.dump() + "\n");
    });
    r.add(
        "POST", "/upload",
        [](Request& req, Response& res) {
            char buf[4096];
            size_t total = 0, n;
            while ((n = req.bodySource->read(buf, sizeof buf)) > 0) total += n;
            res.json(200, {{"bytes", total}});
        },
        RouteOptions{.streamsBody = true});
    // Echoes stdin as stdout frames until the client half-closes, then says bye.
    r.add("POST", "/attach", [](Request&, Response& res) {
        RawStream& raw = res.hijack(kMultiplexed);
        char buf[4096];
        long n;
        while ((n = raw.read(buf, sizeof buf)) > 0) raw.write(frame(1, std::string_view(buf, size_t(n))));
        raw.write(frame(2, "bye"));
    });
    // Like an engine's attach: writes to the pump's stdout and stderr, echoes stdin to
    // stdout until it ends, then returns (the engine's call ending).
    r.add("POST", "/pump", [](Request& req, Response& res) {
        bool tty = req.query.boolean("tty");
        RawStream& raw = res.hijack(tty ? "application/vnd.docker.raw-stream" : kMultiplexed);
        StreamPump pump(raw, {.tty = tty, .stdinOpen = true, .stdoutOn = true, .stderrOn = !req.query.boolean("nostderr")});
        pump.start();
        (void)!::write(pump.stdoutFd(), "out\n", 4);
        (void)!::write(pump.stderrFd(), "err\n", 4);
        char buf[256];
        ssize_t n;
        while ((n = ::read(pump.stdinFd(), buf, sizeof buf)) > 0) (void)!::write(pump.stdoutFd(), buf, size_t(n));
        pump.finish();
    });
    // Waits until the client goes away (`waiting` counts the calls that got this far).
    r.add("POST", "/wait", [&cancelled, &waiting](Request& req, Response& res) {
        ++waiting;
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        cv.wait(lock, req.stop, [] { return false; });
        ++cancelled;
        res.json(200, {{"StatusCode", 0}});
    });
}

} // namespace

class TestDockerApiHttp : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<berth::test::TempDir> m_dir;
    std::string m_socket;
    Router m_router;
    std::unique_ptr<Server> m_server;
    std::stop_source m_stop;
    std::thread m_thread;
    std::atomic<int> m_cancelled{0};
    std::atomic<int> m_waiting{0};

    nlohmann::json json(const berth::test::RawResponse& r) { return nlohmann::json::parse(r.body, nullptr, false); }

    berth::test::RawResponse roundTrip(const std::string& bytes) {
        RawHttp c(m_socket);
        if (!c.connected() || !c.send(bytes)) return {};
        return c.read();
    }

private slots:
    void initTestCase() {
        m_dir = std::make_unique<berth::test::TempDir>();
        m_socket = (m_dir->path() / "docker.sock").string();
        addPingRoutes(m_router);
        addTestRoutes(m_router, m_cancelled, m_waiting);
        Limits limits;
        limits.headerTimeout = std::chrono::milliseconds(500);
        limits.maxJsonBody = 1024 * 1024;
        limits.maxHeaderBytes = 16 * 1024;
        m_server = std::make_unique<Server>(m_router, limits);
        auto fd = listenUnix(m_socket);
        QVERIFY2(fd, fd ? "" : fd.error().c_str());
        m_server->addListener(*fd);
        m_thread = std::thread([this] { m_server->run(std::chrono::milliseconds(0), m_stop.get_token()); });
    }

    void cleanupTestCase() {
        m_stop.request_stop();
        if (m_thread.joinable()) m_thread.join();
        m_server.reset();
    }

    void pingAnswersWithDockersHeaders() {
        for (const char* target : {"/_ping", "/v1.41/_ping", "/v1.44/_ping", "/v1.24/_ping"}) {
            auto r = roundTrip(request("GET", target));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.body, std::string("OK"));
            QCOMPARE(r.headers["api-version"], std::string("1.44"));
            QCOMPARE(r.headers["ostype"], std::string("linux"));
            QCOMPARE(r.headers["builder-version"], std::string("1"));
        }
        RawHttp c(m_socket);
        c.send(request("HEAD", "/_ping"));
        auto head = c.read(true);
        QCOMPARE(head.status, 200);
        QCOMPARE(head.headers["content-length"], std::string("0"));
        QCOMPARE(head.headers["api-version"], std::string("1.44"));
        // Nothing follows the header of a HEAD answer: the next answer on the connection is
        // the next request's.
        c.send(request("GET", "/_ping"));
        QCOMPARE(c.read().body, std::string("OK"));
    }

    void versionSaysWhatItServes() {
        auto r = roundTrip(request("GET", "/v1.41/version"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers["content-type"], std::string("application/json"));
        auto j = json(r);
        QCOMPARE(j["ApiVersion"].get<std::string>(), std::string("1.44"));
        QCOMPARE(j["MinAPIVersion"].get<std::string>(), std::string("1.24"));
        QCOMPARE(j["Os"].get<std::string>(), std::string("linux"));
        QVERIFY(!j["Version"].get<std::string>().empty());
        QCOMPARE(j["Components"][0]["Name"].get<std::string>(), std::string("Engine"));
    }

    void errorsAreDockersJson() {
        auto high = roundTrip(request("GET", "/v1.45/version"));
        QCOMPARE(high.status, 400);
        QCOMPARE(json(high)["message"].get<std::string>(),
                 std::string("client version 1.45 is too new. Maximum supported API version is 1.44"));
        auto low = roundTrip(request("GET", "/v1.12/_ping"));
        QCOMPARE(low.status, 400);
        QVERIFY(json(low)["message"].get<std::string>().starts_with("client version 1.12 is too old"));
        auto missing = roundTrip(request("GET", "/v1.41/no/such/thing"));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.headers["content-type"], std::string("application/json"));
        QCOMPARE(json(missing)["message"].get<std::string>(), std::string("page not found"));
        auto badQuery = roundTrip(request("GET", "/query?filters=%zz"));
        QCOMPARE(badQuery.status, 400);
        auto badFilter = roundTrip(request("GET", "/query?filters=%7Bnope"));
        QCOMPARE(badFilter.status, 400);
        QCOMPARE(json(badFilter)["message"].get<std::string>(), std::string("invalid filter"));
    }

    void queryParametersAndUnknownOnesIgnored() {
        auto r = roundTrip(request("GET", "/v1.41/query?all=True&unknown=1&filters=%7B%22a%22%3A%5B%22b%22%5D%7D"));
        QCOMPARE(r.status, 200);
        auto j = json(r);
        QCOMPARE(j["all"].get<bool>(), true);
        QCOMPARE(j["keys"], nlohmann::json::array({"a"}));
        QCOMPARE(j["version"].get<std::string>(), std::string("1.41"));
    }

    void malformedJsonIs400AndUnknownFieldsPass() {
        auto bad = roundTrip(request("POST", "/echo", R"({"Image": "busybox",)"));
        QCOMPARE(bad.status, 400);
        QVERIFY2(json(bad)["message"].get<std::string>().starts_with("invalid JSON"), bad.body.c_str());
        auto notObject = roundTrip(request("POST", "/echo", "[1,2]"));
        QCOMPARE(notObject.status, 400);
        auto ok = roundTrip(request("POST", "/echo", R"({"Image":"busybox","NoSuchField":1})"));
        QCOMPARE(ok.status, 200);
        QCOMPARE(json(ok)["NoSuchField"].get<int>(), 1);
    }

    void hugeBodyIs413BeforeItIsSent() {
        RawHttp c(m_socket);
        c.send("POST /echo HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\nContent-Length: 100000000000\r\n\r\n{");
        auto r = c.read();
        QVERIFY2(r.status == 413, (r.headerText + r.body).c_str());
        QVERIFY(json(r)["message"].get<std::string>().starts_with("request body too large"));
        QVERIFY(c.closedByPeer());
        // A chunked body that grows past the limit is cut off the same way.
        RawHttp d(m_socket);
        d.send("POST /echo HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\n\r\n");
        std::string chunk(64 * 1024, 'x');
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
        for (int i = 0; i < 20 && d.send(std::string(size) + chunk + "\r\n"); ++i) {
        }
        QCOMPARE(d.read().status, 413);
        QCOMPARE(roundTrip(request("GET", "/_ping")).status, 200);
    }

    void streamedUploadsHaveNoJsonLimit() {
        std::string body(3 * 1024 * 1024, 'y');  // above the 1 MiB JSON limit
        auto r = roundTrip("POST /upload HTTP/1.1\r\nHost: d\r\nContent-Length: " + std::to_string(body.size()) +
                           "\r\n\r\n" + body);
        QCOMPARE(r.status, 200);
        QCOMPARE(json(r)["bytes"].get<size_t>(), body.size());
    }

    void headersThatNeverEndTimeOut() {
        RawHttp c(m_socket);
        c.send("GET /_ping HTTP/1.1\r\nHost: d\r\nX-Slow: ");
        auto r = c.read();
        QCOMPARE(r.status, 408);
        QVERIFY(c.closedByPeer());
    }

    void headersTooLargeAre431() {
        std::string big = "X-Big: " + std::string(32 * 1024, 'a') + "\r\n";
        auto r = roundTrip(request("GET", "/_ping", {}, big));
        QCOMPARE(r.status, 431);
    }

    void garbageIs400() {
        auto r = roundTrip("HELLO THERE\r\n\r\n");
        QCOMPARE(r.status, 400);
        QVERIFY(json(r)["message"].get<std::string>().starts_with("malformed HTTP request"));
    }

    void keepAliveServesManyRequestsOnOneConnection() {
        RawHttp c(m_socket);
        for (int i = 0; i < 5; ++i) {
            QVERIFY(c.send(request("GET", "/_ping")));
            auto r = c.read();
            QCOMPARE(r.status, 200);
            QCOMPARE(r.body, std::string("OK"));
        }
        // Two requests in one write (pipelined) get two answers in order.
        c.send(request("GET", "/_ping") + request("POST", "/echo", R"({"a":1})"));
        QCOMPARE(c.read().body, std::string("OK"));
        QCOMPARE(json(c.read())["a"].get<int>(), 1);
    }

    void chunkedStreamCarriesEachMessage() {
        auto r = roundTrip(request("GET", "/stream"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers["transfer-encoding"], std::string("chunked"));
        QCOMPARE(r.body, std::string("{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n"));
    }

    void hijackAnswers101AloneThenFramesAndHonoursHalfClose() {
        RawHttp c(m_socket);
        // stdin already in flight in the same write as the request.
        c.send("POST /v1.41/attach HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
               "Content-Length: 0\r\n\r\nhello");
        // The first read returns the 101 answer and nothing else (docker-py reads it through
        // a buffer and would lose anything after it).
        std::string first = c.readSome(65536);
        QVERIFY2(first.starts_with("HTTP/1.1 101 UPGRADED\r\n"), first.c_str());
        QVERIFY2(first.ends_with("\r\n\r\n"), first.c_str());
        QVERIFY(first.find(std::string("Content-Type: ") + kMultiplexed) != std::string::npos);
        QCOMPARE(c.readExactly(8 + 5), frame(1, "hello"));
        c.send("world");
        QCOMPARE(c.readExactly(8 + 5), frame(1, "world"));
        c.shutdownWrite();  // stdin ends; output still flows
        QCOMPARE(c.readExactly(8 + 3), frame(2, "bye"));
        QVERIFY(c.closedByPeer());
    }

    void hijackWithoutUpgradeAnswers200() {
        RawHttp c(m_socket);
        c.send("POST /attach HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n");
        auto h = c.readHeader();
        QCOMPARE(h.status, 200);
        QCOMPARE(h.headers["content-type"], std::string(kMultiplexed));
        c.shutdownWrite();
        QCOMPARE(c.readExactly(8 + 3), frame(2, "bye"));
    }

    void pumpFramesOutputAndPassesStdinUntilHalfClose() {
        RawHttp c(m_socket);
        c.send("POST /pump HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n");
        QCOMPARE(c.readHeader().status, 101);
        QCOMPARE(c.readExactly(8 + 4), frame(1, "out\n"));
        QCOMPARE(c.readExactly(8 + 4), frame(2, "err\n"));
        c.send("ping");
        QCOMPARE(c.readExactly(8 + 4), frame(1, "ping"));
        c.shutdownWrite();
        QVERIFY(c.closedByPeer());
    }

    void pumpWithTtyIsRawAndDropsWhatWasNotAskedFor() {
        RawHttp c(m_socket);
        c.send("POST /pump?tty=1 HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n");
        auto h = c.readHeader();
        QCOMPARE(h.status, 101);
        QCOMPARE(h.headers["content-type"], std::string("application/vnd.docker.raw-stream"));
        QCOMPARE(c.readExactly(8), std::string("out\nerr\n"));
        c.shutdownWrite();
        QVERIFY(c.closedByPeer());

        RawHttp d(m_socket);
        d.send("POST /pump?nostderr=1 HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n");
        QCOMPARE(d.readHeader().status, 101);
        d.shutdownWrite();
        QCOMPARE(d.readToEnd(), frame(1, "out\n"));
    }

    void clientHangingUpCancelsItsRequest() {
        int before = m_cancelled;
        int waitingBefore = m_waiting;
        {
            RawHttp c(m_socket);
            c.send(request("POST", "/wait"));
            // The request reached its handler, which is still waiting while the client is
            // there: not cancelled, nothing answered.
            QTRY_COMPARE_WITH_TIMEOUT(m_waiting.load(), waitingBefore + 1, 30000);
            QCOMPARE(m_cancelled.load(), before);
            QVERIFY(c.readSome(1, std::chrono::milliseconds(0)).empty());
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_cancelled.load(), before + 1, 30000);
        QCOMPARE(roundTrip(request("GET", "/_ping")).status, 200);
    }

    void stuckClientDoesNotHoldUpAnother() {
        // One client sends half a request and then nothing; another is served meanwhile,
        // as is a third that waits on a long request.
        RawHttp stuck(m_socket);
        stuck.send("GET /_ping HTTP/1.1\r\nHo");
        RawHttp waiting(m_socket);
        waiting.send(request("POST", "/wait"));
        for (int i = 0; i < 3; ++i) QCOMPARE(roundTrip(request("GET", "/_ping")).status, 200);
    }
};

// The service ends once nothing has been asked for its idle time.
class TestDockerApiIdle : public QObject {
    Q_OBJECT

private slots:
    void serverReturnsWhenIdle() {
        berth::test::TempDir dir;
        Router router;
        addPingRoutes(router);
        Server server(router);
        auto fd = listenUnix(dir.path() / "s.sock");
        QVERIFY(fd);
        server.addListener(*fd);
        std::atomic<bool> returned{false};
        std::thread t([&] {
            server.run(std::chrono::milliseconds(300));
            returned = true;
        });
        {
            RawHttp c((dir.path() / "s.sock").string());
            c.send(request("GET", "/_ping"));
            QCOMPARE(c.read().status, 200);
        }
        QTRY_VERIFY(returned.load());
        t.join();
    }
};

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    TestDockerApiHttp http;
    TestDockerApiIdle idle;
    return berth::test::runTestSuites(argc, argv, {&http, &idle});
}
#include "tst_dockerapi_http.moc"
