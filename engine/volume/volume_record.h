#pragma once
// One named volume on disk: volumes/<name>/_data (what containers mount) and
// volumes/<name>/volume.json (what it is). Plain functions, shared by the volume service
// and by the code that builds a container's mounts (which only needs to read).

#include "berth/volumes.h"
#include "sys/error.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace berth::volume {

using berth::Volume;

// Docker's rule: [a-zA-Z0-9][a-zA-Z0-9_.-]+ (at least two characters).
bool isValidVolumeName(std::string_view name);

std::filesystem::path volumeDir(const std::filesystem::path& volumesDir, std::string_view name);
std::filesystem::path dataDir(const std::filesystem::path& volumesDir, std::string_view name);

// Reads volumes/<name>/volume.json; Errc::NotFound when there is no such volume.
Result<Volume> readVolume(const std::filesystem::path& volumesDir, std::string_view name);

std::string volumeToJson(const Volume& v);  // the metadata file's text
// What a volume's options ask for at mount time (checked at create, read at start).
struct VolumeMountKind {
    enum class Kind { Directory, Tmpfs, Bind } kind = Kind::Directory;
    std::string data;    // tmpfs: the "o" options ("size=64m,mode=1777")
    std::string device;  // bind: the host path
};
Result<VolumeMountKind> volumeMountKind(const std::map<std::string, std::string>& options);

} // namespace berth::volume
