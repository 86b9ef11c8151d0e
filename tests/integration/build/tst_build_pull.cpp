// FROM an image the store lacks pulls it through the registry layer (a real docker-registry
// on 127.0.0.1 holding busybox, put there with skopeo), with the pull's progress in the
// build log; --pull=never refuses, --pull pulls a present base again ("up to date"), and
// COPY --from an image pulls it too.
#include "skip.h"
#include "build_test_helpers.h"
#include "registry_fixture.h"

#include <QtTest/QtTest>

#include <unistd.h>

#include <regex>

using namespace berth::test;
namespace fs = std::filesystem;

namespace {

std::string diag(const CommandResult& r) {
    return "exit " + std::to_string(r.exitCode) + "\nstdout: " + r.out + "\nstderr: " + r.err;
}

} // namespace

class BuildPull : public QObject {
    Q_OBJECT

    std::unique_ptr<TempDir> m_tmp;
    std::unique_ptr<RegistryProcess> m_registry;

    std::string ref(const std::string& repoTag) const { return m_registry->host() + "/" + repoTag; }

private slots:
    void initTestCase() {
        if (!haveProgram("docker-registry")) BERTH_SKIP("docker-registry is not installed (apt install docker-registry)", MissingProgram);
        if (!haveProgram("skopeo")) BERTH_SKIP("skopeo is not installed", MissingProgram);
        if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
        m_tmp = std::make_unique<TempDir>();
        m_registry = std::make_unique<RegistryProcess>(m_tmp->path() / "registry");
        QVERIFY2(m_registry->ok(), m_registry->log().c_str());
        auto archive = writeBusyboxArchive(m_tmp->path() / "busybox.tar");
        auto r = runCommand({"skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                             "docker-archive:" + archive.archive.string(), "docker://" + ref("test/busybox:1")},
                            180000);
        QVERIFY2(r.exitCode == 0, r.err.c_str());
    }
    void cleanupTestCase() {
        m_registry.reset();
        m_tmp.reset();
    }

    void fromPullsTheMissingBase() {
        BuildFixture f;
        std::string base = ref("test/busybox:1");
        QVERIFY(!f.hasImage(base));
        f.write("Dockerfile", "FROM " + base + "\nRUN echo pulled-base > /p\nCMD [\"cat\", \"/p\"]\n");

        // --pull=never: a missing base is an error naming it, and nothing is pulled.
        auto never = f.build({"-t", "never:1", "--pull=never"});
        QVERIFY(never.exitCode != 0);
        QVERIFY2(never.err.find("image `" + base + "` not found in the store, and --pull=never forbids pulling it") !=
                     std::string::npos, diag(never).c_str());
        QVERIFY(!f.hasImage(base));

        auto r = f.build({"-t", "pulled:1", "--progress", "plain"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        // The pull is part of the FROM step's log: announced, per layer, and its result.
        QVERIFY2(r.err.find("pulling " + base) != std::string::npos, r.err.c_str());
        // One line per layer state (the fixture's busybox layer may already be in the store).
        QVERIFY2(std::regex_search(r.err, std::regex("[0-9a-f]{12}: (Pull complete|Already exists)")), r.err.c_str());
        QVERIFY2(r.err.find("Downloaded newer image for " + base) != std::string::npos, r.err.c_str());
        QVERIFY(f.hasImage(base));
        auto run = f.berth({"run", "--rm", "pulled:1"});
        QVERIFY2(run.exitCode == 0, diag(run).c_str());
        QCOMPARE(run.out, std::string("pulled-base\n"));

        // Present now: no pull by default, the RUN is cached.
        auto again = f.build({"-t", "pulled:1", "--progress", "plain"});
        QVERIFY2(again.exitCode == 0, diag(again).c_str());
        QVERIFY2(again.err.find("pulling ") == std::string::npos, again.err.c_str());
        QVERIFY2(again.err.find("CACHED") != std::string::npos, again.err.c_str());
        // --pull asks the registry again; the base is up to date, so the cache still holds.
        auto always = f.build({"-t", "pulled:1", "--pull", "--progress", "plain"});
        QVERIFY2(always.exitCode == 0, diag(always).c_str());
        QVERIFY2(always.err.find("pulling " + base) != std::string::npos, always.err.c_str());
        QVERIFY2(always.err.find("Image is up to date for " + base) != std::string::npos, always.err.c_str());
        QVERIFY2(always.err.find("CACHED") != std::string::npos, always.err.c_str());
        QCOMPARE(f.containerCount(), size_t(0));
    }

    void copyFromAnImagePullsIt() {
        BuildFixture f;
        std::string base = ref("test/busybox:1");
        f.write("Dockerfile", "FROM scratch\nCOPY --from=" + base + " /bin/busybox /bin/busybox\n"
                              "CMD [\"/bin/busybox\", \"echo\", \"copied\"]\n");
        auto r = f.build({"-t", "copied:1", "--progress", "plain"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(r.err.find("pulling " + base) != std::string::npos, r.err.c_str());
        auto run = f.berth({"run", "--rm", "copied:1"});
        QCOMPARE(run.out, std::string("copied\n"));
    }

    void unknownImageIsAClearError() {
        BuildFixture f;
        std::string base = ref("test/absent:1");
        f.write("Dockerfile", "FROM " + base + "\n");
        auto r = f.build({"-t", "absent:1"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("Dockerfile:1") != std::string::npos && r.err.find("pull image `" + base + "`") != std::string::npos,
                 diag(r).c_str());
        QVERIFY(!f.hasImage("absent:1"));
    }
};

BERTH_ROOT_TEST_MAIN(BuildPull)
#include "tst_build_pull.moc"
