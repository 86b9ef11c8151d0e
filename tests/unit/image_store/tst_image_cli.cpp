// The image verbs of the `berth` CLI: docker-like output, --format json, exit codes.
#include "skip.h"
#include "store_test_util.h"

#include <QtTest/QtTest>

using namespace berth::test;
namespace fs = std::filesystem;

class ImageCliTest : public QObject {
    Q_OBJECT

    static bool contains(const std::string& hay, const std::string& needle) {
        return hay.find(needle) != std::string::npos;
    }

private slots:
    void initTestCase() {
        if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt-get install busybox-static)", MissingProgram);
    }

    void loadListTagInspectHistoryRmi() {
        TempDir tmp;
        fs::path root = tmp.path() / "store";
        auto fx = writeLayeredArchive(tmp.path() / "l.tar");
        std::string shortId = fx.configDigest.substr(7, 12);

        auto load = runBerth(root, {"load", "-i", fx.archive.string()});
        QCOMPARE(load.exitCode, 0);
        QCOMPARE(load.out, std::string("Loaded image: busybox:layered\n"));

        auto images = runBerth(root, {"images"});
        QCOMPARE(images.exitCode, 0);
        QVERIFY2(images.out.starts_with("REPOSITORY"), images.out.c_str());
        QVERIFY(contains(images.out, "IMAGE ID"));
        QVERIFY(contains(images.out, "busybox"));
        QVERIFY(contains(images.out, "layered"));
        QVERIFY(contains(images.out, shortId));

        QCOMPARE(runBerth(root, {"tag", "busybox:layered", "localhost:5000/bb:2"}).exitCode, 0);
        auto json = runBerth(root, {"images", "--format", "json"});
        QCOMPARE(json.exitCode, 0);
        auto j = nlohmann::json::parse(json.out);
        QCOMPARE(j.size(), size_t(1));
        QCOMPARE(j[0]["Id"].get<std::string>(), fx.configDigest);
        auto tags = j[0]["RepoTags"].get<std::vector<std::string>>();
        QVERIFY(std::find(tags.begin(), tags.end(), "localhost:5000/bb:2") != tags.end());
        QVERIFY(contains(json.out, "\"busybox:layered\""));

        auto quiet = runBerth(root, {"images", "-q"});
        QCOMPARE(quiet.out, shortId + "\n");
        auto noTrunc = runBerth(root, {"image", "ls", "-q", "--no-trunc"});
        QCOMPARE(noTrunc.out, fx.configDigest + "\n");

        auto inspect = runBerth(root, {"inspect", "busybox:layered"});
        QCOMPARE(inspect.exitCode, 0);
        auto ij = nlohmann::json::parse(inspect.out);
        QVERIFY(ij.is_array());
        QCOMPARE(ij[0]["Id"].get<std::string>(), fx.configDigest);
        QCOMPARE(ij[0]["RootFS"]["Layers"].size(), size_t(3));
        auto inspectMissing = runBerth(root, {"inspect", "nosuch"});
        QCOMPARE(inspectMissing.exitCode, 1);
        QVERIFY(contains(inspectMissing.err, "Error: No such object: nosuch"));
        QCOMPARE(runBerth(root, {"image", "inspect", shortId}).exitCode, 0);

        auto history = runBerth(root, {"history", "busybox:layered"});
        QCOMPARE(history.exitCode, 0);
        QVERIFY2(history.out.starts_with("IMAGE"), history.out.c_str());
        QVERIFY(contains(history.out, "CREATED BY"));
        QVERIFY(contains(history.out, "<missing>"));
        QVERIFY(contains(history.out, shortId));

        auto df = runBerth(root, {"system", "df"});
        QCOMPARE(df.exitCode, 0);
        QVERIFY(contains(df.out, "TYPE"));
        QVERIFY(contains(df.out, "RECLAIMABLE"));
        QVERIFY(contains(df.out, "Images"));

        // Two names: removing by id needs -f.
        auto refused = runBerth(root, {"rmi", shortId});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(contains(refused.err, "Error: conflict"), refused.err.c_str());
        auto rmi = runBerth(root, {"rmi", "-f", shortId});
        QCOMPARE(rmi.exitCode, 0);
        QVERIFY(contains(rmi.out, "Untagged: busybox:layered\n"));
        QVERIFY(contains(rmi.out, "Untagged: localhost:5000/bb:2\n"));
        QVERIFY(contains(rmi.out, "Deleted: " + fx.configDigest + "\n"));
        QCOMPARE(runBerth(root, {"images", "-q"}).out, std::string());

        auto check = runBerth(root, {"system", "check"});
        QCOMPARE(check.exitCode, 0);
        QVERIFY2(contains(check.out, "Store is clean"), check.out.c_str());
    }

    void importSaveAndErrors() {
        TempDir tmp;
        fs::path root = tmp.path() / "store";
        std::string id = importBusybox(root, "busybox:latest");
        QVERIFY(id.starts_with("sha256:"));
        QCOMPARE(id.size(), size_t(71));
        QVERIFY(contains(runBerth(root, {"images", "--format", "json"}).out, "\"busybox:latest\""));

        auto save = runBerth(root, {"save", "-o", (tmp.path() / "out.tar").string(), "busybox"});
        QCOMPARE(save.exitCode, 0);
        fs::path other = tmp.path() / "other";
        auto load = runBerth(other, {"load", "-i", (tmp.path() / "out.tar").string()});
        QCOMPARE(load.exitCode, 0);
        QCOMPARE(load.out, std::string("Loaded image: busybox:latest\n"));
        QCOMPARE(runBerth(other, {"images", "-q", "--no-trunc"}).out, id + "\n");

        auto missing = runBerth(root, {"rmi", "nosuch:1"});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(contains(missing.err, "Error: No such image: nosuch:1"), missing.err.c_str());
        auto badLoad = runBerth(root, {"load", "-i", (tmp.path() / "nope.tar").string()});
        QCOMPARE(badLoad.exitCode, 1);
        QVERIFY(badLoad.err.starts_with("Error: "));
        auto badTag = runBerth(root, {"tag", "busybox", "UPPER:case"});
        QCOMPARE(badTag.exitCode, 1);

        auto prune = runBerth(root, {"image", "prune", "-a", "-f"});
        QCOMPARE(prune.exitCode, 0);
        QVERIFY(contains(prune.out, "deleted: " + id));
        QCOMPARE(runBerth(root, {"images", "-q"}).out, std::string());
    }

    void demoImageScriptWorks() {
        const char* src = std::getenv("BERTH_SOURCE_DIR");
        if (!src) BERTH_SKIP("BERTH_SOURCE_DIR not set (run through ctest)", NotBuilt);
        TempDir tmp;
        fs::path root = tmp.path() / "store";
        std::string berth = builtProgram("berth").string();
        std::vector<std::string> env{"BERTH_ROOT=" + root.string()};
        auto first = runCommand({"bash", std::string(src) + "/installer/demo-image.sh", berth}, 120000, env);
        QVERIFY2(first.exitCode == 0, first.err.c_str());
        auto second = runCommand({"bash", std::string(src) + "/installer/demo-image.sh", berth}, 120000, env);
        QCOMPARE(second.exitCode, 0);
        auto list = runBerth(root, {"images", "--format", "json"});
        auto j = nlohmann::json::parse(list.out);
        QCOMPARE(j.size(), size_t(1));  // the second run saw it and did nothing
        QCOMPARE(j[0]["RepoTags"][0].get<std::string>(), std::string("busybox:latest"));
    }
};

BERTH_GUILESS_TEST_MAIN(ImageCliTest)
#include "tst_image_cli.moc"
