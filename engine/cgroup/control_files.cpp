#include "cgroup/control_files.h"

#include "sys/fs.h"
#include "sys/unique_fd.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <charconv>
#include <thread>

namespace berth::cgroup::detail {

static std::string quoted(const fs::path& p) { return "`" + p.string() + "`"; }

bool isCgroupFs(const fs::path& path) {
    struct statfs sfs;
    if (::statfs(path.c_str(), &sfs) != 0) return false;
    return sfs.f_type == CGROUP_SUPER_MAGIC || sfs.f_type == CGROUP2_SUPER_MAGIC;
}

void ControlUndo::recordBefore(const fs::path& file) {
    auto before = readControl(file);
    m_before.emplace_back(file, before ? *before : std::nullopt);
}

VoidResult ControlUndo::rollback(bool createMissing) {
    VoidResult first;
    for (auto it = m_before.rbegin(); it != m_before.rend(); ++it) {
        if (!it->second) {
            // Not there before: only a stand-in directory (createMissing) got it from us.
            if (createMissing) ::unlink(it->first.c_str());
            continue;
        }
        std::string value = *it->second;
        while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
        auto r = writeControl(it->first, value, createMissing);
        if (!r && first) first = std::unexpected(r.error().withContext("restore the limit before the update"));
    }
    m_before.clear();
    return first;
}

VoidResult applyAllOrNothing(ControlUndo*& slot, bool createMissing, const std::function<VoidResult()>& apply) {
    ControlUndo undo;
    slot = &undo;
    auto applied = apply();
    slot = nullptr;
    if (!applied) (void)undo.rollback(createMissing);
    return applied;
}

VoidResult writeControl(const fs::path& file, std::string_view value, bool createMissing, ControlUndo* undo) {
    if (undo) undo->recordBefore(file);
    auto what = [&] { return "write " + quoted(file) + " = " + std::string(value); };
    int fd = ::open(file.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && createMissing)
        fd = ::open(file.c_str(), O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return failErrno(what());
    sys::UniqueFd owned(fd);
    for (;;) {
        // One write: the kernel parses each write() as a whole value.
        ssize_t n = ::write(fd, value.data(), value.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return failErrno(what());
        if (size_t(n) != value.size())
            return fail(Errc::Io, what() + ": short write (" + std::to_string(n) + " bytes)");
        return {};
    }
}

Result<std::optional<std::string>> readControl(const fs::path& file) {
    auto text = sys::readFile(file, size_t(16) << 20);
    if (!text) {
        if (text.error().sysErrno() == ENOENT) return std::optional<std::string>();
        return fail(text.error());
    }
    return std::optional<std::string>(std::move(*text));
}

static std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

static std::optional<uint64_t> toUint(std::string_view s) {
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

Result<uint64_t> parseUint(std::string_view text, const fs::path& file) {
    std::string_view line = text.substr(0, text.find('\n'));
    line = trim(line);
    if (auto v = toUint(line)) return *v;
    return fail(Errc::Corrupt, "read " + quoted(file) + ": expected a number, got \"" +
                                   std::string(line.substr(0, 40)) + "\"");
}

std::optional<uint64_t> keyedValue(std::string_view text, std::string_view key) {
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (line.size() > key.size() && line.substr(0, key.size()) == key &&
            (line[key.size()] == ' ' || line[key.size()] == '\t'))
            return toUint(trim(line.substr(key.size())));
    }
    return std::nullopt;
}

void sumIoStat(std::string_view text, uint64_t& read, uint64_t& write) {
    // "8:0 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0"
    read = write = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find_first_of(" \n", pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view field = text.substr(pos, end - pos);
        pos = end + 1;
        auto eq = field.find('=');
        if (eq == std::string_view::npos) continue;
        auto key = field.substr(0, eq);
        auto value = toUint(field.substr(eq + 1));
        if (!value) continue;
        if (key == "rbytes") read += *value;
        else if (key == "wbytes") write += *value;
    }
}

void sumBlkioServiceBytes(std::string_view text, uint64_t& read, uint64_t& write) {
    // "8:0 Read 4096\n8:0 Write 0\n...\nTotal 4096": per device rows, then a total.
    read = write = 0;
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        size_t a = line.find(' ');
        if (a == std::string_view::npos) continue;
        size_t b = line.find(' ', a + 1);
        if (b == std::string_view::npos) continue;
        auto op = line.substr(a + 1, b - a - 1);
        auto value = toUint(trim(line.substr(b + 1)));
        if (!value) continue;
        if (op == "Read") read += *value;
        else if (op == "Write") write += *value;
    }
}

Result<std::vector<pid_t>> readPids(const fs::path& procsFile) {
    auto text = BERTH_TRY(readControl(procsFile));
    std::vector<pid_t> pids;
    if (!text) return pids;
    std::string_view rest = *text;
    while (!rest.empty()) {
        size_t nl = rest.find('\n');
        auto line = trim(rest.substr(0, nl));
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        if (line.empty()) continue;
        auto v = toUint(line);
        if (!v || *v == 0 || *v > uint64_t(INT32_MAX))
            return fail(Errc::Corrupt, "read " + quoted(procsFile) + ": bad pid \"" +
                                           std::string(line.substr(0, 20)) + "\"");
        pids.push_back(pid_t(*v));
    }
    return pids;
}

VoidResult validateRelPath(const std::string& relPath) {
    fs::path p(relPath);
    if (relPath.empty() || p.is_absolute())
        return fail(Errc::InvalidArgument,
                    "cgroup path \"" + relPath + "\" must be a non-empty relative path");
    for (const auto& part : p) {
        if (part == ".." || part == "." || part.empty())
            return fail(Errc::InvalidArgument,
                        "cgroup path \"" + relPath + "\" must not contain \".\" or \"..\"");
    }
    return {};
}

Result<std::vector<fs::path>> makeCgroupDirs(
    const fs::path& root, const fs::path& relPath,
    const std::function<VoidResult(const fs::path& parent)>& beforeChild) {
    std::vector<fs::path> made;
    fs::path cur = root;
    auto undo = [&] {
        for (auto it = made.rbegin(); it != made.rend(); ++it) ::rmdir(it->c_str());
    };
    for (const auto& part : relPath) {
        fs::path next = cur / part;
        if (beforeChild) {
            if (auto r = beforeChild(cur); !r) {
                undo();
                return fail(r.error());
            }
        }
        struct stat st;
        if (::stat(next.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                undo();
                return fail(Errc::Conflict, "create cgroup " + quoted(next) + ": not a directory");
            }
        } else {
            if (::mkdir(next.c_str(), 0755) == 0) {
                made.push_back(next);
            } else if (errno != EEXIST) {  // EEXIST: another container made it first
                int e = errno;
                undo();
                return failErrno("create cgroup " + quoted(next), e);
            }
        }
        cur = next;
    }
    return made;
}

VoidResult removeCgroupDir(const fs::path& dir, bool realFs, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (int attempt = 0;; ++attempt) {
        if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return {};
        int e = errno;
        if (!realFs && (e == ENOTEMPTY || e == EEXIST))
            return sys::removeAll(dir);  // a test's plain directory holding written files
        if (e != EBUSY || std::chrono::steady_clock::now() >= deadline)
            return failErrno("remove cgroup " + quoted(dir), e);
        backoffSleep(attempt);
    }
}

void backoffSleep(int attempt) {
    int ms = attempt < 5 ? 1 : attempt < 20 ? 5 : 20;
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

} // namespace berth::cgroup::detail
