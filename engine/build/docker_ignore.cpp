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
        auto glob = Glob::compile(line, GlobDialect::Dockerignore);
        if (!glob)
            return fail(Errc::InvalidArgument,
                        fmt::format(".dockerignore:{}: `{}`: {}", lineNo, line, glob.error().message()));
        p.glob = std::move(*glob);
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
            if (pat.glob.matches(c)) {
                matched = !pat.exception;
                break;
            }
        }
    }
    return matched;
}

} // namespace berth::build
