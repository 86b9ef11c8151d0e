// The rootless layer helper from a THREADED process (the desktop app's situation): the
// work runs in the berth-layer-helper program, started with posix_spawn + exec, never in
// a fork of the caller (whose other threads may hold malloc's or stdio's locks at the
// fork, which the child would then wait on forever). Checked: the work's process IS the
// helper program (its /proc/self/exe), uid 0 in its user namespace; a layer extracted
// and a tree removed through it while other threads allocate and one holds stderr's
// lock; a threaded caller without the helper gets an error naming it and forks nothing.
// Needs unshare(CLONE_NEWUSER) (root here, or a user where the kernel allows it).

#include "skip.h"
#include "fixtures.h"
#include "test_support.h"
#include "image/layer_apply_rootless.h"
#include "sys/fs.h"
#include "sys/userns.h"

#include <QtTest/QtTest>

#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>

using namespace berth;
using namespace berth::test;
namespace fs = std::filesystem;

namespace {

// Threads that keep allocating, and one that holds stderr's lock, while a test runs.
struct Busy {
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    Busy() {
        for (int i = 0; i < 3; ++i)
            threads.emplace_back([this] {
                while (!stop) {
                    std::vector<std::string> v(64, std::string(200, 'x'));
                    v.clear();
                }
            });
        threads.emplace_back([this] {
            ::flockfile(stderr);
            while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(5));
            ::funlockfile(stderr);
        });
    }
    ~Busy() {
        stop = true;
        for (auto& t : threads) t.join();
    }
};

bool canUnshareUser() {
    pid_t pid = ::fork();
    if (pid == 0) ::_exit(::unshare(CLONE_NEWUSER) == 0 ? 0 : 1);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

} // namespace

class TestRootlessHelper : public QObject {
    Q_OBJECT

    fs::path m_helper;

    // The engine's settings as a rootless engine with this helper would pass them.
    EngineSettings settings() const {
        EngineSettings s;
        s.mode = EngineMode::Rootless;
        s.helpers.layerHelper = m_helper;
        return s;
    }

private slots:
    void initTestCase() {
        if (!canUnshareUser()) BERTH_SKIP("this kernel or user may not create user namespaces", KernelFeature);
        m_helper = QCoreApplication::applicationDirPath().toStdString();
        const char* env = std::getenv("BERTH_LAYER_HELPER");
        QVERIFY2(env && *env, "BERTH_LAYER_HELPER names the built berth-layer-helper (set by CTest)");
        m_helper = env;
        QVERIFY2(fs::exists(m_helper), m_helper.c_str());
    }

    void workRunsInTheExecdHelperNotAFork() {
        Busy busy;
        auto mapping = sys::rootlessIdMapping();
        QVERIFY2(mapping, mapping ? "" : mapping.error().message().c_str());
        bool ranInProcess = false;
        auto r = sys::runHelperInUserNamespace(m_helper, *mapping, {"probe"}, -1, [&]() -> Result<std::string> {
            ranInProcess = true;
            return std::string("in-process");
        });
        QVERIFY2(r, r ? "" : r.error().message().c_str());
        QCOMPARE(*r, "exe=" + fs::canonical(m_helper).string() + " uid=0 gid=0");
        QVERIFY(!ranInProcess);
    }

    void layerIsExtractedAndRemovedThroughTheHelperWhileThreadsRun() {
        Busy busy;
        TempDir tmp;
        std::string tar = makeTar({{TarEntry::Dir, "etc", "", "", 0755},
                                   {TarEntry::File, "etc/hello", "hello\n", "", 0640, 0, 0},
                                   {TarEntry::Symlink, "etc/link", "", "hello", 0777}});
        fs::path tarFile = tmp.path() / "layer.tar";
        writeFile(tarFile, tar);
        fs::path dest = tmp.path() / "dest";
        fs::create_directories(dest);
        auto in = sys::openFile(tarFile, O_RDONLY);
        QVERIFY(in);
        image::ApplyLimits limits;
        limits.layerHelper = m_helper;
        auto applied = image::applyLayerInUserNamespace(in->borrow(), dest, limits);
        QVERIFY2(applied, applied ? "" : applied.error().message().c_str());
        QCOMPARE(applied->entries, uint64_t(3));
        QCOMPARE(sys::readFile(dest / "etc/hello").value_or(""), std::string("hello\n"));
        struct stat st{};
        QCOMPARE(::lstat((dest / "etc/hello").c_str(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0640));
        QVERIFY(fs::is_symlink(dest / "etc/link"));

        // The tar of that tree, written by the helper to the fd it is given.
        fs::path outFile = tmp.path() / "out.tar";
        auto out = sys::openFile(outFile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        QVERIFY(out);
        auto written = image::writeLayerTarInUserNamespace(dest, out->borrow(), false, settings());
        QVERIFY2(written, written ? "" : written.error().message().c_str());
        QCOMPARE(written->entries, uint64_t(3));
        QVERIFY(fs::file_size(outFile) > 0);

        auto mapping = sys::rootlessIdMapping();
        QVERIFY(mapping);
        auto removed = sys::runHelperInUserNamespace(m_helper, *mapping, {"remove", dest.string()}, -1, nullptr);
        QVERIFY2(removed, removed ? "" : removed.error().message().c_str());
        QVERIFY(!fs::exists(dest));
    }

    void threadedCallerWithoutTheHelperIsRefused() {
        Busy busy;
        auto mapping = sys::rootlessIdMapping();
        QVERIFY(mapping);
        bool ranInProcess = false;
        auto r = sys::runHelperInUserNamespace("/nonexistent/berth-layer-helper", *mapping, {"probe"}, -1,
                                               [&]() -> Result<std::string> {
                                                   ranInProcess = true;
                                                   return std::string("in-process");
                                               });
        QVERIFY(!r);
        QVERIFY2(r.error().message().find("berth-layer-helper is not installed") != std::string::npos,
                 r.error().message().c_str());
        QVERIFY(!ranInProcess);
    }
};

BERTH_GUILESS_TEST_MAIN(TestRootlessHelper)
#include "tst_rootless_helper.moc"
