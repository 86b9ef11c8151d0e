#include "logindexer.h"

#include <QFile>

#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace berth::ui {

LogIndexer::LogIndexer(QString path, std::function<void()> notify)
    : m_path(std::move(path)), m_notify(std::move(notify)) {
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
    const QByteArray path = QFile::encodeName(m_path);
    int fd = -1;
    int64_t offset = 0;     // bytes scanned
    int64_t lineStart = 0;  // start of the line being scanned
    std::vector<char> buf(size_t(4) << 20);
    while (!stop.stop_requested()) {
        {
            std::unique_lock lock(m_mutex);
            // The watcher wakes us on writes; the timeout covers a log file that appears
            // later or is replaced (rotation), which inotify on the file cannot see.
            m_cv.wait_for(lock, stop, std::chrono::milliseconds(500), [this] { return m_wake; });
            m_wake = false;
        }
        if (stop.stop_requested()) break;
        if (fd < 0) {
            fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) continue;
        }
        struct stat st{};
        if (::fstat(fd, &st) != 0) continue;
        if (st.st_size < offset) {  // truncated: start over
            offset = lineStart = 0;
            bool notify = false;
            {
                std::lock_guard lock(m_mutex);
                m_pending = Batch{};
                m_pending.truncated = true;
                if (!m_notified) notify = m_notified = true;
            }
            if (notify) m_notify();
        }
        while (!stop.stop_requested()) {
            const ssize_t n = ::pread(fd, buf.data(), buf.size(), offset);
            if (n <= 0) break;
            std::vector<int64_t> starts;
            const char* p = buf.data();
            const char* end = p + n;
            while (p < end) {
                const char* nl = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
                if (!nl) break;
                starts.push_back(lineStart);
                lineStart = offset + (nl - buf.data()) + 1;
                p = nl + 1;
            }
            offset += n;
            if (!starts.empty()) {
                bool notify = false;
                {
                    std::lock_guard lock(m_mutex);
                    m_pending.starts.insert(m_pending.starts.end(), starts.begin(), starts.end());
                    m_pending.end = lineStart;
                    if (!m_notified) notify = m_notified = true;
                }
                if (notify) m_notify();
            }
        }
    }
    if (fd >= 0) ::close(fd);
}

} // namespace berth::ui
