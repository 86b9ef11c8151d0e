// Builds from git contexts made by the test itself with libgit2 (two branches, an annotated
// tag, a subdirectory with its own Dockerfile): built by branch, tag and subdirectory
// through file://, a local repository path and a bare repository; the images run and print
// what that ref's files say. A ref that does not exist is an error naming the ref and the
// repository, tags nothing and leaves no checkout behind.
#include "skip.h"
#include "build_test_helpers.h"
#include "../../unit/build/git_test_repo.h"

#include <QtTest/QtTest>

#include <unistd.h>

using namespace berth::test;
namespace fs = std::filesystem;

namespace {

std::string diag(const CommandResult& r) {
    return "exit " + std::to_string(r.exitCode) + "\nstdout: " + r.out + "\nstderr: " + r.err;
}

} // namespace

class BuildGit : public QObject {
    Q_OBJECT

    std::unique_ptr<BuildFixture> m_f;
    fs::path m_bare, m_work;

private slots:
    void initTestCase() {
        if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
        m_f = std::make_unique<BuildFixture>();
        m_bare = m_f->scratch() / "repos" / "app.git";
        m_work = m_f->scratch() / "repos" / "work";
        const std::string top = "FROM busybox\nCOPY VERSION /VERSION\nRUN echo \"built from $(cat /VERSION)\" > /built\n"
                                "CMD [\"cat\", \"/built\"]\n";
        const std::string web = "FROM busybox\nCOPY page.txt /srv/page.txt\nCMD [\"cat\", \"/srv/page.txt\"]\n";
        for (bool bare : {true, false}) {
            GitTestRepo repo(bare ? m_bare : m_work, bare);
            auto v1 = repo.commit("main", {{"Dockerfile", top}, {"VERSION", "main-1"}, {"web/Dockerfile", web},
                                           {"web/page.txt", "web page v1\n"}}, "one");
            repo.tag("v1", v1, true);
            repo.commit("main", {{"Dockerfile", top}, {"VERSION", "main-2"}, {"web/Dockerfile", web},
                                 {"web/page.txt", "web page v2\n"}}, "two");
            repo.commit("feature", {{"Dockerfile", top}, {"VERSION", "feature"}}, "feature");
            repo.setHead("main");
        }
    }
    void cleanupTestCase() { m_f.reset(); }

    void buildsByRefAndSubdir_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("output");
        auto file = QString::fromStdString("file://" + m_bare.string());
        auto local = QString::fromStdString(m_work.string());
        QTest::newRow("file default branch") << file << "built from main-2\n";
        QTest::newRow("file branch") << file + "#feature" << "built from feature\n";
        QTest::newRow("file tag") << file + "#v1" << "built from main-1\n";
        QTest::newRow("file tag subdir") << file + "#v1:web" << "web page v1\n";
        QTest::newRow("file subdir default ref") << file + "#:web" << "web page v2\n";
        QTest::newRow("local path branch") << local + "#feature" << "built from feature\n";
        QTest::newRow("local path subdir") << local + "#main:web" << "web page v2\n";
        QTest::newRow("bare repository path") << QString::fromStdString(m_bare.string()) << "built from main-2\n";
    }
    void buildsByRefAndSubdir() {
        QFETCH(QString, source);
        QFETCH(QString, output);
        static int built = 0;
        std::string tag = "git:" + std::to_string(++built);
        auto r = m_f->berth({"build", "-t", tag, "--progress", "plain", source.toStdString()});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        // The fetch is reported before the steps.
        QVERIFY2(r.err.find("#0 ") != std::string::npos && r.err.find("checked out ") != std::string::npos, r.err.c_str());
        auto run = m_f->berth({"run", "--rm", tag});
        QVERIFY2(run.exitCode == 0, diag(run).c_str());
        QCOMPARE(QString::fromStdString(run.out), output);
        // The checkout went into the store's tmp/ and is gone.
        for (auto& e : fs::directory_iterator(m_f->root() / "tmp"))
            QVERIFY2(e.path().filename().string().rfind("context-", 0) != 0, e.path().c_str());
    }

    void missingRefIsAClearError() {
        auto before = m_f->berth({"images", "-q"}).out;
        std::string url = "file://" + m_bare.string();
        auto r = m_f->berth({"build", "-t", "nope:1", url + "#no-such-ref"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("git ref `no-such-ref` not found in " + url) != std::string::npos, diag(r).c_str());
        QVERIFY2(r.err.find("branches: feature, main; tags: v1") != std::string::npos, diag(r).c_str());
        QVERIFY(!m_f->hasImage("nope:1"));
        QCOMPARE(m_f->berth({"images", "-q"}).out, before);
        // A subdirectory the ref lacks, likewise.
        r = m_f->berth({"build", "-t", "nope:1", url + "#feature:web"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("subdirectory `web` not found at feature of " + url) != std::string::npos, diag(r).c_str());
        // A repository that does not exist names it.
        r = m_f->berth({"build", "file://" + (m_f->scratch() / "missing.git").string() + "#main"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("missing.git") != std::string::npos, diag(r).c_str());
        size_t contexts = 0;
        for (auto& e : fs::directory_iterator(m_f->root() / "tmp"))
            contexts += e.path().filename().string().rfind("context-", 0) == 0;
        QCOMPARE(contexts, size_t(0));
        QCOMPARE(m_f->containerCount(), size_t(0));
    }
};

BERTH_ROOT_TEST_MAIN(BuildGit)
#include "tst_build_git.moc"
