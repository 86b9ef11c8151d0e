// kill_rounds.h: the seed comes from BERTH_TEST_SEED when given, and runAndKill tells a kill
// that landed during the work from one before it began and a process that ended by itself.
#include "skip.h"
#include "kill_rounds.h"
#include "test_support.h"

#include <sys/wait.h>

#include <filesystem>
#include <fstream>

using namespace berth::test;
namespace fs = std::filesystem;

class TestKillRounds : public QObject {
    Q_OBJECT
private slots:
    void seedFromTheEnvironment() {
        qputenv("BERTH_TEST_SEED", "1234567890123");
        QCOMPARE(testSeed(), uint64_t(1234567890123ull));
        qunsetenv("BERTH_TEST_SEED");
    }

    void killLandsDuringTheWork() {
        TempDir dir;
        const fs::path mark = dir.path() / "began";
        // The "work" begins when the mark appears and would last a minute.
        auto run = runAndKill({"/bin/sh", "-c", "touch '" + mark.string() + "'; exec sleep 60"},
                              [&] { return fs::exists(mark); }, std::chrono::microseconds(1000));
        QVERIFY(run.started);
        QVERIFY(!run.exitedByItself);
        QVERIFY(WIFSIGNALED(run.status) && WTERMSIG(run.status) == SIGKILL);
    }

    void processThatEndsBeforeItBeginsIsNotAKill() {
        auto run = runAndKill({"/bin/sh", "-c", "exit 3"}, [] { return false; }, std::chrono::microseconds(0));
        QVERIFY(!run.started);
        QVERIFY(run.exitedByItself);
        QVERIFY(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 3);
    }

    void footprintSeesFilesNotDirectories() {
        TempDir dir;
        const fs::path root = dir.path();
        fs::create_directories(root / "blobs" / "sha256");
        fs::create_directories(root / "tmp");
        const std::string empty = storeFootprint(root);
        fs::create_directories(root / "tmp" / "partial");
        QCOMPARE(storeFootprint(root), empty);  // opening a store makes directories: not work
        std::ofstream(root / "tmp" / "partial" / "abc") << "x";
        QVERIFY(storeFootprint(root) != empty);
        const std::string one = storeFootprint(root);
        fs::create_directories(root / "layers" / "0123");
        QVERIFY(storeFootprint(root) != one);  // a layer directory is a layer begun
    }
};

BERTH_GUILESS_TEST_MAIN(TestKillRounds)
#include "tst_kill_rounds.moc"
