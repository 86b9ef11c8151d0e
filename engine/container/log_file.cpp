#include "container/log_file.h"

#include "container/container_record.h"
#include "sys/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace berth::container {

namespace fs = std::filesystem;

static const char* streamName(int i) { return i == 1 ? "stderr" : "stdout"; }

// JSON string escaping by hand: the monitor writes every line through here, and a
// json object per line would cost an allocation per field.
static void appendEscaped(std::string& out, std::string_view s) {
    static const char* hex = "0123456789abcdef";
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += char(c);
            }
        }
    }
}

std::string encodeLogLine(std::string_view stream, std::string_view text, int64_t timeNano) {
    std::string out;
    out.reserve(text.size() + 80);
    out += "{\"log\":\"";
    appendEscaped(out, text);
    out += "\",\"stream\":\"";
    out += stream;
    out += "\",\"time\":\"";
    out += formatTimeNano(timeNano);
    out += "\"}\n";
    return out;
}

bool decodeLogLine(std::string_view line, ParsedLogLine& out) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return false;
    auto log = j.find("log");
    if (log == j.end() || !log->is_string()) return false;
    out.text = log->get<std::string>();
    out.stream = j.value("stream", "stdout");
    out.timeNano = parseTimeNano(j.value("time", ""));
    return true;
}

std::vector<fs::path> logFiles(const fs::path& dir) {
    std::vector<fs::path> out;
    for (int i = 64; i >= 1; --i) {
        auto p = dir / ("log.jsonl." + std::to_string(i));
        if (sys::exists(p)) out.push_back(p);
    }
    out.push_back(dir / "log.jsonl");
    return out;
}

LogWriter::LogWriter(fs::path path, LogConfig config) : m_path(std::move(path)), m_config(config) {}

VoidResult LogWriter::open() {
    m_fd = BERTH_TRY(sys::openFile(m_path, O_WRONLY | O_CREAT | O_APPEND, 0640));
    struct stat st;
    if (::fstat(m_fd.get(), &st) == 0) m_size = uint64_t(st.st_size);
    return {};
}

VoidResult LogWriter::rotate() {
    m_fd.reset();
    int keep = m_config.maxFile;
    if (keep <= 1) {
        ::truncate(m_path.c_str(), 0);
    } else {
        auto name = [&](int i) { return fs::path(m_path.string() + "." + std::to_string(i)); };
        ::unlink(name(keep - 1).c_str());
        for (int i = keep - 2; i >= 1; --i) ::rename(name(i).c_str(), name(i + 1).c_str());
        ::rename(m_path.c_str(), name(1).c_str());
    }
    m_size = 0;
    return open();
}

VoidResult LogWriter::emit(int idx, std::string_view line, int64_t timeNano) {
    std::string enc = encodeLogLine(streamName(idx), line, timeNano);
    if (m_config.maxSize && m_size > 0 && m_size + enc.size() > m_config.maxSize) BERTH_TRYV(rotate());
    if (!m_fd) BERTH_TRYV(open());
    BERTH_TRYV(sys::writeAll(m_fd.borrow(), enc));
    m_size += enc.size();
    return {};
}

VoidResult LogWriter::write(int idx, std::string_view data) {
    int64_t now = nowNano();
    std::string& partial = m_partial[idx & 1];
    while (!data.empty()) {
        auto nl = data.find('\n');
        if (nl == std::string_view::npos) {
            partial.append(data);
            if (partial.size() >= 16384) {
                BERTH_TRYV(emit(idx, partial, now));
                partial.clear();
            }
            break;
        }
        if (partial.empty()) {
            BERTH_TRYV(emit(idx, data.substr(0, nl + 1), now));
        } else {
            partial.append(data.substr(0, nl + 1));
            BERTH_TRYV(emit(idx, partial, now));
            partial.clear();
        }
        data.remove_prefix(nl + 1);
    }
    return {};
}

VoidResult LogWriter::flush() {
    int64_t now = nowNano();
    for (int i = 0; i < 2; ++i)
        if (!m_partial[i].empty()) {
            BERTH_TRYV(emit(i, m_partial[i], now));
            m_partial[i].clear();
        }
    return {};
}

} // namespace berth::container
