// docker cp's stat / tar out / tar in on a directory standing in for a container's root.
#include "skip.h"
#include "container/container_archive.h"

#include "fixtures.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <thread>

using namespace berth;
using berth::test::TarEntry;
namespace fs = std::filesystem;

namespace {

int openDir(const fs::path& p) { return ::open(p.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC); }

// Extracts `tar` (bytes) with extractTar through a pipe, as the service does.
Result<uint64_t> extract(int rootFd, const std::string& dest, const std::string& tar,
                         const container::ExtractOptions& o = {}) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return fail(Errc::Io, "pipe");
    std::thread writer([&] {
        (void)!::write(p[1], tar.data(), tar.size());
        ::close(p[1]);
    });
    auto r = container::extractTar(rootFd, dest, p[0], o);
    ::close(p[0]);
    writer.join();
    return r;
}

// A tar of `path` read back through a pipe.
std::string tarOf(int rootFd, const std::string& path, const std::string& name) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return {};
    std::string out;
    std::thread reader([&] {
        char buf[65536];
        ssize_t n;
        while ((n = ::read(p[0], buf, sizeof buf)) > 0) out.append(buf, size_t(n));
    });
    auto r = container::writePathTar(rootFd, path, name, p[1]);
    ::close(p[1]);
    reader.join();
    ::close(p[0]);
    return r ? out : std::string();
}

} // namespace

class TestContainerArchive : public QObject {
    Q_OBJECT

    std::unique_ptr<berth::test::TempDir> m_dir;
    fs::path m_root;
    int m_rootFd = -1;

private slots:
    // A failed extraction closes its end of the pipe early: the writer gets EPIPE.
    void initTestCase() { std::signal(SIGPIPE, SIG_IGN); }

    void init() {
        m_dir = std::make_unique<berth::test::TempDir>();
        m_root = m_dir->path() / "root";
        fs::create_directories(m_root / "etc");
        fs::create_directories(m_root / "data/sub");
        berth::test::writeFile(m_root / "etc/hosts", "127.0.0.1 localhost\n");
        berth::test::writeFile(m_root / "data/a.txt", "a\n");
        berth::test::writeFile(m_root / "data/sub/b.txt", "bb\n");
        fs::create_symlink("/etc", m_root / "etclink");
        fs::create_symlink("/", m_root / "up");
        m_rootFd = openDir(m_root);
    }
    void cleanup() {
        ::close(m_rootFd);
        m_dir.reset();
    }

    void statReportsTheEntryItselfAndFollowsParentsInside() {
        auto f = container::statInRoot(m_rootFd, "/etc/hosts");
        QVERIFY(f);
        QCOMPARE(f->name, std::string("hosts"));
        QCOMPARE(f->size, int64_t(20));
        QVERIFY(S_ISREG(f->mode));
        auto l = container::statInRoot(m_rootFd, "/etclink");
        QVERIFY(l);
        QVERIFY(S_ISLNK(l->mode));
        QCOMPARE(l->linkTarget, std::string("/etc"));
        // A parent symlink resolves inside the root: /etclink/hosts is the root's /etc/hosts.
        auto through = container::statInRoot(m_rootFd, "/etclink/hosts");
        QVERIFY(through);
        QCOMPARE(through->size, int64_t(20));
        // "/up/etc/passwd": /up is "/", which is the root, whose etc has no passwd.
        auto up = container::statInRoot(m_rootFd, "/up/etc/passwd");
        QVERIFY(!up);
        QCOMPARE(up.error().sysErrno(), ENOENT);
    }

    void tarOutAndBackIn() {
        std::string tar = tarOf(m_rootFd, "/data", "data");
        QVERIFY(!tar.empty());
        fs::create_directories(m_root / "copy");
        auto n = extract(m_rootFd, "/copy", tar);
        QVERIFY2(n, n ? "" : n.error().message().c_str());
        QCOMPARE(*n, uint64_t(4));  // data, data/a.txt, data/sub, data/sub/b.txt
        QCOMPARE(berth::test::readFileText(m_root / "copy/data/a.txt"), std::string("a\n"));
        QCOMPARE(berth::test::readFileText(m_root / "copy/data/sub/b.txt"), std::string("bb\n"));
        // A directory's contents ("/data/."), renamed like docker's "." entries.
        std::string contents = tarOf(m_rootFd, "/data/.", ".");
        fs::create_directories(m_root / "flat");
        QVERIFY(extract(m_rootFd, "/flat", contents));
        QVERIFY(fs::exists(m_root / "flat/a.txt"));
        QVERIFY(fs::exists(m_root / "flat/sub/b.txt"));
    }

    void aSymlinkIsTarredAsALink() {
        std::string tar = tarOf(m_rootFd, "/etclink", "etclink");
        fs::create_directories(m_root / "links");
        QVERIFY(extract(m_rootFd, "/links", tar));
        QVERIFY(fs::is_symlink(m_root / "links/etclink"));
        QCOMPARE(fs::read_symlink(m_root / "links/etclink").string(), std::string("/etc"));
    }

    void absoluteNamesLandInTheDestination() {
        std::string tar = berth::test::makeTar({{TarEntry::File, "/abs.txt", "x"}});
        fs::create_directories(m_root / "in");
        QVERIFY(extract(m_rootFd, "/in", tar));
        QVERIFY(fs::exists(m_root / "in/abs.txt"));
    }

    void climbingOutIsRefused() {
        fs::create_directories(m_root / "in");
        for (const char* name : {"../escape.txt", "a/../../escape.txt", ".."}) {
            std::string tar = berth::test::makeTar({{TarEntry::File, name, "x"}});
            auto r = extract(m_rootFd, "/in", tar);
            QVERIFY2(!r, name);
            QCOMPARE(r.error().code(), Errc::InvalidArgument);
            QVERIFY2(r.error().message().find("climbs out") != std::string::npos, r.error().message().c_str());
        }
        QVERIFY(!fs::exists(m_root / "escape.txt"));
        QVERIFY(!fs::exists(m_dir->path() / "escape.txt"));
    }

    void writesThroughSymlinksStayInTheRoot() {
        // A host directory that a symlink in the tar names: the write must land in the
        // root's copy of that path, never in the host's.
        fs::path hostTarget = m_dir->path() / "outside";
        std::string tar = berth::test::makeTar({{TarEntry::Symlink, "link", "", hostTarget.string()},
                                                {TarEntry::File, "link/pwned.txt", "x"},
                                                {TarEntry::Symlink, "dotdot", "", "../../.."},
                                                {TarEntry::File, "dotdot/pwned2.txt", "y"}});
        fs::create_directories(m_root / "in");
        auto r = extract(m_rootFd, "/in", tar);
        QVERIFY2(r, r ? "" : r.error().message().c_str());
        QVERIFY(!fs::exists(hostTarget / "pwned.txt"));
        QVERIFY(fs::exists(m_root / fs::path(hostTarget).relative_path() / "pwned.txt"));
        QVERIFY(!fs::exists(m_dir->path() / "pwned2.txt"));
        QVERIFY(fs::exists(m_root / "pwned2.txt"));  // ../../.. from /in is the root itself
    }

    void hardLinksOutOfTheDestinationAreRefused() {
        std::string tar = berth::test::makeTar({{TarEntry::Hardlink, "h", "", "../etc/hosts"}});
        fs::create_directories(m_root / "in");
        auto r = extract(m_rootFd, "/in", tar);
        QVERIFY(!r);
        QVERIFY(!fs::exists(m_root / "in/h"));
        std::string ok = berth::test::makeTar({{TarEntry::File, "f", "z"}, {TarEntry::Hardlink, "g", "", "f"}});
        QVERIFY(extract(m_rootFd, "/in", ok));
        QCOMPARE(fs::hard_link_count(m_root / "in/g"), uintmax_t(2));
    }

    void devicesAreRefused() {
        std::string tar = berth::test::makeTar({{TarEntry::CharDev, "null", "", "", 0666, 0, 0, 1, 3}});
        fs::create_directories(m_root / "in");
        auto r = extract(m_rootFd, "/in", tar);
        QVERIFY(!r);
        QVERIFY(r.error().message().find("device") != std::string::npos);
    }

    void destinationMustBeAnExistingDirectory() {
        std::string tar = berth::test::makeTar({{TarEntry::File, "f", "z"}});
        auto missing = extract(m_rootFd, "/nope", tar);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code(), Errc::NotFound);
        auto file = extract(m_rootFd, "/etc/hosts", tar);
        QVERIFY(!file);
        QCOMPARE(file.error().code(), Errc::InvalidArgument);
    }

    void noOverwriteDirNonDir() {
        std::string tar = berth::test::makeTar({{TarEntry::File, "data", "now a file"}});
        auto refused = extract(m_rootFd, "/", tar, {.noOverwriteDirNonDir = true});
        QVERIFY(!refused);
        QCOMPARE(refused.error().code(), Errc::Conflict);
        QVERIFY(fs::is_directory(m_root / "data"));
        // A file replaces a file.
        std::string hosts = berth::test::makeTar({{TarEntry::File, "hosts", "new\n"}});
        QVERIFY(extract(m_rootFd, "/etc", hosts));
        QCOMPARE(berth::test::readFileText(m_root / "etc/hosts"), std::string("new\n"));
    }

    // docker cp to a new name: the top entry (and what is below it, and hard links to it)
    // renamed; other entries as they are; a new name that would climb out is refused.
    void topEntryRenamed() {
        std::string tar = berth::test::makeTar({{TarEntry::Dir, "data", "", "", 0755},
                                                {TarEntry::File, "data/a.txt", "a\n"},
                                                {TarEntry::Hardlink, "data/b.txt", "", "data/a.txt"},
                                                {TarEntry::File, "database", "not below data\n"}});
        fs::create_directories(m_root / "ren");
        container::ExtractOptions o;
        o.renameFrom = "data";
        o.renameTo = "copy";
        auto n = extract(m_rootFd, "/ren", tar, o);
        QVERIFY2(n, n ? "" : n.error().message().c_str());
        QCOMPARE(berth::test::readFileText(m_root / "ren/copy/a.txt"), std::string("a\n"));
        QCOMPARE(berth::test::readFileText(m_root / "ren/copy/b.txt"), std::string("a\n"));
        QVERIFY(fs::exists(m_root / "ren/database"));
        QVERIFY(!fs::exists(m_root / "ren/data"));
        o.renameTo = "..";
        auto out = extract(m_rootFd, "/ren", tar, o);
        QVERIFY(!out);
        QVERIFY2(out.error().message().find("climbs out") != std::string::npos, out.error().message().c_str());
        QVERIFY(!fs::exists(m_root / "a.txt"));
    }

    void garbageIsAnError() {
        auto r = extract(m_rootFd, "/data", std::string(4096, 'g'));
        QVERIFY(!r);
    }
};

BERTH_GUILESS_TEST_MAIN(TestContainerArchive)
#include "tst_container_archive.moc"
