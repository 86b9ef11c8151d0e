#pragma once
// The Dockerfile instructions that change only an image's config, never a layer: ENV,
// LABEL, CMD, ENTRYPOINT, USER, EXPOSE, VOLUME, STOPSIGNAL, SHELL, HEALTHCHECK, ONBUILD,
// WORKDIR, MAINTAINER. One implementation for the builder and for `commit --change`.

#include "build/dockerfile.h"
#include "build/shell_lex.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace berth::build {

bool isConfigInstruction(std::string_view keyword);

// Applies `ins` to `image` (the whole config blob: its "config" object, "author" for
// MAINTAINER), substituting words with `lex` from `env`. `cmdSet` says CMD was given before
// in this stage (an ENTRYPOINT then keeps it; otherwise it clears the inherited one); CMD
// sets it. Returns what `history` shows for the step ("ENV A=b").
Result<std::string> applyConfigInstruction(nlohmann::json& image, const Instruction& ins, const ShellLex& lex,
                                           const EnvLookup& env, bool& cmdSet);

} // namespace berth::build
