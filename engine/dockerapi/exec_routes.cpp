// Exec: POST /containers/{id}/exec records an instance (in this process, as dockerd keeps
// them in memory), POST /exec/{id}/start runs it through Containers::exec, hijacked
// (stdin, multiplexed or raw output) or detached, and GET /exec/{id}/json reports whether
// it runs and its exit code (docker exec and docker-py's exec_run read it from there).
#include "api_error.h"
#include "json_fields.h"
#include "routes.h"
#include "sessions.h"
#include "stream_pump.h"

#include "berth/engine.h"
#include "berth/run_flags.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

namespace berth::dockerapi {

namespace {

using nlohmann::json;

void create(Engine& engine, Sessions& sessions, Request& req, Response& res) {
    json body = req.jsonBody();
    auto d = check(engine.containers().inspect(req.param("id")));
    if (d.summary.state == ContainerStatus::Paused) conflict("Container " + d.summary.id + " is paused, unpause the container before exec");
    if (d.summary.state != ContainerStatus::Running) conflict("Container " + d.summary.id + " is not running");
    ExecInstance e;
    e.containerId = d.summary.id;
    e.request.cmd = strings(body, "Cmd");
    if (e.request.cmd.empty()) badRequest("No exec command specified");
    for (auto& v : strings(body, "Env"))
        if (v.find('=') != std::string::npos) e.request.env.push_back(v);  // "K" alone would copy the service's
    e.request.user = str(body, "User");
    e.request.workingDir = str(body, "WorkingDir");
    e.request.tty = flag(body, "Tty");
    e.request.privileged = flag(body, "Privileged");
    e.attachStdin = flag(body, "AttachStdin");
    e.attachStdout = flag(body, "AttachStdout");
    e.attachStderr = flag(body, "AttachStderr");
    e.request.interactive = e.attachStdin;
    if (std::string keys = str(body, "DetachKeys"); !keys.empty())
        e.request.detachKeys = check(parseDetachKeys(keys));
    auto size = consoleSize(body);
    std::string id = sessions.execs.add(std::move(e));
    if (size) sessions.resizers.resize("exec/" + id, size->first, size->second);
    res.json(201, {{"Id", id}});
}

ExecInstance find(Sessions& sessions, const std::string& id) {
    auto e = sessions.execs.get(id);
    if (!e) notFound("No such exec instance: " + id);
    return *e;
}

// The exit code docker reports for an exec that could not start.
int failedExecCode(const Error& e) { return e.code() == Errc::CommandNotFound ? 127 : 126; }

void start(Engine& engine, Sessions& sessions, Request& req, Response& res) {
    json body = req.jsonBody();
    ExecInstance e = find(sessions, req.param("id"));
    if (!sessions.execs.begin(e.id)) conflict("Exec " + e.id + " has already been started");
    if (flag(body, "Detach")) {
        // Attached to nothing (output discarded, as dockerd does) on a thread of its own,
        // which records the exit code; the answer comes once the process runs.
        ExecRequest request = e.request;
        request.interactive = false;
        auto failed = sessions.detached.start(
            [&engine, containerId = e.containerId, request](std::function<void()> started) mutable {
                request.onStarted = std::move(started);
                return engine.containers().exec(containerId, request, AttachIo{});
            },
            [&execs = sessions.execs, id = e.id](const Result<int>& code) {
                execs.finish(id, code ? (*code == kDetached ? std::nullopt : std::optional<int>(*code))
                                      : std::optional<int>(failedExecCode(code.error())));
            });
        if (failed) raise(*failed);
        res.text(200, "");
        return;
    }
    const bool tty = e.request.tty;
    StreamPump pump(res.hijack(tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream"),
                    {.tty = tty, .stdinOpen = e.attachStdin, .stdoutOn = e.attachStdout, .stderrOn = e.attachStderr});
    Resizers::Registration resizable;
    if (tty) resizable = sessions.resizers.add("exec/" + e.id, [&pump](unsigned short rows, unsigned short cols) {
        pump.resize(rows, cols);
    });
    pump.start();
    AttachIo io = pump.io();
    auto code = engine.containers().exec(e.containerId, e.request, io);
    if (!code) {
        // Said on the stream, as dockerd does, and as the exit code docker exec shows.
        std::string msg = apiError(code.error()).message + "\r\n";
        (void)!::write(tty ? pump.stdoutFd() : pump.stderrFd(), msg.data(), msg.size());
    }
    sessions.execs.finish(e.id, code ? (*code == kDetached ? std::nullopt : std::optional<int>(*code))
                                     : std::optional<int>(failedExecCode(code.error())));
    pump.finish();
}

void inspect(Sessions& sessions, Request& req, Response& res) {
    ExecInstance e = find(sessions, req.param("id"));
    const auto& cmd = e.request.cmd;
    json args = json::array();
    for (size_t i = 1; i < cmd.size(); ++i) args.push_back(cmd[i]);
    res.json(200, {{"ID", e.id},
                   {"Running", e.running},
                   {"ExitCode", e.exitCode ? json(*e.exitCode) : json(nullptr)},
                   {"ProcessConfig",
                    {{"tty", e.request.tty},
                     {"entrypoint", cmd.empty() ? "" : cmd[0]},
                     {"arguments", args},
                     {"privileged", e.request.privileged},
                     {"user", e.request.user}}},
                   {"OpenStdin", e.attachStdin},
                   {"OpenStderr", e.attachStderr},
                   {"OpenStdout", e.attachStdout},
                   {"CanRemove", false},
                   {"ContainerID", e.containerId},
                   {"DetachKeys", ""},
                   {"Pid", 0}});
}

} // namespace

void addExecRoutes(Router& r, Engine& engine, Sessions& sessions) {
    r.add("POST", "/containers/{id}/exec",
          [&engine, &sessions](Request& req, Response& res) { create(engine, sessions, req, res); });
    r.add("POST", "/exec/{id}/start",
          [&engine, &sessions](Request& req, Response& res) { start(engine, sessions, req, res); });
    r.add("GET", "/exec/{id}/json", [&sessions](Request& req, Response& res) { inspect(sessions, req, res); });
    // A -t exec's pty takes the client's terminal size (docker exec -it asks at the start
    // and on every SIGWINCH).
    r.add("POST", "/exec/{id}/resize", [&sessions](Request& req, Response& res) {
        resizeStreams(sessions, "exec/" + find(sessions, req.param("id")).id, req);
        res.text(200, "");
    });
}

std::optional<std::pair<unsigned short, unsigned short>> consoleSize(const json& j) {
    const json* size = field(j, "ConsoleSize");
    if (!size || size->is_null()) return std::nullopt;
    auto dimension = [](const json& v) -> int64_t { return v.is_number_integer() ? v.get<int64_t>() : -1; };
    if (!size->is_array() || size->size() != 2) badRequest("ConsoleSize must be [height, width]");
    int64_t rows = dimension((*size)[0]), cols = dimension((*size)[1]);
    if (rows == 0 && cols == 0) return std::nullopt;
    if (rows <= 0 || cols <= 0 || rows > 65535 || cols > 65535)
        badRequest("ConsoleSize must be two whole numbers from 1 to 65535");
    return std::make_pair((unsigned short)rows, (unsigned short)cols);
}

void resizeStreams(Sessions& sessions, const std::string& key, const Request& req) {
    int64_t rows = req.query.integer("h", 0), cols = req.query.integer("w", 0);
    if (rows <= 0 || cols <= 0 || rows > 65535 || cols > 65535)
        badRequest("resize: h and w must be whole numbers from 1 to 65535");
    sessions.resizers.resize(key, (unsigned short)rows, (unsigned short)cols);
}

} // namespace berth::dockerapi
