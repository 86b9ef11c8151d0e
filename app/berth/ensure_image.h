#pragma once
// `run` and `create` pull a missing image first, as docker does: "Unable to find image
// 'x:latest' locally" on stderr, the pull drawn on stderr, then the container. --pull
// chooses when: missing (default), always, never.

#include "cli_context.h"

#include <string>

namespace berth::cli {

struct ImagePullFlags {
    std::string policy = "missing";
    std::string platform;
    bool tlsVerify = true;
    std::string certDir;
};

// Adds --pull, --platform, --tls-verify and --cert-dir to a run/create verb.
void addImagePullFlags(CLI::App* verb, ImagePullFlags& flags);

// Makes sure `image` is in the store as `flags.policy` asks, pulling it (Images::pull). Throws CliError (exit 125) when the image cannot be had.
void ensureImage(CliContext& ctx, const std::string& image, const ImagePullFlags& flags);

} // namespace berth::cli
