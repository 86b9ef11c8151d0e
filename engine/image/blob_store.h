#pragma once
// Content-addressed blobs: blobs/sha256/<hex>. A blob enters the store only through a temp
// file under tmp/ whose digest was computed while it was written and matched what was
// expected; it is fsynced and renamed into place, so a blob file is always whole.

#include "image/digest.h"
#include "store/layout.h"
#include "sys/error.h"
#include "sys/unique_fd.h"

#include <filesystem>
#include <optional>
#include <string>

namespace berth::image {

std::filesystem::path blobPath(const store::StoreLayout& layout, const Digest& d);
bool hasBlob(const store::StoreLayout& layout, const Digest& d);

// Streams a whole file through SHA-256.
Result<Digest> hashFile(const std::filesystem::path& path, uint64_t* size = nullptr);

// Moves `file` (on the store's file system, already hashed to `digest`) into the blob
// store: fsync, rename. When the blob is already there the file is just removed.
// Returns true when the blob is new.
Result<bool> adoptBlob(const store::StoreLayout& layout, const std::filesystem::path& file,
                       const Digest& digest);

// Writes bytes as a blob (temp file, verify, fsync, rename). Returns its digest.
Result<Digest> writeBlob(const store::StoreLayout& layout, std::string_view bytes);
// Copies `input` into the store, hashing as it goes; fails (storing nothing) when the
// content does not match `expected`.
Result<Digest> writeBlobFrom(const store::StoreLayout& layout, sys::BorrowedFd input,
                             const std::optional<Digest>& expected);

// Reads a small blob (manifest, config) and verifies its digest.
Result<std::string> readBlob(const store::StoreLayout& layout, const Digest& d,
                             size_t maxBytes = size_t(16) << 20);

} // namespace berth::image
