#include "build/docker_ignore.h"

#include <fmt/format.h>

namespace berth::build {

std::string cleanPath(std::string_view path) {
    bool rooted = !path.empty() && path.front() == '/';
    std::vector<std::string> parts;
    size_t pos = 0;
    while (pos <= path.size()) {
        size_t slash = path.find('/', pos);
        if (slash == std::string_view::npos) slash = path.size();
        std::string_view part = path.substr(pos, slash - pos);
        pos = slash + 1;
        if (part.empty() || part == ".") continue;
        if (part == "..") {
            if (!parts.empty() && parts.back() != "..") parts.pop_back();
            else if (!rooted) parts.emplace_back("..");
            continue;
        }
        parts.emplace_back(part);
    }
    std::string out = rooted ? "/" : "";
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i) out += '/';
        out += parts[i];
    }
    return out.empty() ? "." : out;
}

namespace {

// Go's filepath.Match syntax plus `**`, as a regular expression over the whole path.
Result<std::string> toRegex(const std::string& pattern) {
    std::string re = "^";
    for (size_t i = 0; i < pattern.size(); ++i) {
        char c = pattern[i];
        if (c == '*') {
            if (i + 1 < pattern.size() && pattern[i + 1] == '*') {
                ++i;
                // "**/" also matches no directory at all.
                if (i + 1 < pattern.size() && pattern[i + 1] == '/') {
                    ++i;
                    re += "(.*/)?";
                } else {
                    re += ".*";
                }
            } else {
                re += "[^/]*";
            }
        } else if (c == '?') {
            re += "[^/]";
        } else if (c == '[') {
            size_t end = pattern.find(']', i + 2);
            if (end == std::string::npos) return fail(Errc::InvalidArgument, "syntax error in pattern");
            std::string cls = pattern.substr(i + 1, end - i - 1);
            if (!cls.empty() && cls[0] == '^') cls[0] = '!';
            re += '[';
            for (size_t k = 0; k < cls.size(); ++k) {
                char d = cls[k];
                if (k == 0 && d == '!') re += '^';
                else if (d == '\\' && k + 1 < cls.size()) re += "\\" + std::string(1, cls[++k]);
                else if (d == '[' || d == ']') re += std::string("\\") + d;
                else re += d;
            }
            re += ']';
            i = end;
        } else if (c == '\\') {
            if (i + 1 >= pattern.size()) return fail(Errc::InvalidArgument, "syntax error in pattern");
            char d = pattern[++i];
            if (std::string_view(".^$|()[]{}*+?\\/").find(d) != std::string_view::npos) re += '\\';
            re += d;
        } else {
            if (std::string_view(".^$|()[]{}+\\").find(c) != std::string_view::npos) re += '\\';
            re += c;
        }
    }
    re += "$";
    return re;
}

} // namespace

Result<DockerIgnore> DockerIgnore::parse(std::string_view text) {
    DockerIgnore di;
    size_t pos = 0;
    int lineNo = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        std::string line(text.substr(pos, nl - pos));
        pos = nl + 1;
        ++lineNo;
        if (!line.empty() && line.front() == '#') continue;
        auto b = line.find_first_not_of(" \t\r");
        if (b == std::string::npos) continue;
        line = line.substr(b, line.find_last_not_of(" \t\r") - b + 1);
        Pattern p;
        if (line.front() == '!') {
            p.exception = true;
            line = line.substr(1);
            auto b2 = line.find_first_not_of(" \t");
            if (b2 == std::string::npos)
                return fail(Errc::InvalidArgument, fmt::format(".dockerignore:{}: illegal exclusion pattern: \"!\"", lineNo));
            line = line.substr(b2);
        }
        line = cleanPath(line);
        if (!line.empty() && line.front() == '/') line = line.substr(1);
        if (line.empty()) line = ".";
        p.text = line;
        auto re = toRegex(line);
        if (!re) return fail(Errc::InvalidArgument, fmt::format(".dockerignore:{}: `{}`: {}", lineNo, line, re.error().message()));
        try {
            p.re = std::regex(*re, std::regex::ECMAScript | std::regex::optimize);
        } catch (const std::regex_error&) {
            return fail(Errc::InvalidArgument, fmt::format(".dockerignore:{}: `{}`: syntax error in pattern", lineNo, line));
        }
        di.m_hasExceptions = di.m_hasExceptions || p.exception;
        di.m_patterns.push_back(std::move(p));
    }
    return di;
}

bool DockerIgnore::excluded(std::string_view path) const {
    if (m_patterns.empty()) return false;
    std::string p(path);
    // The path and each of its parent directories: excluding a directory excludes what is in it.
    std::vector<std::string> candidates{p};
    for (size_t slash = p.rfind('/'); slash != std::string::npos && slash > 0; slash = p.rfind('/', slash - 1)) {
        candidates.push_back(p.substr(0, slash));
        if (slash == 0) break;
    }
    bool matched = false;
    for (auto& pat : m_patterns) {
        if (pat.text == ".") {
            matched = !pat.exception;
            continue;
        }
        for (auto& c : candidates) {
            if (std::regex_match(c, pat.re)) {
                matched = !pat.exception;
                break;
            }
        }
    }
    return matched;
}

} // namespace berth::build
