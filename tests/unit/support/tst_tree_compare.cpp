// compareTrees (tests/support/tree_compare.h): two trees made the same way compare equal,
// overlay whiteouts included, even when they were made in different seconds (where GNU
// `diff -r` calls two whiteouts different: it compares their inode change times); and each
// attribute it promises to compare, changed alone, makes a difference naming the path.
#include "skip.h"
#include "test_support.h"
#include "tree_compare.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <functional>

using namespace berth::test;
namespace fs = std::filesystem;

namespace {

void writeText(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

// An extracted layer in miniature: a file, a hard link to it, a symlink, a whiteout, an
// opaque directory, a device node (root only: the caller skips otherwise).
bool makeLayerLikeTree(const fs::path& root) {
    fs::create_directories(root / "etc");
    fs::create_directories(root / "data");
    writeText(root / "etc" / "hostname", "layer\n");
    fs::create_hard_link(root / "etc" / "hostname", root / "etc" / "hostname.link");
    fs::create_symlink("../etc/hostname", root / "data" / "link");
    if (::mknod((root / "etc" / "motd").c_str(), S_IFCHR | 0, makedev(0, 0)) < 0) return false;
    if (::mknod((root / "data" / "null").c_str(), S_IFCHR | 0666, makedev(1, 3)) < 0) return false;
    if (::lsetxattr((root / "data").c_str(), "trusted.overlay.opaque", "y", 1, 0) < 0) return false;
    return true;
}

} // namespace

class TestTreeCompare : public QObject {
    Q_OBJECT

    std::unique_ptr<TempDir> m_tmp;
    int m_count = 0;

    fs::path freshTree() {
        fs::path p = m_tmp->path() / std::to_string(++m_count);
        if (!makeLayerLikeTree(p)) return {};
        return p;
    }

private slots:
    void initTestCase() {
        if (::geteuid() != 0) BERTH_SKIP("whiteouts, device nodes and trusted.* xattrs need root", NeedsRoot);
        m_tmp = std::make_unique<TempDir>();
    }

    void sameTreesMadeInDifferentSecondsAreEqual() {
        fs::path a = freshTree();
        QVERIFY(!a.empty());
        // Wait for the clock to pass a second boundary (an event, not a measured time), so
        // the two whiteouts' change times differ in the seconds diff -r compares.
        const std::time_t madeAt = std::time(nullptr);
        for (int i = 0; i < 500 && std::time(nullptr) == madeAt; ++i) ::usleep(10000);
        fs::path b = freshTree();
        QVERIFY(!b.empty());
        struct stat sa, sb;
        QCOMPARE(::lstat((a / "etc" / "motd").c_str(), &sa), 0);
        QCOMPARE(::lstat((b / "etc" / "motd").c_str(), &sb), 0);
        QVERIFY(sa.st_ctim.tv_sec != sb.st_ctim.tv_sec);
        auto c = compareTrees(a, b);
        QVERIFY2(c.same(), c.report().c_str());
        QCOMPARE(c.whiteouts, size_t(1));
        QCOMPARE(c.opaqueDirs, size_t(1));
        QCOMPARE(c.entries, size_t(8));  // ., data, data/link, data/null, etc, etc/{hostname,hostname.link,motd}
    }

    void eachAttributeChangedAloneDiffers_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("change");
        const char* paths[] = {"etc/hostname", "etc/hostname", "etc/hostname", "data/link", "etc/motd",
                               "data/null", "data", "etc/hostname.link", "etc/extra", "etc/motd", "etc/hostname"};
        const char* names[] = {"mode", "owner", "content of the same size", "symlink target",
                               "whiteout made a file", "device numbers", "opaque xattr removed",
                               "hard link broken", "entry only in B", "entry only in A", "type: file made a dir"};
        for (int i = 0; i < int(std::size(names)); ++i) QTest::newRow(names[i]) << QString(paths[i]) << i;
    }
    void eachAttributeChangedAloneDiffers() {
        QFETCH(QString, path);
        QFETCH(int, change);
        fs::path a = freshTree(), b = freshTree();
        QVERIFY(!a.empty() && !b.empty());
        const fs::path p = b / path.toStdString();
        switch (change) {
        case 0: QCOMPARE(::chmod(p.c_str(), 0600), 0); break;
        case 1: QCOMPARE(::lchown(p.c_str(), 1000, 1000), 0); break;
        case 2: writeText(p, "LAYER\n"); break;
        case 3: fs::remove(p); fs::create_symlink("../etc/motd", p); break;
        case 4: fs::remove(p); writeText(p, ""); break;
        case 5: fs::remove(p); QCOMPARE(::mknod(p.c_str(), S_IFCHR | 0666, makedev(1, 5)), 0); break;
        case 6: QCOMPARE(::lremovexattr(p.c_str(), "trusted.overlay.opaque"), 0); break;
        case 7: fs::remove(p); writeText(p, "layer\n"); break;  // same bytes, its own inode
        case 8: writeText(p, "x"); break;
        case 9: fs::remove(p); break;
        case 10: fs::remove(p); fs::create_directory(p); break;
        }
        auto c = compareTrees(a, b);
        QVERIFY2(!c.same(), "a change went unnoticed");
        QVERIFY2(c.report().find(path.toStdString() + ": ") != std::string::npos, c.report().c_str());
    }

    void modificationTimesOnlyWhenAsked() {
        fs::path a = freshTree(), b = freshTree();
        QVERIFY(!a.empty() && !b.empty());
        const struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};
        QCOMPARE(::utimensat(AT_FDCWD, (b / "etc" / "hostname").c_str(), old, AT_SYMLINK_NOFOLLOW), 0);
        QVERIFY(compareTrees(a, b).same());
        TreeOptions withTimes;
        withTimes.mtimes = true;
        withTimes.rootTimes = false;
        auto c = compareTrees(a, b, withTimes);
        QVERIFY(!c.same());
        QVERIFY2(c.report().find("etc/hostname: ") != std::string::npos, c.report().c_str());
    }
};

BERTH_GUILESS_TEST_MAIN(TestTreeCompare)
#include "tst_tree_compare.moc"
