#pragma once
// Reading a container's json-file log (log_file.h writes it): backwards from the end for
// `logs --tail N` (only the last N lines are read, whatever the file's size), and as a
// berth::LogFile for viewers that page through it by byte offset.

#include "berth/containers.h"
#include "sys/error.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace berth::container {

struct BackwardRead {
    uint64_t size = 0;    // the file's size when read
    std::string partial;  // the bytes after its last newline (a line still being written)
};
// Calls onLine with each complete line of `path` (without its newline), newest first,
// until it returns false; reads the file in blocks from its end. A missing file is empty.
Result<BackwardRead> readLinesBackwards(const std::filesystem::path& path,
                                        const std::function<bool(std::string_view)>& onLine);

// The container's log (containerDir/log.jsonl) as a LogFile; the file may not exist yet.
Result<std::unique_ptr<LogFile>> openJsonLogFile(const std::filesystem::path& containerDir);

} // namespace berth::container
