#include "registry/tls_trust.h"

#include "sys/fs.h"

#include <fmt/format.h>

#include <algorithm>

namespace berth::registry {

namespace fs = std::filesystem;

std::vector<fs::path> certDirs(const fs::path& explicitDir, const ConfigSettings& config) {
    if (!explicitDir.empty()) return {explicitDir};
    if (!config.certsDir.empty()) return {config.certsDir};
    std::vector<fs::path> out;
    if (!config.configHome.empty()) out.push_back(config.configHome / "berth" / "certs.d");
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

Result<TlsTrust> loadTlsTrust(std::string_view host, const fs::path& explicitDir, const ConfigSettings& config) {
    TlsTrust trust;
    // A host name with a path separator or dots only would escape the directory.
    if (host.empty() || host.find('/') != std::string_view::npos || host == "." || host == "..")
        return trust;
    std::string hostText(host);
    for (auto& dir : certDirs(explicitDir, config)) {
        fs::path hostDir = dir / hostText;
        std::error_code ec;
        if (!fs::is_directory(hostDir, ec)) continue;
        std::vector<fs::path> cas, certs, keys;
        for (auto& e : fs::directory_iterator(hostDir, ec)) {
            auto ext = e.path().extension();
            if (ext == ".crt") cas.push_back(e.path());
            else if (ext == ".cert") certs.push_back(e.path());
            else if (ext == ".key") keys.push_back(e.path());
        }
        if (ec) return fail(Errc::Io, fmt::format("read {}: {}", hostDir.string(), ec.message()));
        if (cas.empty() && certs.empty() && keys.empty()) continue;
        std::sort(cas.begin(), cas.end());
        std::sort(certs.begin(), certs.end());
        // Docker's pairing rule: NAME.cert goes with NAME.key, and neither may be alone.
        for (auto& c : certs) {
            fs::path key = fs::path(c).replace_extension(".key");
            if (std::find(keys.begin(), keys.end(), key) == keys.end())
                return fail(Errc::InvalidArgument,
                            fmt::format("client certificate {} for registry {} has no key {}", c.string(),
                                        host, key.filename().string()));
        }
        for (auto& k : keys) {
            fs::path cert = fs::path(k).replace_extension(".cert");
            if (std::find(certs.begin(), certs.end(), cert) == certs.end())
                return fail(Errc::InvalidArgument,
                            fmt::format("key {} for registry {} has no client certificate {}", k.string(),
                                        host, cert.filename().string()));
        }
        if (!cas.empty()) {
            std::string bundle = systemCaBundle();
            for (auto& f : cas) {
                auto pem = BERTH_TRY_CTX(sys::readFile(f, size_t(1) << 20), "CA certificate for " + hostText);
                if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
                    return fail(Errc::InvalidArgument,
                                fmt::format("{}: not a PEM certificate (CA for registry {})", f.string(), host));
                if (!bundle.empty() && bundle.back() != '\n') bundle += '\n';
                bundle += pem;
            }
            trust.caBundle = std::make_shared<const std::string>(std::move(bundle));
        }
        if (!certs.empty()) {
            const fs::path& certFile = certs.front();
            fs::path keyFile = fs::path(certFile).replace_extension(".key");
            auto cert = BERTH_TRY_CTX(sys::readFile(certFile, size_t(1) << 20),
                                      "client certificate for " + hostText);
            if (cert.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
                return fail(Errc::InvalidArgument, fmt::format("{}: not a PEM certificate (client certificate "
                                                               "for registry {})", certFile.string(), host));
            auto key = BERTH_TRY_CTX(sys::readFile(keyFile, size_t(1) << 20), "client key for " + hostText);
            if (key.find("-----BEGIN ") == std::string::npos || key.find("PRIVATE KEY-----") == std::string::npos)
                return fail(Errc::InvalidArgument, fmt::format("{}: not a PEM private key (client key for "
                                                               "registry {})", keyFile.string(), host));
            trust.clientCert = std::make_shared<const std::string>(std::move(cert));
            trust.clientKey = std::make_shared<const std::string>(std::move(key));
            trust.clientCertFile = certFile;
        }
        trust.source = hostDir;
        return trust;
    }
    return trust;
}

} // namespace berth::registry
