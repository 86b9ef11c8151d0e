#pragma once
// Which mode the engine runs in (root or rootless) and what that mode can and cannot do
// here, for `berth info` and the desktop's status bar. Plain values; cheap enough to ask
// once at start-up (a few small /proc and /sys reads, no process started).

#include <string>
#include <vector>

namespace berth {

struct Capability {
    std::string name;    // "resource limits", "ports below 1024", "ping", "network", ...
    bool available = false;
    std::string detail;  // why not, or how it is done
};

struct RuntimeModeInfo {
    bool rootless = false;
    std::string mode;          // "root" / "rootless"
    std::string idMapping;     // "0:1000:1,1:100000:65536" (uid map), "" for root
    bool singleIdMapping = false;
    std::string warning;       // e.g. the single-id map's explanation; "" when none
    std::string networkTool;   // "pasta", "slirp4netns", "" (root: "bridge")
    std::string overlay;       // "kernel overlayfs" / "fuse-overlayfs"
    std::string cgroups;       // "v1 (host)", "v2 delegated at ...", "none (...)"
    std::vector<Capability> capabilities;

    // One line for a status bar: "Rootless (single-id map; no resource limits)".
    std::string summary() const;
};

RuntimeModeInfo runtimeModeInfo();

} // namespace berth
