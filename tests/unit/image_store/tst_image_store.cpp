// ImageStore through its C++ API: loading one- and three-layer archives (files, whiteouts,
// opaque dirs), both docker-archive layouts with compression, tag/rmi/resolve, inspect,
// history, save round trip, import, and check/repair.
#include "skip.h"
#include "image/image_store.h"
#include "store_test_util.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <fstream>

#include <QtTest/QtTest>

using namespace berth;
using namespace berth::test;
namespace fs = std::filesystem;

class ImageStoreTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt-get install busybox-static)", MissingProgram);
    }

    void loadsOneLayerArchive() {
        TempDir tmp;
        auto fx = writeBusyboxArchive(tmp.path() / "bb.tar");
        image::ImageStore store(openTestStore(tmp.path() / "store"));
        auto res = store.load(fx.archive);
        QVERIFY2(res, res ? "" : res.error().message().c_str());
        QCOMPARE(res->images.size(), size_t(1));
        QCOMPARE(res->images[0].id.str(), fx.configDigest);
        QCOMPARE(res->images[0].names, std::vector<std::string>{"busybox:latest"});

        auto list = store.list();
        QVERIFY(list);
        QCOMPARE(list->size(), size_t(1));
        QCOMPARE((*list)[0].repoTags, std::vector<std::string>{"busybox:latest"});
        QCOMPARE((*list)[0].layerCount, size_t(1));

        auto paths = store.layerPaths(res->images[0].id);
        QVERIFY(paths);
        QCOMPARE(paths->size(), size_t(1));
        const fs::path& l0 = (*paths)[0];
        QCOMPARE(readFileText(l0 / "bin/busybox"), readFileText("/bin/busybox"));
        QVERIFY(fs::is_symlink(l0 / "bin/sh"));
        QCOMPARE(fs::read_symlink(l0 / "bin/sh").string(), std::string("busybox"));
        QVERIFY(readFileText(l0 / "etc/passwd").find("nobody:x:65534") != std::string::npos);
        struct stat st;
        QCOMPARE(::lstat((l0 / "tmp").c_str(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(01777));
    }

    void loadsThreeLayersWithWhiteoutAndOpaqueDir() {
        TempDir tmp;
        auto fx = writeLayeredArchive(tmp.path() / "layered.tar");
        image::ImageStore store(openTestStore(tmp.path() / "store"));
        auto res = store.load(fx.archive);
        QVERIFY2(res, res ? "" : res.error().message().c_str());
        auto paths = store.layerPaths(res->images[0].id);
        QVERIFY(paths);
        QCOMPARE(paths->size(), size_t(3));
        auto& p = *paths;
        QCOMPARE(readFileText(p[0] / "etc/motd"), std::string("welcome to layer one\n"));
        // Layer 2: the whiteout of etc/motd is a 0/0 character device, the form overlayfs reads.
        struct stat st;
        QCOMPARE(::lstat((p[1] / "etc/motd").c_str(), &st), 0);
        QVERIFY(S_ISCHR(st.st_mode));
        QCOMPARE(st.st_rdev, makedev(0, 0));
        QVERIFY(!fs::exists(p[1] / "etc/.wh.motd"));
        QCOMPARE(readFileText(p[1] / "etc/layer2"), std::string("from layer two\n"));
        // Layer 3: data/ is opaque and holds only the new file.
        char value[8] = {};
        ssize_t n = ::lgetxattr((p[2] / "data").c_str(), "trusted.overlay.opaque", value, sizeof value);
        QCOMPARE(n, ssize_t(1));
        QCOMPARE(value[0], 'y');
        QVERIFY(!fs::exists(p[2] / "data/.wh..wh..opq"));
        QVERIFY(!fs::exists(p[2] / "data/old.txt"));
        QCOMPARE(readFileText(p[2] / "data/new.txt"), std::string("only this survives\n"));
        QCOMPARE(res->images[0].names, std::vector<std::string>{"busybox:layered"});
    }

    void loadsBlobsLayoutCompressed_data() {
        QTest::addColumn<int>("outer");
        QTest::addColumn<int>("layers");
        QTest::newRow("plain/plain") << int(TarCompression::None) << int(TarCompression::None);
        QTest::newRow("gzip/gzip") << int(TarCompression::Gzip) << int(TarCompression::Gzip);
        QTest::newRow("plain/zstd") << int(TarCompression::None) << int(TarCompression::Zstd);
        QTest::newRow("zstd/plain") << int(TarCompression::Zstd) << int(TarCompression::None);
    }
    void loadsBlobsLayoutCompressed() {
        QFETCH(int, outer);
        QFETCH(int, layers);
        TempDir tmp;
        ArchiveOptions o;
        o.layout = ArchiveLayout::Blobs;
        o.outer = TarCompression(outer);
        o.layers = TarCompression(layers);
        auto fx = writeLayeredArchive(tmp.path() / "x.tar", o);
        image::ImageStore store(openTestStore(tmp.path() / "store"));
        auto res = store.load(fx.archive);
        QVERIFY2(res, res ? "" : res.error().message().c_str());
        QCOMPARE(res->images[0].id.str(), fx.configDigest);
        auto paths = store.layerPaths(res->images[0].id);
        QVERIFY(paths);
        QCOMPARE(readFileText((*paths)[2] / "data/new.txt"), std::string("only this survives\n"));
        auto info = store.inspect(res->images[0].id);
        QVERIFY(info);
        QCOMPARE((*info)["RootFS"]["Layers"].get<std::vector<std::string>>(), fx.diffIds);
    }

    void tagResolveAndRemove() {
        TempDir tmp;
        auto fx = writeBusyboxArchive(tmp.path() / "bb.tar");
        auto layout = openTestStore(tmp.path() / "store");
        image::ImageStore store(layout);
        auto res = store.load(fx.archive);
        QVERIFY(res);
        image::Digest id = res->images[0].id;

        QVERIFY(store.tag("busybox", "me/bb:1"));
        auto s = store.resolve("me/bb:1");
        QVERIFY(s);
        QCOMPARE(s->id, id);
        QCOMPARE(s->repoTags.size(), size_t(2));
        QCOMPARE(store.resolve("docker.io/library/busybox:latest")->id, id);
        QCOMPARE(store.resolve(id.hex().substr(0, 6))->id, id);
        QCOMPARE(store.resolve(id.str())->id, id);
        QCOMPARE(store.resolve(id.hex())->id, id);
        auto missing = store.resolve("nosuch:tag");
        QVERIFY(!missing);
        QCOMPARE(missing.error().code(), Errc::NotFound);

        // An id naming an image with two tags needs force, like docker.
        auto refused = store.remove(id.hex().substr(0, 12), false);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code(), Errc::Conflict);

        // In use: never deleted.
        int asked = 0;
        store.setInUseCheck([&] {
            ++asked;
            return std::set<std::string>{id.str()};
        });
        QVERIFY(!store.remove(id.str(), true));
        // system df and the Images page: one look at the containers, not one per image.
        asked = 0;
        auto du = store.diskUsage();
        QVERIFY(du && du->activeImages == 1 && du->reclaimable == 0);
        QCOMPARE(asked, 1);
        store.setInUseCheck({});

        auto untag = store.remove("me/bb:1", false);
        QVERIFY(untag);
        QCOMPARE(untag->untagged, std::vector<std::string>{"me/bb:1"});
        QVERIFY(untag->deleted.empty());
        QVERIFY(store.resolve(id.str()));

        auto del = store.remove("busybox", false);
        QVERIFY2(del, del ? "" : del.error().message().c_str());
        QCOMPARE(del->untagged, std::vector<std::string>{"busybox:latest"});
        QVERIFY(!del->deleted.empty());
        QCOMPARE(del->deleted[0], id);
        QVERIFY(store.list()->empty());
        QVERIFY(fs::is_empty(layout.blobs()));
        QVERIFY(fs::is_empty(layout.layers()));
        auto check = store.check(false);
        QVERIFY(check);
        QVERIFY(check->clean());
    }

    void sharedLayersSurviveRemovalOfOneImage() {
        TempDir tmp;
        auto fx = writeBusyboxArchive(tmp.path() / "bb.tar");
        ArchiveOptions o;
        o.tags = {"other:1"};
        o.layers = TarCompression::Gzip;  // same layer, different blob
        auto fx2 = writeBusyboxArchive(tmp.path() / "bb2.tar", o);
        image::ImageStore store(openTestStore(tmp.path() / "store"));
        QVERIFY(store.load(fx.archive));
        auto r2 = store.load(fx2.archive);
        QVERIFY2(r2, r2 ? "" : r2.error().message().c_str());
        QVERIFY(store.remove("busybox:latest", false));
        auto paths = store.layerPaths(r2->images[0].id);
        QVERIFY(paths);
        QVERIFY(fs::exists((*paths)[0] / "bin/busybox"));
        QVERIFY(store.check(false)->clean());
    }

    void inspectAndHistory() {
        TempDir tmp;
        auto fx = writeLayeredArchive(tmp.path() / "l.tar");
        image::ImageStore store(openTestStore(tmp.path() / "store"));
        auto res = store.load(fx.archive);
        QVERIFY(res);
        auto j = store.inspect(res->images[0].id);
        QVERIFY(j);
        QCOMPARE((*j)["Id"].get<std::string>(), fx.configDigest);
        QCOMPARE((*j)["RepoTags"].get<std::vector<std::string>>(), std::vector<std::string>{"busybox:layered"});
        QCOMPARE((*j)["Os"].get<std::string>(), std::string("linux"));
        QCOMPARE((*j)["Architecture"].get<std::string>(), std::string("amd64"));
        QCOMPARE((*j)["Config"]["Cmd"].get<std::vector<std::string>>(), std::vector<std::string>{"/bin/sh"});
        QCOMPARE((*j)["Config"]["Labels"]["org.berth.fixture"].get<std::string>(), std::string("busybox"));
        QVERIFY((*j)["Config"]["ExposedPorts"].contains("80/tcp"));
        QCOMPARE((*j)["RootFS"]["Type"].get<std::string>(), std::string("layers"));
        QCOMPARE((*j)["RootFS"]["Layers"].get<std::vector<std::string>>(), fx.diffIds);
        uint64_t expectedSize = 0;
        for (auto& t : fx.layerTars) expectedSize += t.size();
        QCOMPARE((*j)["Size"].get<uint64_t>(), expectedSize);

        auto h = store.history(res->images[0].id);
        QVERIFY(h);
        QCOMPARE(h->size(), size_t(4));  // three layers + the CMD entry
        QCOMPARE((*h)[0].id, fx.configDigest);
        QCOMPARE((*h)[0].createdBy, std::string("CMD [\"/bin/sh\"]"));
        QVERIFY((*h)[0].emptyLayer);
        QCOMPARE((*h)[0].size, uint64_t(0));
        QCOMPARE((*h)[1].id, std::string("<missing>"));
        QCOMPARE((*h)[3].size, uint64_t(fx.layerTars[0].size()));
        QCOMPARE((*h)[1].size, uint64_t(fx.layerTars[2].size()));
    }

    void saveRoundTrip() {
        TempDir tmp;
        ArchiveOptions o;
        o.layers = TarCompression::Gzip;
        auto fx = writeLayeredArchive(tmp.path() / "l.tar", o);
        image::ImageStore a(openTestStore(tmp.path() / "a"));
        auto res = a.load(fx.archive);
        QVERIFY(res);
        auto saved = a.save({"busybox:layered"}, tmp.path() / "out.tar");
        QVERIFY2(saved, saved ? "" : saved.error().message().c_str());
        image::ImageStore b(openTestStore(tmp.path() / "b"));
        auto res2 = b.load(tmp.path() / "out.tar");
        QVERIFY2(res2, res2 ? "" : res2.error().message().c_str());
        QCOMPARE(res2->images[0].id, res->images[0].id);
        QCOMPARE(res2->images[0].names, std::vector<std::string>{"busybox:layered"});
        QCOMPARE(readFileText((*b.layerPaths(res2->images[0].id))[2] / "data/new.txt"),
                 std::string("only this survives\n"));
        QVERIFY(!a.save({"nosuch"}, tmp.path() / "none.tar"));
        QVERIFY(!fs::exists(tmp.path() / "none.tar"));
    }

    void importMakesOneLayerImage() {
        TempDir tmp;
        writeFile(tmp.path() / "rootfs.tar",
                  makeTar({{TarEntry::Dir, "etc", "", "", 0755}, {TarEntry::File, "etc/hostname", "imported\n"}},
                          TarCompression::Gzip));
        image::ImageStore store(openTestStore(tmp.path() / "store"));
        auto id = store.importRootfs(tmp.path() / "rootfs.tar", "local/imp:v1");
        QVERIFY2(id, id ? "" : id.error().message().c_str());
        auto cfg = store.config(*id);
        QVERIFY(cfg);
        QCOMPARE(cfg->os, std::string("linux"));
        QVERIFY(!cfg->architecture.empty());
        QCOMPARE(cfg->diffIds.size(), size_t(1));
        QCOMPARE(cfg->history.size(), size_t(1));
        QCOMPARE(cfg->history[0].createdBy, std::string("import"));
        auto paths = store.layerPaths(*id);
        QVERIFY(paths);
        QCOMPARE(readFileText((*paths)[0] / "etc/hostname"), std::string("imported\n"));
        QCOMPARE(store.resolve("local/imp:v1")->id, *id);
        QVERIFY(!store.importRootfs(tmp.path() / "missing.tar", "x"));
        QVERIFY(!store.importRootfs(tmp.path() / "rootfs.tar", "Bad Name"));
    }

    void checkFindsAndRepairsDamage() {
        TempDir tmp;
        auto layout = openTestStore(tmp.path() / "store");
        image::ImageStore store(layout);
        // A: its layer blob gets corrupted. B: its top layer loses the completion marker.
        // C: sound, must survive the repair untouched.
        auto a = store.load(writeBusyboxArchive(tmp.path() / "a.tar").archive);
        auto b = store.load(writeLayeredArchive(tmp.path() / "b.tar").archive);
        writeFile(tmp.path() / "c.tar", makeTar({{TarEntry::File, "sound.txt", "sound\n"}}));
        auto c = store.importRootfs(tmp.path() / "c.tar", "sound:1");
        QVERIFY(a && b && c);
        auto clean = store.check(false);
        QVERIFY(clean);
        QVERIFY(clean->clean());
        QCOMPARE(clean->images, size_t(3));

        auto aRec = store.inspect(a->images[0].id);
        std::string layerBlobHex = (*aRec)["RootFS"]["Layers"][0].get<std::string>().substr(7);  // plain: blob == diff id
        {
            std::ofstream f(layout.blobs() / layerBlobHex, std::ios::app);
            f << "x";
        }
        auto bPaths = store.layerPaths(b->images[0].id);
        QVERIFY(bPaths);
        fs::path bTop = (*bPaths)[2].parent_path();
        QVERIFY(fs::remove(bTop / "complete"));
        std::string orphan = "nobody references me";
        writeFile(layout.blobs() / sha256Hex(orphan), orphan);
        auto cBefore = storeListing(layerDirOf(store, *c));

        auto found = store.check(false);
        QVERIFY(found);
        QVERIFY(!found->clean());
        auto has = [&](const image::CheckReport& r, const std::string& kind, const std::string& what) {
            for (auto& p : r.problems)
                if (p.kind == kind && p.what.find(what) != std::string::npos) return true;
            return false;
        };
        QVERIFY(has(*found, "digest-mismatch", layerBlobHex));
        QVERIFY(has(*found, "half-layer", bTop.filename().string()));
        QVERIFY(has(*found, "orphan-blob", sha256Hex(orphan)));
        QVERIFY(has(*found, "broken-image", a->images[0].id.hex()));
        QVERIFY(has(*found, "broken-image", b->images[0].id.hex()));
        QVERIFY(!has(*found, "broken-image", c->hex()));
        for (auto& p : found->problems) QVERIFY(!p.repaired);
        QVERIFY(fs::exists(layout.blobs() / layerBlobHex));  // without --repair nothing moves

        auto repaired = store.check(true);
        QVERIFY(repaired);
        for (auto& p : repaired->problems) QVERIFY2(p.repaired, (p.kind + " " + p.what).c_str());
        auto after = store.check(false);
        QVERIFY(after);
        QVERIFY2(after->clean(), after->problems.empty() ? "" : after->problems[0].what.c_str());
        auto list = store.list();
        QCOMPARE(list->size(), size_t(1));
        QCOMPARE((*list)[0].id, *c);
        QCOMPARE(storeListing(layerDirOf(store, *c)), cBefore);
    }

    void deadLeftoversAreRolledBackAutomatically() {
        TempDir tmp;
        auto layout = openTestStore(tmp.path() / "store");
        image::ImageStore store(layout);
        QVERIFY(store.load(writeBusyboxArchive(tmp.path() / "a.tar").archive));
        auto before = storeListing(layout.root);
        // What a load killed mid-commit leaves: an unmarked layer, a work dir with a
        // journal naming a blob it already moved in, and its (unlocked) lock file.
        std::string hex(64, 'a');
        fs::create_directories(layout.layers() / hex / "diff");
        std::string blob = "half-committed";
        writeFile(layout.blobs() / sha256Hex(blob), blob);
        fs::create_directories(layout.tmp() / "work-load-dead");
        writeFile(layout.tmp() / "work-load-dead.lock", "");
        writeFile(layout.tmp() / "work-load-dead/journal.json",
                  "{\"blobs\":[\"sha256:" + sha256Hex(blob) + "\"],\"layers\":[\"sha256:" + hex + "\"]}");
        auto rep = store.check(false);
        QVERIFY(rep);
        QVERIFY2(rep->clean(), rep->problems.empty() ? "" : rep->problems[0].what.c_str());
        QVERIFY(rep->recovered >= 1);
        QCOMPARE(storeListing(layout.root), before);
    }

private:
    static fs::path layerDirOf(image::ImageStore& s, const image::Digest& id) {
        return (*s.layerPaths(id))[0];
    }
};

BERTH_GUILESS_TEST_MAIN(ImageStoreTest)
#include "tst_image_store.moc"
