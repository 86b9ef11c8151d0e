#pragma once
// User namespaces for rootless mode: which ids an ordinary user may map (/etc/subuid and
// /etc/subgid, through the setuid helpers newuidmap/newgidmap of Debian's `uidmap`), how
// a parent writes the maps of a child that has just entered a new user namespace, and a
// helper that runs a piece of work inside such a namespace in a forked child (layer
// extraction, removal of trees owned by mapped ids), so files get the ownership they have
// in the image and the container.
//
// The layout of a map is Podman's: uid 0 inside is the user, 1..N are the user's
// subordinate range. Without a range the map is "0 = the user" alone (a single-id map):
// containers still run, but every other id is unmapped (files of other owners become the
// user's, and processes cannot switch to another uid).

#include "sys/engine_settings.h"
#include "sys/error.h"

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::sys {

struct IdRange {
    uint32_t inside = 0;
    uint32_t outside = 0;
    uint32_t count = 0;
};

struct IdMapping {
    std::vector<IdRange> uids;
    std::vector<IdRange> gids;
    // True when the map has more than the caller's own id, so only newuidmap/newgidmap
    // can write it; false for the single-id map, which the caller writes itself.
    bool needsHelpers = false;
    // Why the map is single-id, for a warning; empty when subordinate ranges were found.
    std::string warning;

    bool empty() const { return uids.empty(); }
    bool singleId() const { return !needsHelpers; }
    // The host id of `inside`, or -1 when it is not mapped.
    int64_t hostUid(uint32_t inside) const;
    int64_t hostGid(uint32_t inside) const;
    // The id inside of a host id, or -1 (the inverse of the map).
    int64_t insideUid(uint32_t host) const;
    int64_t insideGid(uint32_t host) const;
};

// The subordinate ranges of `user` (name) or `uid` in the text of /etc/subuid or
// /etc/subgid ("name:start:count" or "uid:start:count" lines; '#' comments).
std::vector<IdRange> parseSubordinateIds(std::string_view text, std::string_view user, uint32_t id);

// The map this user gets: own id at 0, the first subordinate range (up to 65536 ids) at
// 1.., or the single-id map with `warning` set. Paths are parameters for tests.
Result<IdMapping> rootlessIdMapping(const std::string& subuidFile = "/etc/subuid",
                                    const std::string& subgidFile = "/etc/subgid");

// Writes the maps of the user namespace that `pid` lives in (the caller is its parent,
// in the parent namespace): newuidmap/newgidmap for ranges, else /proc/<pid>/uid_map,
// setgroups "deny" and gid_map directly.
VoidResult writeIdMapping(pid_t pid, const IdMapping& mapping);

// Runs `work` in a forked child that enters a new user namespace with `mapping` (and
// becomes uid/gid 0 there), returning the string `work` returns or its error. The child
// shares nothing but file descriptors with the caller; `work` must not rely on other
// threads of the caller (it runs in a copy of the process with only the calling thread).
// NOT for threaded callers: the child runs our code (malloc, locks) after fork, and a
// lock another thread held at the fork stays locked there forever. Threaded callers use
// runHelperInUserNamespace().
Result<std::string> runInUserNamespace(const IdMapping& mapping, const std::function<Result<std::string>()>& work);

// The same work as an operation of the berth-layer-helper program (`helper`: the engine's
// EngineSettings::helpers.layerHelper; "" = beside the running program or in a build tree's app/): posix_spawn + exec, so the
// child of a threaded process (the desktop app) runs no code of ours before exec. The
// helper calls userNamespaceHelperMain(); `args` name its operation; `passFd` (or -1)
// is its fd 6. Where the helper is missing, a single-threaded process runs `inProcess`
// through runInUserNamespace() instead; a threaded one gets an error naming the helper.
Result<std::string> runHelperInUserNamespace(const std::filesystem::path& helper, const IdMapping& mapping,
                                             const std::vector<std::string>& args,
                                             int passFd, const std::function<Result<std::string>()>& inProcess);

// The helper program's side of runHelperInUserNamespace(): fds 3..5 are the parent's
// pipes; enters the user namespace, waits for the maps, becomes 0:0, runs `op`, reports
// and exits. Returns (2) only when the program was not started that way.
int userNamespaceHelperMain(const std::function<Result<std::string>()>& op);

// True in the child runInUserNamespace() forked (the work is already inside): code that
// moves itself into the user namespace checks this to not do it twice.
bool inUserNamespaceHelper();

// removeAll() for rootless stores (settings.rootless()): trees holding files of mapped ids (a
// container's upper layer, an extracted layer) are removed inside the user namespace, where
// the user is root over them. Root (or a tree the user can remove alone) takes the direct path.
VoidResult removeTreeAsOwner(const std::string& path, const EngineSettings& settings);

} // namespace berth::sys
