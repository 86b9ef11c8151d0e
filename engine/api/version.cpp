#include "berth/version.h"

#include <sys/utsname.h>

namespace berth {

namespace {

// Docker prints GOARCH's names.
std::string goArch(std::string_view machine) {
    if (machine == "x86_64") return "amd64";
    if (machine == "aarch64") return "arm64";
    if (machine == "i386" || machine == "i686") return "386";
    if (machine.starts_with("armv")) return "arm";
    return std::string(machine);
}

} // namespace

std::string_view berthVersion() { return BERTH_VERSION; }

VersionInfo versionInfo() {
    utsname u{};
    ::uname(&u);
    return {.version = BERTH_VERSION,
            .apiVersion = std::string(kDockerApiVersion),
            .minApiVersion = std::string(kMinDockerApiVersion),
            .os = "linux",
            .arch = goArch(u.machine),
            .kernelVersion = u.release};
}

} // namespace berth
