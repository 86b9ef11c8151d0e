#pragma once
// Resolves `--user` ("name", "uid", "uid:gid", "name:group", "uid:group"...) against the
// image's /etc/passwd and /etc/group (read from the rootfs on the host, never following a
// symlink out of it), with the user's supplementary groups, like Docker does.

#include "sys/error.h"

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace berth::runtime {

struct ResolvedUser {
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> additionalGids;  // groups listing the user by name (not the primary)
    std::string home = "/";            // from passwd; "/" when unknown, empty or relative
    std::string name;                  // empty when the uid has no passwd entry
};

// An empty spec means root. A numeric uid without a passwd entry is accepted (gid 0 unless
// given); an unknown name or group is a NotFound error naming it.
Result<ResolvedUser> lookupUser(const std::filesystem::path& rootfs, const std::string& spec);

// Same, from the file contents (for tests and for callers that already read them).
Result<ResolvedUser> lookupUserIn(const std::string& passwd, const std::string& group,
                                  const std::string& spec);

} // namespace berth::runtime
