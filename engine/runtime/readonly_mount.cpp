#include "runtime/readonly_mount.h"

#include "runtime/rootfs_setup.h"
#include "runtime/safe_path.h"
#include "sys/fs.h"
#include "sys/unique_fd.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>

namespace berth::runtime {

namespace {

std::string unescapeMountPath(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
            s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
            out += char((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}

// Kernels before 5.12: remount each mount at or below the target. Each one is opened beneath
// the target without following a symlink, so the remount hits the mount mountinfo named.
VoidResult remountEachReadonly(int mountFd, const std::string& what) {
    char buf[4096];
    ssize_t n = ::readlink(fdPath(mountFd).c_str(), buf, sizeof buf - 1);
    if (n < 0) return failErrno(what + ": find the mount's path");
    std::string top(buf, size_t(n));
    auto info = BERTH_TRY_CTX(sys::readFile("/proc/self/mountinfo"), what);
    BERTH_TRYV(remountBind(fdPath(mountFd), MS_RDONLY, what + ": remount read-only"));
    for (const auto& point : mountPointsOf(info)) {
        if (top == "/" ? point == "/" : !point.starts_with(top + "/")) continue;
        std::string rel = top == "/" ? point.substr(1) : point.substr(top.size() + 1);
        open_how how{};
        how.flags = O_PATH | O_CLOEXEC;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
        sys::UniqueFd sub(int(::syscall(SYS_openat2, mountFd, rel.c_str(), &how, sizeof how)));
        if (!sub) {
            if (errno == ENOENT) continue;  // under a mount stacked on top of it: out of reach
            return failErrno(what + ": open the submount `" + point + "`");
        }
        BERTH_TRYV(remountBind(fdPath(sub.get()), MS_RDONLY, what + ": remount the submount `" + point + "` read-only"));
    }
    return {};
}

} // namespace

std::vector<std::string> mountPointsOf(std::string_view mountinfo) {
    std::vector<std::string> out;
    while (!mountinfo.empty()) {
        auto nl = mountinfo.find('\n');
        std::string_view line = mountinfo.substr(0, nl);
        mountinfo = nl == std::string_view::npos ? std::string_view() : mountinfo.substr(nl + 1);
        // id parent major:minor root mount-point ...
        size_t pos = 0;
        for (int field = 0; field < 4 && pos != std::string_view::npos; ++field) {
            pos = line.find(' ', pos);
            if (pos != std::string_view::npos) ++pos;
        }
        if (pos == std::string_view::npos) continue;
        out.push_back(unescapeMountPath(line.substr(pos, line.find(' ', pos) - pos)));
    }
    return out;
}

VoidResult makeReadonlyRecursive(int mountFd, const std::string& what, bool useMountSetattr) {
    if (useMountSetattr) {
        struct mount_attr attr{};
        attr.attr_set = MOUNT_ATTR_RDONLY;
        if (::mount_setattr(mountFd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) == 0) return {};
        if (errno != ENOSYS) return failErrno(what + ": make read-only with every mount below (mount_setattr)");
    }
    return remountEachReadonly(mountFd, what);
}

} // namespace berth::runtime
