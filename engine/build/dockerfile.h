#pragma once
// The Dockerfile parser: text in, a list of checked instructions out. It knows the syntax
// (parser directives, comments, continuations with the escape character, heredocs, JSON
// and shell forms, flags) and each instruction's shape, but substitutes no variables: that
// needs the build's state and is done by the builder through ShellLex. Every error names
// the file and line: "Dockerfile:7: unknown instruction: COPPY".

#include "berth/text.h"
#include "sys/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::build {

struct Heredoc {
    std::string name;     // the delimiter word
    std::string content;  // the body, each line ending in '\n'
    bool expand = true;   // false when the delimiter was quoted: no substitution
    bool chomp = false;   // <<- : leading tabs were stripped
};

struct KeyValue {
    std::string key;    // unprocessed (quotes, $vars still there)
    std::string value;  // unprocessed; for ARG without default: empty and hasValue=false
    bool hasValue = true;
};

struct Healthcheck {
    bool none = false;                 // HEALTHCHECK NONE
    std::vector<std::string> test;     // ["CMD", args...] or ["CMD-SHELL", "cmd"]
    int64_t intervalNs = 0, timeoutNs = 0, startPeriodNs = 0, startIntervalNs = 0;
    int retries = 0;
};

struct Instruction {
    int line = 0;                 // first line, 1-based
    std::string keyword;          // upper case: "RUN"
    std::string original;         // "RUN echo hi" as written (continuations joined)
    std::vector<std::pair<std::string, std::string>> flags;  // --name=value, in order
    bool json = false;            // exec (JSON array) form
    std::vector<std::string> args;  // JSON form: the array; shell form: see below
    std::string rest;             // the text after the flags (shell form), untouched
    std::vector<Heredoc> heredocs;
    std::vector<KeyValue> pairs;  // ENV, LABEL, ARG
    std::optional<Healthcheck> healthcheck;
    std::string stageName;        // FROM … AS name (lower case)
    // ONBUILD: the trigger, parsed (it is checked now and run by the child image's build).
    std::vector<Instruction> trigger;

    std::optional<std::string> flag(std::string_view name) const;
};
// Shell form args: RUN/CMD/ENTRYPOINT: one element, the command text. FROM: image[, "AS",
// name]. COPY/ADD/VOLUME/EXPOSE: the whitespace-separated words (quotes kept, expanded
// later). WORKDIR/USER/STOPSIGNAL/MAINTAINER: one element, the whole text.

struct Dockerfile {
    std::string name = "Dockerfile";  // for messages
    char escape = '\\';
    std::string syntax;               // the syntax directive, informational
    std::vector<Instruction> instructions;
};

Result<Dockerfile> parseDockerfile(std::string_view text, std::string_view name = "Dockerfile");

// Go-style durations as HEALTHCHECK takes them (berth/text.h: --health-* use the same).
using berth::parseDuration;

} // namespace berth::build
