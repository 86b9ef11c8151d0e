#pragma once
// BackgroundSync: while a pull downloads and extracts, a thread keeps handing what it has
// written to the disk (syncfs in a loop), so the durable sync before the commit finds
// little left to write instead of every blob and every extracted file at once. It only
// adds syncs; the commit's own syncfs stays where it is.

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "sys/unique_fd.h"

namespace berth::registry {

class BackgroundSync {
public:
    // Syncs the file system holding `dir`. Does nothing when `dir` cannot be opened.
    explicit BackgroundSync(const std::filesystem::path& dir);
    ~BackgroundSync();  // stops (waits for a sync in progress)
    BackgroundSync(const BackgroundSync&) = delete;
    BackgroundSync& operator=(const BackgroundSync&) = delete;

    void stop();

private:
    void run();

    sys::UniqueFd m_fd;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace berth::registry
