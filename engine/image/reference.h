#pragma once
// Image references parsed the way Docker parses them:
//   busybox                      -> docker.io/library/busybox:latest
//   me/app:1                     -> docker.io/me/app:1
//   localhost:5000/app@sha256:…  -> registry localhost:5000, repo app, digest
// Malformed references get an InvalidArgument error that says what is wrong.

#include "image/digest.h"
#include "sys/error.h"

#include <optional>
#include <string>
#include <string_view>

namespace berth::image {

struct Reference {
    std::string registry;    // "docker.io", "localhost:5000", "quay.io"
    std::string repository;  // "library/busybox", "me/app"
    std::string tag;         // "latest" when neither tag nor digest was given
    std::optional<Digest> digest;

    static Result<Reference> parse(std::string_view text);

    std::string name() const;       // registry/repository: "docker.io/library/busybox"
    std::string str() const;        // full: name[:tag][@digest]
    std::string familiar() const;   // as docker shows it: "busybox:latest", "me/app:1"
    std::string familiarName() const;  // "busybox", "me/app", "localhost:5000/app"
    bool operator==(const Reference&) const = default;
};

} // namespace berth::image
