#pragma once
// LayerStream: reads a stored layer blob (plain, gzip or zstd) as its uncompressed tar
// bytes, e.g. to write it into a docker-archive or to check its diff id.

#include "image/digest.h"
#include "sys/error.h"

#include <filesystem>
#include <memory>

namespace berth::image {

class LayerStream {
public:
    static Result<LayerStream> open(const std::filesystem::path& blob);
    LayerStream(LayerStream&&) noexcept;
    LayerStream& operator=(LayerStream&&) noexcept;
    ~LayerStream();
    // Up to `len` bytes; 0 at the end.
    Result<size_t> read(void* buf, size_t len);

private:
    LayerStream();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// sha256 and length of the uncompressed stream.
Result<Digest> uncompressedDigest(const std::filesystem::path& blob, uint64_t* size = nullptr);

// "gzip", "zstd" or "" (plain) from the first bytes of a file.
std::string sniffCompression(const std::filesystem::path& file);

} // namespace berth::image
