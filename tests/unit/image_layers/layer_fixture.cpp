#include "layer_fixture.h"

#include "image/digest.h"
#include "sys/fs.h"
#include "tree_compare.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <zlib.h>

#include <fmt/format.h>

#include <QtTest/QtTest>

#include <memory>
#include <stdexcept>

namespace berth::test::layers {

namespace fs = std::filesystem;

TarBuilder& TarBuilder::add(Entry e) {
    m_entries.push_back(std::move(e));
    return *this;
}

TarBuilder& TarBuilder::file(std::string path, std::string data, mode_t perm) {
    return add({.path = std::move(path), .type = AE_IFREG, .perm = perm, .data = std::move(data)});
}
TarBuilder& TarBuilder::dir(std::string path, mode_t perm) {
    return add({.path = std::move(path), .type = AE_IFDIR, .perm = perm});
}
TarBuilder& TarBuilder::symlink(std::string path, std::string target) {
    return add({.path = std::move(path), .type = AE_IFLNK, .perm = 0777, .link = std::move(target)});
}
TarBuilder& TarBuilder::hardlink(std::string path, std::string target) {
    return add({.path = std::move(path), .type = AE_IFREG, .link = std::move(target), .hard = true});
}
TarBuilder& TarBuilder::charDevice(std::string path, unsigned major, unsigned minor, mode_t perm) {
    return add({.path = std::move(path), .type = AE_IFCHR, .perm = perm, .major = major, .minor = minor});
}
TarBuilder& TarBuilder::blockDevice(std::string path, unsigned major, unsigned minor, mode_t perm) {
    return add({.path = std::move(path), .type = AE_IFBLK, .perm = perm, .major = major, .minor = minor});
}
TarBuilder& TarBuilder::fifo(std::string path, mode_t perm) {
    return add({.path = std::move(path), .type = AE_IFIFO, .perm = perm});
}
TarBuilder& TarBuilder::owner(uid_t uid, gid_t gid) {
    m_entries.back().uid = uid;
    m_entries.back().gid = gid;
    return *this;
}
TarBuilder& TarBuilder::mtime(int64_t seconds, long nanoseconds) {
    m_entries.back().mtime = seconds;
    m_entries.back().mtimeNs = nanoseconds;
    return *this;
}
TarBuilder& TarBuilder::xattr(std::string name, std::string value) {
    m_entries.back().xattrs.emplace_back(std::move(name), std::move(value));
    return *this;
}

namespace {
la_ssize_t appendToString(archive*, void* client, const void* buf, size_t len) {
    static_cast<std::string*>(client)->append(static_cast<const char*>(buf), len);
    return la_ssize_t(len);
}
} // namespace

std::string TarBuilder::build(TarCompression c) const {
    std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), archive_write_free);
    // pax: long names, nanosecond times and xattrs are representable.
    archive_write_set_format_pax(a.get());
    // No padding to a 10 KiB block after the compressed data: the uncompressed stream is then
    // byte for byte the plain build, so tests can compare diff ids across compressions.
    archive_write_set_bytes_in_last_block(a.get(), 1);
    if (c == TarCompression::Gzip) archive_write_add_filter_gzip(a.get());
    if (c == TarCompression::Zstd) archive_write_add_filter_zstd(a.get());
    std::string out;
    if (archive_write_open(a.get(), &out, nullptr, appendToString, nullptr) != ARCHIVE_OK)
        throw std::runtime_error(archive_error_string(a.get()));
    for (const Entry& e : m_entries) {
        std::unique_ptr<archive_entry, decltype(&archive_entry_free)> ae(archive_entry_new(),
                                                                         archive_entry_free);
        archive_entry_copy_pathname(ae.get(), e.path.c_str());
        archive_entry_set_uid(ae.get(), e.uid);
        archive_entry_set_gid(ae.get(), e.gid);
        archive_entry_set_mtime(ae.get(), e.mtime, e.mtimeNs);
        archive_entry_set_perm(ae.get(), e.perm);
        if (e.hard) {
            archive_entry_set_filetype(ae.get(), AE_IFREG);
            archive_entry_copy_hardlink(ae.get(), e.link.c_str());
            archive_entry_set_size(ae.get(), 0);
        } else {
            archive_entry_set_filetype(ae.get(), e.type);
            if (e.type == AE_IFLNK) archive_entry_copy_symlink(ae.get(), e.link.c_str());
            if (e.type == AE_IFCHR || e.type == AE_IFBLK) {
                archive_entry_set_rdevmajor(ae.get(), e.major);
                archive_entry_set_rdevminor(ae.get(), e.minor);
            }
            archive_entry_set_size(ae.get(), e.type == AE_IFREG ? la_int64_t(e.data.size()) : 0);
        }
        for (const auto& [k, v] : e.xattrs)
            archive_entry_xattr_add_entry(ae.get(), k.c_str(), v.data(), v.size());
        if (archive_write_header(a.get(), ae.get()) < ARCHIVE_WARN)
            throw std::runtime_error(archive_error_string(a.get()));
        if (!e.hard && e.type == AE_IFREG && !e.data.empty())
            archive_write_data(a.get(), e.data.data(), e.data.size());
    }
    archive_write_close(a.get());
    return out;
}

std::string compressGzip(const std::string& plain) {
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, plain.size()) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
    z.avail_in = unsigned(plain.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = unsigned(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

std::vector<TarListing> listTar(const std::string& bytes) {
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
    archive_read_support_format_tar(a.get());
    archive_read_support_filter_all(a.get());
    std::vector<TarListing> out;
    if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) return out;
    archive_entry* e = nullptr;
    while (archive_read_next_header(a.get(), &e) == ARCHIVE_OK) {
        TarListing l;
        l.path = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
        l.type = archive_entry_filetype(e);
        if (const char* h = archive_entry_hardlink(e)) l.hardlink = h;
        if (const char* s = archive_entry_symlink(e)) l.symlink = s;
        const char* un = archive_entry_uname(e);
        const char* gn = archive_entry_gname(e);
        l.hasOwnerNames = (un && *un) || (gn && *gn);
        l.xattrCount = size_t(archive_entry_xattr_count(e));
        out.push_back(std::move(l));
    }
    return out;
}

std::string sha256Hex(const std::string& bytes) { return image::Digest::ofBytes(bytes).hex(); }

bool isRoot() { return ::geteuid() == 0; }

image::ApplyLimits defaultApplyLimits() {
    image::ApplyLimits l;
    l.ownersBestEffort = !isRoot();
    return l;
}

Result<image::ApplyResult> applyBytes(const std::string& bytes, const fs::path& dest,
                                      const fs::path& scratch, image::ApplyLimits limits) {
    static int counter = 0;
    fs::path file = scratch / fmt::format("layer-{}.bin", counter++);
    auto wrote = sys::writeFileAtomic(file, bytes);
    if (!wrote) return std::unexpected(wrote.error());
    auto fd = sys::openFile(file, O_RDONLY);
    if (!fd) return std::unexpected(fd.error());
    return image::applyLayer(fd->borrow(), dest, limits);
}

std::map<std::string, std::string> snapshotTree(const fs::path& root, bool withRootTimes) {
    TreeOptions o;
    o.mtimes = true;
    o.rootTimes = withRootTimes;
    return describeTree(root, o);
}

} // namespace berth::test::layers
