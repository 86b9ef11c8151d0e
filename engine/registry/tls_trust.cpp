#include "registry/tls_trust.h"

#include "sys/fs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

namespace berth::registry {

namespace fs = std::filesystem;

std::vector<fs::path> certDirs(const fs::path& explicitDir) {
    if (!explicitDir.empty()) return {explicitDir};
    if (const char* env = std::getenv("BERTH_CERTS_DIR"); env && *env) return {fs::path(env)};
    std::vector<fs::path> out;
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        out.push_back(fs::path(xdg) / "berth" / "certs.d");
    else if (const char* home = std::getenv("HOME"); home && *home)
        out.push_back(fs::path(home) / ".config" / "berth" / "certs.d");
    out.push_back("/etc/berth/certs.d");
    out.push_back("/etc/docker/certs.d");
    return out;
}

// The distribution's CA bundle, so a registry's own CA adds to the system's trust instead
// of replacing it (a registry may redirect blobs to a publicly trusted storage host).
static std::string systemCaBundle() {
    for (const char* p : {"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
                          "/etc/ssl/ca-bundle.pem", "/etc/ssl/cert.pem"}) {
        auto text = sys::readFile(p, size_t(16) << 20);
        if (text) return *text;
    }
    return {};
}

Result<TlsTrust> loadTlsTrust(std::string_view host, const fs::path& explicitDir) {
    TlsTrust trust;
    // A host name with a path separator or dots only would escape the directory.
    if (host.empty() || host.find('/') != std::string_view::npos || host == "." || host == "..")
        return trust;
    for (auto& dir : certDirs(explicitDir)) {
        fs::path hostDir = dir / std::string(host);
        std::error_code ec;
        if (!fs::is_directory(hostDir, ec)) continue;
        std::vector<fs::path> files;
        for (auto& e : fs::directory_iterator(hostDir, ec))
            if (e.path().extension() == ".crt") files.push_back(e.path());
        if (ec) return fail(Errc::Io, fmt::format("read {}: {}", hostDir.string(), ec.message()));
        if (files.empty()) continue;
        std::sort(files.begin(), files.end());
        std::string bundle = systemCaBundle();
        for (auto& f : files) {
            auto pem = BERTH_TRY_CTX(sys::readFile(f, size_t(1) << 20), "CA certificate for " + std::string(host));
            if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
                return fail(Errc::InvalidArgument,
                            fmt::format("{}: not a PEM certificate (CA for registry {})", f.string(), host));
            if (!bundle.empty() && bundle.back() != '\n') bundle += '\n';
            bundle += pem;
        }
        trust.caBundle = std::make_shared<const std::string>(std::move(bundle));
        trust.source = hostDir;
        return trust;
    }
    return trust;
}

} // namespace berth::registry
