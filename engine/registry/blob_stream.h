#pragma once
// BlobStream: lets a layer be extracted while its blob is still downloading. The fetcher
// appends to the blob's file and reports how many bytes it holds; a reader follows behind,
// reading only bytes already written and waiting for more. Nothing read this way is
// trusted early: the reader sees the end of the blob only once the whole file has been
// verified against its digest, so an extraction that finishes has consumed verified bytes,
// and the pull commits nothing before that. When the fetcher starts the file over (a bad
// kept prefix, a server that ignored the Range), every reader fails with `restarted()`
// set and its layer is extracted again from the finished file.

#include "sys/error.h"
#include "sys/unique_fd.h"

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>

namespace berth::registry {

class BlobStream {
public:
    // Fetcher side (any thread).
    void opened(const std::filesystem::path& file, uint64_t have);
    void written(uint64_t have);
    void restarted();  // before the file is truncated
    void completed(const std::filesystem::path& file, uint64_t size);  // verified; final
    void aborted(const Error& why);  // the download will not finish

    // Blocks until the blob is verified (or aborted); the file to read it from.
    Result<std::filesystem::path> waitCompleted();

    // Reader side: one per extraction.
    class Reader {
    public:
        explicit Reader(BlobStream& s) : m_s(s) {}
        // Up to `len` bytes; 0 only at the end of the verified blob.
        Result<size_t> read(void* buf, size_t len);
        // The read failed because the fetcher started the file over.
        bool restarted() const { return m_restarted; }
        // What this reader read is not the file's final content (it started over since).
        bool outdated() const;

    private:
        BlobStream& m_s;
        sys::UniqueFd m_fd;
        uint64_t m_pos = 0;
        uint64_t m_generation = 0;
        bool m_restarted = false;
    };

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::filesystem::path m_file;
    bool m_open = false;
    uint64_t m_have = 0;
    uint64_t m_generation = 0;
    bool m_complete = false;
    std::optional<Error> m_abort;
};

} // namespace berth::registry
