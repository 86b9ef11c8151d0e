#pragma once
// BlobFetcher: downloads several blobs at once over one libcurl multi handle, each into
// its own file, hashing while the bytes stream in. A transfer cut mid-way resumes with a
// Range request from the bytes already on disk (the hash state is kept, or rebuilt from a
// partial file found at start); 5xx, 429 (Retry-After) and connection failures are retried
// with exponential backoff; a redirect to another host (blob storage) drops the registry's
// Authorization. A blob is reported complete only once its bytes match its digest; a
// mismatch, an oversized or a truncated blob fails the whole fetch.

#include "image/digest.h"
#include "registry/registry_client.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

namespace berth::registry {

struct BlobJob {
    size_t id = 0;  // the caller's handle for callbacks
    std::string repo;
    image::Digest digest;
    uint64_t size = 0;  // from the manifest: more bytes are refused, fewer are a truncation
    // Where the bytes go. `file` may already hold a prefix of the blob from an earlier,
    // killed pull: it is re-hashed from byte 0 and the download resumes after it. The file
    // is flock()ed while in use; when another process holds it, `fallbackFile` is used.
    std::filesystem::path file;
    std::filesystem::path fallbackFile;
    std::string what;  // names the blob in errors: "layer 2 (a3ed95caeb02)"
};

struct BlobFetchCallbacks {
    std::function<void(size_t id)> started;
    std::function<void(size_t id, uint64_t have, uint64_t total)> progress;
    std::function<void(size_t id, const std::string& why)> retrying;
    // Called on the fetching thread once the file is complete and verified; `file` is the
    // one used (BlobJob::file or its fallback).
    std::function<void(size_t id, const std::filesystem::path& file)> completed;
    // For readers that follow a blob while it downloads (none of these bytes is verified
    // before `completed`). `opened`: the file in use and the bytes it already holds (kept
    // from an earlier process). `written`: the file now holds `have` bytes. `restarted`:
    // called BEFORE the file is truncated to start over from byte 0; whatever was read of it
    // so far is void.
    std::function<void(size_t id, const std::filesystem::path& file, uint64_t have)> opened;
    std::function<void(size_t id, uint64_t have)> written;
    std::function<void(size_t id)> restarted;
};

struct FetchOptions {
    int parallel = 3;
    int maxRetries = 6;  // per blob, counted from its last progress
    std::chrono::milliseconds retryBase{250};
};

// Runs every job to completion; the first failure stops the others and is returned. A
// blob whose bytes turn out wrong has its file removed (a kept prefix that was bad is
// dropped and the blob fetched again from byte 0 once).
VoidResult fetchBlobs(RegistryClient& client, std::vector<BlobJob> jobs,
                      const BlobFetchCallbacks& callbacks, const FetchOptions& options,
                      std::stop_token stop);

} // namespace berth::registry
