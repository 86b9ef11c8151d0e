// `berth build` interrupted with Ctrl-C (SIGINT): the running RUN is killed at once (the
// shell and the sleep it started both end, nothing is left in the container's cgroup, the
// cgroup is gone), the RUN container is removed, nothing is mounted under the store, no
// image, layer, blob or cache entry is added by the cancelled step, nothing is tagged, and
// the cache stays sound (a rebuild reuses the steps before and runs the RUN afresh). The
// same when the interrupt comes while the RUN step is starting, before its container runs.
#include "skip.h"
#include "build_cancel_probe.h"
#include "build_test_helpers.h"

#include <QtTest/QtTest>

#include <signal.h>
#include <unistd.h>

#include <set>

using namespace berth::test;
namespace fs = std::filesystem;

namespace {

// ARG NAP: the cancelled build sleeps 300 s; the rebuild passes NAP=0 and finishes.
const char* kDockerfile =
    "FROM busybox\n"
    "COPY a.txt /a.txt\n"
    "ARG NAP=300\n"
    "RUN echo sleeping-$((6*7)) && sleep $NAP && echo woke-up > /woke\n"
    "CMD [\"cat\", \"/a.txt\", \"/woke\"]\n";

std::set<std::string> entriesOf(const fs::path& dir) {
    std::set<std::string> out;
    std::error_code ec;
    for (auto& e : fs::recursive_directory_iterator(dir, ec)) out.insert(fs::relative(e.path(), dir).string());
    return out;
}

// What a step adds to the store: images (with intermediates), layers, blobs, cache keys.
struct StoreSnapshot {
    std::string images;
    std::set<std::string> layers, blobs, cache;
    bool operator==(const StoreSnapshot&) const = default;
};

// `berth build` running in the background, its merged output collected as it comes.
class BuildProcess {
public:
    BuildProcess(BuildFixture& f, const std::vector<std::string>& args) : m_f(f) {
        QStringList a{QStringLiteral("--root"), QString::fromStdString(f.root().string()), QStringLiteral("build")};
        for (auto& s : args) a << QString::fromStdString(s);
        a << QString::fromStdString(f.context().string());
        m_proc.setProgram(QString::fromStdString(builtProgram("berth").string()));
        m_proc.setArguments(a);
        m_proc.setProcessChannelMode(QProcess::MergedChannels);
        m_proc.start();
    }
    // Whatever happens in the test, nothing of it keeps running.
    ~BuildProcess() {
        if (m_proc.state() != QProcess::NotRunning) {
            m_proc.kill();
            m_proc.waitForFinished(30000);
        }
        auto ids = m_f.berth({"ps", "-aq"}).out;
        std::istringstream in(ids);
        for (std::string id; std::getline(in, id);)
            if (!id.empty()) m_f.berth({"rm", "-f", id});
    }
    bool started() { return m_proc.waitForStarted(30000); }
    // Reads output until `pred` holds or the process ends; false when it never held.
    bool readUntil(const std::function<bool()>& pred, int timeoutMs = 120000) {
        QDeadlineTimer deadline(timeoutMs);
        while (!pred()) {
            if (deadline.hasExpired() || m_proc.state() == QProcess::NotRunning) return pred();
            m_proc.waitForReadyRead(100);
            m_out += m_proc.readAll().toStdString();
        }
        return true;
    }
    void interrupt() { ::kill(pid_t(m_proc.processId()), SIGINT); }
    // Waits for the end (a guard far below the RUN's 300 s sleep, not a measurement).
    bool finished(int timeoutMs = 120000) {
        bool done = m_proc.waitForFinished(timeoutMs);
        m_out += m_proc.readAll().toStdString();
        return done;
    }
    int exitCode() const { return m_proc.exitStatus() == QProcess::NormalExit ? m_proc.exitCode() : -1; }
    const std::string& output() const { return m_out; }

private:
    BuildFixture& m_f;
    QProcess m_proc;
    std::string m_out;
};

} // namespace

class BuildCancel : public QObject {
    Q_OBJECT

    static StoreSnapshot snapshot(BuildFixture& f) {
        StoreSnapshot s;
        s.images = f.berth({"images", "-a", "-q", "--no-trunc"}).out;
        s.layers = entriesOf(f.root() / "layers");
        s.blobs = entriesOf(f.root() / "blobs");
        s.cache = entriesOf(f.root() / "build-cache");
        return s;
    }

    // Nothing of a cancelled build is left: no container, no mount, no half-made work.
    static void verifyNothingLeft(BuildFixture& f, const std::string& containerId) {
        QCOMPARE(processesOfContainer(containerId), std::vector<pid_t>{});
        QCOMPARE(cgroupDirsOf(containerId), std::vector<fs::path>{});
        QCOMPARE(f.containerCount(), size_t(0));
        QCOMPARE(f.mountsUnderStore(), size_t(0));
        QVERIFY(!f.hasImage("c:1"));
        // The build's scratch directories (step uppers, work dirs) are gone.
        QCOMPARE(entriesOf(f.root() / "tmp"), std::set<std::string>{});
    }

private slots:
    void sigintDuringRunKillsItAtOnce() {
        BuildFixture f;
        f.write("a.txt", "from the context\n");
        f.write("Dockerfile", kDockerfile);
        BuildProcess build(f, {"-t", "c:1"});
        QVERIFY(build.started());

        // The RUN really runs: its output line is printed and its sleep is in the RUN
        // container's cgroup (the shell waits for it: a tree of two processes).
        std::string id;
        std::vector<pid_t> sleeps;
        QVERIFY2(build.readUntil([&] {
            id = lastBuildContainerId(f.root());
            sleeps = processesOfContainer(id, {"sleep", "300"});
            return build.output().find(" sleeping-42\n") != std::string::npos && sleeps.size() == 1;
        }),
                 build.output().c_str());
        auto tree = processesOfContainer(id);
        QVERIFY2(tree.size() >= 2, "the RUN's shell and its sleep");
        std::vector<std::unique_ptr<ProcessWatch>> watches;
        for (pid_t p : tree) {
            watches.push_back(std::make_unique<ProcessWatch>(p));
            QVERIFY(watches.back()->valid());
        }
        const auto before = snapshot(f);

        build.interrupt();
        QVERIFY2(build.finished(), build.output().c_str());
        QVERIFY(build.exitCode() != 0);
        QVERIFY2(build.output().find("build cancelled") != std::string::npos, build.output().c_str());
        QCOMPARE(countOf(build.output(), " DONE "), size_t(2));  // FROM and COPY; not the RUN
        QVERIFY(build.output().find("exporting to image") == std::string::npos);
        // Every process of the RUN ended: the ones seen, and anything else in its cgroup.
        for (auto& w : watches) QVERIFY(w->ended(10000));
        verifyNothingLeft(f, id);
        // The cancelled step added nothing to the store.
        QVERIFY(before == snapshot(f));

        // The cache is sound: the same Dockerfile with a short nap reuses COPY and runs the
        // RUN (never cached from the cancelled one); the image has what the RUN wrote.
        auto again = f.build({"-t", "c:1", "--build-arg", "NAP=0"});
        QVERIFY2(again.exitCode == 0, again.err.c_str());
        QCOMPARE(countOf(again.err, "CACHED"), size_t(1));
        QVERIFY2(again.err.find(" sleeping-42\n") != std::string::npos, again.err.c_str());
        auto run = f.berth({"run", "--rm", "c:1"});
        QVERIFY2(run.exitCode == 0, run.err.c_str());
        QCOMPARE(run.out, std::string("from the context\nwoke-up\n"));
        QCOMPARE(f.containerCount(), size_t(0));
        QCOMPARE(f.mountsUnderStore(), size_t(0));
    }

    // Ctrl-C as soon as the RUN step is announced: the container is being created or
    // started, or has just started. The stop must reach it wherever it is.
    void sigintWhileRunStartsStopsIt() {
        BuildFixture f;
        f.write("a.txt", "from the context\n");
        f.write("Dockerfile", kDockerfile);
        BuildProcess build(f, {"-t", "c:1"});
        QVERIFY(build.started());
        QVERIFY2(build.readUntil([&] { return build.output().find("] RUN echo sleeping") != std::string::npos; }),
                 build.output().c_str());
        build.interrupt();
        QVERIFY2(build.finished(), build.output().c_str());
        QVERIFY(build.exitCode() != 0);
        QVERIFY2(build.output().find("build cancelled") != std::string::npos, build.output().c_str());
        QVERIFY(build.output().find("exporting to image") == std::string::npos);
        verifyNothingLeft(f, lastBuildContainerId(f.root()));
    }
};

BERTH_ROOT_TEST_MAIN(BuildCancel)
#include "tst_build_cancel.moc"
