// applyLayer on well-formed layers: compressions, diff ids and sizes, metadata (owners,
// modes, times, xattrs), links, device nodes, whiteouts, and entries that replace others.

#include "skip.h"
#include "layer_fixture.h"
#include "test_support.h"

#include "image/layer_apply.h"
#include "sys/fs.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <QtTest/QtTest>

using namespace berth;
using namespace berth::test;
using namespace berth::test::layers;
namespace fs = std::filesystem;

namespace {

struct stat lstatOf(const fs::path& p) {
    struct stat st{};
    if (::lstat(p.c_str(), &st) < 0) st.st_mode = 0;
    return st;
}

std::string xattr(const fs::path& p, const char* name) {
    char buf[256];
    ssize_t n = ::lgetxattr(p.c_str(), name, buf, sizeof buf);
    return n < 0 ? std::string("<none>") : std::string(buf, size_t(n));
}

std::string readAll(const fs::path& p) {
    auto r = sys::readFile(p);
    return r ? *r : std::string("<unreadable>");
}

} // namespace

class TestApply : public QObject {
    Q_OBJECT

private slots:
    void compressions_data() {
        QTest::addColumn<int>("compression");
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << int(TarCompression::None) << "";
        QTest::newRow("gzip") << int(TarCompression::Gzip) << "gzip";
        QTest::newRow("zstd") << int(TarCompression::Zstd) << "zstd";
    }

    void compressions() {
        QFETCH(int, compression);
        QFETCH(QString, name);
        TempDir tmp;
        TarBuilder b;
        b.dir("etc/").file("etc/hostname", "berth\n").file("big", std::string(300000, 'q'));
        const std::string plain = b.build();
        const std::string bytes = b.build(TarCompression(compression));
        fs::create_directory(tmp.path() / "dest");
        auto r = applyBytes(bytes, tmp.path() / "dest", tmp.path());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        // The diff id is the sha256 of the uncompressed tar, whatever the compression.
        QCOMPARE(r->diffId.hex(), sha256Hex(plain));
        QCOMPARE(r->uncompressedBytes, uint64_t(plain.size()));
        QCOMPARE(r->compressedBytes, uint64_t(bytes.size()));
        QCOMPARE(r->entries, uint64_t(3));
        QCOMPARE(QString::fromStdString(r->compression), name);
        QCOMPARE(readAll(tmp.path() / "dest/etc/hostname"), std::string("berth\n"));
        QCOMPARE(readAll(tmp.path() / "dest/big"), std::string(300000, 'q'));
    }

    void concatenatedGzipMembers() {
        // gzip allows several members back to back; `cat a.gz b.gz` is one valid stream.
        TempDir tmp;
        const std::string plain = TarBuilder().file("a", "x").build();
        const std::string bytes = compressGzip(plain.substr(0, 700)) + compressGzip(plain.substr(700));
        fs::create_directory(tmp.path() / "dest");
        auto r = applyBytes(bytes, tmp.path() / "dest", tmp.path());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        QCOMPARE(r->diffId.hex(), sha256Hex(plain));
        QCOMPARE(readAll(tmp.path() / "dest/a"), std::string("x"));
    }

    void zeroPaddingAfterCompressedData() {
        // Writers that pad their output to a block size leave zeros after the last gzip
        // member or zstd frame; gzip(1) ignores them and so do we.
        TempDir tmp;
        const std::string plain = TarBuilder().file("a", "x").build();
        for (auto c : {TarCompression::Gzip, TarCompression::Zstd}) {
            const std::string bytes = TarBuilder().file("a", "x").build(c) + std::string(7000, '\0');
            fs::path dest = tmp.path() / ("dest" + std::to_string(int(c)));
            fs::create_directory(dest);
            auto r = applyBytes(bytes, dest, tmp.path());
            QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
            QCOMPARE(r->diffId.hex(), sha256Hex(plain));
            QCOMPARE(readAll(dest / "a"), std::string("x"));
        }
    }

    void emptyLayer() {
        TempDir tmp;
        fs::create_directory(tmp.path() / "dest");
        auto r = applyBytes(std::string(), tmp.path() / "dest", tmp.path());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        QCOMPARE(r->entries, uint64_t(0));
        QCOMPARE(r->diffId.hex(), sha256Hex(""));
    }

    void destMustBeEmpty() {
        TempDir tmp;
        fs::create_directories(tmp.path() / "dest/old");
        auto r = applyBytes(TarBuilder().file("a", "x").build(), tmp.path() / "dest", tmp.path());
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code(), Errc::InvalidArgument);
        QVERIFY2(r.error().message().find("not empty") != std::string::npos, r.error().message().c_str());
        QVERIFY(!fs::exists(tmp.path() / "dest/a"));
    }

    void ownersModesTimes() {
        if (!isRoot()) BERTH_SKIP("keeping other owners needs root (CAP_CHOWN)", NeedsRoot);
        TempDir tmp;
        TarBuilder b;
        b.dir("d/", 0750).owner(1234, 5678).mtime(1500000000, 123456789)
            .file("d/suid", "#!/bin/sh\n", 04755).owner(0, 0).mtime(1600000000)
            .file("d/sgid", "x", 02711).owner(42, 43).mtime(1600000001)
            .dir("sticky/", 01777).mtime(1400000000)
            .symlink("d/link", "suid").owner(7, 8).mtime(1300000000);
        fs::create_directory(tmp.path() / "dest");
        auto r = applyBytes(b.build(), tmp.path() / "dest", tmp.path());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        const fs::path d = tmp.path() / "dest";

        struct stat st = lstatOf(d / "d");
        QVERIFY(S_ISDIR(st.st_mode));
        QCOMPARE(st.st_mode & 07777, mode_t(0750));
        QCOMPARE(st.st_uid, uid_t(1234));
        QCOMPARE(st.st_gid, gid_t(5678));
        // Set after the children were written into it.
        QCOMPARE(st.st_mtim.tv_sec, time_t(1500000000));
        QCOMPARE(st.st_mtim.tv_nsec, long(123456789));

        st = lstatOf(d / "d/suid");
        QCOMPARE(st.st_mode & 07777, mode_t(04755));
        QCOMPARE(st.st_uid, uid_t(0));
        QCOMPARE(st.st_mtim.tv_sec, time_t(1600000000));

        st = lstatOf(d / "d/sgid");
        QCOMPARE(st.st_mode & 07777, mode_t(02711));  // chown did not clear the set-gid bit
        QCOMPARE(st.st_uid, uid_t(42));
        QCOMPARE(st.st_gid, gid_t(43));

        st = lstatOf(d / "sticky");
        QCOMPARE(st.st_mode & 07777, mode_t(01777));
        QCOMPARE(st.st_mtim.tv_sec, time_t(1400000000));

        st = lstatOf(d / "d/link");
        QVERIFY(S_ISLNK(st.st_mode));
        QCOMPARE(st.st_uid, uid_t(7));
        QCOMPARE(st.st_gid, gid_t(8));
        QCOMPARE(st.st_mtim.tv_sec, time_t(1300000000));
    }

    void symlinksStoredVerbatim() {
        TempDir tmp;
        TarBuilder b;
        b.symlink("abs", "/etc/passwd").symlink("rel", "../../x/y").symlink("dangling", "nowhere");
        fs::create_directory(tmp.path() / "dest");
        auto r = applyBytes(b.build(), tmp.path() / "dest", tmp.path(), defaultApplyLimits());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        QCOMPARE(fs::read_symlink(tmp.path() / "dest/abs").string(), std::string("/etc/passwd"));
        QCOMPARE(fs::read_symlink(tmp.path() / "dest/rel").string(), std::string("../../x/y"));
        QCOMPARE(fs::read_symlink(tmp.path() / "dest/dangling").string(), std::string("nowhere"));
    }

    void hardLinks() {
        TempDir tmp;
        TarBuilder b;
        b.dir("bin/").file("bin/busybox", "ELF", 0755).hardlink("bin/sh", "bin/busybox")
            .hardlink("ls", "/bin/busybox");  // a leading "/" is relative to the layer
        fs::create_directory(tmp.path() / "dest");
        auto r = applyBytes(b.build(), tmp.path() / "dest", tmp.path());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        struct stat a = lstatOf(tmp.path() / "dest/bin/busybox");
        struct stat s = lstatOf(tmp.path() / "dest/bin/sh");
        struct stat l = lstatOf(tmp.path() / "dest/ls");
        QVERIFY(S_ISREG(s.st_mode));
        QCOMPARE(s.st_ino, a.st_ino);
        QCOMPARE(l.st_ino, a.st_ino);
        QCOMPARE(a.st_nlink, nlink_t(3));
    }

    void deviceNodes() {
        if (!isRoot()) BERTH_SKIP("creating device nodes needs root (CAP_MKNOD)", NeedsRoot);
        TempDir tmp;
        TarBuilder b;
        b.dir("dev/").charDevice("dev/null", 1, 3, 0666).blockDevice("dev/loop9", 7, 9, 0660)
            .owner(0, 6).fifo("dev/pipe", 0620);
        fs::create_directory(tmp.path() / "dest");
        auto r = applyBytes(b.build(), tmp.path() / "dest", tmp.path());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        struct stat st = lstatOf(tmp.path() / "dest/dev/null");
        QVERIFY(S_ISCHR(st.st_mode));
        QCOMPARE(major(st.st_rdev), 1u);
        QCOMPARE(minor(st.st_rdev), 3u);
        QCOMPARE(st.st_mode & 07777, mode_t(0666));
        st = lstatOf(tmp.path() / "dest/dev/loop9");
        QVERIFY(S_ISBLK(st.st_mode));
        QCOMPARE(major(st.st_rdev), 7u);
        QCOMPARE(minor(st.st_rdev), 9u);
        QCOMPARE(st.st_gid, gid_t(6));
        QCOMPARE(st.st_mode & 07777, mode_t(0660));
        st = lstatOf(tmp.path() / "dest/dev/pipe");
        QVERIFY(S_ISFIFO(st.st_mode));
        QCOMPARE(st.st_mode & 07777, mode_t(0620));
    }

    void xattrs() {
        TempDir tmp;
        TarBuilder b;
        b.file("f", "x").xattr("user.berth.test", "hello").dir("d/").xattr("user.berth.dir", "1");
        if (isRoot()) b.file("cap", "y").xattr("trusted.berth", "t");
        // overlayfs instructions are not taken from the archive.
        b.file("sneaky", "z").xattr("trusted.overlay.opaque", "y");
        fs::create_directory(tmp.path() / "dest");
        auto r = applyBytes(b.build(), tmp.path() / "dest", tmp.path());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        QCOMPARE(xattr(tmp.path() / "dest/f", "user.berth.test"), std::string("hello"));
        QCOMPARE(xattr(tmp.path() / "dest/d", "user.berth.dir"), std::string("1"));
        if (isRoot()) QCOMPARE(xattr(tmp.path() / "dest/cap", "trusted.berth"), std::string("t"));
        QCOMPARE(xattr(tmp.path() / "dest/sneaky", "trusted.overlay.opaque"), std::string("<none>"));
        bool warned = false;
        for (const auto& w : r->warnings) warned |= w.find("sneaky") != std::string::npos;
        QVERIFY(warned);
    }

    void whiteoutsAndOpaque() {
        if (!isRoot()) BERTH_SKIP("whiteout devices and trusted.overlay xattrs need root", NeedsRoot);
        TempDir tmp;
        TarBuilder b;
        b.dir("etc/").file("etc/.wh.motd", "").dir("var/").dir("var/cache/")
            .file("var/cache/.wh..wh..opq", "").file("var/cache/new", "n").file(".wh.gone", "")
            .file("deep/er/.wh.x", "");  // parents are created as needed
        fs::create_directory(tmp.path() / "dest");
        auto r = applyBytes(b.build(), tmp.path() / "dest", tmp.path());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        const fs::path d = tmp.path() / "dest";
        for (const char* p : {"etc/motd", "gone", "deep/er/x"}) {
            struct stat st = lstatOf(d / p);
            QVERIFY2(S_ISCHR(st.st_mode), p);
            QCOMPARE(st.st_rdev, makedev(0, 0));
            QCOMPARE(st.st_uid, uid_t(0));
            QCOMPARE(st.st_gid, gid_t(0));
        }
        QVERIFY(!fs::exists(d / "etc/.wh.motd"));
        QVERIFY(!fs::exists(d / ".wh.gone"));
        QCOMPARE(xattr(d / "var/cache", "trusted.overlay.opaque"), std::string("y"));
        QVERIFY(!fs::exists(d / "var/cache/.wh..wh..opq"));
        QCOMPARE(xattr(d / "var", "trusted.overlay.opaque"), std::string("<none>"));
        QCOMPARE(readAll(d / "var/cache/new"), std::string("n"));
    }

    void laterEntriesReplaceEarlier() {
        TempDir tmp;
        TarBuilder b;
        b.file("f", "first").file("f", "second")                        // file over file
            .dir("d/", 0700).file("d/keep", "k").dir("d/", 0755)        // dir over dir merges
            .file("x", "file").dir("x/").file("x/in", "i")              // dir over file
            .dir("y/").file("y/child", "c").file("y", "now a file")     // file over dir
            .dir("real/").symlink("s", "real").dir("s/");                // dir over symlink
        fs::create_directory(tmp.path() / "dest");
        auto r = applyBytes(b.build(), tmp.path() / "dest", tmp.path());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        const fs::path d = tmp.path() / "dest";
        QCOMPARE(readAll(d / "f"), std::string("second"));
        QCOMPARE(readAll(d / "d/keep"), std::string("k"));
        QCOMPARE(lstatOf(d / "d").st_mode & 07777, mode_t(0755));
        QCOMPARE(readAll(d / "x/in"), std::string("i"));
        QVERIFY(S_ISREG(lstatOf(d / "y").st_mode));
        QCOMPARE(readAll(d / "y"), std::string("now a file"));
        QVERIFY(S_ISDIR(lstatOf(d / "s").st_mode));
        QVERIFY(S_ISDIR(lstatOf(d / "real").st_mode));
    }

    void ownerExactInSetgidDirectories() {
        // Files whose owner is already ours skip their chown, except where a set-group-id
        // directory gives a new file the directory's group: the layer root, a directory with
        // the bit from its entry, one that inherits it, and one that gains it later.
        if (!isRoot()) BERTH_SKIP("directories of other groups need root (CAP_CHOWN)", NeedsRoot);
        TempDir tmp;
        const fs::path d = tmp.path() / "dest";
        fs::create_directory(d);
        QVERIFY(::chown(d.c_str(), 0, 777) == 0);
        QVERIFY(::chmod(d.c_str(), 02755) == 0);
        TarBuilder b;
        b.file("top", "t").owner(0, 0)
            .dir("g/", 02775).owner(0, 4321)
            .file("g/f", "f").owner(0, 0)
            .file("g/sub/x", "x").owner(0, 0)  // g/sub made implicitly: inherits the bit
            .file("h/f1", "1").owner(0, 0)
            .dir("h/", 02755).owner(0, 99)
            .file("h/f2", "2").owner(0, 0)
            .dir("plain/", 0755).owner(0, 55)
            .file("plain/p", "p").owner(0, 0);
        auto r = applyBytes(b.build(), d, tmp.path());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        for (const char* f : {"top", "g/f", "g/sub/x", "h/f1", "h/f2", "plain/p"}) {
            struct stat st = lstatOf(d / f);
            QVERIFY2(S_ISREG(st.st_mode), f);
            QVERIFY2(st.st_uid == 0 && st.st_gid == 0,
                     (std::string(f) + " is " + std::to_string(st.st_uid) + ":" + std::to_string(st.st_gid)).c_str());
            QCOMPARE(st.st_mode & 07777, mode_t(0644));
        }
        QCOMPARE(lstatOf(d / "g/sub").st_gid, gid_t(4321));  // the inherited group stays
    }

    void fileOverSymlinkAndModesAtCreate() {
        // A file over a symlink replaces the link (never writes through it); plain modes are
        // given at create, odd ones (no owner write, set-id) still end up exact.
        TempDir tmp;
        fs::create_directory(tmp.path() / "outside");
        TarBuilder b;
        b.symlink("l", (tmp.path() / "outside" / "t").string()).file("l", "data", 0640)
            .file("ro", "r", 0444).file("plain", "p", 0644).file("none", "n", 0);
        fs::create_directory(tmp.path() / "dest");
        auto r = applyBytes(b.build(), tmp.path() / "dest", tmp.path());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        const fs::path d = tmp.path() / "dest";
        QVERIFY(S_ISREG(lstatOf(d / "l").st_mode));
        QCOMPARE(readAll(d / "l"), std::string("data"));
        QVERIFY(!fs::exists(tmp.path() / "outside" / "t"));
        QCOMPARE(lstatOf(d / "l").st_mode & 07777, mode_t(0640));
        QCOMPARE(lstatOf(d / "ro").st_mode & 07777, mode_t(0444));
        QCOMPARE(lstatOf(d / "plain").st_mode & 07777, mode_t(0644));
        QCOMPARE(lstatOf(d / "none").st_mode & 07777, mode_t(0));
    }

    void leadingSlashAndDotAreRelative() {
        TempDir tmp;
        TarBuilder b;
        b.dir("./").file("/etc/abs", "a").file("./rel", "r").file("a/b/../c", "c").file("//x//y", "y");
        fs::create_directory(tmp.path() / "dest");
        auto r = applyBytes(b.build(), tmp.path() / "dest", tmp.path());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        QCOMPARE(readAll(tmp.path() / "dest/etc/abs"), std::string("a"));
        QCOMPARE(readAll(tmp.path() / "dest/rel"), std::string("r"));
        QCOMPARE(readAll(tmp.path() / "dest/a/c"), std::string("c"));
        QCOMPARE(readAll(tmp.path() / "dest/x/y"), std::string("y"));
        QVERIFY(!fs::exists(tmp.path() / "etc"));
    }

    void trailingPaddingIsHashed() {
        // Docker's diff id covers every byte of the uncompressed stream, including zero
        // blocks after the tar's end marker.
        TempDir tmp;
        const std::string plain = TarBuilder().file("a", "x").build() + std::string(4096, '\0');
        fs::create_directory(tmp.path() / "dest");
        auto r = applyBytes(compressGzip(plain), tmp.path() / "dest", tmp.path());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        QCOMPARE(r->diffId.hex(), sha256Hex(plain));
        QCOMPARE(r->uncompressedBytes, uint64_t(plain.size()));
    }
};

BERTH_GUILESS_TEST_MAIN(TestApply)
#include "tst_apply.moc"
