#include "cgroup/migration_warmup.h"

#include "sys/fs.h"

#include <fcntl.h>
#include <unistd.h>

#include <sstream>
#include <string>
#include <thread>

namespace berth::cgroup {

namespace {

// The cgroup.procs file of this process's own cgroup in one of the host's hierarchies,
// verified to list this process (so writing to it moves nothing), or "".
std::string ownProcsFile() {
    auto self = sys::readFile("/proc/self/cgroup", 1 << 16);
    if (!self) return {};
    std::string pid = std::to_string(::getpid());
    std::istringstream lines(*self);
    std::string line;
    while (std::getline(lines, line)) {
        // "4:memory:/path" (v1), "1:name=systemd:/path", "0::/path" (v2)
        auto first = line.find(':');
        auto second = first == std::string::npos ? first : line.find(':', first + 1);
        if (second == std::string::npos) continue;
        std::string controllers = line.substr(first + 1, second - first - 1);
        std::string path = line.substr(second + 1);
        if (path.empty() || path[0] != '/' || path.find("..") != std::string::npos) continue;
        if (controllers.rfind("name=", 0) == 0) controllers.erase(0, 5);
        std::string dirs[2];
        if (controllers.empty()) {
            dirs[0] = "/sys/fs/cgroup" + path;
            dirs[1] = "/sys/fs/cgroup/unified" + path;
        } else {
            dirs[0] = "/sys/fs/cgroup/" + controllers + path;
        }
        for (const auto& dir : dirs) {
            if (dir.empty()) continue;
            std::string procs = dir + (dir.back() == '/' ? "" : "/") + "cgroup.procs";
            auto listed = sys::readFile(procs, 1 << 22);
            if (!listed) continue;
            std::istringstream pids(*listed);
            std::string p;
            while (pids >> p)
                if (p == pid) return procs;
        }
    }
    return {};
}

} // namespace

void warmUpMigration() {
    if (::geteuid() != 0) return;
    try {
        std::thread([] {
            std::string procs = ownProcsFile();
            if (procs.empty()) return;
            int fd = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
            if (fd < 0) return;
            // "0" is the writer's own thread group: already there, nothing moves.
            (void)!::write(fd, "0", 1);
            ::close(fd);
        }).detach();
    } catch (...) {
        // No thread: the container's own move waits, as it always did.
    }
}

} // namespace berth::cgroup
