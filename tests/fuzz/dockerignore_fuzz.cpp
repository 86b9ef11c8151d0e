// Fuzz target `dockerignore`: .dockerignore patterns (build/docker_ignore.h) and the paths
// of a build context matched against them. The input is "<patterns>\n--\n<paths>", one
// path a line (a build context's names are at most PATH_MAX long; longer lines are cut).
// Properties: cleanPath is idempotent and never leaves "." components or doubled slashes;
// a pattern file without "!" has no exceptions.

#include "fuzz_target.h"

#include "build/docker_ignore.h"

#include <fmt/format.h>

using namespace berth;
using namespace berth::build;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto parts = fuzz::splitInput(fuzz::asText(data, size), "\n--\n", 2);
    auto ignore = DockerIgnore::parse(parts[0]);
    if (ignore && parts[0].find('!') == std::string_view::npos)
        FUZZ_CHECK(!ignore->hasExceptions(), "exceptions without a `!`");
    std::string_view paths = parts.size() > 1 ? parts[1] : parts[0];
    for (auto line : fuzz::splitInput(paths, "\n", 64)) {
        if (line.size() > 4096) line = line.substr(0, 4096);
        std::string clean = cleanPath(line);
        FUZZ_CHECK(cleanPath(clean) == clean, fmt::format("cleanPath(`{}`) = `{}` is not clean", line, clean));
        FUZZ_CHECK(clean.find("//") == std::string::npos && clean.find("/./") == std::string::npos,
                   fmt::format("cleanPath(`{}`) = `{}`", line, clean));
        if (ignore && !clean.starts_with("/") && !clean.starts_with("..") && clean != ".")
            (void)ignore->excluded(clean);
    }
    return 0;
}
