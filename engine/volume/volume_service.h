#pragma once
// VolumeService: the named volumes of one store (`berth volume ...`). A volume is a
// directory that outlives containers; containers mount its _data directory. Creation is
// atomic (built under a temporary name, then renamed), and every mutation holds the
// volumes' flock, so the GUI and any number of CLIs can share the store. Which containers
// use a volume is the container layer's knowledge: it is handed in as a lookup.

#include "store/layout.h"
#include "sys/error.h"
#include "sys/file_lock.h"
#include "volume/volume_record.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace berth::volume {

using CreateRequest = berth::VolumeCreateRequest;
using PruneReport = berth::VolumePruneReport;

// Volume name -> ids of the containers (any state) whose mounts name it.
using UsersLookup = std::function<Result<std::map<std::string, std::vector<std::string>>>()>;

class VolumeService {
public:
    explicit VolumeService(store::StoreLayout layout);

    void setUsersLookup(UsersLookup lookup) { m_users = std::move(lookup); }

    // The flock every mutation takes. Callers combining steps (the container service
    // creating a container's volumes and publishing the container) hold it and use the
    // *Locked calls. Order: the store lock first, then this one.
    Result<sys::FileLock> lock() const;

    // Errc::AlreadyExists when the name is taken, InvalidArgument for a bad name/option.
    Result<Volume> create(const CreateRequest& request);
    Result<Volume> createLocked(const CreateRequest& request);

    Result<Volume> inspect(std::string_view name) const;
    Result<std::vector<Volume>> list() const;  // sorted by name
    bool exists(std::string_view name) const;
    // Ids of the containers using `name` (empty when none).
    Result<std::vector<std::string>> users(std::string_view name) const;
    // Bytes in the volume's data directory (regular files).
    uint64_t size(std::string_view name) const;

    // A volume in use by any container (running or not) is Errc::Conflict, as with
    // docker; `force` only makes a missing volume a success.
    VoidResult remove(std::string_view name, bool force = false);
    // No user check; the caller holds lock() and knows nobody uses it.
    VoidResult removeLocked(std::string_view name);
    // Unused volumes: anonymous ones only, every unused one with `all` (docker 23+).
    Result<PruneReport> prune(bool all = false);

    const store::StoreLayout& layout() const { return m_layout; }

private:
    Result<std::map<std::string, std::vector<std::string>>> allUsers() const;
    void event(const char* action, const std::string& name) const;

    store::StoreLayout m_layout;
    UsersLookup m_users;
};

} // namespace berth::volume
