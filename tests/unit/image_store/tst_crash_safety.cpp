// Crash safety: `berth load` killed with SIGKILL at random moments of its work, 20 times.
// After each kill, `berth system check` (which first rolls back what the dead load left)
// finds the store clean; at the end a new load succeeds and the image's files are whole.
// The kills are spread over the work of an undisturbed load (from its first write into the
// store to its exit), the seed is printed (BERTH_TEST_SEED replays it), and most kills
// must have landed mid-operation: after the load began writing, before it finished.
#include "skip.h"
#include "kill_rounds.h"
#include "store_test_util.h"

#include <QtTest/QtTest>
#include <chrono>
#include <random>

using namespace berth::test;
namespace fs = std::filesystem;

class CrashSafetyTest : public QObject {
    Q_OBJECT

    static std::vector<std::string> loadArgv(const fs::path& root, const fs::path& archive) {
        return {builtProgram("berth").string(), "--root", root.string(), "load", "-q", "-i", archive.string()};
    }

private slots:
    void initTestCase() {
        if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt-get install busybox-static)", MissingProgram);
    }

    void killedLoadsLeaveACleanStore() {
        TempDir tmp;
        ArchiveOptions o;
        o.layers = TarCompression::Gzip;
        auto fx = writeLayeredArchive(tmp.path() / "l.tar", o);
        fs::path root = tmp.path() / "store";
        // A sound image already in the store must come through untouched.
        std::string keep = importBusybox(root, "keep:1");
        QVERIFY(!keep.empty());
        auto keepBefore = storeListing(root / "layers");

        // How long the work of an undisturbed load takes here (the shortest of three), to
        // spread the kills over it.
        const StoreCommand load = [&](const fs::path& r) { return loadArgv(r, fx.archive); };
        int probes = 0;
        std::string error;
        const auto work = shortestWork(load, [&] { return tmp.path() / ("probe" + std::to_string(probes++)); }, 3, &error);
        QVERIFY2(work.count() > 0, error.c_str());

        std::mt19937_64 rng(testSeed());
        std::uniform_int_distribution<long long> pick(0, work.count() - 1);
        KillTally tally;
        for (int i = 0; i < 20; ++i) {
            auto run = killDuringWork(load, root, std::chrono::microseconds(pick(rng)));
            const std::string round = "round " + std::to_string(i) + " (killed " +
                                      std::to_string(run.delay.count()) + " us into the work): ";
            auto check = runBerth(root, {"system", "check"});
            QVERIFY2(check.exitCode == 0, (round + check.out + check.err).c_str());
            QVERIFY2(check.out.find("Store is clean") != std::string::npos, (round + check.out).c_str());
            // A load that finished before the kill: remove its image so the next round
            // extracts (and can be killed while extracting) again.
            const bool finished =
                runBerth(root, {"images", "-q"}).out.find(fx.configDigest.substr(7, 12)) != std::string::npos;
            if (finished) QCOMPARE(runBerth(root, {"rmi", "busybox:layered"}).exitCode, 0);
            tally.add(run, finished);
        }
        qInfo("%s (delays drawn from 0..%lld us)", tally.summary().c_str(), (long long)work.count());
        QVERIFY2(tally.mostMidOperation(), tally.summary().c_str());

        auto last = runBerth(root, {"load", "-i", fx.archive.string()});
        QVERIFY2(last.exitCode == 0, last.err.c_str());
        QCOMPARE(last.out, std::string("Loaded image: busybox:layered\n"));
        auto check = runBerth(root, {"system", "check"});
        QCOMPARE(check.exitCode, 0);
        auto ids = runBerth(root, {"images", "-q", "--no-trunc"}).out;
        QVERIFY(ids.find(keep) != std::string::npos);
        QVERIFY(ids.find(fx.configDigest) != std::string::npos);
        // keep:1's layer directory is as it was.
        auto keepAfter = storeListing(root / "layers");
        for (auto& [path, desc] : keepBefore) QCOMPARE(keepAfter[path], desc);
    }
};

BERTH_GUILESS_TEST_MAIN(CrashSafetyTest)
#include "tst_crash_safety.moc"
