#pragma once
// Volumes: the store's named volumes (docker's `volume` verbs). A volume is a directory
// that outlives containers. Reached through berth::Engine::volumes().

#include "berth/error.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

struct Volume {
    std::string name;
    std::string driver = "local";
    std::filesystem::path mountpoint;  // <root>/volumes/<name>/_data
    std::string createdAt;             // RFC 3339, UTC
    std::map<std::string, std::string> labels;
    // Docker's local-driver options: type=tmpfs (o=size=64m...) or type=none,o=bind,device=/path.
    std::map<std::string, std::string> options;
    bool anonymous = false;  // made for one container (-v /path): `rm -v` and prune take it
};

// One row of `berth volume ls`, the window's list and GET /volumes.
struct VolumeSummary {
    Volume volume;
    std::vector<std::string> usedBy;  // ids of the containers (any state) mounting it
};

// `berth volume inspect`, the window's details and GET /volumes/{name}.
struct VolumeDetails {
    VolumeSummary summary;
    std::string json;  // docker volume inspect's object (UsedBy added)
};

struct VolumeCreateRequest {
    std::string name;  // "" = a random 64-hex name
    std::map<std::string, std::string> labels;
    std::map<std::string, std::string> options;  // --opt (local driver: type, o, device)
    bool anonymous = false;
};

struct VolumePruneReport {
    std::vector<std::string> removed;
    uint64_t reclaimedBytes = 0;
};

class Volumes {
public:
    virtual ~Volumes() = default;
    // Errc::AlreadyExists when the name is taken, InvalidArgument for a bad name/option.
    virtual Result<Volume> create(const VolumeCreateRequest& request) = 0;
    virtual Result<std::vector<VolumeSummary>> list() = 0;  // sorted by name
    virtual Result<VolumeDetails> inspect(std::string_view name) = 0;
    // Bytes of the regular files in its data directory (walks it: not for every refresh).
    virtual Result<uint64_t> size(std::string_view name) = 0;
    // A volume any container uses is Errc::Conflict; `force` only makes a missing one a success.
    virtual VoidResult remove(std::string_view name, bool force = false) = 0;
    // Unused anonymous volumes; every unused one with `all`.
    virtual Result<VolumePruneReport> prune(bool all = false) = 0;
};

} // namespace berth
