// Pull and push against a real registry (Debian's docker-registry on 127.0.0.1): images
// pushed by skopeo pull in Berth with the right files; images pushed by Berth read back
// with skopeo with the same digest; cross-repository mounts, chunked uploads, basic auth
// with login/logout, and the clear errors for 404, 401, unreachable and wrong platform.
#include "skip.h"
#include "fixtures.h"
#include "registry_fixture.h"
#include "test_support.h"

#include "image/image_store.h"
#include "store/layout.h"

#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <regex>

using namespace berth;
using namespace berth::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

CommandResult berthEnv(const fs::path& root, std::vector<std::string> args,
                       const std::vector<std::string>& env = {}, int timeoutMs = 180000) {
    std::vector<std::string> argv{builtProgram("berth").string(), "--root", root.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return runCommand(argv, timeoutMs, env);
}

std::string diag(const CommandResult& r) {
    return "exit " + std::to_string(r.exitCode) + "\nstdout: " + r.out + "\nstderr: " + r.err;
}

// skopeo copy of a docker-archive into the registry; returns the manifest digest there.
bool skopeoPush(const fs::path& archive, const std::string& dest, std::string* err) {
    auto r = runCommand({"skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                         "docker-archive:" + archive.string(), "docker://" + dest}, 180000);
    if (r.exitCode != 0) *err = r.err;
    return r.exitCode == 0;
}

std::string skopeoDigest(const std::string& ref) {
    auto r = runCommand({"skopeo", "inspect", "--tls-verify=false", "docker://" + ref}, 60000);
    if (r.exitCode != 0) return "skopeo inspect failed: " + r.err;
    auto j = json::parse(r.out, nullptr, false);
    return j.is_object() ? j.value("Digest", "") : "bad json";
}

std::string pushedDigest(const std::string& out) {
    std::smatch m;
    std::regex re("digest: (sha256:[0-9a-f]{64}) size: [0-9]+");
    return std::regex_search(out, m, re) ? m[1].str() : "";
}

} // namespace

class TestRegistryPullPush : public QObject {
    Q_OBJECT

    std::unique_ptr<TempDir> m_tmp;
    std::unique_ptr<RegistryProcess> m_registry;
    fs::path m_busyboxArchive, m_layeredArchive;
    FixtureImage m_busybox, m_layered;

    fs::path freshRoot(const std::string& name) {
        fs::path p = m_tmp->path() / "stores" / name;
        fs::create_directories(p);
        return p;
    }

private slots:
    void initTestCase() {
        if (!haveProgram("docker-registry")) BERTH_SKIP("docker-registry is not installed (apt install docker-registry)", MissingProgram);
        if (!haveProgram("skopeo")) BERTH_SKIP("skopeo is not installed", MissingProgram);
        if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
        m_tmp = std::make_unique<TempDir>();
        m_registry = std::make_unique<RegistryProcess>(m_tmp->path() / "registry");
        QVERIFY2(m_registry->ok(), m_registry->log().c_str());
        m_busybox = writeBusyboxArchive(m_tmp->path() / "busybox.tar");
        m_layered = writeLayeredArchive(m_tmp->path() / "layered.tar");
        std::string err;
        QVERIFY2(skopeoPush(m_busybox.archive, m_registry->host() + "/test/busybox:1", &err), err.c_str());
        QVERIFY2(skopeoPush(m_layered.archive, m_registry->host() + "/test/layered:1", &err), err.c_str());
    }
    void cleanupTestCase() {
        m_registry.reset();
        m_tmp.reset();
    }

    void pullBusyboxPushedBySkopeo() {
        auto root = freshRoot("pull-busybox");
        std::string ref = m_registry->host() + "/test/busybox:1";
        auto r = berthEnv(root, {"pull", ref});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(r.out.find("1: Pulling from test/busybox") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("Pull complete") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("Digest: " + skopeoDigest(ref)) != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("Status: Downloaded newer image for " + ref) != std::string::npos, r.out.c_str());

        image::ImageStore store(store::StoreLayout{root, root / "run"});
        auto img = store.resolve(ref);
        QVERIFY2(img.has_value(), img ? "" : img.error().message().c_str());
        QCOMPARE(img->id.str(), m_busybox.configDigest);
        auto layers = store.layerPaths(img->id);
        QVERIFY(layers.has_value());
        QCOMPARE(layers->size(), size_t(1));
        QVERIFY(fs::is_regular_file(layers->front() / "bin" / "busybox"));
        QVERIFY(fs::is_symlink(layers->front() / "bin" / "sh"));
        QCOMPARE(readFileText(layers->front() / "var" / "www" / "index.html").empty(), false);
        // RepoDigests as docker shows them: repository@digest, no tag.
        auto inspect = berthEnv(root, {"inspect", ref});
        auto repoDigests = json::parse(inspect.out)[0]["RepoDigests"];
        QCOMPARE(repoDigests.dump(),
                 json::array({m_registry->host() + "/test/busybox@" + skopeoDigest(ref)}).dump());

        // Again: nothing to fetch.
        auto again = berthEnv(root, {"pull", ref});
        QVERIFY2(again.exitCode == 0, diag(again).c_str());
        QVERIFY2(again.out.find("Already exists") != std::string::npos, again.out.c_str());
        QVERIFY2(again.out.find("Status: Image is up to date for " + ref) != std::string::npos, again.out.c_str());

        auto check = berthEnv(root, {"system", "check"});
        QVERIFY2(check.exitCode == 0, diag(check).c_str());
    }

    void pullQuietPrintsTheName() {
        auto root = freshRoot("pull-quiet");
        std::string ref = m_registry->host() + "/test/busybox:1";
        auto r = berthEnv(root, {"pull", "-q", ref});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(r.out, ref + "\n");
    }

    void pullByDigestVerifies() {
        auto root = freshRoot("pull-digest");
        std::string digest = skopeoDigest(m_registry->host() + "/test/busybox:1");
        auto r = berthEnv(root, {"pull", m_registry->host() + "/test/busybox@" + digest});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        // A digest the registry does not have is a clear not-found, naming it.
        std::string wrong = "sha256:" + std::string(64, '0');
        auto bad = berthEnv(root, {"pull", m_registry->host() + "/test/busybox@" + wrong});
        QVERIFY(bad.exitCode != 0);
        QVERIFY2(bad.err.find("not found") != std::string::npos, bad.err.c_str());
    }

    void pullLayeredImage() {
        if (::geteuid() != 0) BERTH_SKIP("whiteouts are character devices: extracting them needs root", NeedsRoot);
        auto root = freshRoot("pull-layered");
        std::string ref = m_registry->host() + "/test/layered:1";
        auto r = berthEnv(root, {"pull", ref});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        image::ImageStore store(store::StoreLayout{root, root / "run"});
        auto img = store.resolve(ref);
        QVERIFY(img.has_value());
        QCOMPARE(img->id.str(), m_layered.configDigest);
        auto layers = store.layerPaths(img->id);
        QVERIFY(layers.has_value());
        QCOMPARE(layers->size(), size_t(3));
        QVERIFY(fs::exists((*layers)[0] / "etc" / "motd"));
        struct stat st;
        std::memset(&st, 0, sizeof st);
        QCOMPARE(::lstat(((*layers)[1] / "etc" / "motd").c_str(), &st), 0);
        QVERIFY(S_ISCHR(st.st_mode));  // the whiteout of layer 2
        QVERIFY(fs::exists((*layers)[2] / "data" / "new.txt"));
        // Pulling busybox now shares nothing (different first layer), but pulling the
        // layered image under another tag fetches no layer.
        auto tagged = runCommand({"skopeo", "copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false",
                                  "docker://" + ref, "docker://" + m_registry->host() + "/test/layered:2"});
        QVERIFY2(tagged.exitCode == 0, tagged.err.c_str());
        auto second = berthEnv(root, {"pull", m_registry->host() + "/test/layered:2"});
        QVERIFY2(second.exitCode == 0, diag(second).c_str());
        QVERIFY2(second.out.find("Downloading") == std::string::npos, second.out.c_str());
    }

    void pushReadBackWithSkopeo() {
        auto root = freshRoot("push");
        std::string ref = m_registry->host() + "/mine/bb:2";
        QVERIFY(!importBusybox(root, ref).empty());
        auto r = berthEnv(root, {"push", ref});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        std::string digest = pushedDigest(r.out);
        QVERIFY2(!digest.empty(), r.out.c_str());
        QVERIFY2(r.out.find("2: digest: " + digest) != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("Pushed") != std::string::npos, r.out.c_str());
        QCOMPARE(skopeoDigest(ref), digest);
        // The image records where it went, as docker does: RepoDigests gains
        // "registry/repository@digest" (no tag), and it is kept in the store's index.
        auto inspect = berthEnv(root, {"inspect", ref});
        QVERIFY2(inspect.exitCode == 0, diag(inspect).c_str());
        QCOMPARE(json::parse(inspect.out)[0]["RepoDigests"].dump(),
                 json::array({m_registry->host() + "/mine/bb@" + digest}).dump());
        // A second repository adds its own entry; pushing the same again adds nothing.
        std::string other = m_registry->host() + "/mine/other:7";
        QVERIFY(berthEnv(root, {"tag", ref, other}).exitCode == 0);
        auto pushOther = berthEnv(root, {"push", other});
        QVERIFY2(pushOther.exitCode == 0 && pushOther.err.empty(), diag(pushOther).c_str());
        QCOMPARE(pushedDigest(pushOther.out), digest);
        auto both = json::parse(berthEnv(root, {"inspect", other}).out)[0]["RepoDigests"];
        QCOMPARE(both.dump(), json::array({m_registry->host() + "/mine/bb@" + digest,
                                           m_registry->host() + "/mine/other@" + digest}).dump());
        auto checkAfterPush = berthEnv(root, {"system", "check"});
        QVERIFY2(checkAfterPush.out.find("Store is clean") != std::string::npos, diag(checkAfterPush).c_str());

        // skopeo copies it back out; the OCI layout's manifest digest is the same.
        auto oci = m_tmp->path() / "oci-back";
        auto copy = runCommand({"skopeo", "copy", "--quiet", "--preserve-digests", "--src-tls-verify=false", "docker://" + ref,
                                "oci:" + oci.string() + ":x"});
        QVERIFY2(copy.exitCode == 0, copy.err.c_str());
        auto index = json::parse(readFileText(oci / "index.json"));
        QCOMPARE(index["manifests"][0]["digest"].get<std::string>(), digest);

        // Pushing again uploads nothing.
        auto again = berthEnv(root, {"push", ref});
        QVERIFY2(again.exitCode == 0, diag(again).c_str());
        QVERIFY2(again.out.find("Layer already exists") != std::string::npos, again.out.c_str());
        QVERIFY2(again.out.find("Pushed") == std::string::npos, again.out.c_str());
        QCOMPARE(pushedDigest(again.out), digest);
        QCOMPARE(json::parse(berthEnv(root, {"inspect", ref}).out)[0]["RepoDigests"].size(), size_t(2));
    }

    void pushChunkedAndMounted() {
        auto root = freshRoot("push-chunked");
        std::string src = m_registry->host() + "/test/busybox:1";
        auto pull = berthEnv(root, {"pull", src});
        QVERIFY2(pull.exitCode == 0, diag(pull).c_str());
        // Another repository of the same registry: the layer is mounted, not uploaded.
        std::string dest = m_registry->host() + "/other/copy:1";
        QVERIFY(berthEnv(root, {"tag", src, dest}).exitCode == 0);
        auto r = berthEnv(root, {"push", dest});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(r.out.find("Mounted from test/busybox") != std::string::npos, r.out.c_str());
        QCOMPARE(skopeoDigest(dest), skopeoDigest(src));

        // A fresh image in 64 KiB PATCH chunks.
        std::string chunked = m_registry->host() + "/chunked/bb:1";
        QVERIFY(!importBusybox(root, chunked).empty());
        auto c = berthEnv(root, {"push", "--chunk-size", "65536", chunked});
        QVERIFY2(c.exitCode == 0, diag(c).c_str());
        QCOMPARE(skopeoDigest(chunked), pushedDigest(c.out));
        auto check = runCommand({"skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + chunked,
                                 "oci:" + (m_tmp->path() / "oci-chunked").string() + ":x"});
        QVERIFY2(check.exitCode == 0, check.err.c_str());  // skopeo verifies the blobs
    }

    void clearErrors() {
        auto root = freshRoot("errors");
        auto missing = berthEnv(root, {"pull", m_registry->host() + "/test/nope:1"});
        QVERIFY(missing.exitCode != 0);
        QVERIFY2(missing.err.find("test/nope:1 not found") != std::string::npos, missing.err.c_str());

        int dead = freeTcpPort();
        auto unreachable = berthEnv(root, {"pull", "127.0.0.1:" + std::to_string(dead) + "/x/y:1"});
        QVERIFY(unreachable.exitCode != 0);
        QVERIFY2(unreachable.err.find("unreachable") != std::string::npos, unreachable.err.c_str());

        // A single-platform image asked for another platform is refused, naming both.
        auto platform = berthEnv(root, {"pull", "--platform", "linux/s390x", m_registry->host() + "/test/busybox:1"});
        QVERIFY(platform.exitCode != 0);
        QVERIFY2(platform.err.find("linux/s390x") != std::string::npos, platform.err.c_str());
        // A malformed platform is refused before anything is fetched.
        auto badPlatform = berthEnv(root, {"pull", "--platform", "linux", m_registry->host() + "/test/busybox:1"});
        QVERIFY(badPlatform.exitCode != 0);
        QVERIFY2(badPlatform.err.find("os/arch") != std::string::npos, badPlatform.err.c_str());

        auto noImage = berthEnv(root, {"push", m_registry->host() + "/none/here:1"});
        QVERIFY(noImage.exitCode != 0);
        QVERIFY2(noImage.err.find("none/here") != std::string::npos, noImage.err.c_str());

        // Nothing half-made was left behind by the failures.
        auto check = berthEnv(root, {"system", "check"});
        QVERIFY2(check.exitCode == 0, diag(check).c_str());
        auto images = berthEnv(root, {"images", "-q"});
        QCOMPARE(images.out, std::string());
    }

    void basicAuthLoginLogout() {
        if (!haveProgram("htpasswd")) BERTH_SKIP("htpasswd missing (apt install apache2-utils)", MissingProgram);
        auto pw = runCommand({"htpasswd", "-nbB", "alice", "wonderland"});
        QVERIFY2(pw.exitCode == 0, pw.err.c_str());
        std::string line = pw.out.substr(0, pw.out.find('\n'));
        RegistryProcess authReg(m_tmp->path() / "auth-registry", line);
        QVERIFY2(authReg.ok(), authReg.log().c_str());
        auto dockerDir = m_tmp->path() / "docker-config";
        fs::create_directories(dockerDir);
        std::ofstream(dockerDir / "config.json") << "{\"psFormat\":\"keep me\"}";
        std::vector<std::string> env{"DOCKER_CONFIG=" + dockerDir.string()};
        auto root = freshRoot("auth");
        std::string ref = authReg.host() + "/secret/bb:1";
        QVERIFY(!importBusybox(root, ref).empty());

        auto anon = berthEnv(root, {"push", ref}, env);
        QVERIFY(anon.exitCode != 0);
        QVERIFY2(anon.err.find("berth login " + authReg.host()) != std::string::npos, anon.err.c_str());

        auto wrong = berthEnv(root, {"login", "-u", "alice", "-p", "rabbit", authReg.host()}, env);
        QVERIFY(wrong.exitCode != 0);
        QVERIFY2(wrong.err.find("401") != std::string::npos || wrong.err.find("unauthorized") != std::string::npos,
                 wrong.err.c_str());
        QVERIFY(readFileText(dockerDir / "config.json").find("auths") == std::string::npos);

        auto ok = berthEnv(root, {"login", "-u", "alice", "-p", "wonderland", authReg.host()}, env);
        QVERIFY2(ok.exitCode == 0, diag(ok).c_str());
        QVERIFY2(ok.out.find("Login Succeeded") != std::string::npos, ok.out.c_str());
        auto cfg = json::parse(readFileText(dockerDir / "config.json"));
        QCOMPARE(cfg["psFormat"].get<std::string>(), std::string("keep me"));
        QVERIFY(cfg["auths"].contains(authReg.host()));

        auto push = berthEnv(root, {"push", ref}, env);
        QVERIFY2(push.exitCode == 0, diag(push).c_str());
        auto root2 = freshRoot("auth-pull");
        auto pull = berthEnv(root2, {"pull", ref}, env);
        QVERIFY2(pull.exitCode == 0, diag(pull).c_str());

        auto out = berthEnv(root, {"logout", authReg.host()}, env);
        QVERIFY2(out.exitCode == 0, diag(out).c_str());
        cfg = json::parse(readFileText(dockerDir / "config.json"));
        QVERIFY(!cfg["auths"].contains(authReg.host()));
        QCOMPARE(cfg["psFormat"].get<std::string>(), std::string("keep me"));
        auto root3 = freshRoot("auth-pull-after-logout");
        auto denied = berthEnv(root3, {"pull", ref}, env);
        QVERIFY(denied.exitCode != 0);
        QVERIFY2(denied.err.find("authentication") != std::string::npos || denied.err.find("login") != std::string::npos,
                 denied.err.c_str());
    }
};

BERTH_GUILESS_TEST_MAIN(TestRegistryPullPush)
#include "tst_registry_pull_push.moc"
