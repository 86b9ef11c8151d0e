#pragma once
// Layer compression: a reader that detects plain, gzip or zstd from the first bytes of a
// file descriptor and yields the decompressed bytes, and a writer that passes bytes through
// or gzips them deterministically (no name, no timestamp in the header). Both count bytes on
// each side so callers can report sizes and catch decompression bombs.

#include "sys/error.h"
#include "sys/unique_fd.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace berth::image {

enum class Compression { None, Gzip, Zstd };

const char* compressionName(Compression c);  // "", "gzip", "zstd"

// Identifies the compression from the leading bytes (at least 6 bytes give a sure answer).
// Formats a layer may not use (xz, bzip2) are Unsupported errors naming the format.
Result<Compression> detectCompression(std::string_view head);

// Where compressed bytes come from when not from a file descriptor: up to `len` bytes into
// `buf`, 0 at the end (e.g. a blob that is still being downloaded, read as it grows).
using ByteSource = std::function<Result<size_t>(void* buf, size_t len)>;

class DecompressingReader {
public:
    // Reads from `fd` (not owned; it must outlive the reader), sniffing the compression.
    static Result<DecompressingReader> open(sys::BorrowedFd fd);
    static Result<DecompressingReader> open(ByteSource source);
    DecompressingReader(DecompressingReader&&) noexcept;
    DecompressingReader& operator=(DecompressingReader&&) noexcept;
    ~DecompressingReader();

    // Up to `len` decompressed bytes; 0 at the end. A compressed stream that ends early is
    // a Corrupt error ("truncated gzip stream").
    Result<size_t> read(void* buf, size_t len);

    Compression compression() const;
    uint64_t compressedBytes() const;    // consumed from the fd so far
    uint64_t uncompressedBytes() const;  // returned by read() so far

private:
    DecompressingReader();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

class CompressingWriter {
public:
    // Writes to `fd` (not owned); gzip when `gzip`, otherwise the bytes as they are.
    static Result<CompressingWriter> open(sys::BorrowedFd fd, bool gzip);
    CompressingWriter(CompressingWriter&&) noexcept;
    CompressingWriter& operator=(CompressingWriter&&) noexcept;
    ~CompressingWriter();

    VoidResult write(const void* data, size_t len);
    // Flushes and writes the gzip trailer. No write() afterwards.
    VoidResult finish();

    uint64_t uncompressedBytes() const;
    uint64_t compressedBytes() const;  // written to the fd

private:
    CompressingWriter();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace berth::image
