#pragma once
// docker cp's host side, for `berth cp` (the container's side is Containers::statPath,
// copyFrom and copyTo): a tar of a path on the host, and a tar extracted into a directory
// on the host. Host paths are the user's own: symlinks among a path's parents are followed
// as the user's shell would, its last component is taken as it is (a symlink as a
// symlink). What a tar brings in stays inside the destination directory: absolute names
// and "../" are confined or refused, links in it are made, never followed out of it.

#include "berth/error.h"

#include <string>

namespace berth {

// Writes a tar of the host path `path` (absolute) to `outFd`: a file, a symlink, or a
// directory and everything below it, its entries named under `name` ("." = a directory's
// contents, with no entry of their own directory). "/a/." is the directory /a.
VoidResult writeHostTar(const std::string& path, const std::string& name, int outFd);

struct HostExtractOptions {
    // The tar's top entry renamed: an entry named `renameFrom` or "renameFrom/…" is
    // created as `renameTo`/… (docker's rebase of a copy to a new name). Empty: as named.
    std::string renameFrom, renameTo;
};
// Reads a tar from `inFd` and creates its entries in the existing host directory `dir`,
// owned by the caller; replacing a directory by a non-directory (or back) is refused.
VoidResult extractHostTar(const std::string& dir, int inFd, const HostExtractOptions& options = {});

} // namespace berth
