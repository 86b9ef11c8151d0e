#include "logindexer.h"

namespace berth::ui {

LogIndexer::LogIndexer(std::shared_ptr<LogFile> log, std::function<void()> notify)
    : m_log(std::move(log)), m_notify(std::move(notify)) {
    m_thread = std::jthread([this](std::stop_token st) { run(st); });
}

LogIndexer::~LogIndexer() {
    m_thread.request_stop();
    m_cv.notify_all();
}

void LogIndexer::wake() {
    {
        std::lock_guard lock(m_mutex);
        m_wake = true;
    }
    m_cv.notify_all();
}

LogIndexer::Batch LogIndexer::take() {
    std::lock_guard lock(m_mutex);
    Batch out = std::move(m_pending);
    m_pending = Batch{};
    m_pending.end = out.end;
    m_notified = false;
    return out;
}

void LogIndexer::run(std::stop_token stop) {
    while (!stop.stop_requested()) {
        {
            std::unique_lock lock(m_mutex);
            // The change fd wakes us on writes; the timeout covers a log that appears later
            // or is replaced (rotation).
            m_cv.wait_for(lock, stop, std::chrono::milliseconds(500), [this] { return m_wake; });
            m_wake = false;
        }
        if (stop.stop_requested()) break;
        auto appended = m_log->readAppended();
        if (!appended || (appended->starts.empty() && !appended->restarted)) continue;
        bool notify = false;
        {
            std::lock_guard lock(m_mutex);
            if (appended->restarted) {
                m_pending = Batch{};
                m_pending.truncated = true;
            }
            m_pending.starts.insert(m_pending.starts.end(), appended->starts.begin(), appended->starts.end());
            m_pending.end = appended->end;
            if (!m_notified) notify = m_notified = true;
        }
        if (notify) m_notify();
    }
}

} // namespace berth::ui
