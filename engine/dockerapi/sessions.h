#pragma once
// What the API keeps between requests, in this process only (dockerd keeps them in memory
// too): exec instances (POST /containers/{id}/exec makes one, /exec/{id}/start runs it,
// /exec/{id}/json reports its exit code) and attachments waiting for their container's
// start (docker run attaches to the created container first, then asks for the start in
// another request, and must see the output from the first byte).

#include "berth/containers.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace berth::dockerapi {

struct ExecInstance {
    std::string id;           // 64 hex
    std::string containerId;  // 64 hex
    ExecRequest request;
    bool attachStdin = false, attachStdout = false, attachStderr = false;
    bool started = false;
    bool running = false;
    std::optional<int> exitCode;
};

class ExecRegistry {
public:
    // Keeps the newest kMax instances (the oldest finished ones go first).
    static constexpr size_t kMax = 1000;
    std::string add(ExecInstance instance);  // returns its new id
    std::optional<ExecInstance> get(const std::string& id);
    // Marks it started; false when it was started before (docker: 409).
    bool begin(const std::string& id);
    void finish(const std::string& id, std::optional<int> exitCode);

private:
    std::mutex m_mutex;
    std::map<std::string, ExecInstance> m_execs;
    std::deque<std::string> m_order;
};

// An attachment that waits for its container's start.
struct PendingStart {
    // Waiting -> Asked (a start request came) -> Failed (the start failed) / Ended (it ran
    // and exited); Elsewhere: another attachment started it, attach normally.
    enum class Phase { Waiting, Asked, Failed, Ended, Elsewhere };
    std::mutex mutex;
    std::condition_variable cv;
    Phase phase = Phase::Waiting;
    std::optional<Error> error;

    void set(Phase p, std::optional<Error> e = std::nullopt);
};

class PendingStarts {
public:
    std::shared_ptr<PendingStart> add(const std::string& containerId);
    void remove(const std::string& containerId, const std::shared_ptr<PendingStart>& pending);
    // The start request: when an attachment waits for this container, it is asked to start
    // it (it streams the output from the start on) and this returns once the process runs
    // or failed to (`running` tells the former: the attachment's call returns only at the
    // exit). Nullopt when no attachment waits: the caller starts it itself.
    std::optional<VoidResult> startThroughAttachment(const std::string& containerId,
                                                     const std::function<bool()>& running);

private:
    std::mutex m_mutex;
    std::multimap<std::string, std::shared_ptr<PendingStart>> m_pending;
};

// Detached execs (POST /exec/{id}/start with Detach): dockerd answers once the process
// runs and keeps its exit code for GET /exec/{id}/json. Each runs attached to nothing on a
// thread of its own that records the code; while one runs the service counts as busy, so
// it does not exit idle and lose it. A service ended by a signal lets them run on (their
// codes are lost with the service, as dockerd's with a restart).
class DetachedExecs {
public:
    using ExecFn = std::function<Result<int>(std::function<void()> started)>;
    using DoneFn = std::function<void(const Result<int>&)>;
    DetachedExecs();
    // The server's busy/idle counting, set once it exists.
    void setActivity(std::function<void()> busy, std::function<void()> idle);
    // The service is ending: threads still running record nothing and touch no server.
    void close();
    // Runs `exec` on its own thread (it calls `started` once the process runs, then returns
    // its exit code) and returns once the process started (nullopt) or failed to (the
    // error). `done` gets the exit code or the failure, unless closed by then.
    std::optional<Error> start(ExecFn exec, DoneFn done);

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
};

// Hijacked streams with a tty, by key ("container/<id>", "exec/<id>"): POST
// /containers/{id}/resize and /exec/{id}/resize reach them here. A Registration is held
// while its stream lives. The last size asked for a key (a resize, or ConsoleSize at
// create) is kept, and a stream registered later starts at it: docker's CLIs send the size
// with the create (API 1.42+) or resize before the start reaches us.
class Resizers {
public:
    using Fn = std::function<void(unsigned short rows, unsigned short cols)>;
    class Registration {
    public:
        Registration() = default;
        Registration(Resizers* owner, std::string key, uint64_t token) : m_owner(owner), m_key(std::move(key)), m_token(token) {}
        Registration(Registration&& o) noexcept { *this = std::move(o); }
        Registration& operator=(Registration&& o) noexcept {
            if (this != &o) {
                release();
                m_owner = std::exchange(o.m_owner, nullptr);
                m_key = std::move(o.m_key);
                m_token = o.m_token;
            }
            return *this;
        }
        ~Registration() { release(); }
        void release() {
            if (m_owner) std::exchange(m_owner, nullptr)->remove(m_key, m_token);
        }

    private:
        Resizers* m_owner = nullptr;
        std::string m_key;
        uint64_t m_token = 0;
    };
    // Registers `fn`, calling it at once with the size kept for `key`, if any.
    Registration add(const std::string& key, Fn fn);
    // Keeps the size for `key` and gives it to every stream under it (under the lock: none
    // goes away meanwhile).
    void resize(const std::string& key, unsigned short rows, unsigned short cols);

private:
    static constexpr size_t kMaxSizes = 4096;  // the oldest sizes kept are forgotten first
    void remove(const std::string& key, uint64_t token);
    std::mutex m_mutex;
    uint64_t m_next = 1;
    std::multimap<std::string, std::pair<uint64_t, Fn>> m_streams;
    std::map<std::string, std::pair<unsigned short, unsigned short>> m_sizes;
    std::deque<std::string> m_sizeOrder;
};

struct Sessions {
    ExecRegistry execs;
    PendingStarts starts;
    DetachedExecs detached;
    Resizers resizers;
};

// 64 random hex digits (exec ids).
std::string randomHexId();

} // namespace berth::dockerapi
