// Exec instances and attachments waiting for a start (see sessions.h).
#include "sessions.h"

#include <sys/random.h>

#include <chrono>
#include <cstdio>
#include <thread>

namespace berth::dockerapi {

std::string randomHexId() {
    unsigned char bytes[32];
    size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
        if (n > 0) got += size_t(n);
    }
    std::string out;
    char hex[3];
    for (unsigned char b : bytes) {
        std::snprintf(hex, sizeof hex, "%02x", b);
        out += hex;
    }
    return out;
}

std::string ExecRegistry::add(ExecInstance instance) {
    std::lock_guard lock(m_mutex);
    instance.id = randomHexId();
    std::string id = instance.id;
    m_execs[id] = std::move(instance);
    m_order.push_back(id);
    // Forget the oldest instances that are not running (a client asks for an exit code
    // right after the end; a thousand later it no longer will).
    for (size_t i = 0; m_execs.size() > kMax && i < m_order.size();) {
        auto it = m_execs.find(m_order[i]);
        if (it == m_execs.end() || !it->second.running) {
            if (it != m_execs.end()) m_execs.erase(it);
            m_order.erase(m_order.begin() + long(i));
        } else {
            ++i;
        }
    }
    return id;
}

std::optional<ExecInstance> ExecRegistry::get(const std::string& id) {
    std::lock_guard lock(m_mutex);
    auto it = m_execs.find(id);
    if (it == m_execs.end()) return std::nullopt;
    return it->second;
}

bool ExecRegistry::begin(const std::string& id) {
    std::lock_guard lock(m_mutex);
    auto it = m_execs.find(id);
    if (it == m_execs.end() || it->second.started) return false;
    it->second.started = true;
    it->second.running = true;
    return true;
}

void ExecRegistry::finish(const std::string& id, std::optional<int> exitCode) {
    std::lock_guard lock(m_mutex);
    auto it = m_execs.find(id);
    if (it == m_execs.end()) return;
    it->second.running = false;
    it->second.exitCode = exitCode;
}

void PendingStart::set(Phase p, std::optional<Error> e) {
    std::lock_guard lock(mutex);
    phase = p;
    error = std::move(e);
    cv.notify_all();
}

std::shared_ptr<PendingStart> PendingStarts::add(const std::string& containerId) {
    auto p = std::make_shared<PendingStart>();
    std::lock_guard lock(m_mutex);
    m_pending.emplace(containerId, p);
    return p;
}

void PendingStarts::remove(const std::string& containerId, const std::shared_ptr<PendingStart>& pending) {
    std::lock_guard lock(m_mutex);
    auto [from, to] = m_pending.equal_range(containerId);
    for (auto it = from; it != to; ++it)
        if (it->second == pending) {
            m_pending.erase(it);
            return;
        }
}

std::optional<VoidResult> PendingStarts::startThroughAttachment(const std::string& containerId,
                                                                const std::function<bool()>& running) {
    std::shared_ptr<PendingStart> p;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_pending.find(containerId);
        if (it == m_pending.end()) return std::nullopt;
        p = it->second;
        m_pending.erase(it);
        // Any other attachment to the same container attaches once it runs.
        for (auto [o, end] = m_pending.equal_range(containerId); o != end; ++o) o->second->set(PendingStart::Phase::Elsewhere);
        m_pending.erase(containerId);
    }
    std::unique_lock lock(p->mutex);
    if (p->phase != PendingStart::Phase::Waiting) return std::nullopt;  // its client went away
    p->phase = PendingStart::Phase::Asked;
    p->cv.notify_all();
    // Looked at often at first (most starts take a few ms), then every 20 ms.
    for (int i = 0; p->phase == PendingStart::Phase::Asked; ++i) {
        p->cv.wait_for(lock, std::chrono::milliseconds(i < 20 ? 2 : 20));
        if (p->phase != PendingStart::Phase::Asked) break;
        lock.unlock();
        bool up = running();
        lock.lock();
        if (up) break;
    }
    if (p->phase == PendingStart::Phase::Failed && p->error) return std::unexpected(*p->error);
    return VoidResult{};
}

struct DetachedExecs::Shared {
    std::mutex mutex;
    bool closed = false;
    std::function<void()> busy, idle;
};

DetachedExecs::DetachedExecs() : m_shared(std::make_shared<Shared>()) {}

void DetachedExecs::setActivity(std::function<void()> busy, std::function<void()> idle) {
    std::lock_guard lock(m_shared->mutex);
    m_shared->busy = std::move(busy);
    m_shared->idle = std::move(idle);
}

void DetachedExecs::close() {
    std::lock_guard lock(m_shared->mutex);
    m_shared->closed = true;
}

std::optional<Error> DetachedExecs::start(ExecFn exec, DoneFn done) {
    struct Start {
        std::mutex mutex;
        std::condition_variable cv;
        bool started = false;
        std::optional<Result<int>> result;
    };
    auto st = std::make_shared<Start>();
    {
        std::lock_guard lock(m_shared->mutex);
        if (m_shared->closed) return Error(Errc::Unavailable, "the service is ending");
        if (m_shared->busy) m_shared->busy();
    }
    auto body = [shared = m_shared, st, exec = std::move(exec), done = std::move(done)] {
        Result<int> r = exec([st] {
            std::lock_guard lock(st->mutex);
            st->started = true;
            st->cv.notify_all();
        });
        {
            std::lock_guard lock(st->mutex);
            st->result = r;
            st->cv.notify_all();
        }
        std::lock_guard lock(shared->mutex);
        if (shared->closed) return;
        done(r);
        if (shared->idle) shared->idle();
    };
    try {
        std::thread(std::move(body)).detach();
    } catch (const std::system_error& e) {
        std::lock_guard lock(m_shared->mutex);
        if (m_shared->idle) m_shared->idle();
        return Error(Errc::System, std::string("start a thread for the exec: ") + e.what());
    }
    std::unique_lock lock(st->mutex);
    st->cv.wait(lock, [&] { return st->started || st->result.has_value(); });
    if (!st->started && !*st->result) return st->result->error();
    return std::nullopt;
}

Resizers::Registration Resizers::add(const std::string& key, Fn fn) {
    std::lock_guard lock(m_mutex);
    uint64_t token = m_next++;
    if (auto size = m_sizes.find(key); size != m_sizes.end()) fn(size->second.first, size->second.second);
    m_streams.emplace(key, std::make_pair(token, std::move(fn)));
    return Registration(this, key, token);
}

void Resizers::remove(const std::string& key, uint64_t token) {
    std::lock_guard lock(m_mutex);
    auto [from, to] = m_streams.equal_range(key);
    for (auto it = from; it != to; ++it)
        if (it->second.first == token) {
            m_streams.erase(it);
            return;
        }
}

void Resizers::resize(const std::string& key, unsigned short rows, unsigned short cols) {
    std::lock_guard lock(m_mutex);
    if (m_sizes.insert_or_assign(key, std::make_pair(rows, cols)).second) {
        m_sizeOrder.push_back(key);
        if (m_sizeOrder.size() > kMaxSizes) {
            m_sizes.erase(m_sizeOrder.front());
            m_sizeOrder.pop_front();
        }
    }
    auto [from, to] = m_streams.equal_range(key);
    for (auto it = from; it != to; ++it) it->second.second(rows, cols);
}

} // namespace berth::dockerapi
