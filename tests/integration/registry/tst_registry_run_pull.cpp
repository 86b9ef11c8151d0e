// `run` and `create` pull a missing image first, as docker does, from a real docker-registry
// on 127.0.0.1: the pull is announced and drawn on stderr (stdout stays the container's),
// the image is then listed; --pull=never refuses a missing image, --pull=always pulls a
// present one again; an image the registry does not have is a clear error that leaves no
// container behind.
#include "skip.h"
#include "fixtures.h"
#include "registry_fixture.h"
#include "test_support.h"

#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include <regex>

using namespace berth::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string diag(const CommandResult& r) {
    return "exit " + std::to_string(r.exitCode) + "\nstdout: " + r.out + "\nstderr: " + r.err;
}

} // namespace

class TestRegistryRunPull : public QObject {
    Q_OBJECT

    std::unique_ptr<TempDir> m_tmp;
    std::unique_ptr<RegistryProcess> m_registry;
    FixtureImage m_busybox;
    std::vector<fs::path> m_roots;
    int m_stores = 0;

    fs::path freshRoot() {
        fs::path p = m_tmp->path() / "stores" / std::to_string(++m_stores);
        fs::create_directories(p);
        m_roots.push_back(p);
        return p;
    }
    std::string ref(const std::string& repoTag) const { return m_registry->host() + "/" + repoTag; }
    size_t containerCount(const fs::path& root) {
        auto ps = runBerth(root, {"ps", "-a", "-q"});
        return size_t(std::count(ps.out.begin(), ps.out.end(), '\n'));
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
        auto r = runCommand({"skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                             "docker-archive:" + m_busybox.archive.string(),
                             "docker://" + ref("test/busybox:1")}, 180000);
        QVERIFY2(r.exitCode == 0, r.err.c_str());
    }
    void cleanupTestCase() {
        // Every container these tests made, by id, in their own stores.
        for (auto& root : m_roots) {
            auto ids = runBerth(root, {"ps", "-a", "-q"});
            std::istringstream in(ids.out);
            for (std::string id; std::getline(in, id);)
                if (!id.empty()) (void)runBerth(root, {"rm", "-f", id});
        }
        m_registry.reset();
        m_tmp.reset();
    }

    void runPullsTheMissingImage() {
        auto root = freshRoot();
        auto r = runBerth(root, {"run", "--rm", ref("test/busybox:1"), "echo", "hello from the registry"}, 180000);
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        // stdout is the container's alone; the pull went to stderr, announced as docker does.
        QCOMPARE(r.out, std::string("hello from the registry\n"));
        QVERIFY2(r.err.starts_with("Unable to find image '" + ref("test/busybox:1") + "' locally\n"), r.err.c_str());
        QVERIFY2(r.err.find("1: Pulling from test/busybox") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("Pull complete") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("Status: Downloaded newer image for " + ref("test/busybox:1")) != std::string::npos,
                 r.err.c_str());
        auto ids = runBerth(root, {"images", "-q", "--no-trunc"});
        QCOMPARE(ids.out, m_busybox.configDigest + "\n");
        QCOMPARE(containerCount(root), size_t(0));  // --rm

        // Present now: the next run does not pull.
        auto again = runBerth(root, {"run", "--rm", ref("test/busybox:1"), "true"});
        QVERIFY2(again.exitCode == 0, diag(again).c_str());
        QVERIFY2(again.err.find("Unable to find image") == std::string::npos, again.err.c_str());
        QVERIFY2(again.err.find("Pulling from") == std::string::npos, again.err.c_str());
    }

    void createPullsTheMissingImage() {
        auto root = freshRoot();
        auto r = runBerth(root, {"create", ref("test/busybox:1"), "true"}, 180000);
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(std::regex_match(r.out, std::regex("[0-9a-f]{64}\n")), r.out.c_str());  // the id only
        QVERIFY2(r.err.find("Unable to find image '" + ref("test/busybox:1") + "' locally") != std::string::npos,
                 r.err.c_str());
        auto ids = runBerth(root, {"images", "-q", "--no-trunc"});
        QCOMPARE(ids.out, m_busybox.configDigest + "\n");
        QCOMPARE(containerCount(root), size_t(1));
        std::string id = r.out.substr(0, 64);
        auto rm = runBerth(root, {"rm", id});
        QVERIFY2(rm.exitCode == 0, diag(rm).c_str());
    }

    void pullNeverRefusesAMissingImage() {
        auto root = freshRoot();
        auto r = runBerth(root, {"run", "--rm", "--pull=never", ref("test/busybox:1"), "true"});
        QCOMPARE(r.exitCode, 125);
        QVERIFY2(r.err.find("Unable to find image '" + ref("test/busybox:1") + "' locally") != std::string::npos,
                 r.err.c_str());
        QVERIFY2(r.err.find("--pull=never") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("Pulling from") == std::string::npos, r.err.c_str());
        auto c = runBerth(root, {"create", "--pull", "never", ref("test/busybox:1"), "true"});
        QCOMPARE(c.exitCode, 125);
        QCOMPARE(c.out, std::string());
        QCOMPARE(containerCount(root), size_t(0));
        QCOMPARE(runBerth(root, {"images", "-q"}).out, std::string());
        // A bad policy is refused by the flag parser.
        auto bad = runBerth(root, {"run", "--pull=sometimes", ref("test/busybox:1"), "true"});
        QVERIFY2(bad.exitCode != 0 && bad.err.find("--pull") != std::string::npos, diag(bad).c_str());
    }

    void pullAlwaysPullsAPresentImage() {
        auto root = freshRoot();
        QVERIFY(runBerth(root, {"pull", "-q", ref("test/busybox:1")}).exitCode == 0);
        auto r = runBerth(root, {"run", "--rm", "--pull=always", ref("test/busybox:1"), "true"}, 180000);
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(r.err.find("Unable to find image") == std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("1: Pulling from test/busybox") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("Status: Image is up to date for " + ref("test/busybox:1")) != std::string::npos, r.err.c_str());
    }

    void unknownImageLeavesNoContainer() {
        auto root = freshRoot();
        auto r = runBerth(root, {"run", "--name", "ghost", ref("test/nope:1"), "true"});
        QCOMPARE(r.exitCode, 125);
        QVERIFY2(r.err.find("Unable to find image '" + ref("test/nope:1") + "' locally") != std::string::npos,
                 r.err.c_str());
        QVERIFY2(r.err.find("test/nope:1 not found") != std::string::npos, r.err.c_str());
        auto c = runBerth(root, {"create", "--name", "ghost", ref("test/nope:1"), "true"});
        QCOMPARE(c.exitCode, 125);
        QCOMPARE(containerCount(root), size_t(0));
        QCOMPARE(runBerth(root, {"images", "-q"}).out, std::string());
        auto check = runBerth(root, {"system", "check"});
        QVERIFY2(check.out.find("Store is clean") != std::string::npos, diag(check).c_str());
    }
};

BERTH_ROOT_TEST_MAIN(TestRegistryRunPull)
#include "tst_registry_run_pull.moc"
