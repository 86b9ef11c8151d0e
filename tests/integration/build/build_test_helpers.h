#pragma once
// Shared by the build integration tests: a store with busybox imported, a context folder
// to write files into, the berth CLI against the store, and checks that a build left no
// containers and no mounts behind.

#include "fixtures.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace berth::test {

class BuildFixture {
public:
    BuildFixture() {
        m_root = m_dir.path() / "store";
        m_context = m_dir.path() / "ctx";
        std::filesystem::create_directories(m_context);
        importBusybox(m_root);
    }

    const std::filesystem::path& root() const { return m_root; }
    const std::filesystem::path& context() const { return m_context; }
    std::filesystem::path scratch() const { return m_dir.path(); }

    void write(const std::string& rel, const std::string& text) {
        auto p = m_context / rel;
        std::filesystem::create_directories(p.parent_path());
        writeFile(p, text);
    }

    CommandResult berth(const std::vector<std::string>& args, int timeoutMs = 300000) {
        return runBerth(m_root, args, timeoutMs);
    }
    CommandResult build(std::vector<std::string> args) {
        args.insert(args.begin(), "build");
        args.push_back(m_context.string());
        return berth(args);
    }

    nlohmann::json inspectImage(const std::string& ref) {
        auto r = berth({"image", "inspect", ref});
        auto j = nlohmann::json::parse(r.out, nullptr, false);
        if (j.is_discarded() || !j.is_array() || j.empty()) return nlohmann::json::object();
        return j[0];
    }

    bool hasImage(const std::string& ref) { return berth({"image", "inspect", ref}).exitCode == 0; }

    // Containers of this store (the RUN containers must all be gone after a build).
    size_t containerCount() {
        auto r = berth({"ps", "-aq"});
        size_t n = 0;
        for (char c : r.out) n += c == '\n';
        return n;
    }

    size_t mountsUnderStore() const {
        std::ifstream in("/proc/self/mountinfo");
        std::string line;
        size_t n = 0;
        while (std::getline(in, line)) n += line.find(" " + m_root.string() + "/") != std::string::npos;
        return n;
    }

private:
    TempDir m_dir;
    std::filesystem::path m_root, m_context;
};

inline size_t countOf(const std::string& hay, const std::string& needle) {
    size_t n = 0;
    for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
    return n;
}

} // namespace berth::test
