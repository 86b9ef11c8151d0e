#include "sys/userns.h"

#include "sys/fs.h"
#include "sys/spawn.h"

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

// Runs a setuid helper (newuidmap/newgidmap), its output kept for the error.
VoidResult runMapHelper(const std::vector<std::string>& args) {
    std::string command;
    for (const auto& a : args) command += (command.empty() ? "" : " ") + a;
    auto ran = spawnAndWait(args);
    if (!ran) {
        if (ran.error().sysErrno() == ENOENT)
            return fail(Errc::NotFound, fmt::format("run `{}`: {} is not installed (Debian package `uidmap`)",
                                                    command, args[0]));
        return std::unexpected(ran.error());
    }
    if (ran->exitCode == 0) return {};
    std::string output = ran->err + ran->out;
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

namespace {

// The parent's half, shared by the forked and the spawned helper: wait for the child's
// new user namespace, write its maps, let it go, read its result.
Result<std::string> superviseHelper(pid_t pid, const IdMapping& mapping, int readyRead, int goWrite, int resultRead) {
    auto finish = [&](bool sendGo) {
        if (sendGo) writeAllFd(goWrite, "g", 1);
        ::close(goWrite);
        std::string data;
        readAllFd(resultRead, data);
        ::close(resultRead);
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        return data;
    };
    char c = 0;
    ssize_t n;
    do n = ::read(readyRead, &c, 1);
    while (n < 0 && errno == EINTR);
    ::close(readyRead);
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

// The child's half: new user namespace, wait for the maps, become 0:0, run, report.
// Runs in a freshly exec'd helper (single-threaded) or in a fork of a single-threaded
// process.
[[noreturn]] void helperSide(int readyWrite, int goRead, int resultWrite,
                             const std::function<Result<std::string>()>& work) {
    auto report = [&](char kind, int code, int err, const std::string& text) {
        int32_t header[3] = {code, err, int32_t(text.size())};
        writeAllFd(resultWrite, &kind, 1);
        writeAllFd(resultWrite, header, sizeof header);
        writeAllFd(resultWrite, text.data(), text.size());
    };
    char c = ::unshare(CLONE_NEWUSER) == 0 ? 'r' : 'e';
    int unshareErrno = errno;
    writeAllFd(readyWrite, &c, 1);
    if (c == 'e') {
        report('E', int(Errc::System), unshareErrno, "unshare a user namespace");
        ::_exit(1);
    }
    char goByte = 0;
    if (::read(goRead, &goByte, 1) != 1 || goByte != 'g') ::_exit(1);
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

struct HelperPipes {
    int ready[2] = {-1, -1}, go[2] = {-1, -1}, result[2] = {-1, -1};
    VoidResult open() {
        for (int* p : {ready, go, result})
            if (::pipe2(p, O_CLOEXEC) != 0) {
                int e = errno;
                closeAll();
                return failErrno("pipe", e);
            }
        return {};
    }
    void closeAll() {
        for (int* p : {ready, go, result})
            for (int i = 0; i < 2; ++i)
                if (p[i] >= 0) {
                    ::close(p[i]);
                    p[i] = -1;
                }
    }
};

// Threads of this process (the Threads: line of /proc/self/status), 0 when unknown.
int threadCount() {
    auto status = readFile("/proc/self/status", 1 << 16);
    if (!status) return 0;
    auto at = status->find("\nThreads:");
    return at == std::string::npos ? 0 : std::atoi(status->c_str() + at + 9);
}

} // namespace

Result<std::string> runInUserNamespace(const IdMapping& mapping,
                                       const std::function<Result<std::string>()>& work) {
    HelperPipes p;
    BERTH_TRYV(p.open());
    pid_t pid = ::fork();
    if (pid < 0) {
        int e = errno;
        p.closeAll();
        return failErrno("fork a user-namespace helper", e);
    }
    if (pid == 0) {
        ::close(p.ready[0]);
        ::close(p.go[1]);
        ::close(p.result[0]);
        helperSide(p.ready[1], p.go[0], p.result[1], work);
    }
    ::close(p.ready[1]);
    ::close(p.go[0]);
    ::close(p.result[1]);
    return superviseHelper(pid, mapping, p.ready[0], p.go[1], p.result[0]);
}

Result<std::string> runHelperInUserNamespace(const std::filesystem::path& helper, const IdMapping& mapping,
                                             const std::vector<std::string>& args, int passFd,
                                             const std::function<Result<std::string>()>& inProcess) {
    std::string program = helperProgram("berth-layer-helper", helper);
    if (program.find('/') == std::string::npos || ::access(program.c_str(), X_OK) != 0) {
        // Only a single-threaded process may fork and go on running its own code in the
        // child; a threaded one (the desktop app) needs the helper program.
        if (inProcess && threadCount() == 1) return runInUserNamespace(mapping, inProcess);
        std::error_code ec;
        auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
        return fail(Errc::NotFound, "berth-layer-helper is not installed beside " + self.parent_path().string() +
                                        " (set BERTH_LAYER_HELPER): rootless layer work from a threaded process needs it");
    }
    HelperPipes p;
    BERTH_TRYV(p.open());
    // The child gets its pipe ends (and passFd) as fds 3..6: copies above them first, so
    // no dup2 of the spawn overwrites a source not yet duplicated.
    int sources[4] = {p.ready[1], p.go[0], p.result[1], passFd};
    int high[4] = {-1, -1, -1, -1};
    for (int i = 0; i < 4; ++i) {
        if (sources[i] < 0) continue;
        high[i] = ::fcntl(sources[i], F_DUPFD_CLOEXEC, 100);
        if (high[i] < 0) {
            int e = errno;
            for (int h : high)
                if (h >= 0) ::close(h);
            p.closeAll();
            return failErrno("duplicate a descriptor for berth-layer-helper", e);
        }
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    for (int i = 0; i < 4; ++i)
        if (high[i] >= 0) posix_spawn_file_actions_adddup2(&actions, high[i], 3 + i);
    std::vector<std::string> all{program};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    for (int h : high)
        if (h >= 0) ::close(h);
    ::close(p.ready[1]);
    ::close(p.go[0]);
    ::close(p.result[1]);
    if (rc != 0) {
        ::close(p.ready[0]);
        ::close(p.go[1]);
        ::close(p.result[0]);
        return failErrno("run " + program, rc);
    }
    return superviseHelper(pid, mapping, p.ready[0], p.go[1], p.result[0]);
}

int userNamespaceHelperMain(const std::function<Result<std::string>()>& op) {
    for (int fd = 3; fd <= 5; ++fd)
        if (::fcntl(fd, F_GETFD) < 0) return 2;  // not started by runHelperInUserNamespace
    for (int fd = 3; fd <= 6; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    helperSide(3, 4, 5, op);
}

VoidResult removeTreeAsOwner(const std::string& path, const EngineSettings& settings) {
    if (!settings.rootless() || ::geteuid() == 0) return removeAll(path);
    auto direct = removeAll(path);
    if (direct || (direct.error().sysErrno() != EACCES && direct.error().sysErrno() != EPERM)) return direct;
    // Something inside belongs to a mapped id (or is a read-only directory): as root of
    // the user namespace we may remove it.
    auto mapping = BERTH_TRY_CTX(rootlessIdMapping(), "remove `" + path + "`");
    auto removed = runHelperInUserNamespace(settings.helpers.layerHelper, mapping, {"remove", path}, -1, [&]() -> Result<std::string> {
        BERTH_TRYV(removeAll(path));
        return std::string();
    });
    if (!removed) return std::unexpected(removed.error());
    return {};
}

} // namespace berth::sys
