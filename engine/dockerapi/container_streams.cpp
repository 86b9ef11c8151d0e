// Containers' streams and waits: attach (hijacked; for a container not yet running it
// waits for the start request and streams from the first byte), logs (follow, tail,
// since/until, timestamps) and wait (not-running, next-exit, removed) from the events
// journal. A client that goes away ends the attachment (the container keeps running), the
// log stream and the wait.
#include "api_error.h"
#include "routes.h"
#include "sessions.h"
#include "stream_pump.h"

#include "berth/engine.h"
#include "berth/text.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace berth::dockerapi {

namespace {

using nlohmann::json;
using Phase = PendingStart::Phase;

constexpr std::string_view kRawStream = "application/vnd.docker.raw-stream";
constexpr std::string_view kMultiplexed = "application/vnd.docker.multiplexed-stream";

bool active(ContainerStatus s) {
    return s == ContainerStatus::Running || s == ContainerStatus::Paused || s == ContainerStatus::Restarting;
}

std::string_view streamType(const Request& req, bool tty) {
    // Before 1.42 dockerd called both raw-stream (the frames told them apart).
    return tty || !req.apiAtLeast("1.42") ? kRawStream : kMultiplexed;
}

// Waits until a start request hands this attachment the start, or its client goes away.
Phase awaitStart(PendingStart& p, const StreamPump& pump) {
    std::unique_lock lock(p.mutex);
    while (p.phase == Phase::Waiting) {
        p.cv.wait_for(lock, std::chrono::milliseconds(200));
        if (p.phase == Phase::Waiting && pump.clientGone()) p.phase = Phase::Ended;
    }
    return p.phase;
}

// The container is not running: wait for its start and stream from the first byte.
void attachBeforeStart(Engine& engine, Sessions& sessions, const std::string& id, StreamPump& pump,
                       const std::shared_ptr<PendingStart>& pending) {
    Phase phase = awaitStart(*pending, pump);
    sessions.starts.remove(id, pending);
    if (phase == Phase::Elsewhere) {
        // Another attachment started it: attach once it runs.
        for (int i = 0; i < 200 && !pump.clientGone(); ++i) {
            auto code = engine.containers().attach(id, pump.io());
            if (code || code.error().code() != Errc::Conflict) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return;
    }
    if (phase != Phase::Asked) return;
    auto code = engine.containers().startAttached(id, pump.io());
    std::lock_guard lock(pending->mutex);
    if (pending->phase == Phase::Asked) {
        pending->phase = code ? Phase::Ended : Phase::Failed;
        if (!code) pending->error = code.error();
        pending->cv.notify_all();
    }
}

void attach(Engine& engine, Sessions& sessions, Request& req, Response& res) {
    auto d = check(engine.containers().inspect(req.param("id")));
    const std::string id = d.summary.id;
    const bool tty = d.request.tty;
    if (!req.query.boolean("stream") && !req.query.boolean("logs"))
        badRequest("Bad parameters: stream or logs must be true");
    StreamPump::Options options{.tty = tty,
                                .stdinOpen = req.query.boolean("stdin") && d.request.interactive,
                                .stdoutOn = req.query.boolean("stdout"),
                                .stderrOn = req.query.boolean("stderr")};
    // Registered before the answer: the client sends its start as soon as it has read it.
    std::shared_ptr<PendingStart> pending;
    if (!active(d.summary.state)) pending = sessions.starts.add(id);
    StreamPump pump(res.hijack(streamType(req, tty)), options);
    Resizers::Registration resizable;
    if (tty) resizable = sessions.resizers.add("container/" + id, [&pump](unsigned short rows, unsigned short cols) {
        pump.resize(rows, cols);
    });
    pump.start();
    if (pending) attachBeforeStart(engine, sessions, id, pump, pending);
    else (void)engine.containers().attach(id, pump.io());
    pump.finish();
}

LogsOptions logsOptions(const Request& req) {
    LogsOptions o;
    o.follow = req.query.boolean("follow");
    std::string tail = req.query.get("tail", "all");
    if (tail != "all" && !tail.empty()) {
        o.tail = req.query.integer("tail", -1);
        if (o.tail < 0) o.tail = -1;
    }
    o.sinceNano = unixTimeNano(req.query.get("since"), "since");
    o.untilNano = unixTimeNano(req.query.get("until"), "until");
    return o;
}

void logs(Engine& engine, Request& req, Response& res) {
    auto d = check(engine.containers().inspect(req.param("id")));
    bool out = req.query.boolean("stdout"), err = req.query.boolean("stderr");
    if (!out && !err) badRequest("Bad parameters: you must choose at least one stream");
    LogsOptions options = logsOptions(req);
    const bool tty = d.request.tty, stamps = req.query.boolean("timestamps");
    ChunkSink& sink = res.stream(200, streamType(req, tty));
    std::string text;
    (void)engine.containers().logs(
        d.summary.id, options,
        [&](const LogLine& l) {
            bool isErr = l.stream == "stderr";
            if (isErr ? !err : !out) return true;
            text = stamps ? formatTimeNano(l.timeNano) + " " + l.text : l.text;
            return sink.write(tty ? text : frame(isErr ? 2 : 1, text));
        },
        req.stop);
}

void wait(Engine& engine, Request& req, Response& res) {
    std::string condition = req.query.get("condition", "not-running");
    if (condition.empty()) condition = "not-running";
    if (condition != "not-running" && condition != "next-exit" && condition != "removed")
        badRequest("invalid condition: \"" + condition + "\"");
    // Events from now on are replayed from the journal: none between this look and the
    // follow below is missed.
    EventFilter filter;
    filter.sinceNano = nowNano();
    auto d = check(engine.containers().inspect(req.param("id")));
    int lastExit = d.summary.exitCode;
    auto answer = [](int code) { return json{{"StatusCode", code}, {"Error", nullptr}}.dump() + "\n"; };
    if (condition == "not-running" && !active(d.summary.state)) {
        res.send(200, "application/json", answer(lastExit));
        return;
    }
    filter.filters["type"] = {"container"};
    filter.filters["container"] = {d.summary.id};
    // The answer's header now (docker's clients wait for it before they start the
    // container); its body once the condition holds.
    ChunkSink& sink = res.stream(200, "application/json");
    std::optional<int> code;
    (void)engine.system().followEvents(
        filter,
        [&](const Event& e) {
            if (e.action == "die") {
                auto it = e.attributes.find("exitCode");
                lastExit = it == e.attributes.end() ? 0 : std::atoi(it->second.c_str());
                if (condition != "removed") code = lastExit;
            } else if (e.action == "destroy" && condition == "removed") {
                code = lastExit;
            }
            return !code;
        },
        req.stop);
    if (code) sink.write(answer(*code));
}

} // namespace

void addContainerStreamRoutes(Router& r, Engine& engine, Sessions& sessions) {
    r.add("POST", "/containers/{id}/attach",
          [&engine, &sessions](Request& req, Response& res) { attach(engine, sessions, req, res); });
    r.add("GET", "/containers/{id}/logs", [&engine](Request& req, Response& res) { logs(engine, req, res); });
    r.add("POST", "/containers/{id}/wait", [&engine](Request& req, Response& res) { wait(engine, req, res); });
}

} // namespace berth::dockerapi
