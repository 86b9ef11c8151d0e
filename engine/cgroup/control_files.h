#pragma once
// Reading and writing cgroup control files, shared by the v1 and v2 managers. A control
// file takes its value in one write(); a refused value becomes an error naming the file
// and the value ("write `.../memory.max` = 1: Device or resource busy").

#include "sys/error.h"

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::cgroup::detail {

namespace fs = std::filesystem;

// True when `path` is on a cgroup (v1) or cgroup2 file system.
bool isCgroupFs(const fs::path& path);

// The values control files had before an update wrote them, so that an update the kernel
// refuses half-way can be undone: writing them back newest first passes through states
// the kernel accepted on the way there (v1's memory <= memsw holds at every step).
class ControlUndo {
public:
    void recordBefore(const fs::path& file);  // reads the file's value now
    // Writes every recorded value back, newest first; the first failure is returned (the
    // rest are still tried).
    VoidResult rollback(bool createMissing);

private:
    std::vector<std::pair<fs::path, std::optional<std::string>>> m_before;
};

// An update of a live cgroup, all or nothing: runs `apply` with `slot` (the manager's undo
// pointer, which its writes pass to writeControl) set; a failure puts back what it wrote.
VoidResult applyAllOrNothing(ControlUndo*& slot, bool createMissing, const std::function<VoidResult()>& apply);

// Writes `value` with one write(). A missing file is created only when `createMissing`
// (a temporary directory standing in for the cgroup root). With `undo`, the file's value
// before the write is recorded there first.
VoidResult writeControl(const fs::path& file, std::string_view value, bool createMissing, ControlUndo* undo = nullptr);

// The file's contents, or nullopt when it does not exist.
Result<std::optional<std::string>> readControl(const fs::path& file);

// The first line's unsigned number ("max" and the like are errors).
Result<uint64_t> parseUint(std::string_view text, const fs::path& file);

// The value of `key` in a "key value" per line file (cpu.stat, memory.stat, ...).
std::optional<uint64_t> keyedValue(std::string_view text, std::string_view key);

// Sums "rbytes=" and "wbytes=" over the devices of a v2 io.stat.
void sumIoStat(std::string_view text, uint64_t& read, uint64_t& write);
// Sums the "Read" and "Write" rows of a v1 blkio.throttle.io_service_bytes.
void sumBlkioServiceBytes(std::string_view text, uint64_t& read, uint64_t& write);

// Pids listed one per line in cgroup.procs.
Result<std::vector<pid_t>> readPids(const fs::path& procsFile);

// Rejects absolute paths, "..", empty components.
VoidResult validateRelPath(const std::string& relPath);

// mkdir of each missing component from `root` down to `root/relPath`; returns the
// directories made, outermost first, so a failed create can remove exactly those.
// `beforeChild(parent)` runs at every level before its child is made or entered (v2
// enables controllers there, also in parents that already existed).
Result<std::vector<fs::path>> makeCgroupDirs(
    const fs::path& root, const fs::path& relPath,
    const std::function<VoidResult(const fs::path& parent)>& beforeChild);

// Removes a cgroup directory: rmdir, retried while the kernel says EBUSY (exiting tasks)
// until `timeout`. On a plain directory (tests) the files the manager wrote go too.
// A missing directory is not an error.
VoidResult removeCgroupDir(const fs::path& dir, bool realFs, std::chrono::milliseconds timeout);

// Sleeps a little longer each call, up to 20 ms: the poll step for kernel state changes.
void backoffSleep(int attempt);

} // namespace berth::cgroup::detail
