#include "runtime/rootless_overlay.h"

#include "sys/spawn.h"

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>


namespace berth::runtime {

VoidResult mountFuseOverlay(const ContainerSpec& spec, const std::string& opts) {
    std::string what = fmt::format("mount fuse-overlayfs on `{}` (the kernel's overlayfs is not available in a "
                                   "user namespace here)", spec.rootfs.string());
    pid_t pid = ::fork();
    if (pid < 0) return failErrno(what + ": fork");
    if (pid == 0) {
        // Its errors go to our stderr, which is the container's (its log): the message
        // we return names the cause in short.
        const char* argv[] = {"fuse-overlayfs", "-o", opts.c_str(), spec.rootfs.c_str(), nullptr};
        ::execvp(argv[0], const_cast<char* const*>(argv));
        ::_exit(errno == ENOENT ? 127 : 126);
    }
    const int code = sys::waitForExit(pid, -1);
    if (code == -1) return failErrno(what + ": wait for fuse-overlayfs");
    if (code == 0) return {};
    if (code == 127)
        return fail(Errc::NotFound, what + ": fuse-overlayfs is not installed (Debian package `fuse-overlayfs`)");
    return fail(Errc::System, fmt::format("{}: fuse-overlayfs failed (exit code {})", what, code));
}

} // namespace berth::runtime
