#include "image/layer_stream.h"

#include "sys/fs.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

namespace berth::image {

struct LayerStream::Impl {
    archive* a = nullptr;
    std::filesystem::path path;
    ~Impl() {
        if (a) archive_read_free(a);
    }
};

LayerStream::LayerStream() : m_impl(std::make_unique<Impl>()) {}
LayerStream::LayerStream(LayerStream&&) noexcept = default;
LayerStream& LayerStream::operator=(LayerStream&&) noexcept = default;
LayerStream::~LayerStream() = default;

Result<LayerStream> LayerStream::open(const std::filesystem::path& blob) {
    LayerStream s;
    s.m_impl->path = blob;
    s.m_impl->a = archive_read_new();
    archive* a = s.m_impl->a;
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_zstd(a);
    archive_read_support_format_raw(a);
    if (archive_read_open_filename(a, blob.c_str(), 1 << 16) != ARCHIVE_OK)
        return fail(Errc::Io, "open layer `" + blob.string() + "`: " + archive_error_string(a));
    archive_entry* e = nullptr;
    int r = archive_read_next_header(a, &e);
    if (r == ARCHIVE_EOF) return s;  // empty file
    if (r != ARCHIVE_OK)
        return fail(Errc::Corrupt, "read layer `" + blob.string() + "`: " + archive_error_string(a));
    return s;
}

Result<size_t> LayerStream::read(void* buf, size_t len) {
    la_ssize_t n = archive_read_data(m_impl->a, buf, len);
    if (n < 0)
        return fail(Errc::Corrupt, "read layer `" + m_impl->path.string() +
                                       "`: " + archive_error_string(m_impl->a));
    return size_t(n);
}

Result<Digest> uncompressedDigest(const std::filesystem::path& blob, uint64_t* size) {
    auto s = BERTH_TRY(LayerStream::open(blob));
    Sha256 h;
    uint64_t total = 0;
    std::string buf(1 << 18, '\0');
    for (;;) {
        size_t n = BERTH_TRY(s.read(buf.data(), buf.size()));
        if (n == 0) break;
        h.update(buf.data(), n);
        total += n;
    }
    if (size) *size = total;
    return h.finish();
}

std::string sniffCompression(const std::filesystem::path& file) {
    auto fd = sys::openFile(file, O_RDONLY);
    if (!fd) return "";
    unsigned char m[4] = {0, 0, 0, 0};
    ssize_t n = ::read(fd->get(), m, sizeof m);
    if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b) return "gzip";
    if (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) return "zstd";
    return "";
}

} // namespace berth::image
