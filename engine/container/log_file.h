#pragma once
// The container's log in Docker's json-file format, one object per line:
//   {"log":"hello\n","stream":"stdout","time":"2026-11-26T21:03:04.123456789Z"}
// LogWriter (in the monitor) splits output into lines and rotates by size
// (log.jsonl -> log.jsonl.1 -> ... up to max-file); readLogFile parses one file.

#include "container/container_options.h"
#include "sys/error.h"
#include "sys/unique_fd.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::container {

class LogWriter {
public:
    LogWriter(std::filesystem::path path, LogConfig config);
    VoidResult open();
    // Appends output of `stream` ("stdout"/"stderr"); complete lines are written at once, a
    // partial line is held until its newline (or 16 KiB, or flush()).
    VoidResult write(int streamIndex, std::string_view data);
    VoidResult flush();  // writes held partial lines (stream closed, container exited)

private:
    VoidResult emit(int streamIndex, std::string_view line, int64_t timeNano);
    VoidResult rotate();

    std::filesystem::path m_path;
    LogConfig m_config;
    sys::UniqueFd m_fd;
    uint64_t m_size = 0;
    std::string m_partial[2];
};

struct ParsedLogLine {
    std::string stream;
    std::string text;
    int64_t timeNano = 0;
};

std::string encodeLogLine(std::string_view stream, std::string_view text, int64_t timeNano);
bool decodeLogLine(std::string_view line, ParsedLogLine& out);

// The log files of a container, oldest first (log.jsonl.N ... log.jsonl.1, log.jsonl).
std::vector<std::filesystem::path> logFiles(const std::filesystem::path& containerDir);

} // namespace berth::container
