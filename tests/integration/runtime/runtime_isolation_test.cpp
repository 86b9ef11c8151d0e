// Containers launched by the runtime layer (through runtime_probe) are isolated the way
// Docker's defaults isolate them. Each test asserts the thing it names, and where a
// protection could be confused with a broken feature, also shows the same command working
// once that one protection is lifted (privileged, seccomp unconfined).

#include "skip.h"
#include "runtime/default_paths.h"
#include "test_support.h"

#include <sys/resource.h>
#include <unistd.h>

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace berth::test;
namespace fs = std::filesystem;

namespace {

void writeText(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

std::string trimmed(const std::string& s) { return QString::fromStdString(s).trimmed().toStdString(); }

// The host's mount table, reduced to the lines that could be touched by these tests: our
// temporary directories and anything at or under /etc (where a hostile /proc points).
// Other engineers' tests mount elsewhere at the same time; they don't count.
std::string relevantHostMounts(const fs::path& ours) {
    std::ifstream in("/proc/self/mountinfo");
    std::string line, out;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string id, parent, devno, root, mountPoint;
        fields >> id >> parent >> devno >> root >> mountPoint;
        if (mountPoint.starts_with(ours.string()) || mountPoint == "/etc" || mountPoint.starts_with("/etc/"))
            out += line + "\n";
    }
    return out;
}

} // namespace

class RuntimeIsolationTest : public QObject {
    Q_OBJECT

private:
    TempDir m_dir;
    fs::path m_root;  // a ready busybox rootfs

    CommandResult probe(const std::vector<std::string>& options, const std::vector<std::string>& command) {
        std::vector<std::string> argv = {RUNTIME_PROBE_PATH, "--rootfs", m_root.string()};
        argv.insert(argv.end(), options.begin(), options.end());
        argv.push_back("--");
        argv.insert(argv.end(), command.begin(), command.end());
        return runCommand(argv, 60000);
    }
    CommandResult sh(const std::string& script, const std::vector<std::string>& options = {}) {
        return probe(options, {"sh", "-c", script});
    }

    // A rootfs from the static busybox: bin/busybox + applet links, passwd, group.
    void makeRootfs(const fs::path& root) {
        fs::create_directories(root / "bin");
        fs::copy_file("/bin/busybox", root / "bin/busybox");
        auto list = runCommand({"/bin/busybox", "--list"});
        QCOMPARE(list.exitCode, 0);
        std::istringstream applets(list.out);
        std::string applet;
        while (applets >> applet)
            if (applet != "busybox") fs::create_symlink("busybox", root / "bin" / applet);
        writeText(root / "etc/passwd",
                  "root:x:0:0:root:/root:/bin/sh\n"
                  "nobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n");
        writeText(root / "etc/group", "root:x:0:\nstaff:x:50:nobody\nnogroup:x:65534:\n");
        fs::create_directories(root / "mnt");
        fs::create_directories(root / "tmp");
    }

private slots:
    void initTestCase() {
        if (!fs::exists("/bin/busybox")) BERTH_SKIP("needs the static busybox at /bin/busybox (busybox-static)", MissingProgram);
        QVERIFY2(fs::exists(RUNTIME_PROBE_PATH), RUNTIME_PROBE_PATH);
        m_root = m_dir.path() / "rootfs";
        makeRootfs(m_root);
    }

    void pidIsOne() {
        auto r = sh("echo $$");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(trimmed(r.out), std::string("1"));
    }

    void hostProcessesInvisible() {
        auto r = sh("cd /proc && ls -d [0-9]*");
        QCOMPARE(r.exitCode, 0);
        std::istringstream in(r.out);
        std::vector<int> pids;
        std::string p;
        while (in >> p) pids.push_back(std::stoi(p));
        QVERIFY2(!pids.empty(), r.out.c_str());
        // Only the shell and ls exist in the container: a handful of small pids, and none of
        // the host's (this test's own pid is visible on the host's /proc).
        QVERIFY2(pids.size() <= 4, r.out.c_str());
        for (int pid : pids) {
            QVERIFY2(pid < 10, r.out.c_str());
            QVERIFY(pid != int(::getpid()));
        }
        QVERIFY(std::find(pids.begin(), pids.end(), 1) != pids.end());
    }

    void hostnameIsSet() {
        auto r = probe({"--hostname", "berth-box"}, {"hostname"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(trimmed(r.out), std::string("berth-box"));
        char host[256] = {};
        ::gethostname(host, sizeof host - 1);
        QVERIFY(std::string(host) != "berth-box");
    }

    void mountIsRefusedWithoutSysAdmin() {
        auto confined = sh("mount -t tmpfs none /mnt && echo MOUNTED");
        QVERIFY(confined.exitCode != 0);
        QVERIFY(confined.out.find("MOUNTED") == std::string::npos);
        // Not only seccomp: without CAP_SYS_ADMIN the kernel refuses too.
        auto unconfined = sh("mount -t tmpfs none /mnt && echo MOUNTED", {"--unconfined"});
        QVERIFY(unconfined.exitCode != 0);
        QVERIFY2(unconfined.err.find("permission denied") != std::string::npos, unconfined.err.c_str());
        // And the same command works when the capability is there: the refusal above was it.
        auto privileged = sh("mount -t tmpfs none /mnt && echo MOUNTED", {"--privileged"});
        QCOMPARE(privileged.exitCode, 0);
        QCOMPARE(trimmed(privileged.out), std::string("MOUNTED"));
    }

    void seccompBlocksUserNamespace() {
        auto confined = probe({}, {"unshare", "-U", "true"});
        QVERIFY(confined.exitCode != 0);
        QVERIFY2(confined.err.find("Operation not permitted") != std::string::npos, confined.err.c_str());
        auto unconfined = probe({"--unconfined"}, {"unshare", "-U", "true"});
        QVERIFY2(unconfined.exitCode == 0, unconfined.err.c_str());
    }

    void cachedSeccompFilterStillBlocks() {
        std::string cache = (m_dir.path() / "seccomp-cache").string();
        for (int run = 0; run < 2; ++run) {  // the second run loads the cached program
            auto r = probe({"--seccomp-cache", cache}, {"unshare", "-U", "true"});
            QVERIFY(r.exitCode != 0);
            QVERIFY2(r.err.find("Operation not permitted") != std::string::npos, r.err.c_str());
        }
        QVERIFY(!fs::is_empty(cache));
    }

    void seccompFilterAndNoNewPrivsReported() {
        auto def = sh("grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status");
        QCOMPARE(def.exitCode, 0);
        QVERIFY2(def.out.find("Seccomp:\t2") != std::string::npos, def.out.c_str());
        QVERIFY2(def.out.find("NoNewPrivs:\t0") != std::string::npos, def.out.c_str());
        auto nnp = sh("grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status", {"--nnp"});
        QVERIFY2(nnp.out.find("NoNewPrivs:\t1") != std::string::npos, nnp.out.c_str());
        QVERIFY2(nnp.out.find("Seccomp:\t2") != std::string::npos, nnp.out.c_str());
        auto unconfined = sh("grep -E '^Seccomp:' /proc/self/status", {"--unconfined"});
        QVERIFY2(unconfined.out.find("Seccomp:\t0") != std::string::npos, unconfined.out.c_str());
    }

    void customSeccompProfileApplies() {
        fs::path profile = m_dir.path() / "no-mkdir.json";
        writeText(profile, R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
            {"names":["mkdir","mkdirat","no_such_syscall_xyz"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]})");
        auto r = sh("mkdir /tmp/denied", {"--seccomp", profile.string()});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("Permission denied") != std::string::npos, r.err.c_str());  // errno 13
        auto allowed = sh("mkdir /tmp/allowed && echo OK");
        QCOMPARE(trimmed(allowed.out), std::string("OK"));
    }

    void malformedSeccompProfileIsRejected() {
        fs::path profile = m_dir.path() / "broken.json";
        writeText(profile, R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [)");
        auto r = probe({"--seccomp", profile.string()}, {"true"});
        QCOMPARE(r.exitCode, 125);
        QVERIFY2(r.err.find("malformed JSON") != std::string::npos, r.err.c_str());
    }

    void defaultCapabilitiesAreDockers() {
        auto r = sh("grep -E '^Cap(Eff|Bnd|Inh|Amb):' /proc/self/status");
        QCOMPARE(r.exitCode, 0);
        // CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE
        // NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP = 0xa80425fb.
        QVERIFY2(r.out.find("CapEff:\t00000000a80425fb") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("CapBnd:\t00000000a80425fb") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("CapInh:\t0000000000000000") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("CapAmb:\t0000000000000000") != std::string::npos, r.out.c_str());
        auto only = sh("grep -E '^CapEff:' /proc/self/status", {"--cap-drop", "ALL", "--cap-add", "CHOWN"});
        QVERIFY2(only.out.find("CapEff:\t0000000000000001") != std::string::npos, only.out.c_str());
        auto chownRefused = sh("touch /tmp/f && chown 65534 /tmp/f && echo CHOWNED", {"--cap-drop", "CHOWN"});
        QVERIFY(chownRefused.out.find("CHOWNED") == std::string::npos);
        QVERIFY(chownRefused.exitCode != 0);
    }

    void maskedPathsUnreadable() {
        const std::string script = "head -c 64 /proc/timer_list | wc -c; ls /sys/firmware | wc -l";
        auto masked = sh(script);
        QCOMPARE(masked.exitCode, 0);
        QCOMPARE(trimmed(masked.out), std::string("0\n0"));
        // /proc/interrupts (per-CPU interrupt counts, a side channel: GHSA-6fw5-f8r9-fgfm).
        auto interrupts = sh("wc -c < /proc/interrupts");
        QCOMPARE(interrupts.exitCode, 0);
        QCOMPARE(trimmed(interrupts.out), std::string("0"));
        if (fs::exists("/proc/kcore")) {
            auto kcore = sh("wc -c < /proc/kcore");
            QCOMPARE(trimmed(kcore.out), std::string("0"));
        }
        // Unmasked (privileged), the same files have content: the mask is what emptied them.
        auto open = sh(script, {"--privileged"});
        QCOMPARE(open.exitCode, 0);
        QVERIFY2(trimmed(open.out).starts_with("64\n"), open.out.c_str());
        auto openInterrupts = sh("wc -c < /proc/interrupts", {"--privileged"});
        QVERIFY2(trimmed(openInterrupts.out) != "0", openInterrupts.out.c_str());
    }

    // Every path of the default list (default_paths.cpp: Moby's) that exists on this host is
    // masked in a container: a directory lists nothing, a file reads nothing.
    void everyDefaultMaskedPathIsEmpty() {
        std::string script, expected;
        for (const auto& p : berth::runtime::defaultMaskedPaths()) {
            std::error_code ec;
            auto st = fs::status(p, ec);
            if (ec || !fs::exists(st)) continue;  // the mask skips what the kernel lacks, too
            script += fs::is_directory(st) ? "echo " + p + " $(ls -A " + p + " | wc -l); "
                                           : "echo " + p + " $(head -c 16 " + p + " | wc -c); ";
            expected += p + " 0\n";
        }
        QVERIFY2(!expected.empty(), "none of the masked paths exists on this host");
        auto r = sh(script);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, expected);
    }

    void procSysIsReadOnly() {
        auto r = sh("echo changed > /proc/sys/kernel/hostname");
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("Read-only file system") != std::string::npos, r.err.c_str());
        // The kernel hostname is per-UTS-namespace, so the privileged write touches nothing
        // of the host and shows the path is writable without the read-only bind.
        auto privileged = sh("echo changed > /proc/sys/kernel/hostname && hostname", {"--privileged"});
        QCOMPARE(privileged.exitCode, 0);
        QCOMPARE(trimmed(privileged.out), std::string("changed"));
    }

    void onlyStdioFdsInherited() {
        // runtime_probe leaks fd 42 (not close-on-exec) on purpose.
        auto r = probe({"--leak-fd", "42"}, {"ls", "/proc/self/fd"});
        QCOMPARE(r.exitCode, 0);
        // 0, 1, 2 and the directory ls itself opened to list /proc/self/fd (3).
        QCOMPARE(trimmed(r.out), std::string("0\n1\n2\n3"));
    }

    void workingDirectoryHonoured() {
        auto r = probe({"--cwd", "/srv/app/data"}, {"pwd"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(trimmed(r.out), std::string("/srv/app/data"));
        auto relative = probe({"--cwd", "relative"}, {"pwd"});
        QCOMPARE(relative.exitCode, 125);
        QVERIFY2(relative.err.find("absolute") != std::string::npos, relative.err.c_str());
    }

    void userByUidAndName() {
        auto byUid = probe({"--user", "65534"}, {"id", "-u"});
        QCOMPARE(byUid.exitCode, 0);
        QCOMPARE(trimmed(byUid.out), std::string("65534"));
        auto byName = probe({"--user", "nobody"}, {"id"});
        QCOMPARE(byName.exitCode, 0);
        QVERIFY2(byName.out.find("uid=65534(nobody) gid=65534(nogroup)") != std::string::npos, byName.out.c_str());
        QVERIFY2(byName.out.find("50(staff)") != std::string::npos, byName.out.c_str());  // supplementary
        auto withGroup = probe({"--user", "65534:staff"}, {"id", "-g"});
        QCOMPARE(trimmed(withGroup.out), std::string("50"));
        // A non-root user has no effective capabilities.
        auto caps = sh("grep CapEff /proc/self/status", {"--user", "65534"});
        QVERIFY2(caps.out.find("CapEff:\t0000000000000000") != std::string::npos, caps.out.c_str());
        auto unknown = probe({"--user", "mallory"}, {"id"});
        QCOMPARE(unknown.exitCode, 125);
        QVERIFY2(unknown.err.find("unable to find user mallory") != std::string::npos, unknown.err.c_str());
    }

    void symlinkedProcIsRefused() {
        fs::path evil = m_dir.path() / "evil-proc";
        makeRootfs(evil);
        fs::create_symlink("/etc", evil / "proc");
        std::string before = relevantHostMounts(m_dir.path());
        auto r = runCommand({RUNTIME_PROBE_PATH, "--rootfs", evil.string(), "--", "true"});
        QCOMPARE(r.exitCode, 125);
        QVERIFY2(r.err.find("`/proc` is a symlink (to `/etc`)") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("refusing") != std::string::npos, r.err.c_str());
        QCOMPARE(relevantHostMounts(m_dir.path()), before);
        QVERIFY(fs::exists("/etc/passwd"));  // the host's /etc was not covered
    }

    void childErrorWinsOverTheHookItBroke() {
        // As root the child mounts its root, /proc, /sys and /dev while the parent's hook
        // runs: when /proc fails there and the child exits, a hook that fails because of
        // that must not hide the reason.
        fs::path evil = m_dir.path() / "evil-proc-hook";
        makeRootfs(evil);
        fs::create_symlink("/etc", evil / "proc");
        std::string before = relevantHostMounts(m_dir.path());
        auto r = runCommand({RUNTIME_PROBE_PATH, "--rootfs", evil.string(), "--fail-hook-after-exit", "--", "true"});
        QCOMPARE(r.exitCode, 125);
        QVERIFY2(r.err.find("`/proc` is a symlink (to `/etc`)") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("the test hook failed") == std::string::npos, r.err.c_str());
        QCOMPARE(relevantHostMounts(m_dir.path()), before);
    }

    void symlinkedDevIsRefused() {
        fs::path evil = m_dir.path() / "evil-dev";
        makeRootfs(evil);
        fs::create_symlink("/", evil / "dev");
        std::string before = relevantHostMounts(m_dir.path());
        auto r = runCommand({RUNTIME_PROBE_PATH, "--rootfs", evil.string(), "--", "true"});
        QCOMPARE(r.exitCode, 125);
        QVERIFY2(r.err.find("`/dev` is a symlink (to `/`)") != std::string::npos, r.err.c_str());
        QCOMPARE(relevantHostMounts(m_dir.path()), before);
    }

    void symlinkInMountTargetStaysInsideRoot() {
        // A user mount whose destination goes through `/data -> /etc` lands in the
        // container's /etc, never the host's.
        fs::path root = m_dir.path() / "link-root";
        makeRootfs(root);
        fs::create_symlink("/etc", root / "data");
        std::string before = relevantHostMounts(m_dir.path());
        auto r = runCommand({RUNTIME_PROBE_PATH, "--rootfs", root.string(), "--tmpfs", "/data/scratch", "--",
                             "sh", "-c", "grep -c ' /etc/scratch ' /proc/self/mountinfo"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(trimmed(r.out), std::string("1"));
        QCOMPARE(relevantHostMounts(m_dir.path()), before);
        QVERIFY(!fs::exists("/etc/scratch"));
    }

    void etcFileSymlinkStaysInsideRoot() {
        // The image's /etc/hosts tries to climb out to the host's /etc/hostname: the bind
        // lands on the container's own /etc/hostname instead.
        fs::path root = m_dir.path() / "hosts-link-root";
        makeRootfs(root);
        writeText(root / "etc/hostname", "image-hostname\n");
        fs::create_symlink("../../../../../../etc/hostname", root / "etc/hosts");
        fs::path hosts = m_dir.path() / "hosts-for-link";
        writeText(hosts, "10.9.8.7 bound-hosts\n");
        std::string hostHostname;
        std::getline(std::ifstream("/etc/hostname"), hostHostname);
        std::string before = relevantHostMounts(m_dir.path());
        auto r = runCommand({RUNTIME_PROBE_PATH, "--rootfs", root.string(), "--hosts", hosts.string(), "--",
                             "cat", "/etc/hostname"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(trimmed(r.out), std::string("10.9.8.7 bound-hosts"));
        QCOMPARE(relevantHostMounts(m_dir.path()), before);
        std::string after;
        std::getline(std::ifstream("/etc/hostname"), after);
        QCOMPARE(after, hostHostname);
    }

    void commandNotFoundIs127() {
        auto r = probe({}, {"no-such-command"});
        QCOMPARE(r.exitCode, 127);
        QVERIFY2(r.err.find("exec `no-such-command`: executable file not found in $PATH") != std::string::npos,
                 r.err.c_str());
        auto path = probe({}, {"/bin/nothing-here"});
        QCOMPARE(path.exitCode, 127);
    }

    void notExecutableIs126() {
        writeText(m_root / "bin/not-exec", "#!/bin/sh\necho hi\n");
        fs::permissions(m_root / "bin/not-exec", fs::perms::owner_read | fs::perms::owner_write);
        auto r = probe({"--user", "65534"}, {"/bin/not-exec"});
        QCOMPARE(r.exitCode, 126);
        QVERIFY2(r.err.find("Permission denied") != std::string::npos, r.err.c_str());
    }

    void containerExitStatusPassesThrough() {
        QCOMPARE(sh("exit 42").exitCode, 42);
        QCOMPARE(sh("exit 0").exitCode, 0);
        // pid 1 ignores signals it has no handler for, even SIGKILL from inside: the
        // container's init really is an init.
        QCOMPARE(sh("kill -9 $$; echo survived").out, std::string("survived\n"));
    }

    void readOnlyRootRefusesWrites() {
        auto r = sh("touch /written", {"--readonly"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("Read-only file system") != std::string::npos, r.err.c_str());
        QVERIFY(!fs::exists(m_root / "written"));
        auto rw = sh("touch /written-rw && echo OK");
        QCOMPARE(trimmed(rw.out), std::string("OK"));
        QVERIFY(fs::exists(m_root / "written-rw"));
        fs::remove(m_root / "written-rw");
    }

    void tmpfsMountWorks() {
        auto r = sh("grep ' /scratch ' /proc/self/mounts && echo data > /scratch/f && cat /scratch/f",
                    {"--readonly", "--tmpfs", "/scratch"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.find("tmpfs /scratch tmpfs rw,nosuid,nodev") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("data") != std::string::npos, r.out.c_str());
    }

    void readOnlyBindMount() {
        fs::path host = m_dir.path() / "host-data";
        writeText(host / "hello.txt", "from the host\n");
        auto r = sh("cat /data/hello.txt; echo x > /data/new", {"--bind", host.string() + ":/data:ro"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.out.find("from the host") != std::string::npos, r.out.c_str());
        QVERIFY2(r.err.find("Read-only file system") != std::string::npos, r.err.c_str());
        QVERIFY(!fs::exists(host / "new"));
        auto rw = sh("echo x > /data/new", {"--bind", host.string() + ":/data"});
        QCOMPARE(rw.exitCode, 0);
        QVERIFY(fs::exists(host / "new"));
    }

    void etcFilesAreBound() {
        fs::path hosts = m_dir.path() / "hosts";
        writeText(hosts, "127.0.0.1 localhost\n10.1.2.3 berth-test-host\n");
        auto r = probe({"--hosts", hosts.string()}, {"cat", "/etc/hosts"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.find("10.1.2.3 berth-test-host") != std::string::npos, r.out.c_str());
    }

    void minimalDevices() {
        auto r = sh("ls /dev; echo discarded > /dev/null && head -c 4 /dev/zero | wc -c; "
                    "grep -E ' /dev/(pts|shm|mqueue) ' /proc/self/mounts | cut -d' ' -f2,3");
        QCOMPARE(r.exitCode, 0);
        for (const char* dev : {"null", "zero", "full", "random", "urandom", "tty", "ptmx", "pts", "shm", "mqueue",
                                "fd", "stdin", "stdout", "stderr"})
            QVERIFY2(r.out.find(std::string(dev) + "\n") != std::string::npos, dev);
        QVERIFY2(r.out.find("sda") == std::string::npos && r.out.find("vda") == std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("/dev/pts devpts") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("/dev/shm tmpfs") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("/dev/mqueue mqueue") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("\n4\n") != std::string::npos, r.out.c_str());
    }

    void privateNetworkHasOnlyLoopbackUp() {
        auto r = sh("ls /sys/class/net; cat /sys/class/net/lo/flags");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(trimmed(r.out), std::string("lo\n0x9"));  // IFF_UP | IFF_LOOPBACK
        auto none = sh("ls /sys/class/net; cat /sys/class/net/lo/flags", {"--net", "none"});
        QCOMPARE(trimmed(none.out), std::string("lo\n0x9"));
    }

    void hostNetworkSharesTheHostsInterfaces() {
        std::vector<std::string> hostIfaces;
        for (const auto& e : fs::directory_iterator("/sys/class/net")) hostIfaces.push_back(e.path().filename());
        if (hostIfaces.size() < 2) BERTH_SKIP("the host has only lo: a shared and a private netns look alike", HostSetup);
        auto r = sh("ls /sys/class/net | wc -l", {"--net", "host"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(trimmed(r.out), std::to_string(hostIfaces.size()));
    }

    void sysIsReadOnly() {
        auto r = sh("grep ' /sys ' /proc/self/mounts");
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.find("sysfs /sys sysfs ro,") != std::string::npos, r.out.c_str());
    }

    void overlayRootWritesGoToUpper() {
        fs::path base = m_dir.path() / "overlay";
        fs::path top = base / "layer2", upper = base / "upper", work = base / "work", merged = base / "merged";
        writeText(top / "etc/motd", "top layer\n");
        fs::create_directories(upper);
        fs::create_directories(work);
        fs::create_directories(merged);
        std::string before = relevantHostMounts(m_dir.path());
        auto r = runCommand({RUNTIME_PROBE_PATH, "--rootfs", merged.string(), "--lower", m_root.string(), "--lower",
                             top.string(), "--upper", upper.string(), "--work", work.string(), "--", "sh", "-c",
                             "cat /etc/motd && echo new > /created && rm /bin/vi && test ! -e /bin/vi && echo DONE"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.find("top layer") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("DONE") != std::string::npos, r.out.c_str());
        QVERIFY(fs::exists(upper / "created"));
        QVERIFY(!fs::exists(m_root / "created"));
        QVERIFY(fs::is_symlink(m_root / "bin/vi"));  // the lower layer is untouched
        QVERIFY(fs::exists(fs::symlink_status(upper / "bin/vi")));  // a whiteout
        // The overlay lived in the container's mount namespace and went with it.
        QCOMPARE(relevantHostMounts(m_dir.path()), before);
        QVERIFY(fs::is_empty(merged));
    }

    void execInJoinsTheContainer() {
        auto r = probe({"--hostname", "exec-box", "--exec"},
                       {"sh", "-c", "echo $$; hostname; tr '\\0' ' ' < /proc/1/cmdline; echo; "
                                    "grep -E '^Seccomp:' /proc/self/status; ls /proc/self/fd | wc -l"});
        QCOMPARE(r.exitCode, 0);
        auto lines = QString::fromStdString(r.out).split('\n');
        QVERIFY2(lines.size() >= 5, r.out.c_str());
        int pid = lines[0].toInt();
        QVERIFY2(pid > 1 && pid < 20, r.out.c_str());  // inside the container's pid namespace
        QCOMPARE(lines[1].toStdString(), std::string("exec-box"));
        QCOMPARE(lines[2].trimmed().toStdString(), std::string("sleep 1000"));
        QCOMPARE(lines[3].toStdString(), std::string("Seccomp:\t2"));
        QCOMPARE(lines[4].toStdString(), std::string("4"));  // 0 1 2 and ls's own
        auto missing = probe({"--exec"}, {"no-such-command"});
        QCOMPARE(missing.exitCode, 127);
    }

    // A process joining the container (execIn) is attacked by the container at the moment
    // it first exists in the container's pid namespace (the exec's BeforeExec hook: before
    // it execs, while it is still a copy of the host's caller). The container's process
    // (escape_probe inspect, as the same user) must not read its environ nor ptrace it, and
    // the process must already be under its seccomp filter, with no_new_privs, as the
    // container's user. The same attack on an ordinary process of that user, from the same
    // container, works: the refusal is the joining process's protection, not the probe's.
    // As root only PR_SET_DUMPABLE protects it (without it: environ READ, seize ATTACHED);
    // as nobody the kernel also clears dumpable when the uid changes.
    void joiningProcessIsOutOfTheContainersReach_data() {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("uid");
        QTest::newRow("root") << "root" << "0";
        QTest::newRow("nobody") << "nobody" << "65534";
    }
    void joiningProcessIsOutOfTheContainersReach() {
#ifndef ESCAPE_PROBE_PATH
        BERTH_SKIP("escape_probe (tests/integration/containers) is not built", NotBuilt);
#else
        QFETCH(QString, user);
        QFETCH(QString, uid);
        auto r = probe({"--nnp", "--user", user.toStdString(), "--bind", std::string(ESCAPE_PROBE_PATH) + ":/probe:ro",
                        "--exec", "--exec-inspector", "/probe"},
                       {"sh", "-c", "sleep 30 & echo $! | /probe inspect; kill $!; echo CONTROL-DONE"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        auto split = r.out.find("CONTROL-DONE\n");
        QVERIFY2(split != std::string::npos, r.out.c_str());
        std::string control = r.out.substr(0, split), joining = r.out.substr(split);
        QVERIFY2(control.find("environ: READ") != std::string::npos, control.c_str());
        QVERIFY2(control.find("seize: ATTACHED") != std::string::npos, control.c_str());
        QVERIFY2(joining.find("END ") != std::string::npos, joining.c_str());
        QVERIFY2(joining.find("environ: Permission denied") != std::string::npos, joining.c_str());
        QVERIFY2(joining.find("seize: Operation not permitted") != std::string::npos, joining.c_str());
        QVERIFY2(joining.find("Seccomp:\t2") != std::string::npos, joining.c_str());
        QVERIFY2(joining.find("NoNewPrivs:\t1") != std::string::npos, joining.c_str());
        auto ids = uid.toStdString();
        QVERIFY2(joining.find("Uid:\t" + ids + "\t" + ids + "\t" + ids + "\t" + ids) != std::string::npos,
                 joining.c_str());
#endif
    }

    void terminalIsControllingTty() {
        auto r = sh("[ -t 0 ] && [ -t 1 ] && echo TTY; [ -c /dev/console ] && echo CONSOLE; "
                    "cut -d' ' -f7 /proc/self/stat", {"--tty"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.find("TTY") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("CONSOLE") != std::string::npos, r.out.c_str());
        auto lines = QString::fromStdString(r.out).split('\n', Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 3, r.out.c_str());
        QVERIFY2(lines[2].trimmed().toInt() != 0, r.out.c_str());  // tty_nr: a controlling terminal
        auto plain = sh("[ -t 0 ] && echo TTY; cut -d' ' -f7 /proc/self/stat");
        QCOMPARE(trimmed(plain.out), std::string("0"));
    }

    void beforeExecJoinsCgroupBeforeTheProcessRuns() {
        fs::path pidsRoot = "/sys/fs/cgroup/pids";
        if (!fs::exists(pidsRoot / "cgroup.procs")) BERTH_SKIP("no cgroup v1 pids hierarchy at /sys/fs/cgroup/pids", KernelFeature);
        fs::path cg = pidsRoot / ("berth-runtime-test-" + std::to_string(::getpid()));
        fs::create_directory(cg);
        struct Cleanup {
            fs::path p;
            ~Cleanup() { ::rmdir(p.c_str()); }
        } cleanup{cg};
        writeText(cg / "pids.max", "2");
        // sh + one sleep fit; the second sleep can't fork: the limit applied from the start.
        auto r = sh("grep ':pids:' /proc/self/cgroup; echo max=$(cat /sys/fs/cgroup/pids/pids.max); "
                    "echo 5 > /sys/fs/cgroup/pids/pids.max; sleep 1 & sleep 1 & wait",
                    {"--cgroup-procs", (cg / "cgroup.procs").string()});
        QVERIFY2(r.out.find(":pids:/\n") != std::string::npos, r.out.c_str());  // cgroup namespace root
        // /sys/fs/cgroup shows the container's own cgroup as its root, read-only.
        QVERIFY2(r.out.find("max=2\n") != std::string::npos, r.out.c_str());
        QVERIFY2(r.err.find("Read-only file system") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("can't fork") != std::string::npos, r.err.c_str());
        std::ifstream procs(cg / "cgroup.procs");
        std::string left;
        QVERIFY(!(procs >> left));  // nothing left in it
    }

    void failingBeforeExecLeavesNothing() {
        std::string before = relevantHostMounts(m_dir.path());
        auto r = probe({"--fail-hook"}, {"true"});
        QCOMPARE(r.exitCode, 125);
        QVERIFY2(r.err.find("the test hook failed on purpose") != std::string::npos, r.err.c_str());
        QCOMPARE(relevantHostMounts(m_dir.path()), before);
    }

    void rlimitsAppliedAndHardLimitNeverRaised() {
        auto r = probe({"--ulimit", "nofile=100:200"}, {"sh", "-c", "ulimit -n; ulimit -Hn"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(trimmed(r.out), std::string("100\n200"));
        // Above the current hard limit (root here can't raise it): kept at the current one.
        rlimit cur{};
        ::getrlimit(RLIMIT_NOFILE, &cur);
        if (cur.rlim_max == RLIM_INFINITY) BERTH_SKIP("the hard NOFILE limit is unlimited: nothing to clamp", HostSetup);
        std::string high = std::to_string(cur.rlim_max + 1000);
        auto clamped = probe({"--ulimit", "nofile=" + high + ":" + high}, {"sh", "-c", "ulimit -Hn"});
        QCOMPARE(clamped.exitCode, 0);
        QCOMPARE(trimmed(clamped.out), std::to_string(cur.rlim_max));
    }
};

BERTH_ROOT_TEST_MAIN(RuntimeIsolationTest)
#include "runtime_isolation_test.moc"
