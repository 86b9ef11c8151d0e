#include "tree_compare.h"

#include "image/digest.h"
#include "sys/fs.h"

#include <fmt/format.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>

namespace berth::test {

namespace fs = std::filesystem;

namespace {

bool isWhiteout(const struct stat& st) {
    return S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0;
}

std::string typeOf(const struct stat& st) {
    if (isWhiteout(st)) return "whiteout";
    switch (st.st_mode & S_IFMT) {
    case S_IFREG: return "file";
    case S_IFDIR: return "dir";
    case S_IFLNK: return "symlink";
    case S_IFCHR: return "chr";
    case S_IFBLK: return "blk";
    case S_IFIFO: return "fifo";
    case S_IFSOCK: return "socket";
    }
    return "?";
}

// " name=value" for each extended attribute, sorted by name (values as hex when binary).
std::string xattrsOf(const fs::path& p) {
    ssize_t size = ::llistxattr(p.c_str(), nullptr, 0);
    if (size <= 0) return "";
    std::string names(size_t(size), '\0');
    size = ::llistxattr(p.c_str(), names.data(), names.size());
    if (size <= 0) return " xattrs=?";
    names.resize(size_t(size));
    std::vector<std::string> list;
    for (size_t pos = 0; pos < names.size();) {
        std::string name(names.c_str() + pos);
        pos += name.size() + 1;
        ssize_t vn = ::lgetxattr(p.c_str(), name.c_str(), nullptr, 0);
        std::string value(vn > 0 ? size_t(vn) : 0, '\0');
        if (vn > 0) vn = ::lgetxattr(p.c_str(), name.c_str(), value.data(), value.size());
        value.resize(vn > 0 ? size_t(vn) : 0);
        bool printable = std::all_of(value.begin(), value.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
        std::string shown = printable ? value : "0x";
        if (!printable)
            for (unsigned char c : value) shown += fmt::format("{:02x}", c);
        list.push_back(" " + name + "=" + shown);
    }
    std::sort(list.begin(), list.end());
    std::string out;
    for (const auto& s : list) out += s;
    return out;
}

std::string contentDigest(const fs::path& p) {
    // O_NOFOLLOW: lstat said regular file; never follow a link swapped in since.
    int fd = ::open(p.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return "unreadable";
    std::string bytes;
    char buf[65536];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) bytes.append(buf, size_t(n));
    ::close(fd);
    if (n < 0) return "unreadable";
    return image::Digest::ofBytes(bytes).hex();
}

std::string describeEntry(const fs::path& full, const struct stat& st, bool isRoot, const TreeOptions& o) {
    std::string d = fmt::format("{} {:04o} {}:{}", typeOf(st), unsigned(st.st_mode & 07777), st.st_uid, st.st_gid);
    if (!S_ISDIR(st.st_mode)) d += fmt::format(" nlink={}", st.st_nlink);
    if (o.mtimes && (!isRoot || o.rootTimes))
        d += fmt::format(" mtime={}.{:09}", st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    if (S_ISREG(st.st_mode)) {
        d += fmt::format(" size={} sha256={}", st.st_size, contentDigest(full));
    } else if (S_ISLNK(st.st_mode)) {
        std::error_code ec;
        d += " -> " + fs::read_symlink(full, ec).string();
    } else if ((S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) && !isWhiteout(st)) {
        d += fmt::format(" rdev={}:{}", major(st.st_rdev), minor(st.st_rdev));
    }
    return d + xattrsOf(full);
}

void walk(const fs::path& root, const fs::path& rel, const TreeOptions& o, std::map<std::string, std::string>& out) {
    fs::path full = rel.empty() ? root : root / rel;
    struct stat st;
    if (::lstat(full.c_str(), &st) < 0) {
        out[rel.empty() ? "." : rel.string()] = "missing";
        return;
    }
    out[rel.empty() ? "." : rel.string()] = describeEntry(full, st, rel.empty(), o);
    if (!S_ISDIR(st.st_mode)) return;
    std::vector<std::string> names;
    if (DIR* dir = ::opendir(full.c_str())) {
        while (dirent* de = ::readdir(dir)) {
            std::string n = de->d_name;
            if (n != "." && n != "..") names.push_back(std::move(n));
        }
        ::closedir(dir);
    } else {
        out[rel.empty() ? "." : rel.string()] += " unlistable";
    }
    std::sort(names.begin(), names.end());
    for (const auto& n : names) walk(root, rel / n, o, out);
}

} // namespace

std::map<std::string, std::string> describeTree(const fs::path& root, const TreeOptions& options) {
    std::map<std::string, std::string> out;
    walk(root, {}, options, out);
    return out;
}

std::string TreeComparison::report(size_t maxLines) const {
    std::string out;
    for (size_t i = 0; i < differences.size() && i < maxLines; ++i) out += differences[i] + "\n";
    if (differences.size() > maxLines) out += fmt::format("… and {} more\n", differences.size() - maxLines);
    return out;
}

TreeComparison compareTrees(const fs::path& a, const fs::path& b, const TreeOptions& options) {
    auto left = describeTree(a, options);
    auto right = describeTree(b, options);
    TreeComparison c;
    c.entries = left.size();
    for (const auto& [path, desc] : left) {
        if (desc.starts_with("whiteout ")) ++c.whiteouts;
        if (desc.starts_with("dir ") && desc.find("overlay.opaque=y") != std::string::npos) ++c.opaqueDirs;
        auto it = right.find(path);
        if (it == right.end())
            c.differences.push_back(path + ": only in " + a.string() + " (" + desc + ")");
        else if (it->second != desc)
            c.differences.push_back(path + ": " + desc + " | " + it->second);
    }
    for (const auto& [path, desc] : right)
        if (!left.count(path)) c.differences.push_back(path + ": only in " + b.string() + " (" + desc + ")");
    return c;
}

} // namespace berth::test
