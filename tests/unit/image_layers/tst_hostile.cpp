// Hostile and broken layers: each is refused with a Corrupt error naming the archive entry,
// and nothing outside the destination is created or changed (a canary directory beside the
// destination is compared before and after).

#include "skip.h"
#include "layer_fixture.h"
#include "test_support.h"

#include "image/layer_apply.h"
#include "sys/fs.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <QtTest/QtTest>

#include <fstream>

using namespace berth;
using namespace berth::test;
using namespace berth::test::layers;
namespace fs = std::filesystem;

class TestHostile : public QObject {
    Q_OBJECT

    std::unique_ptr<TempDir> m_tmp;

    fs::path dest() const { return m_tmp->path() / "dest"; }
    fs::path canary() const { return m_tmp->path() / "canary"; }
    fs::path scratch() const { return m_tmp->path() / "scratch"; }

    // Applies `bytes` and checks the refusal: Corrupt, the message names `entry` and says
    // `why`, and the canary and the directory holding dest are exactly as they were.
    void expectRefused(const std::string& bytes, const std::string& entry, const std::string& why,
                       image::ApplyLimits limits = defaultApplyLimits()) {
        const auto canaryBefore = snapshotTree(canary());
        const auto besideBefore = listing(m_tmp->path());
        auto r = applyBytes(bytes, dest(), scratch(), limits);
        QVERIFY2(!r.has_value(), "the hostile layer was applied");
        const std::string& msg = r.error().message();
        qInfo("refused: %s", msg.c_str());
        QCOMPARE(r.error().code(), Errc::Corrupt);
        QVERIFY2(msg.find("`" + entry + "`") != std::string::npos,
                 qPrintable(QString("message does not name entry %1: %2")
                                .arg(QString::fromStdString(entry), QString::fromStdString(msg))));
        QVERIFY2(msg.find(why) != std::string::npos, msg.c_str());
        QCOMPARE(snapshotTree(canary()), canaryBefore);
        QCOMPARE(listing(m_tmp->path()), besideBefore);
        QVERIFY(!fs::exists("/evil"));
        QVERIFY(!fs::exists(m_tmp->path() / "evil"));
    }

    // Bytes that do not compress away, so a cut lands inside compressed file data.
    static std::string noise(size_t n) {
        std::string out(n, '\0');
        uint32_t x = 12345;
        for (auto& c : out) {
            x = x * 1103515245u + 12345u;
            c = char('a' + (x >> 16) % 26);
        }
        return out;
    }

    static std::vector<std::string> listing(const fs::path& dir) {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }

private slots:
    void init() {
        m_tmp = std::make_unique<TempDir>();
        fs::create_directory(dest());
        fs::create_directory(scratch());
        fs::create_directory(canary());
        std::ofstream(canary() / "file") << "precious\n";
        std::ofstream(canary() / "passwd") << "root:x:0:0\n";
    }
    void cleanup() { m_tmp.reset(); }

    void dotDotEscapes() {
        expectRefused(TarBuilder().file("../canary/evil", "x").build(), "../canary/evil",
                      "leaves the layer");
        QVERIFY(!fs::exists(canary() / "evil"));
    }

    void dotDotAfterComponents() {
        expectRefused(TarBuilder().file("ok", "1").file("a/../../evil", "x").build(), "a/../../evil",
                      "leaves the layer");
    }

    void absoluteDotDot() {
        expectRefused(TarBuilder().file("/../evil", "x").build(), "/../evil", "leaves the layer");
    }

    void writeThroughAbsoluteSymlink() {
        const std::string target = canary().string();
        expectRefused(TarBuilder().symlink("link", target).file("link/passwd", "pwned").build(),
                      "link/passwd", "symlink `link`");
        QCOMPARE(sys::readFile(canary() / "passwd").value(), std::string("root:x:0:0\n"));
    }

    void writeThroughRelativeSymlink() {
        expectRefused(TarBuilder().symlink("up", "../canary").file("up/evil", "x").build(),
                      "up/evil", "symlink `up`");
        QVERIFY(!fs::exists(canary() / "evil"));
    }

    void writeThroughSymlinkDeeper() {
        expectRefused(TarBuilder().dir("a/").symlink("a/b", "/").file("a/b/c/evil", "x").build(),
                      "a/b/c/evil", "symlink `a/b`");
    }

    void writeThroughSymlinkInsideLayer() {
        // Even a symlink that stays inside the layer is not followed while extracting.
        expectRefused(TarBuilder().dir("sub/").symlink("d", "sub").file("d/x", "x").build(), "d/x",
                      "symlink `d`");
    }

    void dirThroughSymlink() {
        expectRefused(TarBuilder().symlink("l", canary().string()).dir("l/newdir/").build(),
                      "l/newdir/", "symlink `l`");
        QVERIFY(!fs::exists(canary() / "newdir"));
    }

    void whiteoutThroughSymlink() {
        // Would delete canary/file if the symlink were followed.
        expectRefused(TarBuilder().symlink("l", canary().string()).file("l/.wh.file", "").build(),
                      "l/.wh.file", "symlink `l`");
    }

    void opaqueThroughSymlink() {
        expectRefused(TarBuilder().symlink("l", canary().string()).file("l/.wh..wh..opq", "").build(),
                      "l/.wh..wh..opq", "symlink `l`");
    }

    void hardLinkOutside() {
        expectRefused(TarBuilder().hardlink("h", "../canary/file").build(), "h", "leaves the layer");
    }

    void hardLinkToHostFile() {
        // "/etc/passwd" means the layer's etc/passwd, which this layer does not have.
        expectRefused(TarBuilder().hardlink("h", "/etc/passwd").build(), "h", "not in the layer");
    }

    void hardLinkToMissing() {
        expectRefused(TarBuilder().file("a", "1").hardlink("h", "nothere").build(), "h",
                      "not in the layer");
    }

    void hardLinkToLaterEntry() {
        expectRefused(TarBuilder().hardlink("h", "later").file("later", "1").build(), "h",
                      "not in the layer");
    }

    void hardLinkThroughSymlink() {
        expectRefused(TarBuilder().symlink("l", canary().string()).hardlink("h", "l/file").build(), "h",
                      "symlink `l`");
    }

    void hardLinkToDirectory() {
        expectRefused(TarBuilder().dir("d/").hardlink("h", "d").build(), "h", "is a directory");
    }

    void whiteoutDotDot() {
        expectRefused(TarBuilder().dir("a/").file("a/.wh...", "").build(), "a/.wh...",
                      "not a file name");
    }

    void whiteoutDot() {
        expectRefused(TarBuilder().file(".wh..", "").build(), ".wh..", "not a file name");
    }

    void truncatedGzip() {
        const std::string noisy = noise(300000);
        const std::string gz = compressGzip(TarBuilder().file("data/blob", noisy).build());
        expectRefused(gz.substr(0, gz.size() / 2), "data/blob", "truncated gzip");
    }

    void truncatedZstd() {
        const std::string noisy = noise(300000);
        const std::string z = TarBuilder().file("blob", noisy).build(TarCompression::Zstd);
        expectRefused(z.substr(0, z.size() / 2), "blob", "truncated zstd");
    }

    void junkAfterGzip() {
        const std::string gz = TarBuilder().file("a", "1").build(TarCompression::Gzip) +
                               std::string(100, '\0') + "junk";
        auto r = applyBytes(gz, dest(), scratch());
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code(), Errc::Corrupt);
        QVERIFY2(r.error().message().find("junk after the gzip data") != std::string::npos,
                 r.error().message().c_str());
    }

    void truncatedTar() {
        const std::string plain = TarBuilder().file("a", "1").file("cut", std::string(100000, 'c')).build();
        expectRefused(plain.substr(0, 50000), "cut", "runcated");
    }

    void gzipBomb() {
        // 64 MiB of zeros gzip to about 64 KiB (ratio ~1000:1); a limit of 100:1 trips.
        image::ApplyLimits limits = defaultApplyLimits();
        limits.maxRatio = 100;
        const std::string gz = compressGzip(TarBuilder().file("bomb", std::string(64 << 20, '\0')).build());
        QVERIFY(gz.size() < (1 << 20));
        expectRefused(gz, "bomb", "decompression bomb", limits);
    }

    void zstdBombWithDefaultLimits() {
        // zstd packs 64 MiB of zeros into a few KiB: far past the default 1000:1.
        const std::string z =
            TarBuilder().file("zbomb", std::string(64 << 20, '\0')).build(TarCompression::Zstd);
        QVERIFY(z.size() < (64 << 10));
        expectRefused(z, "zbomb", "decompression bomb");
    }

    void totalSizeLimit() {
        image::ApplyLimits limits = defaultApplyLimits();
        limits.maxBytes = 1 << 20;
        expectRefused(TarBuilder().file("small", "s").file("huge", std::string(2 << 20, 'h')).build(),
                      "huge", "beyond the limit", limits);
    }

    void tooManyEntries() {
        image::ApplyLimits limits = defaultApplyLimits();
        limits.maxEntries = 5;
        TarBuilder b;
        for (int i = 0; i < 6; ++i) b.file("f" + std::to_string(i), "x");
        expectRefused(b.build(), "f5", "too many entries", limits);
    }

    void devicesRefusedWhenNotAllowed() {
        image::ApplyLimits limits = defaultApplyLimits();
        limits.allowDevices = false;
        expectRefused(TarBuilder().dir("dev/").blockDevice("dev/sda", 8, 0).build(), "dev/sda",
                      "device nodes are not allowed", limits);
        QVERIFY(!fs::exists(dest() / "dev/sda"));
    }

    void rootAsFile() {
        expectRefused(TarBuilder().file("a/..", "x").build(), "a/..", "layer root");
    }

    void notATar() {
        const std::string junk = noise(5000);
        auto before = snapshotTree(canary());
        auto r = applyBytes(junk, dest(), scratch());
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code(), Errc::Corrupt);
        QCOMPARE(snapshotTree(canary()), before);
    }

    void xzRefusedAsUnsupported() {
        std::string xz("\xfd" "7zXZ\0junk", 10);
        auto r = applyBytes(xz, dest(), scratch());
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code(), Errc::Unsupported);
        QVERIFY2(r.error().message().find("xz") != std::string::npos, r.error().message().c_str());
    }
};

BERTH_GUILESS_TEST_MAIN(TestHostile)
#include "tst_hostile.moc"
