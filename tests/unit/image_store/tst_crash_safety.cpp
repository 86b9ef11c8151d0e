// Crash safety: `berth load` killed with SIGKILL at random moments, 20 times. After each
// kill, `berth system check` (which first rolls back what the dead load left) finds the
// store clean; at the end a new load succeeds and the image's files are whole.
#include "skip.h"
#include "store_test_util.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <QtTest/QtTest>
#include <chrono>
#include <random>
#include <thread>

extern char** environ;

using namespace berth::test;
namespace fs = std::filesystem;

class CrashSafetyTest : public QObject {
    Q_OBJECT

    // Starts berth, sleeps `delay`, SIGKILLs it; returns the wait status.
    static int loadAndKill(const fs::path& root, const fs::path& archive, std::chrono::microseconds delay) {
        std::string berth = builtProgram("berth").string();
        std::vector<std::string> args{berth, "--root", root.string(), "load", "-q", "-i", archive.string()};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        pid_t pid = -1;
        int rc = ::posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0) qFatal("spawn berth: %s", strerror(rc));
        std::this_thread::sleep_for(delay);
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        return status;
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

        // How long an undisturbed load takes here, to spread the kills over it.
        auto t0 = std::chrono::steady_clock::now();
        auto probe = runBerth(tmp.path() / "probe", {"load", "-i", fx.archive.string()});
        QCOMPARE(probe.exitCode, 0);
        auto full = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);

        std::mt19937_64 rng(std::random_device{}());
        std::uniform_int_distribution<long long> pick(0, full.count() * 6 / 5);
        int killedMidway = 0;
        for (int i = 0; i < 20; ++i) {
            auto delay = std::chrono::microseconds(pick(rng));
            int status = loadAndKill(root, fx.archive, delay);
            bool killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
            if (killed) ++killedMidway;
            auto check = runBerth(root, {"system", "check"});
            QVERIFY2(check.exitCode == 0, (check.out + check.err).c_str());
            QVERIFY2(check.out.find("Store is clean") != std::string::npos, check.out.c_str());
            // A load that finished before the kill: remove its image so the next round
            // extracts (and can be killed while extracting) again.
            if (runBerth(root, {"images", "-q"}).out.find(fx.configDigest.substr(7, 12)) != std::string::npos)
                QCOMPARE(runBerth(root, {"rmi", "busybox:layered"}).exitCode, 0);
        }
        qInfo("%d of 20 loads were killed before they finished", killedMidway);

        auto load = runBerth(root, {"load", "-i", fx.archive.string()});
        QVERIFY2(load.exitCode == 0, load.err.c_str());
        QCOMPARE(load.out, std::string("Loaded image: busybox:layered\n"));
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
