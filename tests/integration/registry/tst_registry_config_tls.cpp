// Registry settings against real registries on 127.0.0.1: a docker-registry serving HTTPS
// with a certificate from a CA made here with openssl (refused untrusted with an error
// naming the registry; pulled with --tls-verify=false, with the CA in a certs.d directory
// given by env or flag, or with the registry listed as insecure), a registry that requires a
// TLS client certificate (refused without one, with a clear message; pulled and pushed with
// client.cert/client.key from a docker-style certs.d directory), pull mirrors from the
// registries config (mirror.test and docker.io served by the local registry; a dead mirror
// skipped), and a malformed registries config refused naming the file and line.
#include "skip.h"
#include "fixtures.h"
#include "registry_fixture.h"
#include "test_support.h"

#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace berth::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

CommandResult berthEnv(const fs::path& root, std::vector<std::string> args,
                       const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv{builtProgram("berth").string(), "--root", root.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return runCommand(argv, 180000, env);
}

std::string diag(const CommandResult& r) {
    return "exit " + std::to_string(r.exitCode) + "\nstdout: " + r.out + "\nstderr: " + r.err;
}

bool skopeoPush(const fs::path& archive, const std::string& dest, std::string* err) {
    auto r = runCommand({"skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                         "docker-archive:" + archive.string(), "docker://" + dest}, 180000);
    if (r.exitCode != 0) *err = r.err;
    return r.exitCode == 0;
}

} // namespace

class TestRegistryConfigTls : public QObject {
    Q_OBJECT

    std::unique_ptr<TempDir> m_tmp;
    std::unique_ptr<RegistryProcess> m_tls;    // HTTPS, test CA
    std::unique_ptr<RegistryProcess> m_plain;  // HTTP, for mirrors
    FixtureImage m_busybox;
    int m_stores = 0;
    // No config from the machine or the user may leak into these tests.
    std::vector<std::string> m_env;

    fs::path freshRoot() {
        fs::path p = m_tmp->path() / "stores" / std::to_string(++m_stores);
        fs::create_directories(p);
        return p;
    }
    fs::path certsDirWithCa(const std::string& name, const fs::path& caFile) {
        fs::path dir = m_tmp->path() / name;
        fs::create_directories(dir / m_tls->host());
        fs::copy_file(caFile, dir / m_tls->host() / "ca.crt", fs::copy_options::overwrite_existing);
        return dir;
    }
    std::vector<std::string> env(std::vector<std::string> more = {}) {
        more.insert(more.end(), m_env.begin(), m_env.end());
        return more;
    }

private slots:
    void initTestCase() {
        if (!haveProgram("docker-registry")) BERTH_SKIP("docker-registry is not installed (apt install docker-registry)", MissingProgram);
        if (!haveProgram("skopeo")) BERTH_SKIP("skopeo is not installed", MissingProgram);
        if (!haveProgram("openssl")) BERTH_SKIP("openssl is not installed", MissingProgram);
        if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
        m_tmp = std::make_unique<TempDir>();
        fs::create_directories(m_tmp->path() / "xdg");
        fs::create_directories(m_tmp->path() / "empty-certs");
        m_env = {"XDG_CONFIG_HOME=" + (m_tmp->path() / "xdg").string(),
                 "BERTH_CERTS_DIR=" + (m_tmp->path() / "empty-certs").string()};
        std::string err;
        QVERIFY2(makeTestCertificates(m_tmp->path() / "pki", &err), err.c_str());
        m_tls = std::make_unique<RegistryProcess>(m_tmp->path() / "tls-registry", "",
                                                  m_tmp->path() / "pki" / "server.crt",
                                                  m_tmp->path() / "pki" / "server.key");
        QVERIFY2(m_tls->ok(), m_tls->log().c_str());
        m_plain = std::make_unique<RegistryProcess>(m_tmp->path() / "plain-registry");
        QVERIFY2(m_plain->ok(), m_plain->log().c_str());
        m_busybox = writeBusyboxArchive(m_tmp->path() / "busybox.tar");
        QVERIFY2(skopeoPush(m_busybox.archive, m_tls->host() + "/test/busybox:1", &err), err.c_str());
        QVERIFY2(skopeoPush(m_busybox.archive, m_plain->host() + "/test/busybox:1", &err), err.c_str());
        QVERIFY2(skopeoPush(m_busybox.archive, m_plain->host() + "/library/busybox:latest", &err), err.c_str());
    }
    void cleanupTestCase() {
        m_tls.reset();
        m_plain.reset();
        m_tmp.reset();
    }

    void untrustedCertificateIsRefused() {
        auto root = freshRoot();
        std::string ref = m_tls->host() + "/test/busybox:1";
        auto r = berthEnv(root, {"pull", ref}, env());
        QVERIFY2(r.exitCode != 0, diag(r).c_str());
        QVERIFY2(r.err.find("TLS certificate of registry " + m_tls->host() + " is not trusted") != std::string::npos,
                 r.err.c_str());
        QVERIFY2(r.err.find("--tls-verify=false") != std::string::npos, r.err.c_str());
        auto images = berthEnv(root, {"images", "-q"}, env());
        QCOMPARE(images.out, std::string());
        auto check = berthEnv(root, {"system", "check"}, env());
        QVERIFY2(check.out.find("Store is clean") != std::string::npos, diag(check).c_str());
    }

    void wrongCaIsRefused() {
        // A CA that did not sign the server's certificate changes nothing.
        std::string err;
        QVERIFY2(makeTestCertificates(m_tmp->path() / "other-pki", &err), err.c_str());
        auto certs = certsDirWithCa("wrong-certs", m_tmp->path() / "other-pki" / "ca.crt");
        auto r = berthEnv(freshRoot(), {"pull", "--cert-dir", certs.string(), m_tls->host() + "/test/busybox:1"}, env());
        QVERIFY2(r.exitCode != 0, diag(r).c_str());
        QVERIFY2(r.err.find("is not trusted") != std::string::npos, r.err.c_str());
    }

    void tlsVerifyFalsePulls() {
        auto root = freshRoot();
        auto r = berthEnv(root, {"pull", "--tls-verify=false", m_tls->host() + "/test/busybox:1"}, env());
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        auto ids = berthEnv(root, {"images", "-q", "--no-trunc"}, env());
        QCOMPARE(ids.out, m_busybox.configDigest + "\n");
    }

    void trustedCaInCertsDirPulls() {
        auto certs = certsDirWithCa("certs", m_tmp->path() / "pki" / "ca.crt");
        // Through the environment (how a user's ~/.config/berth/certs.d is overridden)...
        auto root = freshRoot();
        auto r = berthEnv(root, {"pull", m_tls->host() + "/test/busybox:1"},
                          {"BERTH_CERTS_DIR=" + certs.string(), "XDG_CONFIG_HOME=" + (m_tmp->path() / "xdg").string()});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(r.out.find("Pull complete") != std::string::npos, r.out.c_str());
        // ...through $XDG_CONFIG_HOME/berth/certs.d...
        auto xdg = m_tmp->path() / "xdg-with-certs";
        fs::create_directories(xdg / "berth");
        fs::copy(certs, xdg / "berth" / "certs.d", fs::copy_options::recursive);
        auto viaXdg = berthEnv(freshRoot(), {"pull", m_tls->host() + "/test/busybox:1"}, {"XDG_CONFIG_HOME=" + xdg.string()});
        QVERIFY2(viaXdg.exitCode == 0, diag(viaXdg).c_str());
        // ...and through --cert-dir, which also serves push.
        auto root2 = freshRoot();
        auto flag = berthEnv(root2, {"pull", "--cert-dir", certs.string(), m_tls->host() + "/test/busybox:1"}, env());
        QVERIFY2(flag.exitCode == 0, diag(flag).c_str());
        QVERIFY(berthEnv(root2, {"tag", m_tls->host() + "/test/busybox:1", m_tls->host() + "/pushed/bb:1"}, env()).exitCode == 0);
        auto push = berthEnv(root2, {"push", "--cert-dir", certs.string(), m_tls->host() + "/pushed/bb:1"}, env());
        QVERIFY2(push.exitCode == 0, diag(push).c_str());
        auto pushUntrusted = berthEnv(root2, {"push", m_tls->host() + "/pushed/bb:1"}, env());
        QVERIFY2(pushUntrusted.exitCode != 0 && pushUntrusted.err.find("is not trusted") != std::string::npos,
                 diag(pushUntrusted).c_str());
    }

    void clientCertificateFromCertsDir() {
        // docker-registry with http.tls.clientcas: the TLS handshake needs a client
        // certificate signed by the test CA.
        auto pki = m_tmp->path() / "pki";
        RegistryProcess mtls(m_tmp->path() / "mtls-registry", "", pki / "server.crt", pki / "server.key",
                             pki / "ca.crt");
        QVERIFY2(mtls.ok(), mtls.log().c_str());
        std::string ref = mtls.host() + "/test/busybox:1";
        // docker's certs.d layout: <dir>/<host:port>/{ca.crt,client.cert,client.key}.
        fs::path caOnly = m_tmp->path() / "mtls-ca-only";
        fs::path withClient = m_tmp->path() / "mtls-certs";
        fs::create_directories(caOnly / mtls.host());
        fs::create_directories(withClient / mtls.host());
        fs::copy_file(pki / "ca.crt", caOnly / mtls.host() / "ca.crt");
        for (const char* f : {"ca.crt", "client.cert", "client.key"})
            fs::copy_file(pki / f, withClient / mtls.host() / f);
        auto seed = runCommand({"skopeo", "copy", "--quiet", "--dest-cert-dir", (withClient / mtls.host()).string(),
                                "docker-archive:" + m_busybox.archive.string(), "docker://" + ref}, 180000);
        QVERIFY2(seed.exitCode == 0, seed.err.c_str());

        // Without a client certificate: refused, saying what is missing and where it goes.
        auto root = freshRoot();
        auto refused = berthEnv(root, {"pull", "--cert-dir", caOnly.string(), ref}, env());
        QVERIFY2(refused.exitCode != 0, diag(refused).c_str());
        QVERIFY2(refused.err.find("registry " + mtls.host() + " asks for a TLS client certificate") != std::string::npos,
                 refused.err.c_str());
        QVERIFY2(refused.err.find("client.cert and client.key in " + (caOnly / mtls.host()).string()) !=
                     std::string::npos,
                 refused.err.c_str());
        QCOMPARE(berthEnv(root, {"images", "-q"}, env()).out, std::string());
        auto check = berthEnv(root, {"system", "check"}, env());
        QVERIFY2(check.out.find("Store is clean") != std::string::npos, diag(check).c_str());

        // With client.cert + client.key next to the CA, given by the environment...
        auto viaEnv = berthEnv(root, {"pull", ref},
                               {"BERTH_CERTS_DIR=" + withClient.string(),
                                "XDG_CONFIG_HOME=" + (m_tmp->path() / "xdg").string()});
        QVERIFY2(viaEnv.exitCode == 0, diag(viaEnv).c_str());
        QCOMPARE(berthEnv(root, {"images", "-q", "--no-trunc"}, env()).out, m_busybox.configDigest + "\n");
        // ...or by --cert-dir, for push too.
        auto root2 = freshRoot();
        auto viaFlag = berthEnv(root2, {"pull", "--cert-dir", withClient.string(), ref}, env());
        QVERIFY2(viaFlag.exitCode == 0, diag(viaFlag).c_str());
        QVERIFY(berthEnv(root2, {"tag", ref, mtls.host() + "/pushed/bb:1"}, env()).exitCode == 0);
        auto push = berthEnv(root2, {"push", "--cert-dir", withClient.string(), mtls.host() + "/pushed/bb:1"}, env());
        QVERIFY2(push.exitCode == 0, diag(push).c_str());
        auto pushRefused = berthEnv(root2, {"push", "--cert-dir", caOnly.string(), mtls.host() + "/pushed/bb:1"}, env());
        QVERIFY2(pushRefused.exitCode != 0 &&
                     pushRefused.err.find("asks for a TLS client certificate") != std::string::npos,
                 diag(pushRefused).c_str());

        // A client certificate without its key is refused by name, as docker does.
        fs::path noKey = m_tmp->path() / "mtls-no-key";
        fs::create_directories(noKey / mtls.host());
        fs::copy_file(pki / "ca.crt", noKey / mtls.host() / "ca.crt");
        fs::copy_file(pki / "client.cert", noKey / mtls.host() / "client.cert");
        auto missingKey = berthEnv(freshRoot(), {"pull", "--cert-dir", noKey.string(), ref}, env());
        QVERIFY2(missingKey.exitCode != 0, diag(missingKey).c_str());
        QVERIFY2(missingKey.err.find("client certificate " + (noKey / mtls.host() / "client.cert").string() +
                                     " for registry " + mtls.host() + " has no key client.key") != std::string::npos,
                 missingKey.err.c_str());
    }

    void insecureRegistryListedInConfigPulls() {
        auto root = freshRoot();
        std::ofstream(root / "registries.json") << json{{"insecure-registries", {m_tls->host()}}}.dump(2);
        auto r = berthEnv(root, {"pull", m_tls->host() + "/test/busybox:1"}, env());
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
    }

    void mirrorServesAnotherRegistry() {
        // mirror.test does not resolve: the pull can only succeed through its mirror.
        auto root = freshRoot();
        std::ofstream(root / "registries.json")
            << json{{"mirrors", {{"mirror.test", {m_plain->host()}}}}}.dump(2);
        auto r = berthEnv(root, {"pull", "mirror.test/test/busybox:1"}, env());
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(r.out.find("Status: Downloaded newer image for mirror.test/test/busybox:1") != std::string::npos, r.out.c_str());
        auto images = json::parse(berthEnv(root, {"images", "--format", "json"}, env()).out, nullptr, false);
        QVERIFY(images.is_array() && images.size() == 1);
        QCOMPARE(images[0]["RepoTags"].dump(), std::string(R"(["mirror.test/test/busybox:1"])"));
        auto inspect = json::parse(berthEnv(root, {"inspect", "mirror.test/test/busybox:1"}, env()).out, nullptr, false);
        QVERIFY(inspect.is_array() && !inspect.empty());
        QVERIFY2(inspect[0]["RepoDigests"][0].get<std::string>().starts_with("mirror.test/test/busybox@sha256:"),
                 inspect[0]["RepoDigests"].dump().c_str());

        // Without the mirror the same pull fails: the registry itself is unreachable.
        auto without = berthEnv(freshRoot(), {"pull", "mirror.test/test/busybox:1"}, env());
        QVERIFY2(without.exitCode != 0, diag(without).c_str());
    }

    void dockerHubMirrorAndFamiliarRepoDigests() {
        // No internet here: Docker Hub names pull only through the mirror. RepoDigests of a
        // Docker Hub image are "busybox@sha256:…", as docker shows them.
        auto root = freshRoot();
        std::ofstream(root / "registries.json") << json{{"mirrors", {{"docker.io", {m_plain->host()}}}}}.dump(2);
        auto r = berthEnv(root, {"pull", "busybox"}, env());
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(r.out.find("latest: Pulling from library/busybox") != std::string::npos, r.out.c_str());
        auto inspect = json::parse(berthEnv(root, {"inspect", "busybox"}, env()).out, nullptr, false);
        QVERIFY(inspect.is_array() && !inspect.empty());
        QCOMPARE(inspect[0]["RepoTags"].dump(), std::string(R"(["busybox:latest"])"));
        QCOMPARE(inspect[0]["RepoDigests"].size(), size_t(1));
        std::string rd = inspect[0]["RepoDigests"][0].get<std::string>();
        QVERIFY2(rd.starts_with("busybox@sha256:") && rd.size() == std::string("busybox@sha256:").size() + 64, rd.c_str());
    }

    void deadMirrorIsSkipped() {
        auto root = freshRoot();
        std::string dead = "127.0.0.1:" + std::to_string(freeTcpPort());
        std::ofstream(root / "registries.json") << json{{"mirrors", {{m_plain->host(), {dead}}}}}.dump(2);
        auto r = berthEnv(root, {"pull", m_plain->host() + "/test/busybox:1"}, env());
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
    }

    void malformedConfigNamesFileAndLine() {
        auto root = freshRoot();
        std::ofstream(root / "registries.json") << "{\n  \"insecure-registries\": [\"a:1\"],\n  \"mirrors\": {\"x\": [\"b\",]}\n}\n";
        auto r = berthEnv(root, {"pull", m_plain->host() + "/test/busybox:1"}, env());
        QVERIFY2(r.exitCode != 0, diag(r).c_str());
        QVERIFY2(r.err.find((root / "registries.json").string() + ": invalid JSON at line 3") != std::string::npos,
                 r.err.c_str());
        std::ofstream(root / "registries.json") << "{\n  \"insecure-registry\": [\"a:1\"]\n}\n";
        auto typo = berthEnv(root, {"pull", m_plain->host() + "/test/busybox:1"}, env());
        QVERIFY2(typo.exitCode != 0, diag(typo).c_str());
        QVERIFY2(typo.err.find((root / "registries.json").string() + ": line 2: unknown key \"insecure-registry\"") !=
                     std::string::npos,
                 typo.err.c_str());
        auto images = berthEnv(root, {"images", "-q"}, env());
        QCOMPARE(images.out, std::string());
    }
};

BERTH_GUILESS_TEST_MAIN(TestRegistryConfigTls)
#include "tst_registry_config_tls.moc"
