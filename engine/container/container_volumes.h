#pragma once
// The container side of volumes: checking a container's requested mounts before anything
// is created, creating the volumes it names, knowing which containers use which volume,
// and removing a container's anonymous volumes (rm -v, --rm).

#include "container/container_record.h"
#include "container/container_store.h"
#include "volume/volume_service.h"

#include <map>
#include <string>
#include <vector>

namespace berth::container {

// Bad specs, duplicate targets, bind sources that do not exist: errors before anything
// is made. (Unlike `docker run -v`, a missing bind source is never created.)
VoidResult checkMounts(const CreateOptions& options);
// Gives each anonymous volume of `mounts` its random name.
void nameAnonymousVolumes(std::vector<MountRequest>& mounts);
// Creates the volumes `mounts` names that do not exist yet (caller holds volumes.lock());
// returns the names created, for undoing.
Result<std::vector<std::string>> createMissingVolumes(volume::VolumeService& volumes,
                                                      const std::vector<MountRequest>& mounts);
// Volume name -> ids of the containers (any state) mounting it.
Result<std::map<std::string, std::vector<std::string>>> volumeUsers(const ContainerStore& store);
// Removes the anonymous volumes of a removed container that no other container uses;
// errors are ignored (the volume stays and `volume prune` takes it later).
void removeAnonymousVolumes(volume::VolumeService& volumes, const ContainerConfig& config);
// The same for a caller without a ContainerService (the monitor of a --rm container).
void removeAnonymousVolumes(const store::StoreLayout& layout, const ContainerConfig& config);
// docker inspect's "Mounts" array.
nlohmann::json mountsJson(const store::StoreLayout& layout, const ContainerConfig& config);

} // namespace berth::container
