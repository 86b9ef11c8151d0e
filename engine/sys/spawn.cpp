#include "sys/spawn.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

extern char** environ;

namespace berth::sys {

namespace fs = std::filesystem;

Result<SpawnResult> spawnAndWait(const std::vector<std::string>& argv) {
    if (argv.empty()) return fail(Errc::InvalidArgument, "spawn: no program");
    int outPipe[2], errPipe[2];
    if (::pipe2(outPipe, O_CLOEXEC) != 0) return failErrno("pipe for " + argv[0]);
    if (::pipe2(errPipe, O_CLOEXEC) != 0) {
        int e = errno;
        ::close(outPipe[0]);
        ::close(outPipe[1]);
        return failErrno("pipe for " + argv[0], e);
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(outPipe[1]);
    ::close(errPipe[1]);
    if (rc != 0) {
        ::close(outPipe[0]);
        ::close(errPipe[0]);
        return failErrno("run " + argv[0], rc);
    }
    SpawnResult r;
    pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&r.out, &r.err};
    int open = 2;
    while (open > 0) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[4096];
            ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
                continue;
            }
            sinks[i]->append(buf, size_t(n));
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) ::close(f.fd);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return failErrno("wait for " + argv[0]);
    r.exitCode = exitCodeOf(status);
    return r;
}

int exitCodeOf(int status, int otherwise) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return otherwise;
}

int waitForExit(int pid, int onError) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return onError;
    return exitCodeOf(status);
}

std::string helperProgram(const std::string& name, const fs::path& given) {
    if (!given.empty()) return given;
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        fs::path beside = self.parent_path() / name;
        if (::access(beside.c_str(), X_OK) == 0) return beside;
        for (fs::path up = self.parent_path(); !up.empty() && up != up.root_path(); up = up.parent_path()) {
            fs::path inApp = up / "app" / name;
            if (::access(inApp.c_str(), X_OK) == 0) return inApp;
        }
    }
    return name;
}

} // namespace berth::sys
