#pragma once
// Glob patterns of the build, matched without backtracking, in two dialects:
//   Dockerignore  Go's filepath.Match per path element plus `**` (docker_ignore.h): `*` and
//                 `?` never match '/', `**/` is any number of directories, `**` elsewhere
//                 anything; `[!a-z]` / `[^a-z]` classes; `\` escapes; a bad class or a
//                 trailing `\` is an error.
//   Shell         the patterns of ${var#pattern} and ${var%pattern} (shell_lex.h), as
//                 fnmatch(3) without flags reads them: `*` and `?` match any character,
//                 classes may name POSIX classes (`[[:digit:]]`), an unclosed `[` is a
//                 literal, a trailing `\` matches nothing. Never an error.
// A pattern is compiled into tokens that each match one character of a set, or a run of
// them, and matching keeps the set of token positions reached so far, stepping it once per
// character of the text: time is text length x pattern length whatever the pattern. (A
// backtracking regex, and fnmatch called once per candidate length, took exponential and
// cubic time on patterns with many `*` against long texts: tests/fuzz dockerignore and
// shell_words hung on them.)

#include "sys/error.h"

#include <bitset>
#include <string_view>
#include <vector>

namespace berth::build {

enum class GlobDialect { Dockerignore, Shell };

class Glob {
public:
    static Result<Glob> compile(std::string_view pattern, GlobDialect dialect);

    bool matches(std::string_view text) const;
    // Element k says whether the pattern matches the first k characters of `text`
    // (k = 0..size), all found in one pass.
    std::vector<bool> prefixMatches(std::string_view text) const;
    // Element k says whether it matches the last k characters (Shell dialect).
    std::vector<bool> suffixMatches(std::string_view text) const;

private:
    struct Token {
        enum Kind : unsigned char {
            One,      // one character of `set`
            Many,     // any run (also empty) of characters of `set`
            AnyDirs,  // `**/`: nothing, or any run without '\n' that ends in '/'
        };
        Kind kind = One;
        std::bitset<256> set;
    };
    static std::vector<bool> run(const std::vector<Token>& tokens, std::string_view text, bool reversed);

    std::vector<Token> m_tokens;
};

} // namespace berth::build
