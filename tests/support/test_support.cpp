#include "test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace berth::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base && *base ? base : "/tmp") + "/berth-test-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) qFatal("mkdtemp failed: %s", std::strerror(errno));
    m_path = buf.data();
}

TempDir::~TempDir() {
    if (std::getenv("BERTH_KEEP_TEST_DIRS")) return;
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

fs::path builtProgram(const std::string& name) {
    if (name == "berth") {
        if (const char* p = std::getenv("BERTH_CLI")) return p;
    }
    if (const char* d = std::getenv("BERTH_BUILD_DIR")) {
        fs::path candidate = fs::path(d) / "app" / name;
        if (fs::exists(candidate)) return candidate;
        candidate = fs::path(d) / "bin" / name;
        if (fs::exists(candidate)) return candidate;
    }
    return name;
}

fs::path sourceFile(const std::string& relative) {
    const char* d = std::getenv("BERTH_SOURCE_DIR");
    return fs::path(d ? d : ".") / relative;
}

bool haveProgram(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string p = path ? path : "/usr/bin:/bin";
    size_t start = 0;
    while (start <= p.size()) {
        size_t end = p.find(':', start);
        if (end == std::string::npos) end = p.size();
        fs::path cand = fs::path(p.substr(start, end - start)) / name;
        if (::access(cand.c_str(), X_OK) == 0) return true;
        start = end + 1;
    }
    return false;
}

CommandResult runCommand(const std::vector<std::string>& argv, int timeoutMs,
                         const std::vector<std::string>& extraEnv) {
    CommandResult res;
    int outPipe[2], errPipe[2];
    if (::pipe2(outPipe, O_CLOEXEC) < 0 || ::pipe2(errPipe, O_CLOEXEC) < 0) return res;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, outPipe[1], 1);
    posix_spawn_file_actions_adddup2(&fa, errPipe[1], 2);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    // extraEnv entries replace inherited ones of the same name (getenv takes the first).
    auto nameOf = [](const std::string& e) { return e.substr(0, e.find('=')); };
    std::vector<std::string> envStore;
    for (char** e = environ; *e; ++e) {
        const std::string entry = *e;
        bool replaced = false;
        for (auto& x : extraEnv) replaced = replaced || nameOf(x) == nameOf(entry);
        if (!replaced) envStore.push_back(entry);
    }
    for (auto& e : extraEnv) envStore.push_back(e);
    std::vector<char*> envp;
    for (auto& e : envStore) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    ::close(outPipe[1]);
    ::close(errPipe[1]);
    if (rc != 0) {
        res.err = std::string("spawn failed: ") + std::strerror(rc);
        ::close(outPipe[0]);
        ::close(errPipe[0]);
        return res;
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    int open = 2;
    bool killed = false;
    char buf[65536];
    while (open > 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count();
        if (left <= 0) {
            ::kill(pid, SIGKILL);
            killed = true;
            break;
        }
        int n = ::poll(fds, 2, int(std::min<long>(left, 1000)));
        if (n < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t r = ::read(fds[i].fd, buf, sizeof buf);
            if (r <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            } else {
                (i == 0 ? res.out : res.err).append(buf, size_t(r));
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) ::close(f.fd);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (killed)
        res.exitCode = -1;
    else if (WIFEXITED(status))
        res.exitCode = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        res.exitCode = 128 + WTERMSIG(status);
    return res;
}

CommandResult runBerth(const fs::path& root, const std::vector<std::string>& args,
                       int timeoutMs) {
    std::vector<std::string> argv{builtProgram("berth").string(), "--root", root.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return runCommand(argv, timeoutMs);
}

} // namespace berth::test
