// Pulls through a fault-injecting proxy of our own in front of a real docker-registry:
// connections cut at random offsets of blob downloads (every pull completes, by resuming
// with Range), a flipped byte (refused with a digest error naming the layer, store
// unchanged), 429/503 answers (retried, then the pull succeeds), a pull killed mid-download
// (the next process resumes it with Range), and pulls killed with SIGKILL at random moments
// of their work (the store checks clean, and the next pull completes; most kills must land
// mid-pull; the seed is printed and BERTH_TEST_SEED replays it).
#include "skip.h"
#include "fixtures.h"
#include "kill_rounds.h"
#include "registry_fixture.h"
#include "test_support.h"
#include "tree_compare.h"

#include <QtTest/QtTest>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>

extern char** environ;

using namespace berth::test;
namespace fs = std::filesystem;

namespace {

CommandResult berthAt(const fs::path& root, std::vector<std::string> args, int timeoutMs = 180000) {
    std::vector<std::string> argv{builtProgram("berth").string(), "--root", root.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return runCommand(argv, timeoutMs);
}

std::string diag(const CommandResult& r) {
    return "exit " + std::to_string(r.exitCode) + "\nstdout: " + r.out + "\nstderr: " + r.err;
}

size_t countFiles(const fs::path& dir) {
    size_t n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); ++it) ++n;
    return n;
}

} // namespace

class TestRegistryFaults : public QObject {
    Q_OBJECT

    std::unique_ptr<TempDir> m_tmp;
    std::unique_ptr<RegistryProcess> m_registry;
    std::unique_ptr<FaultProxy> m_proxy;
    FixtureImage m_layered;
    int m_storeCount = 0;

    fs::path freshRoot() {
        fs::path p = m_tmp->path() / "stores" / std::to_string(++m_storeCount);
        fs::create_directories(p);
        return p;
    }
    std::string viaProxy(const std::string& repoTag) { return m_proxy->host() + "/" + repoTag; }

private slots:
    void initTestCase() {
        if (!haveProgram("docker-registry")) BERTH_SKIP("docker-registry is not installed (apt install docker-registry)", MissingProgram);
        if (!haveProgram("skopeo")) BERTH_SKIP("skopeo is not installed", MissingProgram);
        if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
        if (::geteuid() != 0) BERTH_SKIP("the layered test image has whiteouts (character devices): needs root", NeedsRoot);
        m_tmp = std::make_unique<TempDir>();
        m_registry = std::make_unique<RegistryProcess>(m_tmp->path() / "registry");
        QVERIFY2(m_registry->ok(), m_registry->log().c_str());
        m_proxy = std::make_unique<FaultProxy>(m_registry->port());
        m_layered = writeLayeredArchive(m_tmp->path() / "layered.tar");
        auto r = runCommand({"skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                             "docker-archive:" + m_layered.archive.string(),
                             "docker://" + m_registry->host() + "/test/layered:1"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
    }
    void cleanupTestCase() {
        m_proxy.reset();
        m_registry.reset();
        m_tmp.reset();
    }
    void cleanup() {
        if (m_proxy) m_proxy->mode = FaultProxy::Mode::Pass;
    }

    void droppedConnectionsResume() {
        m_proxy->mode = FaultProxy::Mode::DropBlobs;
        m_proxy->dropPercent = 60;
        int dropsBefore = m_proxy->drops;
        int rangesBefore = m_proxy->rangeRequests;
        for (int i = 0; i < 20; ++i) {
            auto root = freshRoot();
            auto r = berthAt(root, {"pull", viaProxy("test/layered:1")});
            QVERIFY2(r.exitCode == 0, (std::to_string(i) + ": " + diag(r)).c_str());
            auto check = berthAt(root, {"system", "check"});
            QVERIFY2(check.out.find("Store is clean") != std::string::npos, diag(check).c_str());
            auto ids = berthAt(root, {"images", "-q", "--no-trunc"});
            QVERIFY2(ids.out.find(m_layered.configDigest) != std::string::npos, diag(ids).c_str());
        }
        // The proxy really cut connections, and Berth really resumed with Range.
        QVERIFY(m_proxy->drops - dropsBefore > 0);
        QVERIFY(m_proxy->rangeRequests - rangesBefore > 0);
    }

    void flippedByteRefused() {
        // An image already in the store must stay untouched by the failed pull.
        auto root = freshRoot();
        QVERIFY(!importBusybox(root, "keep:1").empty());
        auto blobsBefore = countFiles(root / "blobs");
        auto layersBefore = countFiles(root / "layers");
        m_proxy->mode = FaultProxy::Mode::FlipBlobByte;
        int flipsBefore = m_proxy->flips;
        auto r = berthAt(root, {"pull", viaProxy("test/layered:1")});
        QVERIFY(r.exitCode != 0);
        QVERIFY(m_proxy->flips - flipsBefore > 0);
        QVERIFY2(r.err.find("digest mismatch") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("layer ") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("test/layered:1") != std::string::npos, r.err.c_str());
        QCOMPARE(countFiles(root / "blobs"), blobsBefore);
        QCOMPARE(countFiles(root / "layers"), layersBefore);
        auto images = berthAt(root, {"images"});
        QVERIFY(images.out.find("keep") != std::string::npos);
        QVERIFY(images.out.find("layered") == std::string::npos);
        auto check = berthAt(root, {"system", "check"});
        QVERIFY2(check.out.find("Store is clean") != std::string::npos, diag(check).c_str());
    }

    void throttledThenServed() {
        m_proxy->mode = FaultProxy::Mode::Throttle;
        m_proxy->statusCount = 4;  // 429, 503, 429, 503, then through
        int before = m_proxy->statusAnswers;
        auto root = freshRoot();
        auto r = berthAt(root, {"pull", viaProxy("test/layered:1")});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(m_proxy->statusAnswers - before, 4);
    }

    void killedPullResumesInTheNextProcess() {
        // A pull killed mid-download keeps its bytes under tmp/partial/; the next pull
        // re-hashes them and asks only for the rest (a Range request), and the store checks
        // clean in between.
        auto root = freshRoot();
        m_proxy->mode = FaultProxy::Mode::Slow;
        std::string berth = builtProgram("berth").string();
        std::string rootArg = root.string();
        std::string ref = viaProxy("test/layered:1");
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        std::vector<char*> argv{berth.data(), const_cast<char*>("--root"), rootArg.data(),
                                const_cast<char*>("pull"), ref.data(), nullptr};
        pid_t pid = -1;
        QCOMPARE(::posix_spawn(&pid, berth.c_str(), &fa, nullptr, argv.data(), environ), 0);
        posix_spawn_file_actions_destroy(&fa);
        fs::path partials = root / "tmp" / "partial";
        uint64_t kept = 0;
        for (int i = 0; i < 1200 && kept < 64 * 1024; ++i) {
            ::usleep(50 * 1000);
            std::error_code ec;
            for (auto& e : fs::directory_iterator(partials, ec))
                kept = std::max<uint64_t>(kept, e.file_size(ec));
        }
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        QVERIFY2(kept >= 64 * 1024, "the pull never had 64 KiB of a blob on disk");
        auto check = berthAt(root, {"system", "check"});
        QVERIFY2(check.exitCode == 0 && check.out.find("Store is clean") != std::string::npos, diag(check).c_str());

        m_proxy->mode = FaultProxy::Mode::Pass;
        int rangesBefore = m_proxy->rangeRequests;
        auto r = berthAt(root, {"pull", ref});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(m_proxy->rangeRequests - rangesBefore > 0, "the second pull did not resume with a Range request");
        auto ids = berthAt(root, {"images", "-q", "--no-trunc"});
        QCOMPARE(ids.out, m_layered.configDigest + "\n");
        check = berthAt(root, {"system", "check"});
        QVERIFY2(check.out.find("Store is clean") != std::string::npos, diag(check).c_str());
        // What was resumed went into the store: nothing is left in tmp/partial/.
        QCOMPARE(countFiles(partials), size_t(0));
    }

    void junkKeptPrefixStartsOver() {
        // tmp/partial/ holding junk where each layer blob's first half should be (a crash
        // can leave that): layers are extracted while the blobs download, so the extraction
        // reads the junk first; the blob then fails its digest, is fetched again from byte
        // 0, and the layer is extracted again from the good bytes.
        auto first = freshRoot();
        auto r = berthAt(first, {"pull", m_registry->host() + "/test/layered:1"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        auto root = freshRoot();
        fs::path partials = root / "tmp" / "partial";
        fs::create_directories(partials);
        std::mt19937 rnd(7);
        size_t junked = 0;
        for (auto& e : fs::directory_iterator(first / "blobs" / "sha256")) {
            if (e.file_size() < 4096) continue;  // config and manifest, not layers
            std::string junk(e.file_size() / 2, '\0');
            for (auto& c : junk) c = char(rnd());
            std::ofstream(partials / e.path().filename(), std::ios::binary) << junk;
            ++junked;
        }
        QVERIFY(junked > 0);
        r = berthAt(root, {"pull", m_registry->host() + "/test/layered:1"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        auto ids = berthAt(root, {"images", "-q", "--no-trunc"});
        QCOMPARE(ids.out, m_layered.configDigest + "\n");
        auto check = berthAt(root, {"system", "check"});
        QVERIFY2(check.out.find("Store is clean") != std::string::npos, diag(check).c_str());
        // The layers hold what the first, clean pull extracted, whiteouts included: layer two
        // deletes etc/motd (a whiteout, in both stores every time) and layer three makes
        // data/ opaque. (GNU diff -r called the two whiteouts different whenever the pulls
        // made them in different seconds: it compares special files' change times.)
        auto same = compareTrees(first / "layers", root / "layers");
        QVERIFY2(same.same(), same.report().c_str());
        QCOMPARE(same.whiteouts, size_t(1));
        QCOMPARE(same.opaqueDirs, size_t(1));
    }

    // Pulls killed with SIGKILL at random moments of their work, each into a store of its
    // own (a store a killed pull left keeps its bytes for the next pull, which would then
    // have less and less left to do): every store checks clean after its kill, and the last
    // one then pulls to the end. The kills are spread over the work of an undisturbed pull
    // (from its first write into the store to its exit); the seed is printed
    // (BERTH_TEST_SEED replays it) and most kills must land mid-pull.
    void killedPullsLeaveACleanStore() {
        const std::string ref = viaProxy("test/layered:1");
        const StoreCommand pull = [&](const fs::path& root) {
            return std::vector<std::string>{builtProgram("berth").string(), "--root", root.string(), "pull", ref};
        };
        std::string error;
        const auto work = shortestWork(pull, [&] { return freshRoot(); }, 3, &error);
        QVERIFY2(work.count() > 0, error.c_str());
        std::mt19937_64 rng(testSeed());
        std::uniform_int_distribution<long long> pick(0, work.count() - 1);
        KillTally tally;
        fs::path root;
        for (int i = 0; i < 20; ++i) {
            root = freshRoot();
            auto run = killDuringWork(pull, root, std::chrono::microseconds(pick(rng)));
            const std::string round = std::to_string(i) + " (killed " + std::to_string(run.delay.count()) +
                                      " us into the work): ";
            auto check = berthAt(root, {"system", "check"});
            QVERIFY2(check.exitCode == 0 && check.out.find("Store is clean") != std::string::npos,
                     (round + diag(check)).c_str());
            tally.add(run, berthAt(root, {"images", "-q", "--no-trunc"}).out.find(m_layered.configDigest) !=
                               std::string::npos);
        }
        qInfo("%s (delays drawn from 0..%lld us)", tally.summary().c_str(), (long long)work.count());
        QVERIFY2(tally.mostMidOperation(), tally.summary().c_str());
        // The last killed store: the next pull completes and leaves it clean.
        auto last = berthAt(root, {"pull", ref});
        QVERIFY2(last.exitCode == 0, diag(last).c_str());
        auto ids = berthAt(root, {"images", "-q", "--no-trunc"});
        QVERIFY2(ids.out.find(m_layered.configDigest) != std::string::npos, diag(ids).c_str());
        auto check = berthAt(root, {"system", "check"});
        QVERIFY2(check.out.find("Store is clean") != std::string::npos, diag(check).c_str());
    }
};

BERTH_GUILESS_TEST_MAIN(TestRegistryFaults)
#include "tst_registry_faults.moc"
