#include "build/glob.h"

#include <cctype>
#include <optional>

namespace berth::build {

namespace {

using Set = std::bitset<256>;

unsigned char byte(char c) { return static_cast<unsigned char>(c); }

Set allBut(std::string_view excluded) {
    Set s;
    s.set();
    for (char c : excluded) s.reset(byte(c));
    return s;
}

Error patternSyntax() { return Error(Errc::InvalidArgument, "syntax error in pattern"); }

// `[...]` at pattern[i] == '[' in the Dockerignore dialect: the class ends at the first ']'
// after the character that follows '[' (which is part of the class even when it is ']');
// `\x` is x; "a-z" ranges. Returns the index of the closing ']'.
Result<size_t> dockerignoreClass(std::string_view pattern, size_t i, Set& set) {
    size_t end = pattern.find(']', i + 2);
    if (end == std::string_view::npos) return fail(patternSyntax());
    std::string_view cls = pattern.substr(i + 1, end - i - 1);
    size_t k = 0;
    bool negated = cls[0] == '!' || cls[0] == '^';
    if (negated) k = 1;
    std::vector<std::pair<unsigned char, bool>> items;  // character, escaped
    for (; k < cls.size(); ++k) {
        if (cls[k] == '\\') {
            if (k + 1 >= cls.size()) return fail(patternSyntax());  // it would escape the ']'
            items.emplace_back(byte(cls[++k]), true);
        } else {
            items.emplace_back(byte(cls[k]), false);
        }
    }
    for (size_t j = 0; j < items.size(); ++j) {
        unsigned lo = items[j].first, hi = lo;
        if (j + 2 < items.size() && items[j + 1].first == '-' && !items[j + 1].second) {
            hi = items[j + 2].first;
            if (lo > hi) return fail(patternSyntax());
            j += 2;
        }
        for (unsigned c = lo; c <= hi; ++c) set.set(c);
    }
    if (negated) set.flip();
    return end;
}

bool posixClass(std::string_view name, unsigned c) {
    int ch = int(c);
    if (name == "alnum") return std::isalnum(ch);
    if (name == "alpha") return std::isalpha(ch);
    if (name == "blank") return std::isblank(ch);
    if (name == "cntrl") return std::iscntrl(ch);
    if (name == "digit") return std::isdigit(ch);
    if (name == "graph") return std::isgraph(ch);
    if (name == "lower") return std::islower(ch);
    if (name == "print") return std::isprint(ch);
    if (name == "punct") return std::ispunct(ch);
    if (name == "space") return std::isspace(ch);
    if (name == "upper") return std::isupper(ch);
    if (name == "xdigit") return std::isxdigit(ch);
    return false;
}

// `[...]` at pattern[i] == '[' in the Shell dialect (fnmatch's reading). Returns the index
// of the closing ']', or nullopt when there is none (the '[' is then a literal).
std::optional<size_t> shellClass(std::string_view pattern, size_t i, Set& set) {
    size_t k = i + 1;
    bool negated = k < pattern.size() && (pattern[k] == '!' || pattern[k] == '^');
    if (negated) ++k;
    bool first = true;
    while (k < pattern.size()) {
        char c = pattern[k];
        if (c == ']' && !first) {
            if (negated) set.flip();
            return k;
        }
        first = false;
        if (c == '[' && k + 1 < pattern.size() && pattern[k + 1] == ':') {
            size_t close = pattern.find(":]", k + 2);
            if (close != std::string_view::npos) {
                std::string_view name = pattern.substr(k + 2, close - k - 2);
                for (unsigned ch = 0; ch < 256; ++ch)
                    if (posixClass(name, ch)) set.set(ch);
                k = close + 2;
                continue;
            }
        }
        if (c == '\\' && k + 1 < pattern.size()) c = pattern[++k];
        unsigned lo = byte(c), hi = lo;
        if (k + 2 < pattern.size() && pattern[k + 1] == '-' && pattern[k + 2] != ']') {
            k += 2;
            char h = pattern[k];
            if (h == '\\' && k + 1 < pattern.size()) h = pattern[++k];
            hi = byte(h);
        }
        for (unsigned ch = lo; ch <= hi; ++ch) set.set(ch);  // lo > hi: an empty range
        ++k;
    }
    return std::nullopt;
}

} // namespace

Result<Glob> Glob::compile(std::string_view pattern, GlobDialect dialect) {
    const bool docker = dialect == GlobDialect::Dockerignore;
    Glob g;
    for (size_t i = 0; i < pattern.size(); ++i) {
        char c = pattern[i];
        Token t;
        if (c == '*' && docker && i + 1 < pattern.size() && pattern[i + 1] == '*') {
            ++i;
            if (i + 1 < pattern.size() && pattern[i + 1] == '/') {
                ++i;
                t.kind = Token::AnyDirs;  // "**/" also matches no directory at all
            } else {
                t.kind = Token::Many;
                t.set = allBut("\n");
            }
        } else if (c == '*') {
            t.kind = Token::Many;
            t.set = docker ? allBut("/") : allBut("");
        } else if (c == '?') {
            t.set = docker ? allBut("/") : allBut("");
        } else if (c == '[' && docker) {
            i = BERTH_TRY(dockerignoreClass(pattern, i, t.set));
        } else if (c == '[') {
            if (auto end = shellClass(pattern, i, t.set)) i = *end;
            else t.set.reset().set(byte('['));
        } else if (c == '\\' && i + 1 < pattern.size()) {
            t.set.set(byte(pattern[++i]));
        } else if (c == '\\') {
            // A trailing `\`: an error in a .dockerignore; fnmatch matches nothing then.
            if (docker) return fail(patternSyntax());
            t.set.reset();
        } else {
            t.set.set(byte(c));
        }
        g.m_tokens.push_back(t);
    }
    return g;
}

// State 2i is "before token i", 2i+1 "inside token i" (an AnyDirs that has begun eating
// characters and needs a '/' to end), 2n accepts. Every empty move goes forward, so one
// pass in order closes a set of states. `reversed` walks both the text and the tokens
// backwards (only One and Many, which read the same either way).
std::vector<bool> Glob::run(const std::vector<Token>& tokens, std::string_view text, bool reversed) {
    const size_t n = tokens.size();
    auto tok = [&](size_t i) -> const Token& { return reversed ? tokens[n - 1 - i] : tokens[i]; };
    std::vector<char> cur(2 * n + 1, 0), next(2 * n + 1, 0);
    auto close = [&](std::vector<char>& s) {
        for (size_t i = 0; i < n; ++i) {
            if (!s[2 * i] || tok(i).kind == Token::One) continue;
            s[2 * (i + 1)] = 1;
            if (tok(i).kind == Token::AnyDirs) s[2 * i + 1] = 1;
        }
    };
    std::vector<bool> accepted;
    accepted.reserve(text.size() + 1);
    cur[0] = 1;
    close(cur);
    accepted.push_back(cur[2 * n]);
    for (size_t k = 0; k < text.size(); ++k) {
        unsigned char c = byte(reversed ? text[text.size() - 1 - k] : text[k]);
        std::fill(next.begin(), next.end(), 0);
        bool alive = false;
        for (size_t i = 0; i < n; ++i) {
            const Token& t = tok(i);
            if (cur[2 * i] && t.kind != Token::AnyDirs && t.set[c]) {
                next[t.kind == Token::One ? 2 * (i + 1) : 2 * i] = 1;
                alive = true;
            }
            if (cur[2 * i + 1]) {
                if (c != '\n') next[2 * i + 1] = 1;
                if (c == '/') next[2 * (i + 1)] = 1;
                alive = alive || c != '\n';
            }
        }
        if (!alive) {
            accepted.resize(text.size() + 1, false);
            return accepted;
        }
        close(next);
        cur.swap(next);
        accepted.push_back(cur[2 * n]);
    }
    return accepted;
}

bool Glob::matches(std::string_view text) const { return run(m_tokens, text, false).back(); }

std::vector<bool> Glob::prefixMatches(std::string_view text) const { return run(m_tokens, text, false); }

std::vector<bool> Glob::suffixMatches(std::string_view text) const { return run(m_tokens, text, true); }

} // namespace berth::build
