// The engine's front door without root: the one run-flags parser (docker's rules and its
// messages), the one CPU % formula, a log tail read from the end of the file, and docker's
// texts for durations and sizes.
#include "skip.h"
#include "berth/containers.h"
#include "berth/go_template.h"
#include "berth/health_json.h"
#include "berth/run_flags.h"
#include "berth/text.h"
#include "container/container_modify.h"
#include "container/container_record.h"
#include "container/log_reader.h"
#include "test_support.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

using namespace berth;

class FrontDoorTest : public QObject {
    Q_OBJECT
private slots:
    void runFlagsFollowDocker();
    void badFlagsNameTheFlag();
    void shmSizeAndSysctlsFollowDocker();
    void unsupportedFlagsAreRefusedByName();
    void recordKeepsShmSizeAndSysctls();
    void volumePathsBecomeAnonymousVolumes();
    void initAndDevicesFollowDocker();
    void updateFlagsFollowDocker();
    void updateMergesLikeDocker();
    void cpuPercentIsDockersFormula();
    void cpusAndNanoCpusShareOneFormula();
    void apiHealthcheckAsDockerd();
    void tailReadsBackwardsAcrossBlocksAndFiles();
    void tailOfAHugeLogReadsOnlyItsEnd();
    void logFileFollowsAppendsAndTruncation();
    void durationsAndSizesAsDocker();
    void goTemplatesAsDocker();
};

static RunRequest parsed(RunFlags f) {
    if (f.image.empty()) f.image = "busybox";
    auto r = parseRunFlags(f);
    if (!r) qFatal("parseRunFlags: %s", r.error().message().c_str());
    return *r;
}

void FrontDoorTest::runFlagsFollowDocker() {
    RunFlags f;
    f.memory = "64m";
    f.cpus = "0.5";
    f.pidsLimit = "-1";
    f.restart = "on-failure:3";
    f.network = "default";
    f.publish = {"8080:80", "127.0.0.1::53/udp"};
    f.labels = {"team=web", "flag"};
    f.ulimits = {"nofile=1024:2048"};
    f.logOpts = {"max-size=10m,max-file=3"};
    auto r = parsed(f);
    QCOMPARE(*r.resources.memoryBytes, int64_t(64) << 20);
    QCOMPARE(*r.resources.cpuQuotaUs, int64_t(50000));
    QCOMPARE(*r.resources.pidsLimit, int64_t(-1));  // unlimited, as asked
    QCOMPARE(r.restart.kind, RestartPolicy::Kind::OnFailure);
    QCOMPARE(r.restart.maxRetries, 3);
    QCOMPARE(r.network, std::string());  // docker's "default": the engine's default network
    QCOMPARE(r.ports.size(), size_t(2));
    QCOMPARE(r.ports[1].hostIp, std::string("127.0.0.1"));
    QCOMPARE(r.ports[1].hostPort, uint16_t(0));
    QCOMPARE(r.ports[1].protocol, std::string("udp"));
    QCOMPARE(r.labels.at("flag"), std::string());
    QCOMPARE(r.ulimits.at(0).hard, int64_t(2048));
    QCOMPARE(r.log.maxFile, 3);
    f = {};
    f.pidsLimit = "0";  // docker: 0 is "not set"
    QVERIFY(!parsed(f).resources.pidsLimit);
    f = {};
    f.entrypoint = "";  // --entrypoint "" clears the image's
    QVERIFY(parsed(f).entrypoint && parsed(f).entrypoint->empty());
    f = {};
    f.stopSignal = "SIGINT";
    f.stopTimeout = "-1";  // no limit
    f.dnsSearch = {"example.test"};
    f.dnsOptions = {"ndots:2"};
    r = parsed(f);
    QCOMPARE(r.stopSignal, std::string("SIGINT"));
    QCOMPARE(*r.stopTimeout, -1);
    QCOMPARE(r.dnsSearch, std::vector<std::string>{"example.test"});
    QCOMPARE(r.dnsOptions, std::vector<std::string>{"ndots:2"});
    QVERIFY(!parsed(RunFlags{}).stopTimeout);  // unset: the engine's 10 s
}

// parseRunFlags refuses `flags` (busybox added) as InvalidArgument, its message holding `named`.
static void refusedAsInvalid(RunFlags flags, const std::string& named) {
    flags.image = "busybox";
    auto r = parseRunFlags(flags);
    QVERIFY2(!r, named.c_str());
    QCOMPARE(int(r.error().code()), int(Errc::InvalidArgument));
    QVERIFY2(r.error().message().find(named) != std::string::npos, r.error().message().c_str());
}

void FrontDoorTest::badFlagsNameTheFlag() {
    struct Bad {
        RunFlags flags;
        const char* named;
    };
    std::vector<Bad> cases(10);
    cases[0].flags.labels = {"=v"};
    cases[0].named = "label";
    cases[1].flags.memory = "lots";
    cases[1].named = "--memory";
    cases[2].flags.pidsLimit = "-5";
    cases[2].named = "--pids-limit";
    cases[3].flags.cpuShares = "x";
    cases[3].named = "--cpu-shares";
    cases[4].flags.logDriver = "syslog";
    cases[4].named = "--log-driver";
    cases[5].flags.publish = {"80:http"};
    cases[5].named = "--publish";
    cases[6].flags.restart = "sometimes";
    cases[6].named = "--restart";
    cases[7].flags.volumes = {"data:relative"};
    cases[7].named = "--volume";
    cases[8].flags.stopSignal = "SIGNOPE";
    cases[8].named = "--stop-signal";
    cases[9].flags.stopTimeout = "-2";
    cases[9].named = "--stop-timeout";
    for (auto& c : cases) refusedAsInvalid(c.flags, c.named);
    QVERIFY(!parseRunFlags(RunFlags{}));  // no image
}

// --shm-size in docker's units (0 and unset: 64 MiB); --sysctl takes docker's namespaced
// list only, and net.* not on the host's network, with docker's messages.
void FrontDoorTest::shmSizeAndSysctlsFollowDocker() {
    QCOMPARE(parsed(RunFlags{}).shmSize, int64_t(64) << 20);
    RunFlags f;
    f.shmSize = "128m";
    QCOMPARE(parsed(f).shmSize, int64_t(128) << 20);
    f.shmSize = "1g";
    QCOMPARE(parsed(f).shmSize, int64_t(1) << 30);
    f.shmSize = "0";
    QCOMPARE(parsed(f).shmSize, int64_t(64) << 20);
    f = {};
    f.sysctls = {"net.ipv4.ip_forward=1", "kernel.shmmax=123456789", "fs.mqueue.msg_max=20", "kernel.sem=250 256000 32 1024",
                 "net.ipv4.ip_forward=0"};  // the last one wins, as docker's map
    auto r = parsed(f);
    QCOMPARE(r.sysctls.size(), size_t(4));
    QCOMPARE(r.sysctls.at("net.ipv4.ip_forward"), std::string("0"));
    QCOMPARE(r.sysctls.at("kernel.sem"), std::string("250 256000 32 1024"));
    QCOMPARE(r.sysctls.at("fs.mqueue.msg_max"), std::string("20"));
    for (const char* key : {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
                            "kernel.shmmni", "kernel.shm_rmid_forced", "fs.mqueue.queues_max", "net.core.somaxconn"})
        QVERIFY2(namespacedSysctl(key), key);
    for (const char* key : {"kernel.hostname", "kernel.shmmaxx", "vm.swappiness", "fs.file-max", "net.", "net", "fs.mqueue.", ""})
        QVERIFY2(!namespacedSysctl(key), key);

    struct Bad {
        RunFlags flags;
        std::string message;
    };
    std::vector<Bad> cases(6);
    cases[0].flags.shmSize = "lots";
    cases[0].message = "--shm-size";
    cases[1].flags.shmSize = "-1";
    cases[1].message = "--shm-size";
    cases[2].flags.sysctls = {"kernel.hostname=box"};
    cases[2].message = "--sysctl: sysctl 'kernel.hostname=box' is not whitelisted";
    cases[3].flags.sysctls = {"net.ipv4.ip_forward"};  // no value
    cases[3].message = "--sysctl: sysctl 'net.ipv4.ip_forward' is not whitelisted";
    cases[4].flags.sysctls = {"vm.swappiness=10"};
    cases[4].message = "--sysctl: sysctl 'vm.swappiness=10' is not whitelisted";
    cases[5].flags.sysctls = {"net.core.somaxconn=1024"};
    cases[5].flags.network = "host";
    cases[5].message = "--sysctl: sysctl \"net.core.somaxconn\" not allowed in host network namespace";
    for (auto& c : cases) refusedAsInvalid(c.flags, c.message);
    f = {};  // the IPC ones stay allowed on the host's network
    f.network = "host";
    f.sysctls = {"kernel.shmmax=4096"};
    QCOMPARE(parsed(f).sysctls.at("kernel.shmmax"), std::string("4096"));
}

// What Berth does not do yet is refused naming the flag (Errc::Unsupported), never
// dropped; the namespace modes Berth gives every container are accepted; docker's
// invalid modes are invalid.
void FrontDoorTest::unsupportedFlagsAreRefusedByName() {
    struct Case {
        RunFlags flags;
        std::string message;  // "" = accepted
        Errc code = Errc::Unsupported;
    };
    std::vector<Case> cases(17);
    cases[0].flags.devices = {"/dev/fuse:/dev/f:rwx"};
    cases[0].message = "--device: bad mode specified: rwx";
    cases[0].code = Errc::InvalidArgument;
    cases[1].flags.devices = {"/dev/fuse:/dev/f:r:x"};
    cases[1].message = "--device: invalid device specification: /dev/fuse:/dev/f:r:x";
    cases[1].code = Errc::InvalidArgument;
    cases[2].flags.macAddress = "02:42:ac:11:00:02";
    cases[2].message = "--mac-address is not supported by Berth yet: its bridge derives each container's MAC "
                       "address from its IP address (02:42:...)";
    cases[3].flags.cgroupns = "host";
    cases[3].message = "--cgroupns=host is not supported by Berth yet";
    cases[4].flags.ipc = "host";
    cases[4].message = "--ipc=host is not supported by Berth yet";
    cases[5].flags.ipc = "container:db";
    cases[5].message = "--ipc=container:db is not supported by Berth yet";
    cases[6].flags.ipc = "none";
    cases[6].message = "--ipc=none is not supported by Berth yet";
    cases[7].flags.pid = "host";
    cases[7].message = "--pid=host is not supported by Berth yet";
    cases[8].flags.pid = "container:db";
    cases[8].message = "--pid=container:db is not supported by Berth yet";
    cases[9].flags.network = "container:db";
    cases[9].message = "--network=container:db is not supported by Berth yet";
    cases[10].flags.ipc = "sideways";
    cases[10].message = "--ipc: invalid IPC mode `sideways`";
    cases[10].code = Errc::InvalidArgument;
    cases[11].flags.pid = "container:";
    cases[11].message = "--pid: invalid PID mode `container:`";
    cases[11].code = Errc::InvalidArgument;
    cases[12].flags.cgroupns = "shared";
    cases[12].message = "--cgroupns: invalid cgroup namespace mode `shared`";
    cases[12].code = Errc::InvalidArgument;
    cases[13].flags.cgroupns = "private";  // accepted: what Berth does
    cases[14].flags.ipc = "private";
    cases[15].flags.ipc = "shareable";
    cases[16].flags.pid = "private";
    for (auto& c : cases) {
        c.flags.image = "busybox";
        auto r = parseRunFlags(c.flags);
        if (c.message.empty()) {
            QVERIFY2(r, r ? "" : r.error().message().c_str());
            QVERIFY(*r == parsed(RunFlags{}));  // the same container as without the flag
            continue;
        }
        QVERIFY2(!r, c.message.c_str());
        QCOMPARE(int(r.error().code()), int(c.code));
        QCOMPARE(r.error().message(), c.message);
    }
}

// The container record keeps --shm-size and --sysctl both ways; a record written before
// them reads as docker's defaults (64 MiB, none).
// --init and --device as docker parses them (HOST[:CONTAINER][:PERMS], a second field that
// reads as permissions is permissions), kept by the record.
void FrontDoorTest::initAndDevicesFollowDocker() {
    RunFlags f;
    f.init = true;
    f.devices = {"/dev/fuse", "/dev/fuse:r", "/dev/fuse:/dev/f", "/dev/fuse:/dev/f:mw"};
    auto r = parsed(f);
    QVERIFY(r.init);
    const std::vector<DeviceMapping> expected{{"/dev/fuse", "/dev/fuse", "rwm"},
                                              {"/dev/fuse", "/dev/fuse", "r"},
                                              {"/dev/fuse", "/dev/f", "rwm"},
                                              {"/dev/fuse", "/dev/f", "mw"}};
    QCOMPARE(r.devices, expected);
    QCOMPARE(container::createOptionsFromJson(container::toJson(r)), r);
    for (const char* bad : {"dev/fuse", "/dev/fuse:rr", "/dev/fuse:/dev/f:", ""})
        QVERIFY2(!parseDeviceSpec(bad), bad);
}

// Config.Volumes and an image's VOLUME paths become anonymous volumes unless a mount or
// --tmpfs covers them.
void FrontDoorTest::volumePathsBecomeAnonymousVolumes() {
    RunRequest v;
    v.mounts = {*parseVolumeSpec("named:/data"), *parseMountSpec("type=bind,source=/srv,target=/srv")};
    v.tmpfs = {"/run:size=1m"};
    QVERIFY(addVolumePaths(v, {"/data/", "srv", "/run", "/cache", "logs/../var/log"}, "the image's VOLUME"));
    QCOMPARE(v.mounts.size(), size_t(4));
    QCOMPARE(v.mounts[2].target, std::string("/cache"));
    QCOMPARE(v.mounts[3].target, std::string("/var/log"));
    for (size_t i = 2; i < 4; ++i) {
        QVERIFY(v.mounts[i].type == MountRequest::Type::Volume);
        QVERIFY(v.mounts[i].source.empty() && !v.mounts[i].noCopy);  // named at create, filled from the image
    }
    auto root = addVolumePaths(v, {"/"}, "Config.Volumes");
    QVERIFY(!root);
    QVERIFY2(root.error().message().starts_with("Config.Volumes `/`: "), root.error().message().c_str());
}

void FrontDoorTest::recordKeepsShmSizeAndSysctls() {
    RunRequest r;
    r.image = "busybox";
    r.shmSize = int64_t(128) << 20;
    r.sysctls = {{"net.ipv4.ip_forward", "1"}, {"kernel.sem", "250 256000 32 1024"}};
    QCOMPARE(container::createOptionsFromJson(container::toJson(r)), r);
    auto old = container::toJson(r);
    old.erase("shmSize");
    old.erase("sysctls");
    auto back = container::createOptionsFromJson(old);
    QCOMPARE(back.shmSize, int64_t(64) << 20);
    QVERIFY(back.sysctls.empty());
    old["shmSize"] = "lots";  // a mistyped field reads as the default, nothing else lost
    old["sysctls"] = 5;
    back = container::createOptionsFromJson(old);
    QCOMPARE(back.shmSize, int64_t(64) << 20);
    QCOMPARE(back.image, std::string("busybox"));
}

// docker update's flags through the same resource parsers as run's: set fields change,
// the others stay unset; 0 lifts the pids limit as -1 does; no flag at all is docker's error.
void FrontDoorTest::updateFlagsFollowDocker() {
    UpdateFlags f;
    f.memory = "64m";
    f.cpus = "1.5";
    f.pidsLimit = "0";
    f.restart = "on-failure:3";
    auto u = parseUpdateFlags(f);
    QVERIFY2(u, u ? "" : u.error().message().c_str());
    QCOMPARE(*u->resources.memoryBytes, int64_t(64) << 20);
    QCOMPARE(*u->resources.cpuQuotaUs, int64_t(150000));
    QCOMPARE(*u->resources.pidsLimit, int64_t(-1));
    QVERIFY(!u->resources.memorySwapBytes && !u->resources.cpuShares && !u->resources.cpusetCpus);
    QCOMPARE(int(u->restart->kind), int(RestartPolicy::Kind::OnFailure));
    QCOMPARE(u->restart->maxRetries, 3);
    auto none = parseUpdateFlags({});
    QVERIFY(!none);
    QVERIFY2(none.error().message().find("one or more flags") != std::string::npos, none.error().message().c_str());
    UpdateFlags bad;
    bad.memory = "12x";
    auto b = parseUpdateFlags(bad);
    QVERIFY(!b);
    QCOMPARE(int(b.error().code()), int(Errc::InvalidArgument));
    QVERIFY2(b.error().message().find("--memory") != std::string::npos, b.error().message().c_str());
}

void FrontDoorTest::updateMergesLikeDocker() {
    ResourceLimits current;
    current.memoryBytes = int64_t(32) << 20;
    current.cpuQuotaUs = 50000;
    ResourceLimits change;
    change.memoryBytes = int64_t(128) << 20;
    change.pidsLimit = 10;
    auto merged = container::mergeLimits(current, change);
    QVERIFY(merged);
    QCOMPARE(*merged->memoryBytes, int64_t(128) << 20);
    QCOMPARE(*merged->cpuQuotaUs, int64_t(50000));  // unchanged
    QCOMPARE(*merged->pidsLimit, int64_t(10));
    QVERIFY(!merged->memorySwapBytes);  // still docker's default, twice the memory
    // An explicit memory+swap limit below the new memory limit, not changed with it.
    current.memorySwapBytes = int64_t(64) << 20;
    auto refused = container::mergeLimits(current, change);
    QVERIFY(!refused);
    QCOMPARE(int(refused.error().code()), int(Errc::Conflict));
    change.memorySwapBytes = int64_t(256) << 20;
    QVERIFY(container::mergeLimits(current, change));
    current.memorySwapBytes = -1;  // unlimited swap stays unlimited
    change.memorySwapBytes.reset();
    QCOMPARE(*container::mergeLimits(current, change)->memorySwapBytes, int64_t(-1));
}

// --cpus and the API's NanoCpus are one formula with one range (0.01 to 4096 CPUs); huge
// NanoCpus once overflowed nano * period.
void FrontDoorTest::cpusAndNanoCpusShareOneFormula() {
    QCOMPARE(*parseCpus("1.5"), int64_t(150000));
    QCOMPARE(*cpuQuotaForNanoCpus(1500000000), int64_t(150000));
    QCOMPARE(*cpuQuotaForNanoCpus(500000000, 1000000), int64_t(500000));
    QCOMPARE(*cpuQuotaForNanoCpus(int64_t(4096) * 1000000000, 1000000), int64_t(4096) * 1000000);
    for (int64_t bad : {int64_t(9000000000000000000), int64_t(4097) * 1000000000, int64_t(9999999)}) {
        auto q = cpuQuotaForNanoCpus(bad);
        QVERIFY(!q);
        QCOMPARE(int(q.error().code()), int(Errc::InvalidArgument));
    }
    QVERIFY(!parseCpus("5000"));
    QVERIFY(!parseCpus("0.001"));
}

// The API's Config.Healthcheck: the flags' HealthConfig, and dockerd's refusals.
void FrontDoorTest::apiHealthcheckAsDockerd() {
    auto h = healthConfigFromDockerJson(
        R"({"Test": ["CMD-SHELL", "test -e /ready"], "Interval": 2000000000, "Retries": 2, "Unknown": 1})");
    QVERIFY2(h, h ? "" : h.error().message().c_str());
    RunFlags f;
    f.healthCmd = "test -e /ready";
    f.healthInterval = "2s";
    f.healthRetries = "2";
    QCOMPARE(*h, *parsed(f).healthcheck);
    QCOMPARE(healthConfigFromDockerJson(R"({"Test": ["NONE"]})")->test, std::vector<std::string>{"NONE"});
    QVERIFY(healthConfigFromDockerJson(R"({"Test": [], "Interval": 0, "Timeout": null})")->test.empty());
    const std::pair<const char*, const char*> refused[] = {
        {R"({"Interval": 999999})", "Interval in Healthcheck cannot be less than 1ms"},
        {R"({"StartPeriod": 5})", "StartPeriod in Healthcheck cannot be less than 1ms"},
        {R"({"Retries": -1})", "Retries in Healthcheck cannot be negative"},
        {R"({"Timeout": "30s"})", "Healthcheck.Timeout must be an integer"},
        {R"({"Test": "true"})", "Healthcheck.Test must be a list of strings"},
        {R"({"Test": ["SHELL", "true"]})", "unknown healthcheck type \"SHELL\""},
        {R"({"Test": ["CMD-SHELL"]})", "CMD-SHELL takes exactly one command string"},
        {R"([1])", "Healthcheck must be an object"},
        {R"({"Test": [)", "Healthcheck must be an object"},
    };
    for (auto [input, message] : refused) {
        auto r = healthConfigFromDockerJson(input);
        QVERIFY2(!r, input);
        QCOMPARE(int(r.error().code()), int(Errc::InvalidArgument));
        QVERIFY2(r.error().message().find(message) != std::string::npos, r.error().message().c_str());
    }
}

void FrontDoorTest::cpuPercentIsDockersFormula() {
    ContainerStats a, b;
    a.id = b.id = "c";
    a.startedNano = b.startedNano = 1'000'000'000;
    a.timeNano = 2'000'000'000;
    b.timeNano = 3'000'000'000;
    a.cpuUsageNs = 100'000'000;
    b.cpuUsageNs = 600'000'000;  // half a core for one second
    a.systemUsageNs = 10'000'000'000;
    b.systemUsageNs = 14'000'000'000;  // 4 cores for one second
    a.onlineCpus = b.onlineCpus = 4;
    QCOMPARE(cpuPercent(&a, b), 50.0);
    // No previous sample: the average since the start (0.6 s of CPU in 2 s).
    QCOMPARE(cpuPercent(nullptr, b), 30.0);
    // A sample from before a restart is not a previous one.
    a.startedNano = 0;
    QCOMPARE(cpuPercent(&a, b), 30.0);
}

static void writeLines(const std::filesystem::path& p, int from, int to, const std::string& tail = {}) {
    std::ofstream out(p, std::ios::app);
    for (int i = from; i < to; ++i)
        out << R"({"log":"line )" << i << R"(\n","stream":"stdout","time":"2026-01-01T00:00:00Z"})" << "\n";
    out << tail;
}

static std::vector<std::string> tail(const std::filesystem::path& p, int n) {
    std::vector<std::string> got;
    auto r = container::readLinesBackwards(p, [&](std::string_view l) {
        got.emplace_back(l);
        return int(got.size()) < n;
    });
    if (!r) qFatal("readLinesBackwards: %s", r.error().message().c_str());
    return got;
}

void FrontDoorTest::tailReadsBackwardsAcrossBlocksAndFiles() {
    test::TempDir dir;
    auto log = dir.path() / "log.jsonl";
    writeLines(log, 0, 5000, R"({"log":"torn)");  // ~350 kB: several 64 KiB blocks, a torn last line
    auto last = tail(log, 3);
    QCOMPARE(last.size(), size_t(3));
    QVERIFY(last[0].find("line 4999") != std::string::npos);
    QVERIFY(last[2].find("line 4997") != std::string::npos);
    auto all = tail(log, 100000);
    QCOMPARE(all.size(), size_t(5000));
    QVERIFY(all.back().find("line 0\\n") != std::string::npos);
    auto r = container::readLinesBackwards(log, [](std::string_view) { return false; });
    QVERIFY(r);
    QCOMPARE(r->partial, std::string(R"({"log":"torn)"));
    QVERIFY(container::readLinesBackwards(dir.path() / "missing", [](std::string_view) { return true; }));
}

void FrontDoorTest::tailOfAHugeLogReadsOnlyItsEnd() {
    // A 1 TiB sparse log whose last lines are real: a reader that went through the whole
    // file would not finish within the test's timeout; one that seeks reads a few blocks.
    test::TempDir dir;
    auto log = dir.path() / "log.jsonl";
    {
        int fd = ::open(log.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
        QVERIFY(fd >= 0);
        QVERIFY2(::ftruncate(fd, off_t(1) << 40) == 0, "the file system does not take a 1 TiB sparse file");
        ::close(fd);
    }
    {
        std::ofstream out(log, std::ios::app);
        out << "\n";  // the hole (zeros) is one long first line; the real ones follow
    }
    writeLines(log, 0, 2);
    auto last = tail(log, 2);
    QCOMPARE(last.size(), size_t(2));
    QVERIFY(last[0].find("line 1") != std::string::npos);
    QVERIFY(last[1].find("line 0") != std::string::npos);
}

void FrontDoorTest::logFileFollowsAppendsAndTruncation() {
    test::TempDir dir;
    auto file = container::openJsonLogFile(dir.path());
    QVERIFY(file);
    auto& log = **file;
    auto first = log.readAppended();
    QVERIFY(first && first->starts.empty());  // no log yet
    writeLines(dir.path() / "log.jsonl", 0, 3, R"({"log":"half)");
    auto a = log.readAppended();
    QVERIFY(a);
    QCOMPARE(a->starts.size(), size_t(3));
    auto line = log.lineAt(a->starts[1], a->starts[2]);
    QVERIFY(line);
    QCOMPARE(line->text, std::string("line 1\n"));
    QCOMPARE(line->stream, std::string("stdout"));
    int seen = 0;
    QVERIFY(log.forEachLine(a->starts[0], a->end, [&](const LogLine&) { return ++seen > 0; }));
    QCOMPARE(seen, 3);
    {
        std::ofstream out(dir.path() / "log.jsonl", std::ios::trunc);
        out << R"({"log":"fresh\n","stream":"stderr","time":"2026-01-01T00:00:00Z"})" << "\n";
    }
    auto b = log.readAppended();
    QVERIFY(b);
    QVERIFY(b->restarted);
    QCOMPARE(b->starts.size(), size_t(1));
    QCOMPARE(log.lineAt(b->starts[0], b->end)->stream, std::string("stderr"));
}

void FrontDoorTest::durationsAndSizesAsDocker() {
    QCOMPARE(humanDuration(0), std::string("Less than a second"));
    QCOMPARE(humanDuration(59), std::string("59 seconds"));
    QCOMPARE(humanDuration(90), std::string("About a minute"));
    QCOMPARE(humanDuration(3600 + 29 * 60), std::string("About an hour"));
    QCOMPARE(humanDuration(2 * 3600 - 60), std::string("2 hours"));  // rounded, as docker
    QCOMPARE(humanDuration(3 * 86400), std::string("3 days"));
    QCOMPARE(humanSize(4'260'000), std::string("4.26MB"));
    QCOMPARE(humanSize(0), std::string("0B"));
    QCOMPARE(humanBinarySize(1536 * 1024), std::string("1.5MiB"));
    QCOMPARE(formatTimeNano(1'700'000'000'123'456'789), std::string("2023-11-14T22:13:20.123456789Z"));
    QCOMPARE(parseTimeNano("2023-11-14T23:13:20.5+01:00"), int64_t(1'700'000'000'500'000'000));
}

void FrontDoorTest::goTemplatesAsDocker() {
    const std::string inspect = R"({"Id":"abc","State":{"Pid":42,"Running":true},
        "Config":{"Labels":{"team":"web"},"Env":["A=1","B=2"]},
        "NetworkSettings":{"Networks":{"bridge":{"IPAddress":"10.77.0.2"},"front":{"IPAddress":"10.90.0.3"}}}})";
    auto render = [&](const char* t, TemplateOptions o = {}) {
        auto r = renderGoTemplate(t, inspect, o);
        return r ? *r : "ERROR " + r.error().message();
    };
    QCOMPARE(render("{{.State.Pid}}"), std::string("42"));
    QCOMPARE(render("{{.Id}}\\t{{.State.Running}}"), std::string("abc\ttrue"));
    QCOMPARE(render(R"({{index .Config.Labels "team"}})"), std::string("web"));
    QCOMPARE(render("{{index .Config.Env 1}}"), std::string("B=2"));
    QCOMPARE(render("{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}"), std::string("10.77.0.2 10.90.0.3 "));
    QCOMPARE(render("{{if .State.Running}}up{{else}}down{{end}}"), std::string("up"));
    QCOMPARE(render("{{json .Config.Labels}}"), std::string(R"({"team":"web"})"));
    QCOMPARE(render("{{.Config.Labels}}"), std::string("map[team:web]"));
    QCOMPARE(render("{{.Config.Env}}"), std::string("[A=1 B=2]"));
    QCOMPARE(render("a {{- .Id -}} b"), std::string("aabcb"));
    // Missing fields: docker's structs refuse them, its maps print <no value>.
    QVERIFY(render("{{.Nope}}").starts_with("ERROR template: can't evaluate field Nope"));
    QCOMPARE(render("{{.State.Nope}}", {.missingFieldIsError = false}), std::string("<no value>"));
    QCOMPARE(render("{{.id}}", {.caseInsensitiveFields = true}), std::string("abc"));
    QVERIFY(render("{{.Id").starts_with("ERROR template: unclosed action"));
    QVERIFY(render("{{range .Config.Env}}x").starts_with("ERROR template: missing {{end}}"));
    QVERIFY(render("{{printf \"%d\" 1}}").starts_with("ERROR template: unsupported"));
}

BERTH_GUILESS_TEST_MAIN(FrontDoorTest)
#include "tst_front_door.moc"
