#pragma once
// Shared by the compose loader's parts: errors carry the place in a file.

#include "berth/compose.h"

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

namespace berth::compose::detail {

// Thrown inside the loader, turned into Errc::InvalidArgument at its boundary.
struct LoadError {
    std::string message;
    YAML::Mark mark = YAML::Mark::null_mark();
};
[[noreturn]] void failAt(const YAML::Node& node, const std::string& message);
// "file: line L, column C: message" (the place left out when unknown).
std::string placed(const std::string& file, const LoadError& e);

// What turning nodes into a Service needs besides the node.
struct ModelContext {
    std::string workingDir;
    std::function<std::optional<std::string>(const std::string&)> lookup;  // the project's variables
    bool partial = false;  // one file's fragment: nothing required yet
};

Service buildService(const std::string& name, const YAML::Node& node, const ModelContext& ctx);
NetworkSpec buildNetwork(const std::string& key, const YAML::Node& node, const std::string& project);
VolumeSpec buildVolume(const std::string& key, const YAML::Node& node, const std::string& project);
// A scalar node's text; a map or sequence is a type error naming `what`.
std::string scalar(const YAML::Node& node, const std::string& what);
// A command's words: a list as is, a string split as a POSIX shell would (quotes, backslashes).
std::vector<std::string> shellWords(const YAML::Node& node, const std::string& what);

// parseRunFlags(flags) for the service `s`, with what has no run flag (an exec-form healthcheck test).
Result<RunRequest> requestFrom(const Service& s, const RunFlags& flags);

} // namespace berth::compose::detail
