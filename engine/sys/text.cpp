// berth/text.h: docker's time and size texts.
#include "berth/text.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cctype>
#include <ctime>
#include <cmath>
#include <string>

#include <fmt/format.h>

namespace berth {

int64_t nowNano() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string formatTimeNano(int64_t unixNano) {
    if (unixNano <= 0) return "0001-01-01T00:00:00Z";
    time_t secs = time_t(unixNano / 1000000000);
    struct tm tm {};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(unixNano % 1000000000));
    return buf;
}

int64_t parseTimeNano(std::string_view text) {
    int y, mo, d, h, mi, s;
    if (text.size() < 19 ||
        std::sscanf(std::string(text.substr(0, 19)).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
        return 0;
    if (y <= 1) return 0;
    struct tm tm {};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    int64_t secs = timegm(&tm);
    int64_t frac = 0;
    size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 9) {
                frac = frac * 10 + (text[pos] - '0');
                ++digits;
            }
            ++pos;
        }
        while (digits++ < 9) frac *= 10;
    }
    // A numeric zone offset ("+01:00") shifts back to UTC.
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        int oh = 0, om = 0;
        if (std::sscanf(std::string(text.substr(pos + 1)).c_str(), "%2d:%2d", &oh, &om) >= 1) {
            int64_t off = oh * 3600 + om * 60;
            secs += text[pos] == '+' ? -off : off;
        }
    }
    return secs * 1000000000 + frac;
}

std::string humanDuration(int64_t s) {
    auto plural = [](int64_t n, const char* unit) { return std::to_string(n) + " " + unit; };
    if (s < 1) return "Less than a second";
    if (s == 1) return "1 second";
    if (s < 60) return plural(s, "seconds");
    int64_t m = s / 60;
    if (m == 1) return "About a minute";
    if (m < 60) return plural(m, "minutes");
    int64_t h = (s + 1800) / 3600;  // docker rounds hours (int(d.Hours() + 0.5))
    if (h == 1) return "About an hour";
    if (h < 48) return plural(h, "hours");
    if (h < 24 * 7 * 2) return plural(h / 24, "days");
    if (h < 24 * 30 * 2) return plural(h / 24 / 7, "weeks");
    if (h < 24 * 365 * 2) return plural(h / 24 / 30, "months");
    return plural(s / 3600 / 24 / 365, "years");
}

std::string timeAgo(int64_t unixSeconds) {
    if (unixSeconds <= 0) return "N/A";
    return humanDuration(int64_t(std::time(nullptr)) - unixSeconds) + " ago";
}

namespace {

// %.Ng of v followed by the unit.
std::string significant(double v, int digits, const char* unit) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g%s", digits, v, unit);
    return buf;
}

} // namespace

std::string humanSize(uint64_t bytes) {
    static const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1000.0 && u < 5) {
        v /= 1000.0;
        ++u;
    }
    return significant(v, 3, units[u]);
}

std::string humanBinarySize(uint64_t bytes) {
    static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    return significant(v, 4, units[u]);
}

std::string progressBar(uint64_t current, uint64_t total) {
    if (total == 0) return humanSize(current);
    const int width = 50;
    int filled = std::clamp(int(double(current) / double(total) * width), 0, width);
    std::string bar = "[";
    for (int i = 0; i < width; ++i) bar += i < filled - 1 ? '=' : (i == filled - 1 ? '>' : ' ');
    bar += "]  " + humanSize(current) + "/" + humanSize(total);
    return bar;
}

Result<int64_t> parseDuration(std::string_view text) {
    auto bad = [&] { return fail(Errc::InvalidArgument, fmt::format("invalid duration `{}`", text)); };
    if (text == "0") return int64_t(0);
    if (text.empty()) return bad();
    double total = 0;
    size_t i = 0;
    while (i < text.size()) {
        size_t start = i;
        while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
        if (i == start) return bad();
        double number = 0;
        try {
            number = std::stod(std::string(text.substr(start, i - start)));
        } catch (...) {
            return bad();
        }
        size_t u = i;
        while (i < text.size() && !std::isdigit(static_cast<unsigned char>(text[i])) && text[i] != '.') ++i;
        auto unit = text.substr(u, i - u);
        double scale;
        if (unit == "ns") scale = 1;
        else if (unit == "us" || unit == "\xC2\xB5s") scale = 1e3;
        else if (unit == "ms") scale = 1e6;
        else if (unit == "s") scale = 1e9;
        else if (unit == "m") scale = 60e9;
        else if (unit == "h") scale = 3600e9;
        else return bad();
        total += number * scale;
    }
    if (total > 9.2e18) return bad();
    return int64_t(std::llround(total));
}

} // namespace berth
