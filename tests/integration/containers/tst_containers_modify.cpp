// berth rename and berth update on real containers (root), against docker's documented
// behaviour: a rename also while running (journal and later events follow the new name),
// limits changed live in the container's cgroup files and recorded in inspect, the restart
// policy reaching the running container's monitor, and refusals (the kernel's, docker's)
// that leave the container as it was.
#include "skip.h"
#include "container_test_helpers.h"

#include <QtTest/QtTest>

#include <fstream>

using namespace berth::test;
namespace fs = std::filesystem;

class ContainersModify : public QObject {
    Q_OBJECT
    std::unique_ptr<ContainerStoreFixture> s;

    static std::string readText(const fs::path& p) {
        std::ifstream in(p);
        return trimmed(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
    }
    // The directory of `controller` for container `id`: v1 /sys/fs/cgroup/<ctl>/berth/<id>,
    // else the v2 one.
    static fs::path cgroupDir(const std::string& controller, const std::string& id) {
        fs::path v1 = fs::path("/sys/fs/cgroup") / controller / "berth" / id;
        if (fs::exists(v1)) return v1;
        return fs::path("/sys/fs/cgroup/berth") / id;
    }
    static bool v1Memory() { return fs::exists("/sys/fs/cgroup/memory/memory.limit_in_bytes"); }
    std::string idOf(const std::string& name) { return s->inspect(name).value("Id", std::string()); }
    std::string events(const std::string& action) {
        return s->berth({"events", "--filter", "event=" + action, "--until", "0s", "--format", "{{json .}}"}).out;
    }

private slots:
    void init() { s = std::make_unique<ContainerStoreFixture>(); }
    void cleanup() { s.reset(); }

    void renameRunningContainer() {
        QCOMPARE(s->berth({"run", "-d", "--name", "old", "busybox", "sleep", "600"}).exitCode, 0);
        const std::string id = idOf("old");
        auto r = s->berth({"rename", "old", "new"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(s->inspect("new").value("Name", std::string()), std::string("/new"));
        QCOMPARE(idOf("new"), id);
        QCOMPARE(s->inspect("new")["State"]["Running"].get<bool>(), true);
        QVERIFY2(s->berth({"inspect", "old"}).exitCode != 0, "the old name still finds the container");
        QCOMPARE(trimmed(s->berth({"ps", "--format", "{{.Names}}"}).out), std::string("new"));
        auto j = nlohmann::json::parse(trimmed(events("rename")), nullptr, false);
        QVERIFY2(!j.is_discarded(), "no single rename event journaled");
        QCOMPARE(j["Actor"]["Attributes"]["oldName"].get<std::string>(), std::string("/old"));
        QCOMPARE(j["Actor"]["Attributes"]["name"].get<std::string>(), std::string("new"));
        // The monitor learns the new name: the death it journals carries it.
        QCOMPARE(s->berth({"stop", "-t", "1", "new"}).exitCode, 0);
        auto die = nlohmann::json::parse(trimmed(events("die")), nullptr, false);
        QVERIFY2(!die.is_discarded(), "no single die event journaled");
        QCOMPARE(die["Actor"]["Attributes"]["name"].get<std::string>(), std::string("new"));
        // The old name is free again.
        QCOMPARE(s->berth({"create", "--name", "old", "busybox", "true"}).exitCode, 0);
    }

    void renameStoppedThenStart() {
        QCOMPARE(s->berth({"create", "--name", "c1", "busybox", "echo", "renamed"}).exitCode, 0);
        QCOMPARE(s->berth({"rename", "c1", "c2"}).exitCode, 0);
        auto r = s->berth({"start", "-a", "c2"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(trimmed(r.out), std::string("renamed"));
    }

    void renameRefusalsLeaveNamesAlone() {
        QCOMPARE(s->berth({"create", "--name", "a1", "busybox", "true"}).exitCode, 0);
        QCOMPARE(s->berth({"create", "--name", "b1", "busybox", "true"}).exitCode, 0);
        auto taken = s->berth({"rename", "a1", "b1"});
        QVERIFY(taken.exitCode != 0);
        QVERIFY2(taken.err.find("is already in use") != std::string::npos, taken.err.c_str());
        auto unknown = s->berth({"rename", "nosuch", "x1"});
        QVERIFY(unknown.exitCode != 0);
        QVERIFY2(unknown.err.find("no such container") != std::string::npos, unknown.err.c_str());
        auto invalid = s->berth({"rename", "a1", "-bad name"});
        QVERIFY(invalid.exitCode != 0);
        auto same = s->berth({"rename", "a1", "a1"});
        QVERIFY(same.exitCode != 0);
        QVERIFY2(same.err.find("same name") != std::string::npos, same.err.c_str());
        QCOMPARE(s->inspect("a1").value("Name", std::string()), std::string("/a1"));
        QCOMPARE(s->inspect("b1").value("Name", std::string()), std::string("/b1"));
        QVERIFY2(s->berth({"inspect", "x1"}).exitCode != 0, "a refused rename claimed its name");
        QVERIFY2(events("rename").empty(), "a refused rename was journaled");
    }

    void updateRunningContainerLive() {
        QCOMPARE(s->berth({"run", "-d", "--name", "up", "busybox", "sleep", "600"}).exitCode, 0);
        const std::string id = idOf("up");
        auto r = s->berth({"update", "--memory", "64m", "--memory-swap", "128m", "--cpus", "0.5", "--cpu-shares",
                           "512", "--cpuset-cpus", "0", "--pids-limit", "50", "up"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(trimmed(r.out), std::string("up"));
        if (v1Memory()) {
            QCOMPARE(readText(cgroupDir("memory", id) / "memory.limit_in_bytes"), std::to_string(64 << 20));
            QCOMPARE(readText(cgroupDir("cpu", id) / "cpu.cfs_quota_us"), std::string("50000"));
            QCOMPARE(readText(cgroupDir("cpu", id) / "cpu.shares"), std::string("512"));
            QCOMPARE(readText(cgroupDir("cpuset", id) / "cpuset.cpus"), std::string("0"));
            QCOMPARE(readText(cgroupDir("pids", id) / "pids.max"), std::string("50"));
        } else {
            QCOMPARE(readText(cgroupDir("", id) / "memory.max"), std::to_string(64 << 20));
            QCOMPARE(readText(cgroupDir("", id) / "cpu.max"), std::string("50000 100000"));
            QCOMPARE(readText(cgroupDir("", id) / "pids.max"), std::string("50"));
        }
        auto hc = s->inspect("up")["HostConfig"];
        QCOMPARE(hc["Memory"].get<int64_t>(), int64_t(64) << 20);
        QCOMPARE(hc["MemorySwap"].get<int64_t>(), int64_t(128) << 20);
        QCOMPARE(hc["NanoCpus"].get<int64_t>(), int64_t(500000000));
        QCOMPARE(hc["CpuShares"].get<int64_t>(), int64_t(512));
        QCOMPARE(hc["CpusetCpus"].get<std::string>(), std::string("0"));
        QCOMPARE(hc["PidsLimit"].get<int64_t>(), int64_t(50));
        QVERIFY2(!events("update").empty(), "no update event journaled");
        // The pids limit is enforced from now on: 60 more sleepers cannot all start.
        auto fork = s->berth({"exec", "up", "sh", "-c", "for i in $(seq 60); do sleep 300 & done; wait"});
        QVERIFY2(fork.err.find("can't fork") != std::string::npos, fork.err.c_str());
    }

    void updateStoppedAppliesAtStart() {
        QCOMPARE(s->berth({"create", "--name", "st", "--memory", "32m", "busybox", "sleep", "600"}).exitCode, 0);
        QCOMPARE(s->berth({"update", "--memory", "48m", "--pids-limit", "30", "st"}).exitCode, 0);
        QCOMPARE(s->inspect("st")["HostConfig"]["Memory"].get<int64_t>(), int64_t(48) << 20);
        QCOMPARE(s->berth({"start", "st"}).exitCode, 0);
        const std::string id = idOf("st");
        const fs::path file = v1Memory() ? cgroupDir("memory", id) / "memory.limit_in_bytes" : cgroupDir("", id) / "memory.max";
        QCOMPARE(readText(file), std::to_string(48 << 20));
    }

    // The restart policy set while the container runs is the one its monitor applies when
    // the process exits: on-failure:2 restarts it twice.
    void updateRestartPolicyWhileRunning() {
        QCOMPARE(s->berth({"run", "-d", "--name", "rp", "busybox", "sh", "-c",
                           "while [ ! -f /go ]; do sleep 0.1; done; exit 3"}).exitCode, 0);
        QCOMPARE(s->berth({"update", "--restart", "on-failure:2", "rp"}).exitCode, 0);
        QCOMPARE(s->inspect("rp")["HostConfig"]["RestartPolicy"]["Name"].get<std::string>(), std::string("on-failure"));
        QCOMPARE(s->berth({"exec", "rp", "touch", "/go"}).exitCode, 0);
        QVERIFY2(eventually([&] {
                     auto j = s->inspect("rp");
                     return j["RestartCount"] == 2 && j["State"]["Status"] == "exited";
                 }, 60000),
                 s->inspect("rp").dump().c_str());
        QCOMPARE(s->inspect("rp")["State"]["ExitCode"].get<int>(), 3);
    }

    // A memory limit below what the container holds in tmpfs (/dev/shm: not reclaimable
    // without swap) is refused by the v1 kernel with EBUSY; the container keeps its limits.
    void updateRefusedByKernelMemory() {
        if (!v1Memory()) BERTH_SKIP("cgroup v2 reclaims or OOM-kills instead of refusing a low memory.max", KernelFeature);
        std::ifstream swaps("/proc/swaps");
        std::string header, line;
        std::getline(swaps, header);
        if (std::getline(swaps, line) && !line.empty())
            BERTH_SKIP("swap is on: the kernel would swap the tmpfs out rather than refuse", HostSetup);
        QCOMPARE(s->berth({"run", "-d", "--name", "shm", "--memory", "256m", "busybox", "sh", "-c",
                           "dd if=/dev/zero of=/dev/shm/fill bs=1M count=40 && touch /filled; sleep 600"}).exitCode, 0);
        QVERIFY(eventually([&] { return s->berth({"exec", "shm", "test", "-f", "/filled"}).exitCode == 0; }));
        const std::string id = idOf("shm");
        const fs::path limit = cgroupDir("memory", id) / "memory.limit_in_bytes";
        const std::string before = readText(limit), memswBefore = readText(cgroupDir("memory", id) / "memory.memsw.limit_in_bytes");
        auto r = s->berth({"update", "--memory", "16m", "shm"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("Device or resource busy") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("memory") != std::string::npos, r.err.c_str());
        QCOMPARE(readText(limit), before);
        QCOMPARE(readText(cgroupDir("memory", id) / "memory.memsw.limit_in_bytes"), memswBefore);
        QCOMPARE(s->inspect("shm")["HostConfig"]["Memory"].get<int64_t>(), int64_t(256) << 20);
        QCOMPARE(s->inspect("shm")["State"]["Running"].get<bool>(), true);
        QVERIFY2(events("update").empty(), "a refused update was journaled");
    }

    // A CPU the machine does not have: the kernel's refusal (ERANGE past the possible CPUs,
    // EINVAL for one outside the parent's set), nothing changed (any version).
    void updateRefusedByKernelCpuset() {
        QCOMPARE(s->berth({"run", "-d", "--name", "cs", "--cpus", "0.5", "busybox", "sleep", "600"}).exitCode, 0);
        const std::string id = idOf("cs");
        const fs::path cpus = cgroupDir("cpuset", id) / "cpuset.cpus";
        const std::string before = readText(cpus);
        auto r = s->berth({"update", "--cpus", "1", "--cpuset-cpus", "1000", "cs"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("Invalid argument") != std::string::npos ||
                     r.err.find("Numerical result out of range") != std::string::npos,
                 r.err.c_str());
        QVERIFY2(r.err.find("cpuset.cpus") != std::string::npos, r.err.c_str());
        QCOMPARE(readText(cpus), before);
        if (v1Memory()) QCOMPARE(readText(cgroupDir("cpu", id) / "cpu.cfs_quota_us"), std::string("50000"));
        QCOMPARE(s->inspect("cs")["HostConfig"]["NanoCpus"].get<int64_t>(), int64_t(500000000));
        QCOMPARE(s->inspect("cs")["HostConfig"]["CpusetCpus"].get<std::string>(), std::string());
    }

    void updateRefusalsOfDocker() {
        QCOMPARE(s->berth({"create", "--name", "sw", "--memory", "32m", "--memory-swap", "64m", "busybox", "true"}).exitCode, 0);
        auto swap = s->berth({"update", "--memory", "128m", "sw"});
        QVERIFY(swap.exitCode != 0);
        QVERIFY2(swap.err.find("Memory limit should be smaller than already set memoryswap limit") != std::string::npos,
                 swap.err.c_str());
        QCOMPARE(s->inspect("sw")["HostConfig"]["Memory"].get<int64_t>(), int64_t(32) << 20);
        QCOMPARE(s->berth({"create", "--name", "rm1", "--rm", "busybox", "true"}).exitCode, 0);
        auto rm = s->berth({"update", "--restart", "always", "rm1"});
        QVERIFY(rm.exitCode != 0);
        QVERIFY2(rm.err.find("AutoRemove is enabled") != std::string::npos, rm.err.c_str());
        auto none = s->berth({"update", "sw"});
        QCOMPARE(none.exitCode, 125);
        QVERIFY2(none.err.find("you must provide one or more flags") != std::string::npos, none.err.c_str());
        auto bad = s->berth({"update", "--memory", "12x", "sw"});
        QCOMPARE(bad.exitCode, 125);
        QVERIFY2(bad.err.find("--memory") != std::string::npos, bad.err.c_str());
        auto unknown = s->berth({"update", "--memory", "64m", "nosuch"});
        QVERIFY(unknown.exitCode != 0);
        QVERIFY2(unknown.err.find("no such container") != std::string::npos, unknown.err.c_str());
        QVERIFY2(events("update").empty(), "a refused update was journaled");
    }
};

BERTH_ROOT_TEST_MAIN(ContainersModify)
#include "tst_containers_modify.moc"
