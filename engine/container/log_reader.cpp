#include "container/log_reader.h"

#include "container/log_file.h"
#include "sys/unique_fd.h"

#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace berth::container {

namespace {

constexpr size_t kBlock = 64 * 1024;

Result<std::string> preadExactly(int fd, uint64_t offset, size_t n) {
    std::string out(n, '\0');
    size_t got = 0;
    while (got < n) {
        ssize_t r = ::pread(fd, out.data() + got, n - got, off_t(offset + got));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return failErrno("read the container's log");
        if (r == 0) break;
        got += size_t(r);
    }
    out.resize(got);
    return out;
}

} // namespace

Result<BackwardRead> readLinesBackwards(const std::filesystem::path& path,
                                        const std::function<bool(std::string_view)>& onLine) {
    BackwardRead result;
    sys::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT) return result;
        return failErrno("open " + path.string());
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) < 0) return failErrno("stat " + path.string());
    result.size = uint64_t(st.st_size);
    uint64_t pos = result.size;
    std::string buf;  // file bytes from `pos` up to the last line not yet delivered
    bool partialKnown = false;
    while (true) {
        if (pos > 0) {
            size_t n = size_t(std::min<uint64_t>(kBlock, pos));
            pos -= n;
            buf.insert(0, BERTH_TRY(preadExactly(fd.get(), pos, n)));
        }
        if (!partialKnown) {
            auto nl = buf.rfind('\n');
            if (nl == std::string::npos && pos > 0) continue;
            size_t keep = nl == std::string::npos ? 0 : nl + 1;
            result.partial = buf.substr(keep);
            buf.resize(keep);
            partialKnown = true;
        }
        // `buf` ends with a newline (or is empty): deliver its lines from the last one back,
        // as long as a line's start is known (a newline before it, or the file's start).
        while (!buf.empty()) {
            size_t lineEnd = buf.size() - 1;
            size_t prev = lineEnd == 0 ? std::string::npos : buf.rfind('\n', lineEnd - 1);
            if (prev == std::string::npos && pos > 0) break;
            size_t start = prev == std::string::npos ? 0 : prev + 1;
            if (!onLine(std::string_view(buf).substr(start, lineEnd - start))) return result;
            buf.resize(start);
        }
        if (pos == 0) return result;
    }
}

namespace {

// One log.jsonl followed by byte offsets. readAppended runs on an indexing thread while
// lineAt serves a view: the fd is swapped only under the mutex.
class JsonLogFile final : public LogFile {
public:
    explicit JsonLogFile(std::filesystem::path dir) : m_dir(std::move(dir)), m_path(m_dir / "log.jsonl") {
        m_inotify.reset(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
        if (m_inotify)
            ::inotify_add_watch(m_inotify.get(), m_dir.c_str(), IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_DELETE);
    }

    Result<Appended> readAppended() override {
        Appended out;
        std::lock_guard lock(m_mutex);
        struct stat onDisk {};
        if (::stat(m_path.c_str(), &onDisk) < 0) {
            if (errno != ENOENT) return failErrno("stat " + m_path.string());
            if (m_fd) restart(out);  // removed: whatever comes next is a new log
            return out;
        }
        struct stat open {};
        if (!m_fd || ::fstat(m_fd.get(), &open) < 0 || open.st_ino != onDisk.st_ino) {
            if (m_fd) restart(out);
            m_fd.reset(::open(m_path.c_str(), O_RDONLY | O_CLOEXEC));
            if (!m_fd) return failErrno("open " + m_path.string());
            if (::fstat(m_fd.get(), &open) < 0) return failErrno("stat " + m_path.string());
        }
        uint64_t size = uint64_t(open.st_size);
        if (size < m_end) {  // truncated in place
            out.restarted = true;
            m_end = m_scanned = 0;
        }
        while (m_scanned < size) {
            size_t n = size_t(std::min<uint64_t>(kBlock * 64, size - m_scanned));
            auto data = BERTH_TRY(preadExactly(m_fd.get(), m_scanned, n));
            if (data.empty()) break;
            const char* base = data.data();
            const char* p = base;
            const char* stop = base + data.size();
            while (const char* nl = static_cast<const char*>(std::memchr(p, '\n', size_t(stop - p)))) {
                out.starts.push_back(int64_t(m_end));
                m_end = m_scanned + uint64_t(nl - base) + 1;
                p = nl + 1;
            }
            m_scanned += data.size();
        }
        out.end = int64_t(m_end);
        m_published = m_end;
        return out;
    }

    Result<LogLine> lineAt(int64_t start, int64_t end) override {
        if (start < 0 || end < start) return fail(Errc::InvalidArgument, "bad log line offsets");
        std::string raw;
        {
            std::lock_guard lock(m_mutex);
            if (!m_fd) return fail(Errc::NotFound, "the log is not open");
            raw = BERTH_TRY(preadExactly(m_fd.get(), uint64_t(start), size_t(std::min<int64_t>(end - start, 1 << 20))));
        }
        return parse(raw);
    }

    VoidResult forEachLine(int64_t start, int64_t end, const std::function<bool(const LogLine&)>& onLine) override {
        if (start < 0 || end < start) return fail(Errc::InvalidArgument, "bad log line offsets");
        std::string carry;
        for (int64_t at = start; at < end;) {
            std::string block;
            {
                std::lock_guard lock(m_mutex);
                if (!m_fd) return fail(Errc::NotFound, "the log is not open");
                block = BERTH_TRY(preadExactly(m_fd.get(), uint64_t(at), size_t(std::min<int64_t>(end - at, 1 << 22))));
            }
            if (block.empty()) break;
            at += int64_t(block.size());
            carry += block;
            size_t pos = 0;
            for (size_t nl; (nl = carry.find('\n', pos)) != std::string::npos; pos = nl + 1)
                if (!onLine(parse(std::string_view(carry).substr(pos, nl - pos)))) return {};
            carry.erase(0, pos);
        }
        return {};
    }

    int64_t end() const override { return int64_t(m_published.load()); }

    int changeFd() const override { return m_inotify ? m_inotify.get() : -1; }

    void drainChanges() override {
        if (!m_inotify) return;
        char buf[4096];
        while (::read(m_inotify.get(), buf, sizeof buf) > 0) {}
    }

private:
    static LogLine parse(std::string_view raw) {
        while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.remove_suffix(1);
        ParsedLogLine p;
        if (!decodeLogLine(raw, p)) return LogLine{"stdout", std::string(raw), 0};
        return LogLine{std::move(p.stream), std::move(p.text), p.timeNano};
    }

    void restart(Appended& out) {
        out.restarted = true;
        m_fd.reset();
        m_end = m_scanned = 0;
    }

    std::filesystem::path m_dir, m_path;
    sys::UniqueFd m_inotify;
    std::mutex m_mutex;
    sys::UniqueFd m_fd;
    uint64_t m_end = 0;      // end of the last complete line
    uint64_t m_scanned = 0;  // bytes looked at (a partial line after m_end)
    std::atomic<uint64_t> m_published{0};  // m_end as last returned, for end()
};

} // namespace

Result<std::unique_ptr<LogFile>> openJsonLogFile(const std::filesystem::path& containerDir) {
    return std::unique_ptr<LogFile>(std::make_unique<JsonLogFile>(containerDir));
}

} // namespace berth::container
