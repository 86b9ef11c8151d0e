#include "build/shell_lex.h"

#include "build/glob.h"

#include <fmt/format.h>

#include <cctype>

namespace berth::build {

namespace {

// Accumulates words the way Docker's lexer does: characters from unquoted text and
// unquoted substitutions split on whitespace; quoted and escaped characters never do.
struct Words {
    std::vector<std::string> list;
    std::string current;
    bool inWord = false;

    void addRaw(char ch) {
        current += ch;
        inWord = true;
    }
    void addChar(char ch) {
        if (std::isspace(static_cast<unsigned char>(ch))) {
            if (inWord) {
                list.push_back(std::move(current));
                current.clear();
                inWord = false;
            }
        } else {
            addRaw(ch);
        }
    }
    void addString(std::string_view s) {
        for (char c : s) addChar(c);
    }
    void addRawString(std::string_view s) {
        current += s;
        inWord = true;
    }
    std::vector<std::string> finish() {
        if (inWord) list.push_back(std::move(current));
        return std::move(list);
    }
};

enum class Mode { Word, ExpandOnly };

// ${a:-${b:-${c}}}: each level is a recursion of the lexer. Real Dockerfiles nest a few
// levels; a hostile one nesting 10,000 overflowed the stack (crashing the CLI or the
// window). Docker has no such limit only because Go's stacks grow.
constexpr int kMaxNesting = 100;

class Lexer {
public:
    Lexer(std::string_view text, char escape, const EnvLookup& env, Mode mode)
        : m_s(text), m_escape(escape), m_env(env), m_mode(mode) {}

    // Processes until the end, or until `stop` (not consumed) when nested in ${…}.
    Result<std::string> process(char stop, Words* words) {
        std::string out;
        while (m_pos < m_s.size()) {
            char ch = m_s[m_pos];
            if (stop && ch == stop) break;
            if (m_mode == Mode::ExpandOnly) {
                if (ch == '$') {
                    out += BERTH_TRY(dollar());
                } else if (ch == m_escape && m_pos + 1 < m_s.size() && m_s[m_pos + 1] == '$') {
                    out += '$';
                    m_pos += 2;
                } else {
                    out += ch;
                    ++m_pos;
                }
                continue;
            }
            if (ch == '\'') {
                auto q = BERTH_TRY(singleQuoted());
                out += q;
                if (words) words->addRawString(q);
            } else if (ch == '"') {
                auto q = BERTH_TRY(doubleQuoted());
                out += q;
                if (words) words->addRawString(q);
            } else if (ch == '$') {
                auto v = BERTH_TRY(dollar());
                out += v;
                if (words) words->addString(v);
            } else if (ch == m_escape) {
                ++m_pos;
                if (m_pos >= m_s.size()) {
                    // A lone escape at the very end stays literal.
                    out += ch;
                    if (words) words->addRaw(ch);
                    break;
                }
                char next = m_s[m_pos++];
                out += next;
                if (words) words->addRaw(next);
            } else {
                out += ch;
                if (words) words->addChar(ch);
                ++m_pos;
            }
        }
        return out;
    }

    bool atEnd() const { return m_pos >= m_s.size(); }

private:
    Result<std::string> singleQuoted() {
        ++m_pos;
        size_t end = m_s.find('\'', m_pos);
        if (end == std::string_view::npos)
            return fail(Errc::InvalidArgument, "unexpected end of statement while looking for matching single-quote");
        std::string out(m_s.substr(m_pos, end - m_pos));
        m_pos = end + 1;
        return out;
    }

    Result<std::string> doubleQuoted() {
        ++m_pos;
        std::string out;
        while (true) {
            if (m_pos >= m_s.size())
                return fail(Errc::InvalidArgument, "unexpected end of statement while looking for matching double-quote");
            char ch = m_s[m_pos];
            if (ch == '"') {
                ++m_pos;
                return out;
            }
            if (ch == '$') {
                out += BERTH_TRY(dollar());
            } else if (ch == m_escape && m_pos + 1 < m_s.size() &&
                       (m_s[m_pos + 1] == '"' || m_s[m_pos + 1] == '$' || m_s[m_pos + 1] == m_escape)) {
                out += m_s[m_pos + 1];
                m_pos += 2;
            } else {
                out += ch;
                ++m_pos;
            }
        }
    }

    std::string readName() {
        size_t start = m_pos;
        if (m_pos < m_s.size() && std::isdigit(static_cast<unsigned char>(m_s[m_pos]))) {
            ++m_pos;  // $1 … $9: one digit, like a shell's positional parameters
            return std::string(m_s.substr(start, 1));
        }
        while (m_pos < m_s.size() &&
               (std::isalnum(static_cast<unsigned char>(m_s[m_pos])) || m_s[m_pos] == '_'))
            ++m_pos;
        return std::string(m_s.substr(start, m_pos - start));
    }

    // The word after an operator inside ${…}: substituted and unquoted, up to the '}'.
    Result<std::string> nestedWord() {
        auto w = BERTH_TRY(process('}', nullptr));
        if (m_pos >= m_s.size() || m_s[m_pos] != '}')
            return fail(Errc::InvalidArgument, "syntax error: missing '}'");
        ++m_pos;
        return w;
    }

    Result<std::string> dollar() {
        ++m_pos;  // '$'
        if (m_pos >= m_s.size()) return std::string("$");
        if (m_s[m_pos] != '{') {
            auto name = readName();
            if (name.empty()) return std::string("$");
            return m_env(name).value_or("");
        }
        ++m_pos;  // '{'
        if (m_depth >= kMaxNesting)
            return fail(Errc::InvalidArgument,
                        fmt::format("substitutions nested more than {} levels deep", kMaxNesting));
        struct Nest {
            int& depth;
            explicit Nest(int& d) : depth(d) { ++depth; }
            ~Nest() { --depth; }
        } nest(m_depth);
        auto name = readName();
        if (m_pos >= m_s.size()) return fail(Errc::InvalidArgument, "syntax error: missing '}'");
        if (name.empty()) return fail(Errc::InvalidArgument, "syntax error: bad substitution");
        char op = m_s[m_pos];
        if (op == '}') {
            ++m_pos;
            return m_env(name).value_or("");
        }
        auto value = m_env(name);
        if (op == ':') {
            ++m_pos;
            if (m_pos >= m_s.size()) return fail(Errc::InvalidArgument, "syntax error: missing '}'");
            char kind = m_s[m_pos++];
            auto word = BERTH_TRY(nestedWord());
            bool setNonEmpty = value && !value->empty();
            switch (kind) {
            case '-': return setNonEmpty ? *value : word;
            case '+': return setNonEmpty ? word : std::string();
            case '?':
                if (!setNonEmpty)
                    return fail(Errc::InvalidArgument,
                                name + ": " + (word.empty() ? "is not allowed to be empty or unset" : word));
                return *value;
            default:
                return fail(Errc::InvalidArgument,
                            std::string("unsupported modifier (:") + kind + ") in substitution");
            }
        }
        if (op == '-' || op == '+' || op == '?') {
            ++m_pos;
            auto word = BERTH_TRY(nestedWord());
            if (op == '-') return value ? *value : word;
            if (op == '+') return value ? word : std::string();
            if (!value)
                return fail(Errc::InvalidArgument, name + ": " + (word.empty() ? "is not allowed to be unset" : word));
            return *value;
        }
        if (op == '#' || op == '%') {
            ++m_pos;
            bool longest = m_pos < m_s.size() && m_s[m_pos] == op;
            if (longest) ++m_pos;
            auto pattern = BERTH_TRY(nestedWord());
            std::string v = value.value_or("");
            return trimPattern(v, pattern, op == '#', longest);
        }
        return fail(Errc::InvalidArgument, std::string("unsupported modifier (") + op + ") in substitution");
    }

    // ${v#p} ${v##p} ${v%p} ${v%%p}: the shortest or longest prefix or suffix matching p,
    // every candidate length judged in one pass over v (glob.h).
    static std::string trimPattern(const std::string& v, const std::string& pattern, bool prefix, bool longest) {
        auto glob = Glob::compile(pattern, GlobDialect::Shell);
        if (!glob) return v;  // the shell dialect has no syntax errors
        std::vector<bool> hit = prefix ? glob->prefixMatches(v) : glob->suffixMatches(v);
        size_t n = v.size();
        for (size_t k = 0; k <= n; ++k) {
            size_t len = longest ? n - k : k;
            if (hit[len]) return prefix ? v.substr(len) : v.substr(0, n - len);
        }
        return v;
    }

    std::string_view m_s;
    size_t m_pos = 0;
    int m_depth = 0;  // ${ levels open
    char m_escape;
    const EnvLookup& m_env;
    Mode m_mode;
};

} // namespace

Result<std::string> ShellLex::processWord(std::string_view word, const EnvLookup& env) const {
    Lexer lx(word, m_escape, env, Mode::Word);
    return lx.process(0, nullptr);
}

Result<std::vector<std::string>> ShellLex::processWords(std::string_view text, const EnvLookup& env) const {
    Lexer lx(text, m_escape, env, Mode::Word);
    Words words;
    BERTH_TRY(lx.process(0, &words));
    return words.finish();
}

Result<std::string> ShellLex::expandOnly(std::string_view text, const EnvLookup& env) const {
    Lexer lx(text, m_escape, env, Mode::ExpandOnly);
    return lx.process(0, nullptr);
}

} // namespace berth::build
