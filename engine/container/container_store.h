#pragma once
// ContainerStore: the containers/ directory of a store. One directory per container
// (named by its 64-hex id) holding config.json, state.json, the writable layer, the
// generated /etc files and the log; a `.names/` directory of symlinks name -> id makes
// names unique (symlink(2) is atomic) and name lookups O(1).

#include "container/container_record.h"
#include "store/layout.h"
#include "sys/error.h"
#include "sys/file_lock.h"

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::container {

namespace fs = std::filesystem;

class ContainerStore {
public:
    explicit ContainerStore(store::StoreLayout layout);

    const store::StoreLayout& layout() const { return m_layout; }
    fs::path dir(std::string_view id) const { return m_layout.containers() / std::string(id); }
    fs::path namesDir() const { return m_layout.containers() / ".names"; }

    // The store-wide lock every create/remove takes.
    Result<sys::FileLock> lockStore() const;

    // Full id for a full id, a unique id prefix or a name. Errc::NotFound when nothing
    // matches; Errc::InvalidArgument when a prefix is ambiguous.
    Result<std::string> resolve(std::string_view ref) const;
    std::vector<std::string> ids() const;  // every container directory with a config

    Result<ContainerConfig> loadConfig(std::string_view id) const;
    Result<ContainerState> loadState(std::string_view id) const;  // Created when missing
    Result<ContainerRecord> load(std::string_view id) const;
    Result<std::vector<ContainerRecord>> loadAll() const;

    // Writes state.json by temp + rename (atomic, not fsynced: a state that a crash loses
    // is recomputed, since no container survives a reboot).
    VoidResult writeState(std::string_view id, const ContainerState& state) const;
    // Read-modify-write of state.json under the container's own lock (an flock on its
    // directory), so the monitor and a CLI (pause) never lose each other's update.
    Result<ContainerState> updateState(std::string_view id,
                                       const std::function<void(ContainerState&)>& change) const;

    // Rewrites config.json (temp file, fsync, rename) under the container's lock, for what
    // may change after create (its name, limits, restart policy); `change` may refuse, and
    // then nothing is written. Returns the config as written.
    Result<ContainerConfig> updateConfig(std::string_view id,
                                         const std::function<VoidResult(ContainerConfig&)>& change) const;

    // Claims `name` for `id`; Errc::AlreadyExists when taken. Call with the store locked.
    VoidResult claimName(const std::string& name, const std::string& id) const;
    void releaseName(const std::string& name, const std::string& id) const;
    bool nameTaken(const std::string& name) const;

    // Removes the container's directory (after unmounting anything left under it) and its
    // name. Call with the store locked.
    VoidResult removeRecord(const ContainerConfig& config) const;

private:
    store::StoreLayout m_layout;
};

bool isContainerId(std::string_view s);  // 64 lowercase hex
// Docker's rule for names: [a-zA-Z0-9][a-zA-Z0-9_.-]+
bool isValidName(std::string_view s);
std::string randomName();  // "adjective_surname"

} // namespace berth::container
