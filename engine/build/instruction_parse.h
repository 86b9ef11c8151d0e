#pragma once
// One logical Dockerfile line (continuations joined) into a checked Instruction: keyword,
// flags (only those the instruction knows), JSON or shell form, and the instruction's own
// shape (FROM image AS name, ENV pairs, HEALTHCHECK options, ONBUILD triggers...).

#include "build/dockerfile.h"

namespace berth::build {

Result<Instruction> parseInstruction(std::string_view logical, int line, char escape,
                                     std::string_view fileName);
// Heredoc markers only where they can be used (RUN, COPY/ADD sources).
VoidResult checkHeredocUse(const Instruction& ins, std::string_view fileName);

// Splits on whitespace outside quotes; quotes and escapes stay in the words (the builder
// removes them while substituting).
std::vector<std::string> splitWords(std::string_view text, char escape);
// A JSON array of strings, or nullopt when `text` is not one.
std::optional<std::vector<std::string>> parseJsonArray(std::string_view text);

} // namespace berth::build
