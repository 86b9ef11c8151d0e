// libsystemd, loaded on first use (see lazy_library.h): only `berth system service`
// started by socket activation asks it for the sockets systemd passed.
#include "lazy_library.h"

#include <systemd/sd-daemon.h>

namespace {
berth::cli::lazy::Library g_systemd("libsystemd.so.0", -1);  // sd_*: a negative errno
} // namespace

BERTH_LAZY_FORWARD(g_systemd, int, sd_listen_fds, (int unsetEnvironment), (unsetEnvironment))
BERTH_LAZY_FORWARD(g_systemd, int, sd_is_socket, (int fd, int family, int type, int listening),
                   (fd, family, type, listening))
