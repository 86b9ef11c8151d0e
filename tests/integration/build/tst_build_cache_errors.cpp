// The build cache (a rebuild with nothing changed is all cache hits and the same image;
// changing one file re-runs from the step that reads it; --no-cache runs everything), and
// errors that name the Dockerfile line and leave no tagged image, no container, no mount.
#include "skip.h"
#include "build_test_helpers.h"

#include <QtTest/QtTest>

#include <unistd.h>

using namespace berth::test;

namespace {

const char* kDockerfile =
    "FROM busybox\n"
    "COPY a.txt /a.txt\n"
    "RUN echo step-after-a && cat /a.txt > /copy-a\n"
    "COPY b.txt /b.txt\n"
    "RUN echo step-after-b && cat /b.txt > /copy-b\n"
    "CMD [\"cat\", \"/copy-a\", \"/copy-b\"]\n";

} // namespace

class BuildCacheErrors : public QObject {
    Q_OBJECT

private slots:
    void rebuildIsAllCacheHits() {
        BuildFixture f;
        f.write("a.txt", "A1\n");
        f.write("b.txt", "B1\n");
        f.write("Dockerfile", kDockerfile);
        auto first = f.build({"-t", "c:1"});
        QVERIFY2(first.exitCode == 0, first.err.c_str());
        QCOMPARE(countOf(first.err, "CACHED"), size_t(0));
        // The RUN's output lines ("#3 0.051 step-after-a"), not its step name.
        QVERIFY(first.err.find("step-after-a\n") != std::string::npos);
        auto id1 = f.inspectImage("c:1")["Id"].get<std::string>();

        auto second = f.build({"-t", "c:2"});
        QVERIFY2(second.exitCode == 0, second.err.c_str());
        QCOMPARE(countOf(second.err, "CACHED"), size_t(4));  // 2 COPY + 2 RUN
        QVERIFY(second.err.find("step-after-a\n") == std::string::npos);  // nothing ran
        QVERIFY(second.err.find("step-after-b\n") == std::string::npos);
        QCOMPARE(f.inspectImage("c:2")["Id"].get<std::string>(), id1);

        // b.txt changed: the steps before COPY b.txt are hits, it and the RUN after re-run.
        f.write("b.txt", "B2\n");
        auto third = f.build({"-t", "c:3"});
        QVERIFY2(third.exitCode == 0, third.err.c_str());
        QCOMPARE(countOf(third.err, "CACHED"), size_t(2));
        QVERIFY(third.err.find("step-after-a\n") == std::string::npos);
        QVERIFY(third.err.find("step-after-b\n") != std::string::npos);
        QCOMPARE(f.berth({"run", "--rm", "c:3"}).out, std::string("A1\nB2\n"));
        QVERIFY(f.inspectImage("c:3")["Id"].get<std::string>() != id1);

        auto noCache = f.build({"-t", "c:4", "--no-cache"});
        QVERIFY2(noCache.exitCode == 0, noCache.err.c_str());
        QCOMPARE(countOf(noCache.err, "CACHED"), size_t(0));
        QVERIFY(noCache.err.find("step-after-a\n") != std::string::npos);
    }

    // Step images are docker's intermediate images: `images` hides them (-a shows them),
    // `image prune` keeps them while the tagged image descends from them (the cache still
    // hits afterwards), `rmi` of the last image built on them deletes them with it, and the
    // images of a failed build are dangling: pruned.
    void intermediateImagesAreHiddenAndKeptAsCache() {
        BuildFixture f;
        f.write("a.txt", "A1\n");
        f.write("b.txt", "B1\n");
        f.write("Dockerfile", kDockerfile);
        auto built = f.build({"-t", "c:1"});
        QVERIFY2(built.exitCode == 0, built.err.c_str());
        auto lines = [](const std::string& out) { return countOf(out, "\n"); };
        // busybox and c:1 only; with -a also the 4 step images below c:1 (COPY, RUN, COPY,
        // RUN; c:1 adds the CMD to the last).
        auto shown = f.berth({"images"});
        QCOMPARE(lines(shown.out), size_t(3));  // header + 2
        QVERIFY2(shown.out.find("<none>") == std::string::npos, shown.out.c_str());
        QCOMPARE(lines(f.berth({"images", "-q"}).out), size_t(2));
        QCOMPARE(lines(f.berth({"images", "-a", "-q"}).out), size_t(6));
        auto json = nlohmann::json::parse(f.berth({"images", "-a", "--format", "json"}).out);
        size_t dangling = 0;
        for (auto& i : json) dangling += i["Dangling"].get<bool>();
        QCOMPARE(dangling, size_t(0));

        auto prune = f.berth({"image", "prune", "-f"});
        QVERIFY2(prune.exitCode == 0, prune.err.c_str());
        QCOMPARE(lines(f.berth({"images", "-a", "-q"}).out), size_t(6));
        auto again = f.build({"-t", "c:1"});
        QCOMPARE(countOf(again.err, "CACHED"), size_t(4));

        // rmi c:1 deletes it and the chain of step images only it used.
        auto rmi = f.berth({"rmi", "c:1"});
        QVERIFY2(rmi.exitCode == 0, rmi.err.c_str());
        QCOMPARE(lines(f.berth({"images", "-a", "-q"}).out), size_t(1));  // busybox

        // A failed build leaves step images without a tagged descendant: dangling, shown as
        // <none> and pruned.
        f.write("Dockerfile", "FROM busybox\nCOPY a.txt /a.txt\nRUN exit 3\n");
        QVERIFY(f.build({"-t", "bad:1"}).exitCode != 0);
        auto afterFail = f.berth({"images"});
        QVERIFY2(afterFail.out.find("<none>") != std::string::npos, afterFail.out.c_str());
        QVERIFY(f.berth({"image", "prune", "-f"}).exitCode == 0);
        QCOMPARE(lines(f.berth({"images", "-a", "-q"}).out), size_t(1));
        QCOMPARE(f.containerCount(), size_t(0));
    }

    void buildArgChangesTheCacheKey() {
        BuildFixture f;
        f.write("Dockerfile", "FROM busybox\nARG V=1\nRUN echo value-$V > /v\n");
        QCOMPARE(f.build({"-t", "a:1"}).exitCode, 0);
        auto same = f.build({"-t", "a:2"});
        QCOMPARE(countOf(same.err, "CACHED"), size_t(1));
        auto other = f.build({"-t", "a:3", "--build-arg", "V=2"});
        QCOMPARE(countOf(other.err, "CACHED"), size_t(0));
        QVERIFY(other.err.find("value-2") == std::string::npos);  // the echo goes to a file
        QCOMPARE(f.berth({"run", "--rm", "a:3", "cat", "/v"}).out, std::string("value-2\n"));
    }

    void errorsNameTheLineAndTagNothing_data() {
        QTest::addColumn<QString>("dockerfile");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("alsoExpected");
        QTest::newRow("unknown instruction") << "FROM busybox\nRUN true\nCOPPY a b\n"
                                             << "Dockerfile:3: unknown instruction: COPPY" << "";
        QTest::newRow("COPY of a missing file") << "FROM busybox\nCOPY missing.txt /x\n"
                                                << "Dockerfile:2:" << "\"missing.txt\": not found in the build context";
        QTest::newRow("COPY ../x") << "FROM busybox\n\nCOPY ../outside.txt /x\n"
                                   << "Dockerfile:3:" << "outside the build context";
        QTest::newRow("COPY through a symlink out") << "FROM busybox\nCOPY link-out /x\n"
                                                    << "Dockerfile:2:" << "outside the build context";
        QTest::newRow("failing RUN") << "FROM busybox\nRUN echo before-the-failure\nRUN echo failing-now && exit 3\nRUN echo never\n"
                                     << "Dockerfile:3:" << "exit code: 3";
        // (--pull=never below: these builds must not reach for a registry; pulling a missing
        // base is build_pull's test.)
        QTest::newRow("missing base image") << "FROM nosuchimage:9\nRUN true\n"
                                            << "Dockerfile:1:" << "not found in the store, and --pull=never forbids pulling it";
        QTest::newRow("bad substitution") << "FROM busybox\nENV A=\"${B:?B must be set}\"\n"
                                          << "Dockerfile:2:" << "B: B must be set";
        QTest::newRow("several sources, no slash") << "FROM busybox\nCOPY a.txt b.txt /dest\n"
                                                   << "Dockerfile:2:" << "must be a directory and end with a /";
    }
    void errorsNameTheLineAndTagNothing() {
        QFETCH(QString, dockerfile);
        QFETCH(QString, expected);
        QFETCH(QString, alsoExpected);
        BuildFixture f;
        f.write("a.txt", "a\n");
        f.write("b.txt", "b\n");
        writeFile(f.scratch() / "outside.txt", "outside\n");
        QCOMPARE(::symlink("/etc/passwd", (f.context() / "link-out").c_str()), 0);
        f.write("Dockerfile", dockerfile.toStdString());
        auto r = f.build({"-t", "bad:1", "--pull=never"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find(expected.toStdString()) != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find(alsoExpected.toStdString()) != std::string::npos, r.err.c_str());
        QVERIFY(!f.hasImage("bad:1"));
        QCOMPARE(f.containerCount(), size_t(0));
        QCOMPARE(f.mountsUnderStore(), size_t(0));
        if (QString(QTest::currentDataTag()) == "failing RUN") {
            // Its output is shown; the steps after it never ran.
            QVERIFY(r.err.find("failing-now") != std::string::npos);
            QVERIFY(r.err.find(" never\n") == std::string::npos);
        }
        // The context was not touched.
        QCOMPARE(readFileText(f.context() / "a.txt"), std::string("a\n"));
    }
};

BERTH_ROOT_TEST_MAIN(BuildCacheErrors)
#include "tst_build_cache_errors.moc"
