#pragma once
// Docker's word processing for Dockerfile arguments: variable substitution ($a, ${a},
// ${a:-b}, ${a-b}, ${a:+b}, ${a+b}, ${a:?err}, ${a?err}, ${a#p}, ${a##p}, ${a%p}, ${a%%p}),
// quote removal ('…' literal, "…" with substitution) and the escape character (`\` or the
// one the `escape` directive chose). Used by the builder for the instructions Docker
// expands: FROM, ENV, ARG, LABEL, COPY, ADD, WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL.

#include "sys/error.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::build {

// Looks a variable up: nullopt when it is not set (set-but-empty is "").
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;

class ShellLex {
public:
    explicit ShellLex(char escape = '\\') : m_escape(escape) {}

    // One word: substitution and quote removal; whitespace is kept as is.
    Result<std::string> processWord(std::string_view word, const EnvLookup& env) const;
    // Several words split on unquoted whitespace (also inside unquoted substitutions, as
    // Docker does); quoted whitespace stays in its word.
    Result<std::vector<std::string>> processWords(std::string_view text, const EnvLookup& env) const;
    // Substitution only, quotes kept: for heredoc bodies with an unquoted delimiter.
    Result<std::string> expandOnly(std::string_view text, const EnvLookup& env) const;

private:
    char m_escape;
};

} // namespace berth::build
