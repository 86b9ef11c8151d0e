#include "sys/userns.h"

#include "sys/fs.h"

#include <fcntl.h>
#include <pwd.h>
#include <grp.h>
#include <sched.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

extern char** environ;

namespace berth::sys {

namespace {

int64_t lookup(const std::vector<IdRange>& ranges, uint32_t id, bool toHost) {
    for (const auto& r : ranges) {
        uint32_t from = toHost ? r.inside : r.outside;
        uint32_t to = toHost ? r.outside : r.inside;
        if (id >= from && uint64_t(id) < uint64_t(from) + r.count) return int64_t(to) + (id - from);
    }
    return -1;
}

bool readAllFd(int fd, std::string& out) {
    char buf[4096];
    while (true) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) return true;
        out.append(buf, size_t(n));
    }
}

bool writeAllFd(int fd, const void* data, size_t size) {
    auto p = static_cast<const char*>(data);
    while (size > 0) {
        ssize_t n = ::write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= size_t(n);
    }
    return true;
}

// Runs a setuid helper (newuidmap/newgidmap), its stderr kept for the error.
VoidResult runMapHelper(const std::vector<std::string>& args) {
    int errPipe[2];
    if (::pipe2(errPipe, O_CLOEXEC) != 0) return failErrno("pipe for " + args[0]);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 1);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, args[0].c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(errPipe[1]);
    std::string command;
    for (const auto& a : args) command += (command.empty() ? "" : " ") + a;
    if (rc != 0) {
        ::close(errPipe[0]);
        if (rc == ENOENT)
            return fail(Errc::NotFound, fmt::format("run `{}`: {} is not installed (Debian package `uidmap`)",
                                                    command, args[0]));
        return failErrno(fmt::format("run `{}`", command), rc);
    }
    std::string output;
    readAllFd(errPipe[0], output);
    ::close(errPipe[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
    while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
    return fail(Errc::PermissionDenied,
                fmt::format("`{}` failed{}{} (are the ranges in /etc/subuid and /etc/subgid yours?)", command,
                            output.empty() ? "" : ": ", output));
}

VoidResult writeProcFile(pid_t pid, const char* name, const std::string& text) {
    std::string path = fmt::format("/proc/{}/{}", pid, name);
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return failErrno(fmt::format("open `{}`", path));
    ssize_t n = ::write(fd, text.data(), text.size());
    int e = errno;
    ::close(fd);
    if (n != ssize_t(text.size())) return failErrno(fmt::format("write `{}` to `{}`", text, path), n < 0 ? e : EIO);
    return {};
}

std::vector<std::string> helperArgs(const char* helper, pid_t pid, const std::vector<IdRange>& ranges) {
    std::vector<std::string> args{helper, std::to_string(pid)};
    for (const auto& r : ranges) {
        args.push_back(std::to_string(r.inside));
        args.push_back(std::to_string(r.outside));
        args.push_back(std::to_string(r.count));
    }
    return args;
}

std::string userName(uid_t uid) {
    passwd pw{};
    passwd* found = nullptr;
    std::vector<char> buf(16384);
    if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found) return pw.pw_name;
    return {};
}

bool g_inHelper = false;

} // namespace

bool inUserNamespaceHelper() { return g_inHelper; }

int64_t IdMapping::hostUid(uint32_t inside) const { return lookup(uids, inside, true); }
int64_t IdMapping::hostGid(uint32_t inside) const { return lookup(gids, inside, true); }
int64_t IdMapping::insideUid(uint32_t host) const { return lookup(uids, host, false); }
int64_t IdMapping::insideGid(uint32_t host) const { return lookup(gids, host, false); }

bool isRootless() {
    if (const char* f = std::getenv("BERTH_ROOTLESS"); f && *f) return std::string_view(f) == "1";
    return ::geteuid() != 0;
}

std::vector<IdRange> parseSubordinateIds(std::string_view text, std::string_view user, uint32_t id) {
    std::vector<IdRange> out;
    std::string idText = std::to_string(id);
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view line = text.substr(pos, nl - pos);
        pos = nl + 1;
        if (line.empty() || line[0] == '#') continue;
        size_t c1 = line.find(':');
        size_t c2 = c1 == std::string_view::npos ? c1 : line.find(':', c1 + 1);
        if (c2 == std::string_view::npos) continue;
        std::string_view who = line.substr(0, c1);
        if (who != user && who != idText) continue;
        std::string start(line.substr(c1 + 1, c2 - c1 - 1));
        std::string count(line.substr(c2 + 1));
        char* end = nullptr;
        errno = 0;
        unsigned long long s = std::strtoull(start.c_str(), &end, 10);
        if (start.empty() || *end || errno) continue;
        unsigned long long n = std::strtoull(count.c_str(), &end, 10);
        if (count.empty() || (*end && *end != '\r') || errno || n == 0) continue;
        if (s > UINT32_MAX || n > UINT32_MAX || s + n > uint64_t(UINT32_MAX) + 1) continue;
        out.push_back({0, uint32_t(s), uint32_t(n)});
    }
    return out;
}

Result<IdMapping> rootlessIdMapping(const std::string& subuidFile, const std::string& subgidFile) {
    uid_t uid = ::getuid();
    gid_t gid = ::getgid();
    std::string name = userName(uid);
    IdMapping m;
    m.uids.push_back({0, uint32_t(uid), 1});
    m.gids.push_back({0, uint32_t(gid), 1});
    auto subuid = readFile(subuidFile, 16 << 20);
    auto subgid = readFile(subgidFile, 16 << 20);
    std::vector<IdRange> us = subuid ? parseSubordinateIds(*subuid, name, uint32_t(uid)) : std::vector<IdRange>{};
    std::vector<IdRange> gs = subgid ? parseSubordinateIds(*subgid, name, uint32_t(uid)) : std::vector<IdRange>{};
    const char* who = name.empty() ? "this user" : name.c_str();
    if (us.empty() || gs.empty()) {
        m.warning = fmt::format(
            "{} has no subordinate {} range in {}: running with a single-id user namespace (only uid/gid 0 "
            "exist in containers; files of other owners appear as root's and USER switches fail). Fix: "
            "`sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {}`",
            who, us.empty() ? "uid" : "gid", us.empty() ? subuidFile : subgidFile, name.empty() ? "$USER" : name);
        return m;
    }
    // One range of at most 65536 ids at 1..: what images use, as Podman maps by default.
    m.uids.push_back({1, us.front().outside, std::min<uint32_t>(us.front().count, 65536)});
    m.gids.push_back({1, gs.front().outside, std::min<uint32_t>(gs.front().count, 65536)});
    m.needsHelpers = true;
    return m;
}

VoidResult writeIdMapping(pid_t pid, const IdMapping& mapping) {
    if (mapping.needsHelpers) {
        BERTH_TRYV(runMapHelper(helperArgs("newuidmap", pid, mapping.uids)));
        BERTH_TRYV(runMapHelper(helperArgs("newgidmap", pid, mapping.gids)));
        return {};
    }
    auto text = [](const std::vector<IdRange>& ranges) {
        std::string t;
        for (const auto& r : ranges) t += fmt::format("{} {} {}\n", r.inside, r.outside, r.count);
        return t;
    };
    BERTH_TRYV(writeProcFile(pid, "uid_map", text(mapping.uids)));
    // An unprivileged gid_map needs setgroups denied first (else dropping a group would
    // become a way to gain access).
    BERTH_TRYV(writeProcFile(pid, "setgroups", "deny"));
    BERTH_TRYV(writeProcFile(pid, "gid_map", text(mapping.gids)));
    return {};
}

Result<std::string> runInUserNamespace(const IdMapping& mapping,
                                       const std::function<Result<std::string>()>& work) {
    int ready[2], go[2], result[2];
    if (::pipe2(ready, O_CLOEXEC) != 0) return failErrno("pipe");
    if (::pipe2(go, O_CLOEXEC) != 0) {
        ::close(ready[0]);
        ::close(ready[1]);
        return failErrno("pipe");
    }
    if (::pipe2(result, O_CLOEXEC) != 0) {
        for (int fd : {ready[0], ready[1], go[0], go[1]}) ::close(fd);
        return failErrno("pipe");
    }
    pid_t pid = ::fork();
    if (pid < 0) {
        int e = errno;
        for (int fd : {ready[0], ready[1], go[0], go[1], result[0], result[1]}) ::close(fd);
        return failErrno("fork a user-namespace helper", e);
    }
    if (pid == 0) {
        ::close(ready[0]);
        ::close(go[1]);
        ::close(result[0]);
        auto report = [&](char kind, int code, int err, const std::string& text) {
            int32_t header[3] = {code, err, int32_t(text.size())};
            writeAllFd(result[1], &kind, 1);
            writeAllFd(result[1], header, sizeof header);
            writeAllFd(result[1], text.data(), text.size());
        };
        char c = ::unshare(CLONE_NEWUSER) == 0 ? 'r' : 'e';
        int unshareErrno = errno;
        writeAllFd(ready[1], &c, 1);
        if (c == 'e') {
            report('E', int(Errc::System), unshareErrno, "unshare a user namespace");
            ::_exit(1);
        }
        char goByte = 0;
        if (::read(go[0], &goByte, 1) != 1 || goByte != 'g') ::_exit(1);
        // The maps are written: we are 0:0 inside. Become it fully (saved/fs ids too).
        if (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0) {
            report('E', int(Errc::System), errno, "become root in the user namespace");
            ::_exit(1);
        }
        g_inHelper = true;
        auto r = work();
        if (r) report('O', 0, 0, *r);
        else report('E', int(r.error().code()), r.error().sysErrno(), r.error().message());
        ::_exit(0);
    }
    ::close(ready[1]);
    ::close(go[0]);
    ::close(result[1]);
    auto finish = [&](bool sendGo) {
        if (sendGo) writeAllFd(go[1], "g", 1);
        ::close(go[1]);
        std::string data;
        readAllFd(result[0], data);
        ::close(result[0]);
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        return data;
    };
    char c = 0;
    ssize_t n;
    do n = ::read(ready[0], &c, 1);
    while (n < 0 && errno == EINTR);
    ::close(ready[0]);
    VoidResult mapped;
    if (n == 1 && c == 'r') mapped = writeIdMapping(pid, mapping);
    std::string data = finish(n == 1 && c == 'r' && mapped);
    if (!mapped) return std::unexpected(mapped.error().withContext("set up a user namespace"));
    if (data.size() < 1 + 3 * sizeof(int32_t))
        return fail(Errc::Internal, "the user-namespace helper died without a result");
    int32_t header[3];
    std::memcpy(header, data.data() + 1, sizeof header);
    std::string text = data.substr(1 + sizeof header);
    if (data[0] == 'O') return text;
    return fail(Error(Errc(header[0]), text, header[1]));
}

VoidResult removeTreeAsOwner(const std::string& path) {
    if (!isRootless() || ::geteuid() == 0) return removeAll(path);
    auto direct = removeAll(path);
    if (direct || (direct.error().sysErrno() != EACCES && direct.error().sysErrno() != EPERM)) return direct;
    // Something inside belongs to a mapped id (or is a read-only directory): as root of
    // the user namespace we may remove it.
    auto mapping = BERTH_TRY_CTX(rootlessIdMapping(), "remove `" + path + "`");
    auto removed = runInUserNamespace(mapping, [&]() -> Result<std::string> {
        BERTH_TRYV(removeAll(path));
        return std::string();
    });
    if (!removed) return std::unexpected(removed.error());
    return {};
}

} // namespace berth::sys
