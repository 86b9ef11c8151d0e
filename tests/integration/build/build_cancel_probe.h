#pragma once
// Probes for what a cancelled build could leave behind, shared by the CLI cancel test
// (build_cancel) and the Build… dialog test: the RUN container's id from the store's
// journal, the host processes in that container's cgroup (found by /proc/<pid>/cgroup, so
// another test's `sleep` never counts), its cgroup directories, and a pidfd that says
// whether one exact process has ended.

#include <nlohmann/json.hpp>

#include <dirent.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace berth::test {

// Full id of the newest RUN container ("berth-build-…") the store's events journal
// recorded as created; "" when there is none.
inline std::string lastBuildContainerId(const std::filesystem::path& root) {
    std::ifstream in(root / "events.jsonl");
    std::string line, id;
    while (std::getline(in, line)) {
        auto e = nlohmann::json::parse(line, nullptr, false);
        if (e.is_discarded() || e.value("type", "") != "container" || e.value("action", "") != "create") continue;
        std::string name = e.value("name", "");
        if (name.rfind("berth-build-", 0) == 0) id = e.value("id", "");
    }
    return id;
}

inline std::string readProcFile(pid_t pid, const char* file) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/" + file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Host pids whose cgroup path names `containerId` (and, when `argv` is given, whose
// command line is exactly `argv`).
inline std::vector<pid_t> processesOfContainer(const std::string& containerId, const std::vector<std::string>& argv = {}) {
    std::vector<pid_t> out;
    if (containerId.empty()) return out;
    std::string wanted;
    for (auto& a : argv) wanted += a + '\0';
    DIR* d = ::opendir("/proc");
    if (!d) return out;
    while (dirent* e = ::readdir(d)) {
        char* end = nullptr;
        long pid = std::strtol(e->d_name, &end, 10);
        if (pid <= 0 || *end) continue;
        if (readProcFile(pid_t(pid), "cgroup").find(containerId) == std::string::npos) continue;
        if (!argv.empty() && readProcFile(pid_t(pid), "cmdline") != wanted) continue;
        out.push_back(pid_t(pid));
    }
    ::closedir(d);
    return out;
}

// cgroup directories named after the container, in every hierarchy under /sys/fs/cgroup
// (the v1 controllers, the unified one, or a v2 root).
inline std::vector<std::filesystem::path> cgroupDirsOf(const std::string& containerId) {
    namespace fs = std::filesystem;
    std::vector<fs::path> out;
    if (containerId.empty()) return out;
    std::error_code ec;
    std::vector<fs::path> roots{"/sys/fs/cgroup"};
    for (auto& h : fs::directory_iterator("/sys/fs/cgroup", ec))
        if (h.is_directory(ec) && !h.is_symlink(ec)) roots.push_back(h.path());
    for (auto& r : roots)
        for (auto& where : {r / "berth" / containerId, r / containerId})
            if (fs::exists(where, ec)) out.push_back(where);
    return out;
}

// A pidfd on one process: ended() is true once that very process has exited (no pid reuse
// can fool it).
class ProcessWatch {
public:
    explicit ProcessWatch(pid_t pid) : m_fd(int(::syscall(SYS_pidfd_open, pid, 0))) {}
    ~ProcessWatch() {
        if (m_fd >= 0) ::close(m_fd);
    }
    ProcessWatch(const ProcessWatch&) = delete;
    ProcessWatch& operator=(const ProcessWatch&) = delete;
    bool valid() const { return m_fd >= 0; }
    // Waits up to `ms` for the exit.
    bool ended(int ms = 0) const {
        if (m_fd < 0) return false;
        pollfd p{m_fd, POLLIN, 0};
        int r;
        do r = ::poll(&p, 1, ms);
        while (r < 0 && errno == EINTR);
        return r > 0;
    }

private:
    int m_fd = -1;
};

} // namespace berth::test
