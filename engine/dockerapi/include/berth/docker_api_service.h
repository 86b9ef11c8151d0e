#pragma once
// The Docker Engine API service (`berth system service`): the third client of the engine's
// front door (berth::Engine), beside the CLI and the window. It serves the API on unix
// (and, when asked, loopback TCP) sockets, one thread per connection, and returns once no
// request has been in progress for the idle time, so that systemd socket activation starts
// it again on the next connection.

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace berth {
class Engine;
}

namespace berth::dockerapi {

// As root /run/berth/docker.sock; as a user $XDG_RUNTIME_DIR/berth/docker.sock
// (/tmp/berth-<uid>/docker.sock without a runtime directory).
std::filesystem::path defaultSocketPath();

// A listening unix socket at `path` (its directory made when missing). As root the socket
// is 0660 with group `berth` when that group exists, else 0600; as a user 0600. A stale
// socket file is replaced; one that a live service answers on is an error.
std::expected<int, std::string> listenUnix(const std::filesystem::path& path);

// A listening TCP socket from "tcp://HOST:PORT", for loopback hosts only (127.0.0.0/8,
// ::1, localhost): the API is root on this machine for whoever reaches it.
std::expected<int, std::string> listenTcp(std::string_view url);

// What `berth info` and the desktop's Preferences show about the service.
struct ServiceStatus {
    std::filesystem::path socket;  // defaultSocketPath()
    bool listening = false;        // something accepts connections there now
    bool unitInstalled = false;    // berth.socket is installed (system units as root, user units otherwise)
    bool enabled = false;          // ... and enabled (socket activation on)
    std::string dockerHost;        // "unix:///run/berth/docker.sock"
};
ServiceStatus serviceStatus();

struct ServiceOptions {
    std::vector<int> listenFds;        // listening sockets, taken over (socket activation or ours)
    std::chrono::seconds idle{5};      // exit after this long with no request; 0 = never
    bool logRequests = false;          // one line per request on stderr
    uint64_t maxUpload = uint64_t(64) << 30;  // an image tarball (load, import) larger: 413
};

// Serves until idle, SIGINT or SIGTERM, or `stop`.
void runService(Engine& engine, const ServiceOptions& options, std::stop_token stop = {});

} // namespace berth::dockerapi
