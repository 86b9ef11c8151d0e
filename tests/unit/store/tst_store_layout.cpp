// store::openLayout and sys::makeDirs, without root: the modes on disk are the ones the
// store's privacy depends on (issue 15).
#include "store/layout.h"
#include "sys/fs.h"

#include "fixtures.h"
#include "file_mode.h"
#include "test_support.h"

#include <sys/stat.h>

#include <QtTest/QtTest>

using namespace berth;
namespace fs = std::filesystem;

namespace {

const char* const kStoreDirs[] = {"blobs", "blobs/sha256", "layers", "images", "containers", "volumes", "tmp"};

// The run root as root holds /run/berth/docker.sock for the berth group: traversable only.
mode_t runRootMode() { return ::geteuid() == 0 ? 0711 : 0700; }

} // namespace

class TestStoreLayout : public QObject {
    Q_OBJECT

    std::unique_ptr<test::TempDir> m_dir;
    mode_t m_umask = 0;

private slots:
    void init() {
        m_dir = std::make_unique<test::TempDir>();
        m_umask = ::umask(022);
    }
    void cleanup() {
        ::umask(m_umask);
        m_dir.reset();
    }

    void makeDirsHonoursItsMode() {
        auto leaf = m_dir->path() / "a" / "b" / "c";
        QVERIFY(sys::makeDirs(leaf, 0700));
        QCOMPARE(test::modeOf(leaf), mode_t(0700));
        QCOMPARE(test::modeOf(m_dir->path() / "a"), mode_t(0700));  // parents made on the way too
        QCOMPARE(test::modeOf(m_dir->path() / "a" / "b"), mode_t(0700));
        QVERIFY(sys::makeDirs(m_dir->path() / "x" / "y", 0701));
        QCOMPARE(test::modeOf(m_dir->path() / "x"), mode_t(0701));
        // An existing directory is left as it is; a trailing slash is the same directory.
        QCOMPARE(::chmod((m_dir->path() / "a" / "b").c_str(), 0750), 0);
        QVERIFY(sys::makeDirs(m_dir->path() / "a" / "b" / "", 0700));
        QCOMPARE(test::modeOf(m_dir->path() / "a" / "b"), mode_t(0750));
        QVERIFY(sys::makeDirs(m_dir->path() / "d" / "e"));  // the default: 0755
        QCOMPARE(test::modeOf(m_dir->path() / "d"), mode_t(0755));
        test::writeFile(m_dir->path() / "file", "x");
        auto notDir = sys::makeDirs(m_dir->path() / "file", 0700);
        QVERIFY(!notDir);
        QCOMPARE(notDir.error().sysErrno(), ENOTDIR);
        QVERIFY(!sys::makeDirs(m_dir->path() / "file" / "below", 0700));
    }

    void newStoreIsPrivate() {
        auto root = m_dir->path() / "store";
        auto l = store::openLayout(root, m_dir->path() / "run");
        QVERIFY2(l, l ? "" : l.error().message().c_str());
        QCOMPARE(test::modeOf(root), mode_t(0700));
        for (const char* d : kStoreDirs) QCOMPARE(test::modeOf(root / d), mode_t(0700));
        QCOMPARE(test::modeOf(m_dir->path() / "run"), runRootMode());
        QCOMPARE(test::modeOf(m_dir->path() / "run" / "containers"), mode_t(0700));
    }

    void oldStoreIsMadePrivate() {
        auto root = m_dir->path() / "store";
        QVERIFY(store::openLayout(root, m_dir->path() / "run"));
        // As an older Berth left it.
        for (const char* d : kStoreDirs) QCOMPARE(::chmod((root / d).c_str(), 0755), 0);
        auto c = root / "containers" / std::string(64, 'a');
        fs::create_directories(c);
        test::writeFile(c / "config.json", "{\"Env\":[\"SECRET=x\"]}");
        test::writeFile(c / "state.json", "{}");
        QCOMPARE(::chmod((c / "config.json").c_str(), 0644), 0);
        QCOMPARE(::chmod(root.c_str(), 0755), 0);
        QCOMPARE(::chmod((m_dir->path() / "run").c_str(), 0755), 0);

        QVERIFY(store::openLayout(root, m_dir->path() / "run"));
        QCOMPARE(test::modeOf(root), mode_t(0700));
        for (const char* d : kStoreDirs) QCOMPARE(test::modeOf(root / d), mode_t(0700));
        QCOMPARE(test::modeOf(c / "config.json"), mode_t(0600));
        QCOMPARE(test::modeOf(m_dir->path() / "run"), runRootMode());
    }

    // `--root /tmp` by mistake: the shared directory keeps its mode (what the store makes
    // inside it is private all the same).
    void stickySharedRootKeepsItsMode() {
        auto shared = m_dir->path() / "shared";
        fs::create_directories(shared);
        QCOMPARE(::chmod(shared.c_str(), 01777), 0);
        QVERIFY(store::openLayout(shared, m_dir->path() / "run"));
        QCOMPARE(test::modeOf(shared), mode_t(01777));
        for (const char* d : kStoreDirs) QCOMPARE(test::modeOf(shared / d), mode_t(0700));
    }
};

BERTH_GUILESS_TEST_MAIN(TestStoreLayout)
#include "tst_store_layout.moc"
