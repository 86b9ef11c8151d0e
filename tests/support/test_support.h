#pragma once
// Helpers every test may use. Root-only tests skip (exit 77, which CTest reports as
// skipped) with a reason when not run as root.

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

// main() for tests that need root: exits 77 (skipped) with the reason when not root.
#define BERTH_ROOT_TEST_MAIN(TestClass)                                          \
    int main(int argc, char** argv) {                                            \
        if (::geteuid() != 0) {                                                  \
            std::fprintf(stderr, "SKIP: %s needs root (namespaces, mounts)\n", #TestClass); \
            return 77;                                                           \
        }                                                                        \
        QCoreApplication app(argc, argv);                                        \
        TestClass tc;                                                            \
        return QTest::qExec(&tc, argc, argv);                                    \
    }
