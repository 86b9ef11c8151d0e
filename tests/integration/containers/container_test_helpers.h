#pragma once
// Shared by the container integration tests: one store per test function with busybox
// imported, the berth CLI against it, and a cleanup that removes every container the test
// made (and kills only this store's monitors, found through its state files).

#include "fixtures.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace berth::test {

class ContainerStoreFixture {
public:
    ContainerStoreFixture() : m_dir(std::make_unique<TempDir>()) {
        m_root = m_dir->path() / "store";
        importBusybox(m_root);
    }
    ~ContainerStoreFixture() { cleanup(); }

    const std::filesystem::path& root() const { return m_root; }

    CommandResult berth(const std::vector<std::string>& args, int timeoutMs = 120000) {
        return runBerth(m_root, args, timeoutMs);
    }

    nlohmann::json inspect(const std::string& ref) {
        auto r = berth({"container", "inspect", ref});
        auto j = nlohmann::json::parse(r.out, nullptr, false);
        if (j.is_discarded() || !j.is_array() || j.empty()) return nlohmann::json::object();
        return j[0];
    }

    std::vector<std::string> containerDirs() const {
        std::vector<std::string> out;
        std::error_code ec;
        for (auto& e : std::filesystem::directory_iterator(m_root / "containers", ec)) {
            auto n = e.path().filename().string();
            if (n.size() == 64) out.push_back(n);
        }
        return out;
    }

    // Monitor pids recorded in this store's state files that are still alive.
    std::vector<pid_t> liveMonitors() const {
        std::vector<pid_t> out;
        std::error_code ec;
        for (auto& e : std::filesystem::directory_iterator("/proc", ec)) {
            auto n = e.path().filename().string();
            if (n.find_first_not_of("0123456789") != std::string::npos) continue;
            std::ifstream in(e.path() / "cmdline");
            std::string cmd((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (cmd.find("berth-monitor") != std::string::npos && cmd.find(m_root.string()) != std::string::npos)
                out.push_back(pid_t(std::stoi(n)));
        }
        return out;
    }

    std::vector<std::string> mountsUnderStore() const {
        std::ifstream in("/proc/self/mountinfo");
        std::string line;
        std::vector<std::string> out;
        while (std::getline(in, line))
            if (line.find(" " + m_root.string() + "/") != std::string::npos) out.push_back(line);
        return out;
    }

    std::vector<std::string> cgroupDirs(const std::vector<std::string>& ids) const {
        std::vector<std::string> out;
        std::error_code ec;
        for (auto& ctl : std::filesystem::directory_iterator("/sys/fs/cgroup", ec))
            for (auto& id : ids) {
                auto p = ctl.path() / "berth" / id;
                if (std::filesystem::exists(p, ec)) out.push_back(p.string());
            }
        return out;
    }

    void cleanup() {
        auto r = berth({"ps", "-aq", "--no-trunc"});
        std::istringstream ids(r.out);
        std::string id;
        while (std::getline(ids, id))
            if (!id.empty()) berth({"rm", "-f", id});
        // Anything still alive that this store started: kill by pid.
        for (pid_t p : liveMonitors()) ::kill(p, SIGKILL);
    }

private:
    std::unique_ptr<TempDir> m_dir;
    std::filesystem::path m_root;
};

inline std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
    return s;
}

// Polls `pred` every 50 ms up to `timeoutMs` (waiting for an effect, never timing it).
template <class F>
bool eventually(F pred, int timeoutMs = 20000) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < end) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return pred();
}

} // namespace berth::test
