// The Dockerfile parser (see dockerfile.h). Two passes in one loop: the text becomes
// logical lines (directives, comments, continuations, heredoc bodies), and each logical
// line becomes a checked Instruction (instruction_parse.cpp).
#include "build/dockerfile.h"

#include "build/instruction_parse.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace berth::build {

std::optional<std::string> Instruction::flag(std::string_view name) const {
    for (auto it = flags.rbegin(); it != flags.rend(); ++it)
        if (it->first == name) return it->second;
    return std::nullopt;
}

namespace {

std::string_view trimLeft(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

std::string_view trimRight(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string r(s);
    for (auto& c : r) c = char(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

std::vector<std::string> splitLines(std::string_view text) {
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view line = text.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.emplace_back(line);
        pos = nl + 1;
    }
    return lines;
}

// "# key = value" -> {key, value}; nullopt when the line is not shaped like a directive.
std::optional<std::pair<std::string, std::string>> directive(std::string_view line) {
    auto s = trimLeft(line);
    if (s.empty() || s.front() != '#') return std::nullopt;
    s = trimLeft(s.substr(1));
    size_t k = 0;
    while (k < s.size() && std::isalpha(static_cast<unsigned char>(s[k]))) ++k;
    if (k == 0) return std::nullopt;
    std::string key = lower(s.substr(0, k));
    s = trimLeft(s.substr(k));
    if (s.empty() || s.front() != '=') return std::nullopt;
    auto value = trimRight(trimLeft(s.substr(1)));
    return std::pair{key, std::string(value)};
}

// True when the line ends in the escape character (optionally followed by blanks);
// `line` is shortened to what precedes it.
bool stripContinuation(std::string& line, char escape) {
    auto t = trimRight(line);
    if (t.empty() || t.back() != escape) return false;
    line.resize(t.size() - 1);
    return true;
}

struct HeredocMarker {
    std::string name;
    bool quoted = false;
    bool chomp = false;
};

// The heredoc markers (<<EOF, <<-EOF, <<"EOF", <<'EOF') of a RUN/COPY/ADD line, outside
// quotes, in order.
std::vector<HeredocMarker> findHeredocs(std::string_view s, char escape) {
    std::vector<HeredocMarker> found;
    char quote = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (quote) {
            if (c == quote) quote = 0;
            else if (quote == '"' && c == escape) ++i;
            continue;
        }
        if (c == escape) {
            ++i;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            continue;
        }
        if (c != '<' || i + 1 >= s.size() || s[i + 1] != '<') continue;
        if (i + 2 < s.size() && s[i + 2] == '<') {  // <<< is a here-string, not a heredoc
            i += 2;
            continue;
        }
        size_t j = i + 2;
        HeredocMarker m;
        if (j < s.size() && s[j] == '-') {
            m.chomp = true;
            ++j;
        }
        char q = 0;
        if (j < s.size() && (s[j] == '"' || s[j] == '\'')) q = s[j++];
        size_t start = j;
        while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' ||
                                s[j] == '-' || s[j] == '.'))
            ++j;
        if (j == start) continue;
        if (q) {
            if (j >= s.size() || s[j] != q) continue;
            m.quoted = true;
        }
        m.name = std::string(s.substr(start, j - start));
        found.push_back(std::move(m));
        i = q ? j : j - 1;
    }
    return found;
}

bool takesHeredocs(const std::string& keyword) {
    return keyword == "RUN" || keyword == "COPY" || keyword == "ADD";
}

} // namespace

Result<Dockerfile> parseDockerfile(std::string_view text, std::string_view name) {
    Dockerfile df;
    df.name = std::string(name);
    auto at = [&](int line, const std::string& message) {
        return fail(Errc::InvalidArgument, fmt::format("{}:{}: {}", name, line, message));
    };
    auto lines = splitLines(text);
    size_t i = 0;

    // Parser directives: only at the very top, before any comment, blank line or instruction.
    bool seenEscape = false, seenSyntax = false;
    for (; i < lines.size(); ++i) {
        auto d = directive(lines[i]);
        if (!d) break;
        auto& [key, value] = *d;
        int lineNo = int(i) + 1;
        if (key == "escape") {
            if (seenEscape) return at(lineNo, "only one escape parser directive can be used");
            if (value != "\\" && value != "`")
                return at(lineNo, fmt::format("invalid escape token '{}' does not match ` or \\", value));
            df.escape = value[0];
            seenEscape = true;
        } else if (key == "syntax") {
            if (seenSyntax) return at(lineNo, "only one syntax parser directive can be used");
            df.syntax = value;
            seenSyntax = true;
        } else if (key == "check") {
            // Build checks configuration: accepted, nothing to configure here.
        } else {
            break;  // an unknown directive is a comment, and ends the directives
        }
    }

    bool seenFrom = false;
    while (i < lines.size()) {
        int lineNo = int(i) + 1;
        std::string logical = std::string(trimLeft(lines[i++]));
        if (logical.empty() || logical.front() == '#') continue;
        while (stripContinuation(logical, df.escape)) {
            bool joined = false;
            while (i < lines.size()) {
                std::string_view next = lines[i++];
                auto t = trimLeft(next);
                // Blank and comment lines inside a continuation are dropped, like Docker.
                if (t.empty() || t.front() == '#') continue;
                logical += next;
                joined = true;
                break;
            }
            if (!joined) break;  // the file ended inside a continuation
        }
        logical = std::string(trimRight(logical));
        if (logical.empty()) continue;

        std::string keyword;
        {
            size_t sp = 0;
            while (sp < logical.size() && !std::isspace(static_cast<unsigned char>(logical[sp]))) ++sp;
            keyword = logical.substr(0, sp);
            for (auto& c : keyword) c = char(std::toupper(static_cast<unsigned char>(c)));
        }

        std::vector<Heredoc> heredocs;
        if (takesHeredocs(keyword)) {
            for (auto& m : findHeredocs(logical, df.escape)) {
                Heredoc h;
                h.name = m.name;
                h.expand = !m.quoted;
                h.chomp = m.chomp;
                bool closed = false;
                while (i < lines.size()) {
                    std::string body = lines[i++];
                    if (m.chomp) body.erase(0, body.find_first_not_of('\t') == std::string::npos
                                                   ? body.size() : body.find_first_not_of('\t'));
                    if (body == m.name) {
                        closed = true;
                        break;
                    }
                    h.content += body + "\n";
                }
                if (!closed) return at(lineNo, fmt::format("unterminated heredoc <<{} (no line `{}` follows)", m.name, m.name));
                heredocs.push_back(std::move(h));
            }
        }

        auto ins = BERTH_TRY(parseInstruction(logical, lineNo, df.escape, name));
        ins.original = logical;
        ins.heredocs = std::move(heredocs);
        BERTH_TRYV(checkHeredocUse(ins, name));
        if (ins.keyword == "FROM") {
            seenFrom = true;
        } else if (!seenFrom && ins.keyword != "ARG") {
            return at(lineNo, fmt::format("{} before the first FROM: no build stage in current context", ins.keyword));
        }
        df.instructions.push_back(std::move(ins));
    }
    if (df.instructions.empty())
        return fail(Errc::InvalidArgument, fmt::format("{}: file with no instructions", name));
    if (!seenFrom)
        return fail(Errc::InvalidArgument, fmt::format("{}: no FROM instruction: no build stage", name));
    return df;
}


} // namespace berth::build
