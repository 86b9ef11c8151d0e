// writeLayerTar: deterministic tars of a directory, whiteouts and opaque directories turned
// back into OCI entries, and the round trip tree -> tar -> tree -> tar giving the same tree
// and the same bytes (so the same diff id).

#include "skip.h"
#include "layer_fixture.h"
#include "test_support.h"

#include "image/layer_apply.h"
#include "image/layer_write.h"
#include "sys/fs.h"

#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <QtTest/QtTest>

#include <fstream>

using namespace berth;
using namespace berth::test;
using namespace berth::test::layers;
namespace fs = std::filesystem;

namespace {

struct Written {
    image::ApplyResult result;
    std::string bytes;
};

Result<Written> writeTo(const fs::path& dir, const fs::path& file, bool gzip) {
    auto fd = sys::openFile(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (!fd) return std::unexpected(fd.error());
    auto r = image::writeLayerTar(dir, fd->borrow(), gzip, EngineSettings{});  // root mode: in this process
    if (!r) return std::unexpected(r.error());
    fd->reset();
    auto bytes = sys::readFile(file, size_t(1) << 30);
    if (!bytes) return std::unexpected(bytes.error());
    return Written{*r, *bytes};
}

// A layer with every kind of entry this machine lets us create.
TarBuilder richLayer() {
    TarBuilder b;
    b.dir("bin/").mtime(1600000000, 5)
        .file("bin/busybox", std::string(70000, 'B'), 0755).mtime(1600000001)
        .hardlink("bin/sh", "bin/busybox")
        .symlink("bin/ls", "busybox").mtime(1600000002)
        .symlink("abs", "/etc/passwd")
        .dir("etc/", 0755)
        .file("etc/hostname", "berth\n").xattr("user.berth.note", "kept")
        .file("etc/empty", "")
        .dir("home/", 0700).dir("home/user/", 0750)
        .file("home/user/long-" + std::string(150, 'n'), "long name")
        .dir("tmp/", 01777)
        .dir("z/").dir("z/y/").file("z/y/x", "deep");
    if (isRoot()) {
        b.file("bin/su", "suid", 04755).owner(0, 0)
            .file("home/user/own", "o").owner(1000, 1000)
            .dir("dev/").charDevice("dev/null", 1, 3).blockDevice("dev/sda", 8, 0).fifo("dev/pipe")
            .file("etc/.wh.motd", "").mtime(1500000000)
            .dir("var/").dir("var/cache/").file("var/cache/.wh..wh..opq", "")
            .file("var/cache/kept", "k")
            .file("trusted", "t").xattr("trusted.berth", "x");
    }
    return b;
}

} // namespace

class TestWrite : public QObject {
    Q_OBJECT

private slots:
    void roundTripIsIdentical() {
        TempDir tmp;
        const fs::path tree1 = tmp.path() / "tree1", tree2 = tmp.path() / "tree2";
        fs::create_directory(tree1);
        fs::create_directory(tree2);
        auto first = applyBytes(richLayer().build(TarCompression::Gzip), tree1, tmp.path());
        QVERIFY2(first.has_value(), first ? "" : first.error().message().c_str());

        auto w1 = writeTo(tree1, tmp.path() / "one.tar", false);
        QVERIFY2(w1.has_value(), w1 ? "" : w1.error().message().c_str());
        QCOMPARE(w1->result.diffId.hex(), sha256Hex(w1->bytes));
        QCOMPARE(w1->result.uncompressedBytes, uint64_t(w1->bytes.size()));
        QCOMPARE(w1->result.compressedBytes, uint64_t(w1->bytes.size()));

        auto applied = applyBytes(w1->bytes, tree2, tmp.path());
        QVERIFY2(applied.has_value(), applied ? "" : applied.error().message().c_str());
        QCOMPARE(applied->diffId, w1->result.diffId);
        QCOMPARE(applied->entries, w1->result.entries);
        // The root directory is not a layer entry, so its own times are not carried.
        QCOMPARE(snapshotTree(tree2, false), snapshotTree(tree1, false));

        auto w2 = writeTo(tree2, tmp.path() / "two.tar", false);
        QVERIFY2(w2.has_value(), w2 ? "" : w2.error().message().c_str());
        QCOMPARE(w2->result.diffId, w1->result.diffId);
        QVERIFY(w2->bytes == w1->bytes);
    }

    void gzipOutput() {
        TempDir tmp;
        const fs::path tree = tmp.path() / "tree", back = tmp.path() / "back";
        fs::create_directory(tree);
        fs::create_directory(back);
        QVERIFY(applyBytes(richLayer().build(), tree, tmp.path()).has_value());
        auto plain = writeTo(tree, tmp.path() / "p.tar", false);
        auto gz1 = writeTo(tree, tmp.path() / "a.tar.gz", true);
        auto gz2 = writeTo(tree, tmp.path() / "b.tar.gz", true);
        QVERIFY(plain && gz1 && gz2);
        QCOMPARE(gz1->result.compression, std::string("gzip"));
        QVERIFY(gz1->bytes.size() > 2 && uint8_t(gz1->bytes[0]) == 0x1f && uint8_t(gz1->bytes[1]) == 0x8b);
        QVERIFY(gz1->bytes.size() < plain->bytes.size());
        // The diff id is of the uncompressed tar; the gzip bytes are reproducible too.
        QCOMPARE(gz1->result.diffId, plain->result.diffId);
        QCOMPARE(gz1->result.uncompressedBytes, uint64_t(plain->bytes.size()));
        QCOMPARE(gz1->result.compressedBytes, uint64_t(gz1->bytes.size()));
        QVERIFY(gz1->bytes == gz2->bytes);
        auto applied = applyBytes(gz1->bytes, back, tmp.path());
        QVERIFY2(applied.has_value(), applied ? "" : applied.error().message().c_str());
        QCOMPARE(applied->diffId, plain->result.diffId);
        QCOMPARE(snapshotTree(back, false), snapshotTree(tree, false));
    }

    void entriesSortedWithNumericOwners() {
        TempDir tmp;
        const fs::path tree = tmp.path() / "tree";
        fs::create_directories(tree / "b/a");
        fs::create_directories(tree / "a.d");
        std::ofstream(tree / "c") << "c";
        std::ofstream(tree / "a") << "a";
        std::ofstream(tree / "b/z") << "z";
        std::ofstream(tree / "B") << "B";
        auto w = writeTo(tree, tmp.path() / "o.tar", false);
        QVERIFY2(w.has_value(), w ? "" : w.error().message().c_str());
        std::vector<std::string> names;
        for (const auto& e : listTar(w->bytes)) {
            names.push_back(e.path);
            QVERIFY2(!e.hasOwnerNames, e.path.c_str());
        }
        const std::vector<std::string> expected{"B", "a", "a.d/", "b/", "b/a/", "b/z", "c"};
        QCOMPARE(names, expected);
        // The stream ends right after the tar end marker (two zero blocks), unpadded.
        QCOMPARE(w->bytes.size() % 512, size_t(0));
        QVERIFY(w->bytes.size() >= 1024);
        QVERIFY(w->bytes.substr(w->bytes.size() - 1024) == std::string(1024, '\0'));
        QVERIFY(w->bytes.substr(w->bytes.size() - 1536, 512) != std::string(512, '\0'));
    }

    void whiteoutsBecomeOciEntries() {
        if (!isRoot()) BERTH_SKIP("whiteout devices and trusted.overlay xattrs need root", NeedsRoot);
        TempDir tmp;
        const fs::path tree = tmp.path() / "tree";
        fs::create_directories(tree / "etc");
        fs::create_directories(tree / "opaque/sub");
        std::ofstream(tree / "opaque/sub/f") << "f";
        QCOMPARE(::mknod((tree / "etc/gone").c_str(), S_IFCHR | 0, makedev(0, 0)), 0);
        QCOMPARE(::setxattr((tree / "opaque").c_str(), "trusted.overlay.opaque", "y", 1, 0), 0);
        QCOMPARE(::setxattr((tree / "opaque").c_str(), "trusted.overlay.origin", "zz", 2, 0), 0);
        // A real device node that is not 0/0 stays a device.
        QCOMPARE(::mknod((tree / "etc/null").c_str(), S_IFCHR | 0666, makedev(1, 3)), 0);

        auto w = writeTo(tree, tmp.path() / "o.tar", false);
        QVERIFY2(w.has_value(), w ? "" : w.error().message().c_str());
        std::map<std::string, TarListing> byName;
        for (auto& e : listTar(w->bytes)) byName[e.path] = e;
        QVERIFY(byName.count("etc/.wh.gone"));
        QCOMPARE(byName["etc/.wh.gone"].type, mode_t(AE_IFREG));
        QVERIFY(!byName.count("etc/gone"));
        QVERIFY(byName.count("etc/null"));
        QCOMPARE(byName["etc/null"].type, mode_t(AE_IFCHR));
        QVERIFY(byName.count("opaque/.wh..wh..opq"));
        // overlayfs bookkeeping xattrs are not written as content.
        QCOMPARE(byName["opaque/"].xattrCount, size_t(0));
        QVERIFY(byName.count("opaque/sub/f"));
    }

    void symlinksNotFollowed() {
        TempDir tmp;
        const fs::path tree = tmp.path() / "tree";
        fs::create_directories(tree);
        fs::create_directories(tmp.path() / "outside");
        std::ofstream(tmp.path() / "outside/secret") << "s";
        fs::create_directory_symlink(tmp.path() / "outside", tree / "escape");
        auto w = writeTo(tree, tmp.path() / "o.tar", false);
        QVERIFY2(w.has_value(), w ? "" : w.error().message().c_str());
        auto list = listTar(w->bytes);
        QCOMPARE(list.size(), size_t(1));
        QCOMPARE(list[0].path, std::string("escape"));
        QCOMPARE(list[0].type, mode_t(AE_IFLNK));
        QCOMPARE(list[0].symlink, (tmp.path() / "outside").string());
    }

    void hardLinksWrittenOnce() {
        TempDir tmp;
        const fs::path tree = tmp.path() / "tree";
        fs::create_directories(tree);
        std::ofstream(tree / "b") << std::string(5000, 'x');
        fs::create_hard_link(tree / "b", tree / "a");
        fs::create_hard_link(tree / "b", tree / "c");
        auto w = writeTo(tree, tmp.path() / "o.tar", false);
        QVERIFY2(w.has_value(), w ? "" : w.error().message().c_str());
        auto list = listTar(w->bytes);
        QCOMPARE(list.size(), size_t(3));
        QCOMPARE(list[0].path, std::string("a"));
        QVERIFY(list[0].hardlink.empty());
        QCOMPARE(list[1].hardlink, std::string("a"));
        QCOMPARE(list[2].hardlink, std::string("a"));
        // Only one copy of the data.
        const std::string data(5000, 'x');
        const size_t at = w->bytes.find(data);
        QVERIFY(at != std::string::npos);
        QCOMPARE(w->bytes.find(data, at + data.size()), std::string::npos);
    }

    void missingDirectory() {
        TempDir tmp;
        auto w = writeTo(tmp.path() / "nope", tmp.path() / "o.tar", false);
        QVERIFY(!w.has_value());
        QCOMPARE(w.error().code(), Errc::NotFound);
        QVERIFY2(w.error().message().find("nope") != std::string::npos, w.error().message().c_str());
    }
};

BERTH_GUILESS_TEST_MAIN(TestWrite)
#include "tst_write.moc"
