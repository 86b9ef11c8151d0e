#include "registry/background_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>

namespace berth::registry {

namespace {
// Between two syncs: short enough that little piles up, long enough that an idle loop
// costs nothing worth measuring.
constexpr auto kPause = std::chrono::milliseconds(100);
}

BackgroundSync::BackgroundSync(const std::filesystem::path& dir)
    : m_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (m_fd) m_thread = std::thread([this] { run(); });
}

BackgroundSync::~BackgroundSync() { stop(); }

void BackgroundSync::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void BackgroundSync::run() {
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        lock.unlock();
        // A failure is not ours to report: the commit's syncfs will report it.
        (void)::syncfs(m_fd.get());
        lock.lock();
        m_cv.wait_for(lock, kPause, [&] { return m_stop; });
    }
}

} // namespace berth::registry
