#include "image/blob_store.h"

#include "sys/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace berth::image {

namespace fs = std::filesystem;

fs::path blobPath(const store::StoreLayout& layout, const Digest& d) {
    return layout.blobs() / d.hex();
}

bool hasBlob(const store::StoreLayout& layout, const Digest& d) {
    return sys::exists(blobPath(layout, d));
}

Result<Digest> hashFile(const fs::path& path, uint64_t* size) {
    auto fd = BERTH_TRY(sys::openFile(path, O_RDONLY));
    Sha256 h;
    uint64_t total = 0;
    std::string buf(1 << 18, '\0');
    for (;;) {
        ssize_t n = ::read(fd.get(), buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return failErrno("read `" + path.string() + "`");
        }
        if (n == 0) break;
        h.update(buf.data(), size_t(n));
        total += uint64_t(n);
    }
    if (size) *size = total;
    return h.finish();
}

Result<bool> adoptBlob(const store::StoreLayout& layout, const fs::path& file,
                       const Digest& digest) {
    fs::path target = blobPath(layout, digest);
    if (sys::exists(target)) {
        ::unlink(file.c_str());
        return false;
    }
    BERTH_TRYV(sys::fsyncPath(file));
    if (::chmod(file.c_str(), 0644) < 0) return failErrno("chmod `" + file.string() + "`");
    BERTH_TRYV(sys::renamePath(file, target));
    return true;
}

namespace {

// A temp file that leaves nothing behind if we die: O_TMPFILE in tmp/ (no name until it is
// linked into place). File systems without O_TMPFILE get a named temp file instead.
struct TempBlob {
    sys::UniqueFd fd;
    fs::path named;  // set only for the fallback
    TempBlob() = default;
    TempBlob(TempBlob&& o) noexcept : fd(std::move(o.fd)), named(std::exchange(o.named, {})) {}
    ~TempBlob() {
        if (!named.empty()) ::unlink(named.c_str());
    }
};

Result<TempBlob> openTempBlob(const store::StoreLayout& layout) {
    TempBlob t;
    int fd = ::open(layout.tmp().c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (fd >= 0) {
        t.fd.reset(fd);
        return t;
    }
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
        return failErrno("create temp file in `" + layout.tmp().string() + "`");
    t.named = layout.tmp() / ("blob-" + sys::randomHex(8));
    t.fd = BERTH_TRY(sys::openFile(t.named, O_WRONLY | O_CREAT | O_EXCL, 0644));
    return t;
}

VoidResult commitTempBlob(const store::StoreLayout& layout, TempBlob& t, const Digest& d) {
    if (::fsync(t.fd.get()) < 0) return failErrno("fsync blob " + d.str());
    fs::path target = blobPath(layout, d);
    if (t.named.empty()) {
        std::string proc = "/proc/self/fd/" + std::to_string(t.fd.get());
        if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, target.c_str(), AT_SYMLINK_FOLLOW) < 0 &&
            errno != EEXIST)
            return failErrno("link blob `" + target.string() + "`");
    } else if (!sys::exists(target)) {
        BERTH_TRYV(sys::renamePath(t.named, target));
        t.named.clear();
    }
    return sys::fsyncDir(layout.blobs());
}

} // namespace

Result<Digest> writeBlobFrom(const store::StoreLayout& layout, sys::BorrowedFd input,
                             const std::optional<Digest>& expected) {
    auto tmp = BERTH_TRY(openTempBlob(layout));
    Sha256 h;
    std::string buf(1 << 18, '\0');
    for (;;) {
        ssize_t n = ::read(input.get(), buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return failErrno("read blob");
        }
        if (n == 0) break;
        h.update(buf.data(), size_t(n));
        BERTH_TRYV_CTX(sys::writeAll(tmp.fd.borrow(), std::string_view(buf.data(), size_t(n))),
                       "write blob");
    }
    Digest got = h.finish();
    if (expected && got != *expected)
        return fail(Errc::Corrupt,
                    "blob digest mismatch: expected " + expected->str() + ", got " + got.str());
    if (!hasBlob(layout, got)) BERTH_TRYV(commitTempBlob(layout, tmp, got));
    return got;
}

Result<Digest> writeBlob(const store::StoreLayout& layout, std::string_view bytes) {
    Digest d = Digest::ofBytes(bytes);
    if (hasBlob(layout, d)) return d;
    auto tmp = BERTH_TRY(openTempBlob(layout));
    BERTH_TRYV_CTX(sys::writeAll(tmp.fd.borrow(), bytes), "write blob " + d.str());
    BERTH_TRYV(commitTempBlob(layout, tmp, d));
    return d;
}

Result<std::string> readBlob(const store::StoreLayout& layout, const Digest& d, size_t maxBytes) {
    auto text = BERTH_TRY_CTX(sys::readFile(blobPath(layout, d), maxBytes), "blob " + d.str());
    BERTH_TRYV(d.verify(text, "blob " + d.str()));
    return text;
}

} // namespace berth::image
