#pragma once
// Helpers every test may use. Skips and main()s: skip.h (included here).

#include "skip.h"

#include <QtTest/QtTest>

#include <filesystem>
#include <string>
#include <vector>

namespace berth::test {

// A fresh directory under /tmp (or $TMPDIR), removed when the object dies unless
// BERTH_KEEP_TEST_DIRS is set.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

// Path of a program built by this project ("berth", "berth-monitor"), from the
// environment CTest sets.
std::filesystem::path builtProgram(const std::string& name);

// A file of the source tree ("tests/integration/dockerapi/docker_py_containers.py"), from
// BERTH_SOURCE_DIR, which CTest sets (QFINDTESTDATA is not available: its definitions
// are dropped so that test objects stay cacheable across checkouts, cmake/Dependencies.cmake).
std::filesystem::path sourceFile(const std::string& relative);

struct CommandResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};
// Runs a program and waits (stdin closed). `timeoutMs` kills it when exceeded.
CommandResult runCommand(const std::vector<std::string>& argv, int timeoutMs = 120000,
                         const std::vector<std::string>& extraEnv = {});

// Runs the berth CLI against a store root: berth --root ROOT args...
CommandResult runBerth(const std::filesystem::path& root, const std::vector<std::string>& args,
                       int timeoutMs = 120000);

bool haveProgram(const std::string& name);

} // namespace berth::test
