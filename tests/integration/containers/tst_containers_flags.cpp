// docker run's flags that were "unknown options" before (issue 20), on real containers:
// --shm-size is /dev/shm's size, --sysctl is written in the container's own namespaces (the
// host's values untouched) and refused outside docker's list, and the flags Berth does not
// support yet are refused by name with nothing created.
#include "skip.h"
#include "container_test_helpers.h"

#include <QtTest/QtTest>

#include <fstream>

using namespace berth::test;

class ContainersFlags : public QObject {
    Q_OBJECT
    std::unique_ptr<ContainerStoreFixture> s;

    static std::string hostValue(const char* path) {
        std::ifstream in(path);
        std::string v((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return trimmed(v);
    }
    // The /dev/shm line of the container's /proc/mounts.
    std::string shmMount(const std::vector<std::string>& flags) {
        std::vector<std::string> args{"run", "--rm"};
        args.insert(args.end(), flags.begin(), flags.end());
        args.insert(args.end(), {"busybox", "grep", " /dev/shm ", "/proc/mounts"});
        auto r = s->berth(args);
        if (r.exitCode != 0) return "exit " + std::to_string(r.exitCode) + ": " + r.err;
        return trimmed(r.out);
    }

private slots:
    void init() { s = std::make_unique<ContainerStoreFixture>(); }
    void cleanup() { s.reset(); }

    void shmSizeIsDevShmsSize() {
        // docker's default without the flag: 64 MiB.
        auto line = shmMount({});
        QVERIFY2(line.find("size=65536k") != std::string::npos, line.c_str());
        line = shmMount({"--shm-size", "128m"});
        QVERIFY2(line.find("size=131072k") != std::string::npos, line.c_str());
        // df sees the same size (1K blocks), and the container can use it.
        auto df = s->berth({"run", "--name", "shm", "--shm-size", "128m", "busybox", "sh", "-c",
                            "df -k /dev/shm | tail -n 1 | awk '{print $2}'; "
                            "dd if=/dev/zero of=/dev/shm/f bs=1M count=100 2>/dev/null && echo wrote"});
        QCOMPARE(df.exitCode, 0);
        QCOMPARE(trimmed(df.out), std::string("131072\nwrote"));
        QCOMPARE(s->inspect("shm")["HostConfig"]["ShmSize"].get<int64_t>(), int64_t(128) << 20);
        // Past the size, the tmpfs is full.
        auto full = s->berth({"run", "--rm", "--shm-size", "1m", "busybox", "sh", "-c",
                              "dd if=/dev/zero of=/dev/shm/f bs=1M count=2 2>/dev/null || echo full"});
        QCOMPARE(trimmed(full.out), std::string("full"));
    }

    void sysctlsAreTheContainersOwn() {
        const std::string hostShmmax = hostValue("/proc/sys/kernel/shmmax");
        const std::string hostForward = hostValue("/proc/sys/net/ipv4/ip_forward");
        const std::string hostMsgMax = hostValue("/proc/sys/fs/mqueue/msg_max");
        const std::string forward = hostForward == "1" ? "0" : "1";  // differs from the host's
        auto r = s->berth({"run", "--name", "sc", "--network", "none", "--sysctl", "net.ipv4.ip_forward=" + forward,
                           "--sysctl", "kernel.shmmax=123456789", "--sysctl", "fs.mqueue.msg_max=17", "busybox", "sh",
                           "-c", "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax /proc/sys/fs/mqueue/msg_max"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(trimmed(r.out), forward + "\n123456789\n17");
        QCOMPARE(hostValue("/proc/sys/kernel/shmmax"), hostShmmax);
        QCOMPARE(hostValue("/proc/sys/net/ipv4/ip_forward"), hostForward);
        QCOMPARE(hostValue("/proc/sys/fs/mqueue/msg_max"), hostMsgMax);
        auto sysctls = s->inspect("sc")["HostConfig"]["Sysctls"];
        QCOMPARE(sysctls["kernel.shmmax"].get<std::string>(), std::string("123456789"));
        QCOMPARE(sysctls["net.ipv4.ip_forward"].get<std::string>(), forward);
        // Kept across a restart: written again at every start.
        r = s->berth({"start", "-a", "sc"});
        QCOMPARE(trimmed(r.out), forward + "\n123456789\n17");
    }

    void sysctlRefusals() {
        // Outside docker's list, or net.* on the host's network: refused before anything exists.
        auto r = s->berth({"run", "--rm", "--sysctl", "kernel.hostname=box", "busybox", "true"});
        QCOMPARE(r.exitCode, 125);
        QVERIFY2(r.err.find("sysctl 'kernel.hostname=box' is not whitelisted") != std::string::npos, r.err.c_str());
        r = s->berth({"run", "--rm", "--network", "host", "--sysctl", "net.core.somaxconn=1024", "busybox", "true"});
        QCOMPARE(r.exitCode, 125);
        QVERIFY2(r.err.find("not allowed in host network namespace") != std::string::npos, r.err.c_str());
        QCOMPARE(trimmed(s->berth({"ps", "-aq"}).out), std::string());
        // What the kernel refuses is a start error naming the sysctl.
        r = s->berth({"run", "--name", "bad", "--network", "none", "--sysctl", "net.ipv4.ip_forward=lots", "busybox", "true"});
        QVERIFY2(r.exitCode != 0, r.out.c_str());
        QVERIFY2(r.err.find("sysctl net.ipv4.ip_forward=lots") != std::string::npos, r.err.c_str());
        r = s->berth({"run", "--rm", "--network", "none", "--sysctl", "net.ipv4.no_such_knob=1", "busybox", "true"});
        QVERIFY2(r.exitCode != 0, r.out.c_str());
        QVERIFY2(r.err.find("net.ipv4.no_such_knob") != std::string::npos, r.err.c_str());
    }

    void unsupportedFlagsAreRefusedByName() {
        const std::vector<std::pair<std::vector<std::string>, std::string>> refused{
            {{"--mac-address", "02:42:ac:11:00:02"}, "--mac-address is not supported by Berth yet"},
            {{"--device", "/dev/null:/dev/n:rwx"}, "bad mode specified: rwx"},
            {{"--device", "/dev/null:dev/n"}, "bad format for path: dev/n"},
            {{"--device", "/dev/no-such-device"}, "error gathering device information while adding custom device"},
            {{"--device", "/etc/passwd"}, "\"/etc/passwd\" is not a device node"},
            {{"--cgroupns", "host"}, "--cgroupns=host is not supported by Berth yet"},
            {{"--ipc", "host"}, "--ipc=host is not supported by Berth yet"},
            {{"--pid", "host"}, "--pid=host is not supported by Berth yet"},
            {{"--pid", "container:db"}, "--pid=container:db is not supported by Berth yet"},
            {{"--network", "container:db"}, "--network=container:db is not supported by Berth yet"},
            {{"--ipc", "sideways"}, "--ipc: invalid IPC mode `sideways`"},
        };
        for (const auto& [flags, message] : refused) {
            std::vector<std::string> args{"run", "--rm"};
            args.insert(args.end(), flags.begin(), flags.end());
            args.insert(args.end(), {"busybox", "true"});
            auto r = s->berth(args);
            QCOMPARE(r.exitCode, 125);
            QVERIFY2(r.err.find(message) != std::string::npos, r.err.c_str());
            args[0] = "create";  // `create` parses the same flags
            args.erase(args.begin() + 1);
            auto created = s->berth(args);
            QCOMPARE(created.exitCode, 125);
            QVERIFY2(created.err.find(message) != std::string::npos, created.err.c_str());
        }
        QCOMPARE(trimmed(s->berth({"ps", "-aq"}).out), std::string());
        // The modes Berth gives every container are accepted: its own IPC, PID and cgroup
        // namespaces (pid 1 is the container's command).
        auto r = s->berth({"run", "--rm", "--ipc", "private", "--pid", "private", "--cgroupns", "private", "busybox",
                           "sh", "-c", "echo $$; cat /proc/self/cgroup | tail -n 1"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY2(r.out.starts_with("1\n"), r.out.c_str());
        QVERIFY2(r.out.find(":/\n") != std::string::npos, r.out.c_str());  // the container's cgroup is its "/"
    }

    // --init: berth-init is pid 1 (bound read-only on /sbin/docker-init) and the command its
    // first child, pid 2.
    void initIsPidOneAndTheCommandItsChild() {
        auto r = s->berth({"run", "--rm", "--init", "busybox", "sh", "-c",
                           "tr '\\0' ' ' < /proc/1/cmdline; echo; echo $$; echo $PPID; "
                           "grep ' /sbin/docker-init ' /proc/mounts | cut -d ' ' -f 4 | cut -d , -f 1; "
                           "echo x > /sbin/docker-init || echo refused"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        auto firstLine = r.out.substr(0, r.out.find('\n'));
        QVERIFY2(firstLine.starts_with("/sbin/docker-init -- sh -c tr "), r.out.c_str());  // pid 1
        QCOMPARE(r.out.substr(firstLine.size()), std::string("\n2\n1\nro\nrefused\n"));  // $$, $PPID, the bind
        QCOMPARE(s->berth({"run", "--name", "ini", "--init", "busybox", "true"}).exitCode, 0);
        QCOMPARE(s->inspect("ini")["HostConfig"]["Init"].get<bool>(), true);
        QCOMPARE(s->inspect("ini")["Path"].get<std::string>(), std::string("true"));  // the command, as docker shows it
        // Without it the command is pid 1.
        QCOMPARE(trimmed(s->berth({"run", "--rm", "busybox", "sh", "-c", "echo $$"}).out), std::string("1"));
    }

    // An orphan that ends is reaped by the init: no zombie is left in the container. The
    // command becomes `sleep`, which reaps nothing; a background shell makes the orphan and
    // counts the zombies a second later.
    void initReapsZombies() {
        const std::string script = "(sh -c 'true & exit 0'; sleep 1; "
                                   "for f in /proc/[0-9]*/stat; do cut -d ' ' -f 3 $f; done | grep -c Z) & exec sleep 3";
        auto r = s->berth({"run", "--rm", "--init", "busybox", "sh", "-c", script});
        QCOMPARE(trimmed(r.out), std::string("0"));
        // Without --init, `sleep` is pid 1 and the orphan stays its zombie (which shows that
        // the count sees zombies at all).
        r = s->berth({"run", "--rm", "busybox", "sh", "-c", script});
        QCOMPARE(trimmed(r.out), std::string("1"));
    }

    // `stop` signals pid 1, the init forwards SIGTERM to the command, and the command's status
    // is the container's; a command killed by a signal exits 128 + the signal.
    void initForwardsSignalsAndExitStatus() {
        QCOMPARE(s->berth({"run", "-d", "--init", "--name", "term", "busybox", "sh", "-c",
                           "trap 'echo got-term; exit 3' TERM; echo ready; while :; do sleep 1 & wait $!; done"})
                     .exitCode,
                 0);
        QVERIFY(eventually([&] { return s->berth({"logs", "term"}).out.find("ready") != std::string::npos; }));
        auto stopped = s->berth({"stop", "term"});
        QVERIFY2(stopped.exitCode == 0, stopped.err.c_str());
        QCOMPARE(trimmed(s->berth({"logs", "term"}).out), std::string("ready\ngot-term"));
        QCOMPARE(s->inspect("term")["State"]["ExitCode"].get<int>(), 3);
        QCOMPARE(s->berth({"run", "--rm", "--init", "busybox", "sh", "-c", "exit 7"}).exitCode, 7);
        QCOMPARE(s->berth({"run", "--rm", "--init", "busybox", "sh", "-c", "kill -9 $$"}).exitCode, 137);
        QCOMPARE(s->berth({"run", "--rm", "--init", "busybox", "no-such-command"}).exitCode, 127);
    }

    // --device: the host's node made in the container at the path asked, with the cgroup
    // rule its permissions say. /dev/fuse (10:229) is not in the default device list, so
    // without the flag a node made in the container cannot be opened at all.
    void deviceNodeAndItsCgroupRule() {
        if (!std::filesystem::exists("/dev/fuse")) BERTH_SKIP("the host has no /dev/fuse to map", HostSetup);
        const std::string probe = "ls -ln /dev/myfuse | awk '{print $1, $3, $4, $5, $6}'; "
                                  "(exec 3</dev/myfuse) 2>/dev/null && echo read-ok || echo read-refused; "
                                  "(exec 3>/dev/myfuse) 2>/dev/null && echo write-ok || echo write-refused";
        auto r = s->berth({"run", "--rm", "--device", "/dev/fuse:/dev/myfuse:r", "busybox", "sh", "-c", probe});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(trimmed(r.out), std::string("crw------- 0 0 10, 229\nread-ok\nwrite-refused"));
        r = s->berth({"run", "--rm", "--device", "/dev/fuse:/dev/myfuse", "busybox", "sh", "-c", probe});
        QCOMPARE(trimmed(r.out), std::string("crw------- 0 0 10, 229\nread-ok\nwrite-ok"));
        // Outside /dev, in the container's own layer, and kept in inspect.
        r = s->berth({"run", "--name", "dv", "--device", "/dev/fuse:/opt/fuse:rw", "busybox", "sh", "-c",
                      "ls -ln /opt/fuse | cut -c 1"});
        QCOMPARE(trimmed(r.out), std::string("c"));
        auto devices = s->inspect("dv")["HostConfig"]["Devices"];
        QCOMPARE(devices.size(), size_t(1));
        QCOMPARE(devices[0]["PathOnHost"].get<std::string>(), std::string("/dev/fuse"));
        QCOMPARE(devices[0]["PathInContainer"].get<std::string>(), std::string("/opt/fuse"));
        QCOMPARE(devices[0]["CgroupPermissions"].get<std::string>(), std::string("rw"));
        // Without the flag: a node the container makes itself is refused by the default rules.
        r = s->berth({"run", "--rm", "busybox", "sh", "-c",
                      "mknod /dev/f c 10 229 && (exec 3</dev/f) 2>/dev/null && echo opened || echo refused"});
        QCOMPARE(trimmed(r.out), std::string("refused"));
    }
};

BERTH_ROOT_TEST_MAIN(ContainersFlags)
#include "tst_containers_flags.moc"
