#pragma once
// Which CA certificates a registry's TLS certificate is checked against, and which client
// certificate Berth shows it (mutual TLS). Besides the system's CAs, a registry may be
// trusted through docker's certs.d layout:
//   <dir>/<host[:port]>/*.crt      CA certificates (PEM) for that registry
//   <dir>/<host[:port]>/NAME.cert  a client certificate (PEM), with its key in NAME.key;
//                                  a .cert without its .key (or the reverse) is an error,
//                                  as with docker. Several pairs: the first by name is used.
// The directories searched, first hit per registry wins:
//   the --cert-dir of the call, else $BERTH_CERTS_DIR, else
//   $XDG_CONFIG_HOME/berth/certs.d (~/.config/berth/certs.d), /etc/berth/certs.d,
//   /etc/docker/certs.d (so a host set up for docker works as is).

#include "sys/engine_settings.h"
#include "sys/error.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

// The certs.d directories to search, in order: `explicitDir` alone when given, else
// `config.certsDir` (BERTH_CERTS_DIR) alone, else <config home>/berth/certs.d,
// /etc/berth/certs.d, /etc/docker/certs.d.
std::vector<std::filesystem::path> certDirs(const std::filesystem::path& explicitDir, const ConfigSettings& config);

struct TlsTrust {
    // PEM: the system CAs followed by the registry's own; null when the registry has no
    // certs.d entry (then libcurl's default store is used).
    std::shared_ptr<const std::string> caBundle;
    std::filesystem::path source;  // the certs.d/<host> directory used, for messages
    // PEM client certificate and its private key; null when none is configured.
    std::shared_ptr<const std::string> clientCert;
    std::shared_ptr<const std::string> clientKey;
    std::filesystem::path clientCertFile;  // for messages
};

// Reads the CA and client certificate files for `host` ("127.0.0.1:5000"); an unreadable
// or malformed file is an error naming it, a directory without .crt/.cert/.key files is no
// entry.
Result<TlsTrust> loadTlsTrust(std::string_view host, const std::filesystem::path& explicitDir,
                              const ConfigSettings& config);

} // namespace berth::registry
