#pragma once
// LogIndexer: a worker thread that keeps a line index (the byte offset where each line
// starts) over a growing container log, through the engine's LogFile (berth/containers.h):
// it reads only what was appended since last time, in large chunks, so a million-line log
// is indexed in a fraction of a second without ever touching the GUI thread. The owner
// drains new offsets with take().

#include "berth/containers.h"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace berth::ui {

class LogIndexer {
public:
    // `notify` is called on the worker thread whenever new offsets are ready and the
    // previous notification was taken; it must only post (e.g. a queued invoke).
    LogIndexer(std::shared_ptr<LogFile> log, std::function<void()> notify);
    ~LogIndexer();
    LogIndexer(const LogIndexer&) = delete;
    LogIndexer& operator=(const LogIndexer&) = delete;

    // Asks the worker to look for appended data now (the log's change fd calls this).
    void wake();
    // New line starts since the last take(), and the end of the last complete line.
    struct Batch {
        std::vector<int64_t> starts;
        int64_t end = 0;
        bool truncated = false;  // rotated or truncated: the owner starts over
    };
    Batch take();

private:
    void run(std::stop_token stop);

    std::shared_ptr<LogFile> m_log;
    std::function<void()> m_notify;
    std::mutex m_mutex;
    std::condition_variable_any m_cv;
    bool m_wake = true;
    Batch m_pending;
    bool m_notified = false;
    std::jthread m_thread;
};

} // namespace berth::ui
