// Hostile and broken outer archives: each is refused with an error naming the entry,
// nothing outside the store is touched, and the store (which already holds an image) is
// exactly as it was.
#include "skip.h"
#include "image/image_store.h"
#include "store_test_util.h"

#include <QtTest/QtTest>

using namespace berth;
using namespace berth::test;
namespace fs = std::filesystem;

namespace {

std::string manifestFor(const std::string& configPath, const std::vector<std::string>& layers) {
    nlohmann::json m = nlohmann::json::array(
        {{{"Config", configPath}, {"RepoTags", {"hostile:1"}}, {"Layers", layers}}});
    return m.dump();
}

// A small valid image (one tiny layer), as entries, so each case can break one thing.
struct Parts {
    std::string layer = makeTar({{TarEntry::File, "hello.txt", "hello\n"}});
    std::string diffId = "sha256:" + sha256Hex(layer);
    std::string config = nlohmann::json{{"architecture", "amd64"},
                                        {"os", "linux"},
                                        {"rootfs", {{"type", "layers"}, {"diff_ids", {diffId}}}}}
                             .dump();
    std::string configHex = sha256Hex(config);
    std::string layerHex = sha256Hex(layer);
};

} // namespace

class HostileArchivesTest : public QObject {
    Q_OBJECT

    TempDir m_tmp;
    store::StoreLayout m_layout;
    std::unique_ptr<image::ImageStore> m_store;
    std::map<std::string, std::string> m_before;

private slots:
    void initTestCase() {
        if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt-get install busybox-static)", MissingProgram);
        m_layout = openTestStore(m_tmp.path() / "store");
        m_store = std::make_unique<image::ImageStore>(m_layout);
        auto r = m_store->load(writeBusyboxArchive(m_tmp.path() / "bb.tar").archive);
        QVERIFY(r);
        m_before = storeListing(m_layout.root);
    }

    void refused_data() {
        QTest::addColumn<QByteArray>("archive");
        QTest::addColumn<QString>("mentions");  // the message must name this
        Parts p;
        auto blobs = [&](std::vector<TarEntry> extra, bool withLayer = true, bool withConfig = true) {
            std::vector<TarEntry> e;
            if (withConfig) e.push_back({TarEntry::File, "blobs/sha256/" + p.configHex, p.config});
            if (withLayer) e.push_back({TarEntry::File, "blobs/sha256/" + p.layerHex, p.layer});
            for (auto& x : extra) e.push_back(x);
            return e;
        };
        std::string goodManifest = manifestFor("blobs/sha256/" + p.configHex, {"blobs/sha256/" + p.layerHex});
        auto row = [&](const char* name, const std::string& bytes, const std::string& mentions) {
            QTest::newRow(name) << QByteArray::fromStdString(bytes) << QString::fromStdString(mentions);
        };

        row("dotdot path", makeTar(blobs({{TarEntry::File, "../escape.txt", "x"},
                                          {TarEntry::File, "manifest.json", goodManifest}})),
            "../escape.txt");
        row("nested dotdot", makeTar(blobs({{TarEntry::File, "blobs/../../escape.txt", "x"},
                                            {TarEntry::File, "manifest.json", goodManifest}})),
            "blobs/../../escape.txt");
        std::string absTarget = (m_tmp.path() / "absolute-escape.txt").string();
        row("absolute path", makeTar(blobs({{TarEntry::File, absTarget, "x"},
                                            {TarEntry::File, "manifest.json", goodManifest}})),
            absTarget);
        row("symlink to absolute", makeTar(blobs({{TarEntry::Symlink, "manifest.json", "", "/etc/passwd"}})),
            "manifest.json");
        row("symlink leaving archive", makeTar(blobs({{TarEntry::Symlink, "up", "", "../.."},
                                                      {TarEntry::File, "manifest.json", goodManifest}})),
            "up");
        row("write through symlink", makeTar(blobs({{TarEntry::Dir, "real", "", "", 0755},
                                                    {TarEntry::Symlink, "link", "", "real"},
                                                    {TarEntry::File, "link/file.txt", "x"},
                                                    {TarEntry::File, "manifest.json", goodManifest}})),
            "link/file.txt");
        row("hard link outside", makeTar(blobs({{TarEntry::Hardlink, "evil", "", "/etc/shadow"},
                                                {TarEntry::File, "manifest.json", goodManifest}})),
            "evil");
        row("device entry", makeTar(blobs({{TarEntry::CharDev, "dev-null", "", "", 0666, 0, 0, 1, 3},
                                           {TarEntry::File, "manifest.json", goodManifest}})),
            "dev-null");
        row("missing layer blob", makeTar(blobs({{TarEntry::File, "manifest.json", goodManifest}}, false)),
            "blobs/sha256/" + p.layerHex);
        row("missing config", makeTar(blobs({{TarEntry::File, "manifest.json", goodManifest}}, true, false)),
            "blobs/sha256/" + p.configHex);
        {
            // The layer file's name claims a digest its content does not have.
            std::string other = makeTar({{TarEntry::File, "hello.txt", "tampered\n"}});
            std::vector<TarEntry> e{{TarEntry::File, "blobs/sha256/" + p.configHex, p.config},
                                    {TarEntry::File, "blobs/sha256/" + p.layerHex, other},
                                    {TarEntry::File, "manifest.json", goodManifest}};
            row("layer digest mismatch", makeTar(e), "blobs/sha256/" + p.layerHex);
        }
        {
            // Legacy layout: the layer's content is not what the config's diff_ids say.
            std::string other = makeTar({{TarEntry::File, "hello.txt", "tampered\n"}});
            std::vector<TarEntry> e{{TarEntry::File, p.configHex + ".json", p.config},
                                    {TarEntry::File, "abc/layer.tar", other},
                                    {TarEntry::File, "manifest.json", manifestFor(p.configHex + ".json", {"abc/layer.tar"})}};
            row("diff id mismatch", makeTar(e), "abc/layer.tar");
        }
        {
            std::string cfg2 = p.config + " ";
            std::vector<TarEntry> e{{TarEntry::File, p.configHex + ".json", cfg2},
                                    {TarEntry::File, "abc/layer.tar", p.layer},
                                    {TarEntry::File, "manifest.json", manifestFor(p.configHex + ".json", {"abc/layer.tar"})}};
            row("config digest mismatch", makeTar(e), p.configHex + ".json");
        }
        {
            std::string gz = makeTar(blobs({{TarEntry::File, "manifest.json", goodManifest}}), TarCompression::Gzip);
            row("truncated gzip", gz.substr(0, gz.size() / 2), "");
        }
        {
            // 100 MB of zeros gzip to ~100 kB: a 1000:1 ratio.
            std::vector<TarEntry> e = blobs({{TarEntry::File, "manifest.json", goodManifest}});
            e.insert(e.begin(), {TarEntry::File, "zeros.bin", std::string(size_t(100) << 20, '\0')});
            row("gzip bomb", makeTar(e, TarCompression::Gzip), "zeros.bin");
        }
        {
            // A layer that is itself hostile: ../ inside the layer tar.
            std::string evilLayer = makeTar({{TarEntry::File, "../../layer-escape.txt", "x"}});
            std::string cfg = nlohmann::json{{"architecture", "amd64"}, {"os", "linux"},
                                             {"rootfs", {{"type", "layers"}, {"diff_ids", {"sha256:" + sha256Hex(evilLayer)}}}}}
                                  .dump();
            std::vector<TarEntry> e{{TarEntry::File, "blobs/sha256/" + sha256Hex(cfg), cfg},
                                    {TarEntry::File, "blobs/sha256/" + sha256Hex(evilLayer), evilLayer},
                                    {TarEntry::File, "manifest.json",
                                     manifestFor("blobs/sha256/" + sha256Hex(cfg), {"blobs/sha256/" + sha256Hex(evilLayer)})}};
            row("hostile layer", makeTar(e), "layer-escape.txt");
        }
        row("not an archive", std::string(4096, 'Z'), "");
        row("no manifest", makeTar(blobs({})), "manifest.json");
        row("manifest not json", makeTar(blobs({{TarEntry::File, "manifest.json", "{nope"}})), "manifest.json");
    }

    void refused() {
        QFETCH(QByteArray, archive);
        QFETCH(QString, mentions);
        fs::path file = m_tmp.path() / "hostile.tar";
        writeFile(file, archive.toStdString());
        auto r = m_store->load(file);
        QVERIFY2(!r, "hostile archive was accepted");
        std::string msg = r.error().message();
        qInfo("refused with: %s", msg.c_str());
        QVERIFY2(msg.find(mentions.toStdString()) != std::string::npos, msg.c_str());
        QCOMPARE(storeListing(m_layout.root), m_before);
        QVERIFY(!fs::exists(m_tmp.path() / "escape.txt"));
        QVERIFY(!fs::exists(m_tmp.path() / "absolute-escape.txt"));
        QVERIFY(!fs::exists(m_tmp.path() / "layer-escape.txt"));
        QVERIFY(!fs::exists(m_layout.root / "escape.txt"));
        auto list = m_store->list();
        QVERIFY(list);
        QCOMPARE(list->size(), size_t(1));
        QVERIFY(m_store->check(false)->clean());
    }

    void missingFileIsAClearError() {
        auto r = m_store->load(m_tmp.path() / "does-not-exist.tar");
        QVERIFY(!r);
        QVERIFY(r.error().message().find("does-not-exist.tar") != std::string::npos);
    }
};

BERTH_GUILESS_TEST_MAIN(HostileArchivesTest)
#include "tst_hostile_archives.moc"
