#include "image/compression.h"

#include <zlib.h>
#include <zstd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <unistd.h>
#include <vector>

namespace berth::image {

namespace {

constexpr size_t kBufSize = size_t(1) << 17;

bool startsWith(std::string_view head, std::initializer_list<unsigned char> magic) {
    if (head.size() < magic.size()) return false;
    size_t i = 0;
    for (unsigned char m : magic)
        if (static_cast<unsigned char>(head[i++]) != m) return false;
    return true;
}

// read(2) until `len` bytes or end of file.
Result<size_t> readSome(int fd, void* buf, size_t len) {
    for (;;) {
        ssize_t n = ::read(fd, buf, len);
        if (n >= 0) return size_t(n);
        if (errno != EINTR) return failErrno("read layer");
    }
}

} // namespace

const char* compressionName(Compression c) {
    switch (c) {
    case Compression::None: return "";
    case Compression::Gzip: return "gzip";
    case Compression::Zstd: return "zstd";
    }
    return "";
}

Result<Compression> detectCompression(std::string_view head) {
    if (startsWith(head, {0x1f, 0x8b})) return Compression::Gzip;
    if (startsWith(head, {0x28, 0xb5, 0x2f, 0xfd})) return Compression::Zstd;
    // zstd skippable frame: 0x184D2A5? little endian.
    if (head.size() >= 4 && (static_cast<unsigned char>(head[0]) & 0xf0) == 0x50 &&
        startsWith(head.substr(1), {0x2a, 0x4d, 0x18}))
        return Compression::Zstd;
    if (startsWith(head, {0xfd, '7', 'z', 'X', 'Z', 0x00}))
        return fail(Errc::Unsupported, "layer is xz-compressed; layers may be plain, gzip or zstd");
    if (startsWith(head, {'B', 'Z', 'h'}))
        return fail(Errc::Unsupported, "layer is bzip2-compressed; layers may be plain, gzip or zstd");
    return Compression::None;
}

// ---------------------------------------------------------------------------------------
// DecompressingReader

struct DecompressingReader::Impl {
    ByteSource source;
    Compression compression = Compression::None;
    std::vector<unsigned char> in = std::vector<unsigned char>(kBufSize);
    size_t inPos = 0;
    size_t inLen = 0;
    bool inEof = false;
    bool finished = false;
    uint64_t compressed = 0;
    uint64_t uncompressed = 0;

    z_stream z{};
    bool zInit = false;
    bool gzipMemberDone = false;

    ZSTD_DStream* zstd = nullptr;
    size_t zstdLastRet = 0;  // 0 when the last frame is complete
    bool zstdStarted = false;

    ~Impl() {
        if (zInit) inflateEnd(&z);
        if (zstd) ZSTD_freeDStream(zstd);
    }

    // Makes more input available; false at end of file.
    Result<bool> refill() {
        if (inPos < inLen) return true;
        if (inEof) return false;
        size_t n = BERTH_TRY(source(in.data(), in.size()));
        inPos = 0;
        inLen = n;
        compressed += n;
        if (n == 0) inEof = true;
        return n > 0;
    }

    // After a complete gzip member or zstd frame: true when the input ends here. Zero bytes
    // up to the end are block padding some writers add after the compressed data (libarchive
    // pads to its block size) and are accepted, like gzip(1) does; a non-zero byte starts
    // another member or frame; zeros followed by anything else are junk.
    Result<bool> atCompressedEnd(std::string_view format) {
        bool have = BERTH_TRY(refill());
        if (!have) return true;
        if (in[inPos] != 0) return false;
        for (;;) {
            for (; inPos < inLen; ++inPos)
                if (in[inPos] != 0)
                    return fail(Errc::Corrupt, fmt::format("junk after the {} data at byte {}", format,
                                                           compressed - (inLen - inPos)));
            have = BERTH_TRY(refill());
            if (!have) return true;
        }
    }

    Result<size_t> readPlain(unsigned char* out, size_t len) {
        if (inPos < inLen) {
            size_t n = std::min(len, inLen - inPos);
            std::memcpy(out, in.data() + inPos, n);
            inPos += n;
            return n;
        }
        if (inEof) return size_t(0);
        size_t n = BERTH_TRY(source(out, len));
        compressed += n;
        if (n == 0) inEof = true;
        return n;
    }

    Result<size_t> readGzip(unsigned char* out, size_t len) {
        size_t produced = 0;
        while (produced == 0 && !finished) {
            if (gzipMemberDone) {
                // A gzip file may hold several members back to back.
                if (BERTH_TRY(atCompressedEnd("gzip"))) {
                    finished = true;
                    break;
                }
                inflateReset(&z);
                gzipMemberDone = false;
            }
            bool haveInput = BERTH_TRY(refill());
            if (!haveInput)
                return fail(Errc::Corrupt, "truncated gzip stream (unexpected end of data)");
            z.next_in = in.data() + inPos;
            z.avail_in = unsigned(inLen - inPos);
            z.next_out = out + produced;
            z.avail_out = unsigned(len - produced);
            int rc = inflate(&z, Z_NO_FLUSH);
            inPos = inLen - z.avail_in;
            produced = len - z.avail_out;
            if (rc == Z_STREAM_END) {
                gzipMemberDone = true;
            } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                return fail(Errc::Corrupt, std::string("corrupt gzip stream: ") +
                                               (z.msg ? z.msg : "inflate failed"));
            }
        }
        return produced;
    }

    Result<size_t> readZstd(unsigned char* out, size_t len) {
        ZSTD_outBuffer ob{out, len, 0};
        while (ob.pos == 0 && !finished) {
            if (zstdLastRet == 0 && zstdStarted && BERTH_TRY(atCompressedEnd("zstd"))) {
                finished = true;
                break;
            }
            zstdStarted = true;
            bool haveInput = BERTH_TRY(refill());
            if (!haveInput) {
                // The decoder may still hold output; flush it with an empty input.
                ZSTD_inBuffer ib{in.data(), 0, 0};
                size_t rc = ZSTD_decompressStream(zstd, &ob, &ib);
                if (ZSTD_isError(rc))
                    return fail(Errc::Corrupt, std::string("corrupt zstd stream: ") + ZSTD_getErrorName(rc));
                zstdLastRet = rc;
                if (ob.pos > 0) break;
                if (zstdLastRet != 0)
                    return fail(Errc::Corrupt, "truncated zstd stream (unexpected end of data)");
                finished = true;
                break;
            }
            ZSTD_inBuffer ib{in.data() + inPos, inLen - inPos, 0};
            size_t rc = ZSTD_decompressStream(zstd, &ob, &ib);
            inPos += ib.pos;
            if (ZSTD_isError(rc))
                return fail(Errc::Corrupt, std::string("corrupt zstd stream: ") + ZSTD_getErrorName(rc));
            zstdLastRet = rc;
        }
        return ob.pos;
    }
};

DecompressingReader::DecompressingReader() : m_impl(std::make_unique<Impl>()) {}
DecompressingReader::DecompressingReader(DecompressingReader&&) noexcept = default;
DecompressingReader& DecompressingReader::operator=(DecompressingReader&&) noexcept = default;
DecompressingReader::~DecompressingReader() = default;

Result<DecompressingReader> DecompressingReader::open(sys::BorrowedFd fd) {
    int raw = fd.get();
    return open(ByteSource([raw](void* buf, size_t len) { return readSome(raw, buf, len); }));
}

Result<DecompressingReader> DecompressingReader::open(ByteSource source) {
    DecompressingReader r;
    Impl& d = *r.m_impl;
    d.source = std::move(source);
    // Enough leading bytes to recognise every magic number (pipes may return short reads).
    while (d.inLen < 6 && !d.inEof) {
        size_t n = BERTH_TRY(d.source(d.in.data() + d.inLen, d.in.size() - d.inLen));
        d.compressed += n;
        d.inLen += n;
        if (n == 0) d.inEof = true;
    }
    d.compression = BERTH_TRY(detectCompression(
        std::string_view(reinterpret_cast<const char*>(d.in.data()), d.inLen)));
    if (d.compression == Compression::Gzip) {
        // 15 + 16: a gzip wrapper only.
        if (inflateInit2(&d.z, 15 + 16) != Z_OK)
            return fail(Errc::Internal, "inflateInit2 failed");
        d.zInit = true;
    } else if (d.compression == Compression::Zstd) {
        d.zstd = ZSTD_createDStream();
        if (!d.zstd) return fail(Errc::Internal, "ZSTD_createDStream failed");
        ZSTD_initDStream(d.zstd);
    }
    return r;
}

Result<size_t> DecompressingReader::read(void* buf, size_t len) {
    Impl& d = *m_impl;
    if (len == 0) return size_t(0);
    auto* out = static_cast<unsigned char*>(buf);
    // zlib counts in unsigned int.
    len = std::min(len, size_t(1) << 30);
    Result<size_t> n = size_t(0);
    switch (d.compression) {
    case Compression::None: n = d.readPlain(out, len); break;
    case Compression::Gzip: n = d.readGzip(out, len); break;
    case Compression::Zstd: n = d.readZstd(out, len); break;
    }
    if (n) d.uncompressed += *n;
    return n;
}

Compression DecompressingReader::compression() const { return m_impl->compression; }
uint64_t DecompressingReader::compressedBytes() const { return m_impl->compressed; }
uint64_t DecompressingReader::uncompressedBytes() const { return m_impl->uncompressed; }

// ---------------------------------------------------------------------------------------
// CompressingWriter

struct CompressingWriter::Impl {
    int fd = -1;
    bool gzip = false;
    bool finished = false;
    z_stream z{};
    bool zInit = false;
    std::vector<unsigned char> out;
    uint64_t uncompressed = 0;
    uint64_t compressed = 0;

    ~Impl() {
        if (zInit) deflateEnd(&z);
    }

    VoidResult writeOut(const unsigned char* data, size_t len) {
        while (len > 0) {
            ssize_t n = ::write(fd, data, len);
            if (n < 0) {
                if (errno == EINTR) continue;
                return failErrno("write layer");
            }
            data += n;
            len -= size_t(n);
            compressed += uint64_t(n);
        }
        return {};
    }

    VoidResult deflateSome(const unsigned char* data, size_t len, int flush) {
        z.next_in = const_cast<unsigned char*>(data);
        z.avail_in = unsigned(len);
        for (;;) {
            z.next_out = out.data();
            z.avail_out = unsigned(out.size());
            int rc = deflate(&z, flush);
            if (rc == Z_STREAM_ERROR) return fail(Errc::Internal, "deflate failed");
            BERTH_TRYV(writeOut(out.data(), out.size() - z.avail_out));
            if (flush == Z_FINISH ? rc == Z_STREAM_END : (z.avail_in == 0 && z.avail_out != 0))
                return {};
        }
    }
};

CompressingWriter::CompressingWriter() : m_impl(std::make_unique<Impl>()) {}
CompressingWriter::CompressingWriter(CompressingWriter&&) noexcept = default;
CompressingWriter& CompressingWriter::operator=(CompressingWriter&&) noexcept = default;
CompressingWriter::~CompressingWriter() = default;

Result<CompressingWriter> CompressingWriter::open(sys::BorrowedFd fd, bool gzip) {
    CompressingWriter w;
    Impl& d = *w.m_impl;
    d.fd = fd.get();
    d.gzip = gzip;
    if (gzip) {
        // windowBits 15 + 16: a gzip wrapper whose header zlib fills with no name and a zero
        // time, so equal input gives equal bytes.
        if (deflateInit2(&d.z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return fail(Errc::Internal, "deflateInit2 failed");
        d.zInit = true;
        d.out.resize(kBufSize);
    }
    return w;
}

VoidResult CompressingWriter::write(const void* data, size_t len) {
    Impl& d = *m_impl;
    if (d.finished) return fail(Errc::Internal, "write after finish");
    auto* p = static_cast<const unsigned char*>(data);
    d.uncompressed += len;
    if (!d.gzip) return d.writeOut(p, len);
    while (len > 0) {
        size_t chunk = std::min(len, size_t(1) << 30);
        BERTH_TRYV(d.deflateSome(p, chunk, Z_NO_FLUSH));
        p += chunk;
        len -= chunk;
    }
    return {};
}

VoidResult CompressingWriter::finish() {
    Impl& d = *m_impl;
    if (d.finished) return {};
    d.finished = true;
    if (d.gzip) return d.deflateSome(nullptr, 0, Z_FINISH);
    return {};
}

uint64_t CompressingWriter::uncompressedBytes() const { return m_impl->uncompressed; }
uint64_t CompressingWriter::compressedBytes() const { return m_impl->compressed; }

} // namespace berth::image
