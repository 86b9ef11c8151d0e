#pragma once
// Which Berth this is and which Docker Engine API it speaks: one source for `berth version`,
// `berth --version`, the API's GET /version and Server header, and the window's About.

#include <string>
#include <string_view>

namespace berth {

// The Docker Engine API versions the service (`berth system service`) answers: requests
// under /v1.24/ to /v1.44/ or without a prefix (engine/dockerapi/router.h).
inline constexpr std::string_view kDockerApiVersion = "1.44";
inline constexpr std::string_view kMinDockerApiVersion = "1.24";

struct VersionInfo {
    std::string version;        // Berth's, "0.1.0" (the project's version in CMakeLists.txt)
    std::string apiVersion;     // kDockerApiVersion
    std::string minApiVersion;  // kMinDockerApiVersion
    std::string os;             // "linux"
    std::string arch;           // Go's names, as docker prints them: amd64, arm64, 386, arm, else uname's
    std::string kernelVersion;  // uname -r
};

std::string_view berthVersion();
VersionInfo versionInfo();  // one uname(2)

} // namespace berth
