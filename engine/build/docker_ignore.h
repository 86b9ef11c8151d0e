#pragma once
// .dockerignore patterns, matched the way Docker matches them: one pattern a line, `#`
// comments, surrounding blanks trimmed, paths cleaned and a leading `/` dropped, Go glob
// syntax per path element (`*`, `?`, `[a-z]`, `\` escapes) plus `**` for any number of
// directories, `!` re-including what an earlier pattern excluded. The last pattern that
// matches a path (or one of its parent directories) decides. Patterns are matched in time
// linear in the path and the pattern (glob.h).

#include "build/glob.h"
#include "sys/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace berth::build {

class DockerIgnore {
public:
    static Result<DockerIgnore> parse(std::string_view text);

    // `path` relative to the context root, '/'-separated, no leading "./".
    bool excluded(std::string_view path) const;
    // True when some `!` pattern exists: an excluded directory must still be walked.
    bool hasExceptions() const { return m_hasExceptions; }
    bool empty() const { return m_patterns.empty(); }

private:
    struct Pattern {
        std::string text;
        Glob glob;
        bool exception = false;
    };
    std::vector<Pattern> m_patterns;
    bool m_hasExceptions = false;
};

// Lexical clean like Go's path.Clean: "a/./b/../c" -> "a/c", "" -> ".".
std::string cleanPath(std::string_view path);

} // namespace berth::build
