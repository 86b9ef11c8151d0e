// The cgroup manager on this host's real cgroups (root only): limits read back from the
// kernel's files, a pids limit and a memory limit enforced on real children, freeze and
// thaw, live stats, refused values named, and nothing left behind by destroy or by a
// failed create. Every cgroup lives under a unique "berth-test-<random>" parent that
// cleanup() removes even when a check failed.

#include "skip.h"
#include "cgroup/cgroup_manager.h"
#include "fake_files.h"

#include <QtTest/QtTest>

#include <fcntl.h>
#include <signal.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <set>
#include <thread>

using namespace berth;
using namespace berth::cgroup;
using berth::test::readText;
namespace fs = std::filesystem;

namespace {

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// A forked child that waits for the parent's go (after it was put into the cgroup), then
// runs `body`. `body` may report numbers through `report(fd)`.
struct Child {
    pid_t pid = -1;
    int go = -1;      // parent writes one byte here
    int result = -1;  // parent reads what the child reports
};

template <class Body>
Child spawnWaiting(Body body) {
    int goPipe[2], resPipe[2];
    if (::pipe2(goPipe, O_CLOEXEC) != 0 || ::pipe2(resPipe, O_CLOEXEC) != 0) qFatal("pipe");
    pid_t pid = ::fork();
    if (pid < 0) qFatal("fork");
    if (pid == 0) {
        ::close(goPipe[1]);
        ::close(resPipe[0]);
        char c;
        if (::read(goPipe[0], &c, 1) != 1) ::_exit(90);
        body(resPipe[1]);
        ::_exit(0);
    }
    ::close(goPipe[0]);
    ::close(resPipe[1]);
    return Child{pid, goPipe[1], resPipe[0]};
}

void release(Child& c) {
    char b = 'g';
    QVERIFY(::write(c.go, &b, 1) == 1);
    ::close(c.go);
    c.go = -1;
}

// Waits for the child; returns the raw wait status.
int reap(Child& c) {
    int status = 0;
    while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {}
    c.pid = -1;
    if (c.result >= 0) ::close(c.result);
    if (c.go >= 0) ::close(c.go);
    c.result = c.go = -1;
    return status;
}

bool statfs_is_cgroup2(const char* path) {
    struct statfs sfs;
    return ::statfs(path, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

char procState(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("State:", 0) == 0) {
            auto p = line.find_first_not_of(" \t", 6);
            return p == std::string::npos ? '?' : line[p];
        }
    return '?';
}

[[noreturn]] void execShell(const char* script) {
    ::execl("/bin/sh", "sh", "-c", script, static_cast<char*>(nullptr));
    ::_exit(127);
}

} // namespace

class TestCgroupHost : public QObject {
    Q_OBJECT

    CgroupLayout m_layout;
    std::string m_parent;  // "berth-test-<random>"
    std::vector<pid_t> m_children;

    std::unique_ptr<CgroupManager> manager(const std::string& leaf = "c") {
        auto m = makeManager(m_layout.version, m_layout.root, m_parent + "/" + leaf);
        if (!m) qFatal("makeManager: %s", m.error().message().c_str());
        return std::move(*m);
    }
    bool v1() const { return m_layout.version == CgroupVersion::V1; }
    // A limit file of the leaf, by version.
    fs::path file(const std::string& leaf, const char* v1ctrl, const char* name) const {
        if (v1()) return m_layout.root / v1ctrl / m_parent / leaf / name;
        return m_layout.root / m_parent / leaf / name;
    }
    Child track(Child c) {
        m_children.push_back(c.pid);
        return c;
    }
    // Every directory the test parent has on this host (one per v1 hierarchy).
    std::vector<fs::path> parentDirs() const {
        std::vector<fs::path> out;
        if (!v1()) {
            if (fs::exists(m_layout.root / m_parent)) out.push_back(m_layout.root / m_parent);
            return out;
        }
        for (const auto& e : fs::directory_iterator(m_layout.root)) {
            fs::path p = e.path() / m_parent;
            std::error_code ec;
            if (!fs::is_symlink(e.path(), ec) && fs::exists(p, ec)) out.push_back(p);
        }
        return out;
    }
    bool anyLeafLeft(const std::string& leaf) const {
        for (const auto& p : parentDirs())
            if (fs::exists(p / leaf)) return true;
        return false;
    }

    // A child in the cgroup makes a /dev/kmsg (1:11) and a /dev/null (1:3) node in a
    // temporary directory and opens both. Returns "<made both> <null opened> <kmsg errno>".
    std::string deviceProbe(CgroupManager& m) {
        test::TempDir tmp;
        std::string nullNode = (tmp.path() / "null").string(), kmsgNode = (tmp.path() / "kmsg").string();
        Child c = track(spawnWaiting([&](int out) {
            int made = ::mknod(kmsgNode.c_str(), S_IFCHR | 0600, makedev(1, 11)) == 0 &&
                       ::mknod(nullNode.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0;
            int nullFd = ::open(nullNode.c_str(), O_RDWR);
            int kmsgFd = ::open(kmsgNode.c_str(), O_RDONLY);
            int kmsgErr = kmsgFd < 0 ? errno : 0;
            char msg[64];
            int n = std::snprintf(msg, sizeof msg, "%d %d %d\n", made, nullFd >= 0, kmsgErr);
            (void)!::write(out, msg, size_t(n));
        }));
        if (auto r = m.addProcess(c.pid); !r) return "addProcess: " + r.error().message();
        release(c);
        std::string line;
        for (char ch; ::read(c.result, &ch, 1) == 1 && ch != '\n';) line += ch;
        int status = reap(c);
        if (status != 0) line += " (child status " + std::to_string(status) + ")";
        return line;
    }

private slots:
    void initTestCase() {
        auto layout = detectLayout();
        if (!layout) BERTH_SKIP(("no usable cgroup hierarchy: " + layout.error().message()).c_str(), KernelFeature);
        m_layout = *layout;
        std::mt19937_64 rng(std::random_device{}());
        char buf[32];
        std::snprintf(buf, sizeof buf, "berth-test-%012llx", (unsigned long long)(rng() & 0xffffffffffffull));
        m_parent = buf;
        qInfo("cgroup %s at %s, test parent %s", v1() ? "v1" : "v2", m_layout.root.c_str(), m_parent.c_str());
    }

    void cleanup() {
        for (pid_t p : m_children) {
            ::kill(p, SIGKILL);
            ::waitpid(p, nullptr, 0);
        }
        m_children.clear();
        // Thaw and remove whatever a failed check left, deepest first.
        for (const auto& dir : parentDirs()) {
            std::vector<fs::path> dirs;
            for (const auto& e : fs::recursive_directory_iterator(dir))
                if (e.is_directory()) dirs.push_back(e.path());
            dirs.push_back(dir);
            std::sort(dirs.begin(), dirs.end(), [](auto& a, auto& b) { return a.string().size() > b.string().size(); });
            for (const auto& d : dirs) {
                if (fs::exists(d / "freezer.state")) {
                    std::ofstream(d / "freezer.state") << "THAWED";
                }
                if (fs::exists(d / "cgroup.freeze")) std::ofstream(d / "cgroup.freeze") << "0";
                ::rmdir(d.c_str());
            }
        }
    }

    void cleanupTestCase() { cleanup(); }

    void detectsWhatProcMountsShows() {
        // Independent evidence: a v1 memory controller mounted under /sys/fs/cgroup.
        std::ifstream mounts("/proc/self/mounts");
        bool v1Memory = false, v2Root = false;
        for (std::string line; std::getline(mounts, line);) {
            std::istringstream in(line);
            std::string dev, dir, type, opts;
            in >> dev >> dir >> type >> opts;
            if (type == "cgroup" && dir.rfind("/sys/fs/cgroup/", 0) == 0 &&
                ("," + opts + ",").find(",memory,") != std::string::npos)
                v1Memory = true;
            if (type == "cgroup2" && dir == "/sys/fs/cgroup") v2Root = true;
        }
        auto v = detectVersion();
        QVERIFY(v);
        if (v2Root) QCOMPARE(*v, CgroupVersion::V2);
        else if (v1Memory) QCOMPARE(*v, CgroupVersion::V1);
        else BERTH_SKIP("neither a v1 memory mount nor a v2 root: nothing to compare with", KernelFeature);
    }

    void limitsReadBackFromKernel() {
        auto m = manager();
        Resources r;
        r.memoryBytes = 64ll << 20;
        // Swap accounting shows as the memsw files (v1) or memory.swap.max in children (v2).
        bool swap = v1() && fs::exists(m_layout.root / "memory" / "memory.memsw.limit_in_bytes");
        if (swap) r.memorySwapBytes = 128ll << 20;
        r.cpuQuotaUs = 50000;
        r.cpuShares = 512;
        r.cpusetCpus = "0";
        r.pidsLimit = 50;
        auto res = m->create(r);
        QVERIFY2(res, res ? "" : res.error().message().c_str());
        if (v1()) {
            QCOMPARE(trimmed(readText(file("c", "memory", "memory.limit_in_bytes"))), std::string("67108864"));
            if (swap)
                QCOMPARE(trimmed(readText(file("c", "memory", "memory.memsw.limit_in_bytes"))),
                         std::string("134217728"));
            QCOMPARE(trimmed(readText(file("c", "cpu", "cpu.cfs_quota_us"))), std::string("50000"));
            QCOMPARE(trimmed(readText(file("c", "cpu", "cpu.cfs_period_us"))), std::string("100000"));
            QCOMPARE(trimmed(readText(file("c", "cpu", "cpu.shares"))), std::string("512"));
            QCOMPARE(trimmed(readText(file("c", "cpuset", "cpuset.mems"))),
                     trimmed(readText(m_layout.root / "cpuset" / "cpuset.mems")));
        } else {
            QCOMPARE(trimmed(readText(file("c", "", "memory.max"))), std::string("67108864"));
            QCOMPARE(trimmed(readText(file("c", "", "cpu.max"))), std::string("50000 100000"));
            QCOMPARE(trimmed(readText(file("c", "", "cpu.weight"))), std::to_string(sharesToWeight(512)));
        }
        QCOMPARE(trimmed(readText(file("c", "cpuset", "cpuset.cpus"))), std::string("0"));
        QCOMPARE(trimmed(readText(file("c", "pids", "pids.max"))), std::string("50"));

        // Raising both above the current memory+swap needs the swap limit written first
        // on v1: the kernel refuses the other order.
        Resources up;
        up.memoryBytes = 256ll << 20;
        if (swap) up.memorySwapBytes = 512ll << 20;
        auto ur = m->update(up);
        QVERIFY2(ur, ur ? "" : ur.error().message().c_str());
        QCOMPARE(trimmed(readText(file("c", "memory", v1() ? "memory.limit_in_bytes" : "memory.max"))),
                 std::string("268435456"));
        if (v1() && swap)
            QCOMPARE(trimmed(readText(file("c", "memory", "memory.memsw.limit_in_bytes"))), std::string("536870912"));
        // And lowering needs the memory limit first.
        Resources down;
        down.memoryBytes = 32ll << 20;
        if (swap) down.memorySwapBytes = 48ll << 20;
        auto dr = m->update(down);
        QVERIFY2(dr, dr ? "" : dr.error().message().c_str());
        QCOMPARE(trimmed(readText(file("c", "memory", v1() ? "memory.limit_in_bytes" : "memory.max"))),
                 std::string("33554432"));
        QVERIFY(m->destroy());
        QVERIFY(!anyLeafLeft("c"));
    }

    void refusedCpusetNamedAndNothingLeft() {
        unsigned cpus = std::thread::hardware_concurrency();
        if (cpus >= 1000) BERTH_SKIP("more than 1000 cpus: no cpu number outside the allowed set to try", HostSetup);
        auto m = manager("refused");
        Resources r;
        r.cpusetCpus = "999";
        auto res = m->create(r);
        QVERIFY(!res);
        std::string expect = "write `" + file("refused", "cpuset", "cpuset.cpus").string() + "` = 999: ";
        QVERIFY2(res.error().message().find(expect) != std::string::npos, res.error().message().c_str());
        QVERIFY(!anyLeafLeft("refused"));
    }

    void memoryBelowUsageRefused() {
        if (!v1()) BERTH_SKIP("v2 reclaims or OOM-kills instead of refusing a memory.max below usage", KernelFeature);
        auto m = manager("busy");
        QVERIFY(m->create({}));
        // A child holding 16 MiB of touched anonymous memory; with no swap to push it to,
        // the kernel cannot shrink the cgroup to one page.
        Child c = track(spawnWaiting([](int out) {
            size_t n = 16u << 20;
            char* p = static_cast<char*>(::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
            if (p == MAP_FAILED) ::_exit(3);
            ::memset(p, 1, n);
            char b = 'r';
            (void)!::write(out, &b, 1);
            ::pause();
        }));
        QVERIFY(m->addProcess(c.pid));
        release(c);
        char b;
        QCOMPARE(::read(c.result, &b, 1), ssize_t(1));
        Resources r;
        r.memoryBytes = 1;
        r.memorySwapBytes = -1;
        auto res = m->update(r);
        QVERIFY(!res);
        std::string expect = "write `" + file("busy", "memory", "memory.limit_in_bytes").string() +
                             "` = 1: Device or resource busy";
        QCOMPARE(res.error().message(), expect);
        QVERIFY(m->destroy());
        int status = reap(c);
        QVERIFY(WIFSIGNALED(status));
        QCOMPARE(WTERMSIG(status), SIGKILL);
        QVERIFY(!anyLeafLeft("busy"));
    }

    void pidsLimitEnforced() {
        auto m = manager("pids");
        Resources r;
        r.pidsLimit = 5;
        QVERIFY(m->create(r));
        // The child counts as one task: of 20 forks exactly 4 succeed, the rest get EAGAIN.
        Child c = track(spawnWaiting([](int out) {
            pid_t kids[20];
            int ok = 0, again = 0, other = 0;
            for (int i = 0; i < 20; ++i) {
                pid_t k = ::fork();
                if (k == 0) {
                    ::pause();
                    ::_exit(0);
                }
                if (k > 0) kids[ok++] = k;
                else if (errno == EAGAIN) ++again;
                else ++other;
            }
            char msg[64];
            int n = std::snprintf(msg, sizeof msg, "%d %d %d\n", ok, again, other);
            (void)!::write(out, msg, size_t(n));
            (void)kids;
            ::pause();  // destroy() kills the child and its kids
        }));
        QVERIFY(m->addProcess(c.pid));
        release(c);
        std::string line;
        for (char ch; ::read(c.result, &ch, 1) == 1 && ch != '\n';) line += ch;
        QCOMPARE(line, std::string("4 16 0"));
        auto s = m->stats();
        QVERIFY(s);
        QCOMPARE(s->pids, uint64_t(5));
        QVERIFY(m->destroy());
        QVERIFY(WIFSIGNALED(reap(c)));
        QVERIFY(!anyLeafLeft("pids"));
    }

    void memoryLimitOomKills() {
        auto m = manager("oom");
        Resources r;
        r.memoryBytes = 32ll << 20;
        r.memorySwapBytes = 32ll << 20;  // no swap either, where the kernel accounts it
        if (v1() && !fs::exists(m_layout.root / "memory" / "memory.memsw.limit_in_bytes")) r.memorySwapBytes.reset();
        QVERIFY(m->create(r));
        // Touches 256 MiB, a megabyte at a time: the kernel must kill it on the way.
        Child c = track(spawnWaiting([](int) {
            for (int i = 0; i < 256; ++i) {
                void* p = ::mmap(nullptr, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                if (p == MAP_FAILED) ::_exit(4);
                ::memset(p, 7, 1 << 20);
            }
            ::_exit(0);
        }));
        QVERIFY(m->addProcess(c.pid));
        release(c);
        int status = reap(c);
        QVERIFY2(WIFSIGNALED(status), qPrintable(QString("exit status %1").arg(status)));
        QCOMPARE(WTERMSIG(status), SIGKILL);
        auto s = m->stats();
        QVERIFY(s);
        QCOMPARE(s->oomKills, uint64_t(1));
        QCOMPARE(s->oomKillsSource, std::string(v1() ? "memory.oom_control oom_kill" : "memory.events oom_kill"));
        QCOMPARE(s->memoryLimit, uint64_t(32ll << 20));
        QVERIFY(m->destroy());
    }

    void freezeAndThaw() {
        auto m = manager("freeze");
        QVERIFY(m->create({}));
        Child c = track(spawnWaiting([](int) { execShell("while :; do :; done"); }));
        QVERIFY(m->addProcess(c.pid));
        release(c);
        QVERIFY(m->freeze(true));
        if (v1())
            QCOMPARE(trimmed(readText(file("freeze", "freezer", "freezer.state"))), std::string("FROZEN"));
        else
            QVERIFY(readText(file("freeze", "", "cgroup.events")).find("frozen 1") != std::string::npos);
        // A busy loop that is frozen is not running.
        QVERIFY2(procState(c.pid) != 'R', std::string(1, procState(c.pid)).c_str());
        QVERIFY(m->freeze(false));
        if (v1())
            QCOMPARE(trimmed(readText(file("freeze", "freezer", "freezer.state"))), std::string("THAWED"));
        QTRY_COMPARE_WITH_TIMEOUT(procState(c.pid), 'R', 5000);
        // Destroying a frozen cgroup still kills and removes it.
        QVERIFY(m->freeze(true));
        auto d = m->destroy();
        QVERIFY2(d, d ? "" : d.error().message().c_str());
        int status = reap(c);
        QVERIFY(WIFSIGNALED(status));
        QCOMPARE(WTERMSIG(status), SIGKILL);
        QVERIFY(!anyLeafLeft("freeze"));
    }

    void statsFromLiveChild() {
        auto m = manager("stats");
        Resources r;
        r.memoryBytes = 128ll << 20;
        QVERIFY(m->create(r));
        Child c = track(spawnWaiting([](int out) {
            size_t n = 8u << 20;
            char* p = static_cast<char*>(::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
            if (p == MAP_FAILED) ::_exit(3);
            ::memset(p, 1, n);
            volatile uint64_t x = 0;
            for (uint64_t i = 0; i < 200000000ull; ++i) x = x + i;
            char b = 'r';
            (void)!::write(out, &b, 1);
            ::pause();
        }));
        QVERIFY(m->addProcess(c.pid));
        release(c);
        char b;
        QCOMPARE(::read(c.result, &b, 1), ssize_t(1));
        auto s1 = m->stats();
        QVERIFY2(s1, s1 ? "" : s1.error().message().c_str());
        QVERIFY(s1->cpuUsageNs > 0);
        QVERIFY(s1->memoryUsage >= (8u << 20));
        QCOMPARE(s1->memoryLimit, uint64_t(128ll << 20));
        QCOMPARE(s1->pids, uint64_t(1));
        auto s2 = m->stats();
        QVERIFY(s2);
        QVERIFY(s2->cpuUsageNs >= s1->cpuUsageNs);  // cumulative
        auto pids = m->processes();
        QVERIFY(pids);
        QCOMPARE(*pids, std::vector<pid_t>{c.pid});
        QVERIFY(m->destroy());
        QVERIFY(WIFSIGNALED(reap(c)));
        QVERIFY(!anyLeafLeft("stats"));
    }

    void devicesLimitedToDefaultList() {
        if (!v1()) BERTH_SKIP("device rules need an eBPF program on v2 (not implemented)", NotBuilt);
        if (!fs::exists(m_layout.root / "devices")) BERTH_SKIP("no v1 devices controller mounted", KernelFeature);
        auto m = manager("dev");
        QVERIFY(m->create({}));
        // The kernel's own account of the rules: exactly Docker's default list.
        std::set<std::string> listed;
        std::istringstream list(readText(file("dev", "devices", "devices.list")));
        for (std::string line; std::getline(list, line);)
            if (!line.empty()) listed.insert(line);
        std::set<std::string> expected(std::begin(kDefaultDeviceRules), std::end(kDefaultDeviceRules));
        QCOMPARE(listed, expected);

        QCOMPARE(deviceProbe(*m), "1 1 " + std::to_string(EPERM));
        QVERIFY(m->destroy());
    }

    void v2DeviceFilterEnforced() {
        // The eBPF device program needs a cgroup2 directory, controllers or not: the host's
        // v2 root, or the hybrid host's unified mount.
        fs::path v2root;
        if (!v1()) v2root = m_layout.root;
        else if (statfs_is_cgroup2("/sys/fs/cgroup/unified")) v2root = "/sys/fs/cgroup/unified";
        else BERTH_SKIP("no cgroup2 mount to attach a device program to", KernelFeature);
        auto made = makeManager(CgroupVersion::V2, v2root, m_parent + "/v2dev");
        QVERIFY(made);
        auto& m = **made;
        auto r = m.create({});
        QVERIFY2(r, r ? "" : r.error().message().c_str());
        QCOMPARE(deviceProbe(m), "1 1 " + std::to_string(EPERM));
        QVERIFY(m.destroy());
        QVERIFY(!fs::exists(v2root / m_parent / "v2dev"));
        if (v1()) ::rmdir((v2root / m_parent).c_str());

        // --privileged: no program, the same open succeeds.
        auto open = makeManager(CgroupVersion::V2, v2root, m_parent + "/v2priv");
        QVERIFY(open);
        Resources priv;
        priv.restrictDevices = false;
        QVERIFY((*open)->create(priv));
        QCOMPARE(deviceProbe(**open), std::string("1 1 0"));
        QVERIFY((*open)->destroy());
        if (v1()) ::rmdir((v2root / m_parent).c_str());
    }

    void destroyKillsEveryProcess() {
        auto m = manager("kill");
        QVERIFY(m->create({}));
        // A shell with background children: all of them must go.
        Child c = track(spawnWaiting([](int) { execShell("sleep 1000 & sleep 1000 & sleep 1000"); }));
        QVERIFY(m->addProcess(c.pid));
        release(c);
        QTRY_COMPARE_WITH_TIMEOUT(m->processes().value_or(std::vector<pid_t>{}).size(), size_t(4), 5000);
        auto d = m->destroy();
        QVERIFY2(d, d ? "" : d.error().message().c_str());
        QVERIFY(WIFSIGNALED(reap(c)));
        QVERIFY(!anyLeafLeft("kill"));
        QVERIFY(m->destroy());  // again: nothing to do
    }
};

BERTH_ROOT_TEST_MAIN(TestCgroupHost)
#include "tst_cgroup_host.moc"
