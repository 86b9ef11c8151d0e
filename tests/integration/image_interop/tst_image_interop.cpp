// skopeo- and podman-written archives (docker-archive and oci-archive) load in Berth with
// the same files and diff ids; `berth save` output loads with `podman load` and `podman
// image inspect` shows the same layers. Skips (77) only when skopeo or podman is missing.
#include "skip.h"
#include "../../unit/image_store/store_test_util.h"

#include <QtTest/QtTest>

using namespace berth;
using namespace berth::test;
namespace fs = std::filesystem;

class ImageInteropTest : public QObject {
    Q_OBJECT

    TempDir m_tmp;
    FixtureImage m_fx;

    std::vector<std::string> podman(const std::vector<std::string>& args) {
        fs::path base = m_tmp.path() / "podman";
        std::vector<std::string> argv{"podman",
                                      "--root", (base / "root").string(),
                                      "--runroot", (base / "runroot").string(),
                                      "--storage-driver", "vfs",
                                      "--cgroup-manager", "cgroupfs",
                                      "--runtime", "runc",
                                      "--events-backend", "file",
                                      "--tmpdir", (base / "tmp").string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return argv;
    }

    // Loads `archive` into a fresh Berth store and checks every layer's files against the
    // fixture's layer tars (via diff ids) and the files themselves.
    void expectLoadsLikeFixture(const fs::path& archive, const std::string& expectName) {
        image::ImageStore store(openTestStore(m_tmp.path() / ("store-" + archive.filename().string())));
        auto res = store.load(archive);
        QVERIFY2(res, res ? "" : res.error().message().c_str());
        QCOMPARE(res->images.size(), size_t(1));
        if (!expectName.empty()) QCOMPARE(res->images[0].names, std::vector<std::string>{expectName});
        auto info = store.inspect(res->images[0].id);
        QVERIFY(info);
        QCOMPARE((*info)["RootFS"]["Layers"].get<std::vector<std::string>>(), m_fx.diffIds);
        auto paths = store.layerPaths(res->images[0].id);
        QVERIFY(paths);
        QCOMPARE(paths->size(), size_t(3));
        QCOMPARE(readFileText((*paths)[0] / "bin/busybox"), readFileText("/bin/busybox"));
        QCOMPARE(readFileText((*paths)[2] / "data/new.txt"), std::string("only this survives\n"));
        struct stat st;
        QCOMPARE(::lstat(((*paths)[1] / "etc/motd").c_str(), &st), 0);
        QVERIFY(S_ISCHR(st.st_mode));
        QVERIFY(store.check(false)->clean());
    }

private slots:
    void initTestCase() {
        if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt-get install busybox-static)", MissingProgram);
        m_fx = writeLayeredArchive(m_tmp.path() / "fixture.tar");
    }

    void skopeoArchivesLoad_data() {
        QTest::addColumn<QString>("transport");
        QTest::newRow("docker-archive") << "docker-archive";
        QTest::newRow("oci-archive") << "oci-archive";
    }
    void skopeoArchivesLoad() {
        if (!haveProgram("skopeo")) BERTH_SKIP("skopeo not installed (apt-get install skopeo)", MissingProgram);
        QFETCH(QString, transport);
        fs::path out = m_tmp.path() / ("skopeo-" + transport.toStdString() + ".tar");
        fs::remove(out);
        auto r = runCommand({"skopeo", "--insecure-policy", "copy", "docker-archive:" + m_fx.archive.string(),
                             transport.toStdString() + ":" + out.string() + ":busybox:layered"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        expectLoadsLikeFixture(out, "busybox:layered");
    }

    void podmanArchivesLoad_data() {
        QTest::addColumn<QString>("format");
        QTest::newRow("docker-archive") << "docker-archive";
        QTest::newRow("oci-archive") << "oci-archive";
    }
    void podmanArchivesLoad() {
        if (!haveProgram("podman")) BERTH_SKIP("podman not installed (apt-get install podman)", MissingProgram);
        QFETCH(QString, format);
        auto load = runCommand(podman({"load", "-i", m_fx.archive.string()}));
        QVERIFY2(load.exitCode == 0, load.err.c_str());
        fs::path out = m_tmp.path() / ("podman-" + format.toStdString() + ".tar");
        fs::remove(out);
        auto save = runCommand(podman({"save", "--format", format.toStdString(), "-o", out.string(),
                                       "localhost/busybox:layered"}));
        QVERIFY2(save.exitCode == 0, save.err.c_str());
        expectLoadsLikeFixture(out, "");
    }

    void berthSaveLoadsInPodman() {
        if (!haveProgram("podman")) BERTH_SKIP("podman not installed (apt-get install podman)", MissingProgram);
        fs::path root = m_tmp.path() / "berth-store";
        ArchiveOptions o;
        o.layers = TarCompression::Gzip;  // stored compressed; save must write plain tars
        o.tags = {"interop/saved:1"};
        auto fx = writeLayeredArchive(m_tmp.path() / "gz.tar", o);
        QCOMPARE(runBerth(root, {"load", "-i", fx.archive.string()}).exitCode, 0);
        fs::path saved = m_tmp.path() / "berth-saved.tar";
        auto save = runBerth(root, {"save", "-o", saved.string(), "interop/saved:1"});
        QVERIFY2(save.exitCode == 0, save.err.c_str());

        auto load = runCommand(podman({"load", "-i", saved.string()}));
        QVERIFY2(load.exitCode == 0, (load.out + load.err).c_str());
        QVERIFY2(load.out.find("interop/saved:1") != std::string::npos, load.out.c_str());
        auto inspect = runCommand(podman({"image", "inspect", "docker.io/interop/saved:1"}));
        QVERIFY2(inspect.exitCode == 0, inspect.err.c_str());
        auto j = nlohmann::json::parse(inspect.out);
        QCOMPARE(j[0]["RootFS"]["Layers"].get<std::vector<std::string>>(), fx.diffIds);
        QCOMPARE(j[0]["Id"].get<std::string>(), fx.configDigest.substr(7));

        if (haveProgram("skopeo")) {
            auto sk = runCommand({"skopeo", "--insecure-policy", "inspect", "--config",
                                  "docker-archive:" + saved.string()});
            QVERIFY2(sk.exitCode == 0, sk.err.c_str());
            auto cj = nlohmann::json::parse(sk.out);
            QCOMPARE(cj["rootfs"]["diff_ids"].get<std::vector<std::string>>(), fx.diffIds);
        }
    }
};

BERTH_GUILESS_TEST_MAIN(ImageInteropTest)
#include "tst_image_interop.moc"
