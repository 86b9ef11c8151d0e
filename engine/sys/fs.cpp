#include "sys/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <system_error>

namespace berth::sys {

static std::string quoted(const fs::path& p) { return "`" + p.string() + "`"; }

Result<UniqueFd> openFile(const fs::path& path, int flags, mode_t mode) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    if (fd < 0) return failErrno("open " + quoted(path));
    return UniqueFd(fd);
}

Result<std::string> readFile(const fs::path& path, size_t maxBytes) {
    auto fd = BERTH_TRY(openFile(path, O_RDONLY));
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return failErrno("read " + quoted(path));
        }
        if (n == 0) break;
        out.append(buf, size_t(n));
        if (out.size() > maxBytes)
            return fail(Errc::Corrupt, "read " + quoted(path) + ": file larger than " +
                                           std::to_string(maxBytes) + " bytes");
    }
    return out;
}

VoidResult writeAll(BorrowedFd fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd.get(), data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return failErrno("write");
        }
        data.remove_prefix(size_t(n));
    }
    return {};
}

VoidResult fsyncPath(const fs::path& path) {
    auto fd = BERTH_TRY(openFile(path, O_RDONLY));
    if (::fsync(fd.get()) < 0) return failErrno("fsync " + quoted(path));
    return {};
}

VoidResult fsyncDir(const fs::path& dir) {
    auto fd = BERTH_TRY(openFile(dir, O_RDONLY | O_DIRECTORY));
    if (::fsync(fd.get()) < 0) return failErrno("fsync " + quoted(dir));
    return {};
}

VoidResult writeFileAtomic(const fs::path& path, std::string_view data, mode_t mode) {
    fs::path dir = path.parent_path();
    if (dir.empty()) dir = ".";
    fs::path tmp = dir / (".tmp-" + path.filename().string() + "-" + randomHex(6));
    auto fd = BERTH_TRY(openFile(tmp, O_WRONLY | O_CREAT | O_EXCL, mode));
    auto cleanup = [&] { ::unlink(tmp.c_str()); };
    if (auto r = writeAll(fd.borrow(), data); !r) {
        cleanup();
        return fail(r.error().withContext("write " + quoted(tmp)));
    }
    if (::fchmod(fd.get(), mode) < 0 || ::fsync(fd.get()) < 0) {
        int e = errno;
        cleanup();
        return failErrno("fsync " + quoted(tmp), e);
    }
    fd.reset();
    if (::rename(tmp.c_str(), path.c_str()) < 0) {
        int e = errno;
        cleanup();
        return failErrno("rename " + quoted(tmp) + " to " + quoted(path), e);
    }
    return fsyncDir(dir);
}

static VoidResult existingDir(const fs::path& dir) {
    struct stat st{};
    if (::stat(dir.c_str(), &st) != 0) return failErrno("mkdir " + quoted(dir));
    if (!S_ISDIR(st.st_mode)) return failErrno("mkdir " + quoted(dir), ENOTDIR);
    return {};
}

// mkdir -p: `dir` and its missing parents are made with `mode` (parents also u+rwx), less
// the umask; directories that exist are left as they are. A private leaf gets private
// parents: a 0755 parent made on the way would show the names below it.
VoidResult makeDirs(const fs::path& dir, mode_t mode) {
    fs::path d = dir;
    while (d.has_relative_path() && !d.has_filename()) d = d.parent_path();  // "a/b/" is "a/b"
    if (::mkdir(d.c_str(), mode) == 0) return {};
    if (errno == EEXIST) return existingDir(d);
    fs::path parent = d.parent_path();
    if (errno != ENOENT || parent.empty() || parent == d) return failErrno("mkdir " + quoted(d));
    BERTH_TRYV(makeDirs(parent, mode | S_IRWXU));
    if (::mkdir(d.c_str(), mode) == 0) return {};
    if (errno == EEXIST) return existingDir(d);  // made by someone else meanwhile
    return failErrno("mkdir " + quoted(d));
}

VoidResult removeAll(const fs::path& path) {
    std::error_code ec;
    fs::remove_all(path, ec);
    if (ec && ec.value() != ENOENT) return failErrno("remove " + quoted(path), ec.value());
    return {};
}

static uint64_t treeBytesAt(int dirFd) {
    uint64_t size = 0;
    int fd = ::dup(dirFd);
    DIR* d = fd < 0 ? nullptr : ::fdopendir(fd);
    if (!d) {
        if (fd >= 0) ::close(fd);
        return 0;
    }
    while (auto* e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
        struct stat st;
        if (::fstatat(dirFd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (S_ISREG(st.st_mode)) {
            size += uint64_t(st.st_size);
        } else if (S_ISDIR(st.st_mode)) {
            UniqueFd child(::openat(dirFd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (child) size += treeBytesAt(child.get());
        }
    }
    ::closedir(d);
    return size;
}

uint64_t treeBytes(const fs::path& dir) {
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    return fd ? treeBytesAt(fd.get()) : 0;
}

VoidResult renamePath(const fs::path& from, const fs::path& to) {
    if (::rename(from.c_str(), to.c_str()) < 0)
        return failErrno("rename " + quoted(from) + " to " + quoted(to));
    return {};
}

bool exists(const fs::path& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
}

std::string randomHex(size_t bytes) {
    std::string raw(bytes, '\0');
    size_t got = 0;
    while (got < bytes) {
        ssize_t n = ::getrandom(raw.data() + got, bytes - got, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        got += size_t(n);
    }
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(bytes * 2);
    for (unsigned char c : raw) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

} // namespace berth::sys
