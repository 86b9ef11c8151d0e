// The runtime layer's parsers and helpers, without root: Docker-format seccomp profiles,
// --user lookups, mount options, capability arithmetic, launch exit codes, and paths
// resolved inside a stack of layers (whiteouts only where mknod is allowed).

#include "skip.h"
#include "runtime/capabilities.h"
#include "runtime/default_paths.h"
#include "runtime/launcher.h"
#include "runtime/layer_path.h"
#include "runtime/mount_options.h"
#include "runtime/readonly_mount.h"
#include "runtime/seccomp_cache.h"
#include "runtime/seccomp_profile.h"
#include "runtime/user_lookup.h"
#include "sys/fs.h"

#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <sys/stat.h>

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

using namespace berth;
using namespace berth::runtime;

class RuntimeParsersTest : public QObject {
    Q_OBJECT

private slots:
    void defaultProfileCompiles() {
        auto text = defaultSeccompProfile();
        QVERIFY(text.has_value());
        auto prog = compileSeccompProfile(*text, defaultCapabilities());
        QVERIFY2(prog.has_value(), prog ? "" : prog.error().message().c_str());
        QVERIFY(prog->instructions.size() > 50);
        // With CAP_SYS_ADMIN the gated group (mount, unshare, setns...) is added: the
        // program differs, proving includes/excludes "caps" are read.
        auto caps = defaultCapabilities();
        caps.push_back("CAP_SYS_ADMIN");
        auto admin = compileSeccompProfile(*text, caps);
        QVERIFY(admin.has_value());
        QVERIFY(admin->instructions.size() != prog->instructions.size());
    }

    void malformedProfileIsAClearError() {
        auto bad = compileSeccompProfile("{\"defaultAction\": ", {});
        QVERIFY(!bad);
        QCOMPARE(bad.error().code(), Errc::InvalidArgument);
        QVERIFY(bad.error().message().find("malformed JSON") != std::string::npos);

        auto action = compileSeccompProfile(R"({"defaultAction":"SCMP_ACT_MAYBE"})", {});
        QVERIFY(!action);
        QVERIFY(action.error().message().find("unknown action `SCMP_ACT_MAYBE`") != std::string::npos);

        auto op = compileSeccompProfile(R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
            {"names":["clone"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_ALMOST"}]}]})", {});
        QVERIFY(!op);
        QVERIFY(op.error().message().find("syscalls[0] (clone)") != std::string::npos);
        QVERIFY(op.error().message().find("unknown operator") != std::string::npos);

        auto index = compileSeccompProfile(R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
            {"names":["clone"],"action":"SCMP_ACT_ERRNO","args":[{"index":9,"value":1,"op":"SCMP_CMP_EQ"}]}]})", {});
        QVERIFY(!index);
        QVERIFY(index.error().message().find("index") != std::string::npos);

        QVERIFY(!compileSeccompProfile("[1,2,3]", {}));
        QVERIFY(!compileSeccompProfile(R"({"syscalls":[]})", {}));
    }

    // A fresh store has no <root>/cache yet: the first start must still leave an entry
    // (it once silently never did, so every start compiled the profile again).
    void seccompCacheCreatesItsMissingParent() {
        QTemporaryDir tmp;
        std::filesystem::path dir = std::filesystem::path(tmp.path().toStdString()) / "cache" / "seccomp";
        QVERIFY(compileSeccompProfileCached(*defaultSeccompProfile(), defaultCapabilities(), dir));
        std::vector<std::filesystem::path> entries(std::filesystem::directory_iterator(dir), {});
        QCOMPARE(entries.size(), size_t(1));
    }

    void seccompCacheReturnsTheSameProgram() {
        QTemporaryDir tmp;
        std::filesystem::path dir = std::filesystem::path(tmp.path().toStdString()) / "seccomp";
        auto text = *defaultSeccompProfile();
        auto direct = compileSeccompProfile(text, defaultCapabilities());
        auto first = compileSeccompProfileCached(text, defaultCapabilities(), dir);
        auto second = compileSeccompProfileCached(text, defaultCapabilities(), dir);
        QVERIFY(direct && first && second);
        auto bytes = [](const SeccompProgram& p) {
            return std::string(reinterpret_cast<const char*>(p.instructions.data()), p.instructions.size() * sizeof(sock_filter));
        };
        QCOMPARE(bytes(*first), bytes(*direct));
        QCOMPARE(bytes(*second), bytes(*direct));
        std::vector<std::filesystem::path> entries(std::filesystem::directory_iterator(dir), {});
        QCOMPARE(entries.size(), size_t(1));
        struct stat st{};
        QCOMPARE(::stat(dir.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0700u);
        QCOMPARE(::stat(entries[0].c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);

        // An entry for another (permissive) profile planted under the default's name is
        // not taken for it: the stored key differs.
        std::string allowAll = R"({"defaultAction":"SCMP_ACT_ALLOW"})";
        std::filesystem::path other = std::filesystem::path(tmp.path().toStdString()) / "other";
        QVERIFY(compileSeccompProfileCached(allowAll, defaultCapabilities(), other));
        std::vector<std::filesystem::path> otherEntries(std::filesystem::directory_iterator(other), {});
        QCOMPARE(otherEntries.size(), size_t(1));
        std::filesystem::copy_file(otherEntries[0], entries[0], std::filesystem::copy_options::overwrite_existing);
        auto third = compileSeccompProfileCached(text, defaultCapabilities(), dir);
        QVERIFY(third);
        QCOMPARE(bytes(*third), bytes(*direct));
        // Different capabilities are a different entry (cap-gated rules differ).
        auto caps = defaultCapabilities();
        caps.push_back("CAP_SYS_ADMIN");
        auto admin = compileSeccompProfileCached(text, caps, dir);
        QVERIFY(admin);
        QVERIFY(bytes(*admin) != bytes(*direct));
    }

    void unknownSyscallsAreIgnored() {
        auto prog = compileSeccompProfile(R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
            {"names":["read","write","definitely_not_a_syscall"],"action":"SCMP_ACT_ALLOW"}]})", {});
        QVERIFY2(prog.has_value(), prog ? "" : prog.error().message().c_str());
    }

    void userLookup() {
        const std::string passwd = "root:x:0:0:root:/root:/bin/sh\n"
                                   "# a comment\n"
                                   "broken line\n"
                                   "app:x:1000:1000:App:/home/app:/bin/sh\n";
        const std::string group = "root:x:0:\napp:x:1000:\nwheel:x:10:app,other\naudio:x:29:other\n";
        auto app = lookupUserIn(passwd, group, "app");
        QVERIFY(app.has_value());
        QCOMPARE(app->uid, uid_t(1000));
        QCOMPARE(app->gid, gid_t(1000));
        QCOMPARE(app->home, std::string("/home/app"));
        QCOMPARE(app->additionalGids, std::vector<gid_t>{10});

        auto numeric = lookupUserIn(passwd, group, "1000");
        QCOMPARE(numeric->gid, gid_t(1000));
        QCOMPARE(numeric->name, std::string("app"));
        auto unknownUid = lookupUserIn(passwd, group, "4242");
        QVERIFY(unknownUid.has_value());  // Docker accepts a uid without an entry
        QCOMPARE(unknownUid->uid, uid_t(4242));
        QCOMPARE(unknownUid->gid, gid_t(0));
        auto pair = lookupUserIn(passwd, group, "4242:29");
        QCOMPARE(pair->gid, gid_t(29));
        auto named = lookupUserIn(passwd, group, "app:audio");
        QCOMPARE(named->gid, gid_t(29));
        QCOMPARE(lookupUserIn(passwd, group, "")->uid, uid_t(0));

        auto noUser = lookupUserIn(passwd, group, "ghost");
        QVERIFY(!noUser);
        QCOMPARE(noUser.error().code(), Errc::NotFound);
        QVERIFY(noUser.error().message().find("unable to find user ghost") != std::string::npos);
        auto noGroup = lookupUserIn(passwd, group, "app:ghosts");
        QVERIFY(!noGroup);
        QVERIFY(noGroup.error().message().find("unable to find group ghosts") != std::string::npos);
        QVERIFY(!lookupUserIn(passwd, group, "app:"));
        QVERIFY(!lookupUserIn(passwd, group, ":0"));
        QVERIFY(!lookupUserIn(passwd, group, "99999999999"));

        // A home that is empty or relative in the image's passwd becomes "/" (HOME is
        // always absolute); the fuzzer found the relative one.
        const std::string oddHomes = "rel:x:7:7::home/rel:/bin/sh\nnone:x:8:8::\n";
        QCOMPARE(lookupUserIn(oddHomes, group, "rel")->home, std::string("/"));
        QCOMPARE(lookupUserIn(oddHomes, group, "8")->home, std::string("/"));
    }

    void mountOptions() {
        auto o = parseMountOptions({"ro", "nosuid", "nodev", "size=64m", "mode=1777", "rprivate", "bind"});
        QVERIFY(o.has_value());
        QCOMPARE(o->flags, (unsigned long)(MS_RDONLY | MS_NOSUID | MS_NODEV));
        QCOMPARE(o->propagation, (unsigned long)(MS_PRIVATE | MS_REC));
        QCOMPARE(o->data, std::string("size=64m,mode=1777"));
        QVERIFY(!o->recursiveBind);
        auto rw = parseMountOptions({"ro", "rw"});
        QCOMPARE(rw->flags, 0ul);
        QVERIFY(!parseMountOptions({"size=1m,mode=1"}));
        QVERIFY(!parseMountOptions({""}));
    }

    // The mount points readonly_mount.cpp remounts on kernels without mount_setattr.
    void mountPointsFromMountinfo() {
        const std::string info =
            "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
            "40 22 0:35 / /srv/with\\040space\\011tab rw - tmpfs tmpfs rw\n"
            "41 40 0:36 /sub /srv/with\\040space\\011tab/inner ro - tmpfs tmpfs rw\n"
            "short line\n";
        QCOMPARE(mountPointsOf(info),
                 (std::vector<std::string>{"/", "/srv/with space\ttab", "/srv/with space\ttab/inner"}));
        QVERIFY(mountPointsOf("").empty());
    }

    void cpuListParsing() {
        QCOMPARE(parseCpuList("0-3,8,10-11\n"), (std::vector<int>{0, 1, 2, 3, 8, 10, 11}));
        QCOMPARE(parseCpuList("0"), (std::vector<int>{0}));
        QVERIFY(parseCpuList("3-1").empty());
        QVERIFY(parseCpuList("x").empty());
        QVERIFY(parseCpuList("1,,2").empty());
    }

    // Moby's list (daemon/pkg/oci/defaults.go): besides the older entries, /proc/interrupts
    // and a thermal_throttle directory per possible CPU (GHSA-6fw5-f8r9-fgfm).
    void maskedPathsFollowMoby() {
        const auto& masked = defaultMaskedPaths();
        auto has = [&](const std::string& p) { return std::find(masked.begin(), masked.end(), p) != masked.end(); };
        for (const char* p : {"/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
                              "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list",
                              "/proc/timer_stats", "/sys/devices/virtual/powercap", "/sys/firmware"})
            QVERIFY2(has(p), p);
        auto possible = sys::readFile("/sys/devices/system/cpu/possible");
        if (possible) {
            auto cpus = parseCpuList(*possible);
            QVERIFY(!cpus.empty());
            for (int c : cpus) {
                auto p = "/sys/devices/system/cpu/cpu" + std::to_string(c) + "/thermal_throttle";
                QVERIFY2(has(p), p.c_str());
            }
        }
        QCOMPARE(defaultReadonlyPaths(), (std::vector<std::string>{"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                                                   "/proc/sysrq-trigger"}));
    }

    void capabilityArithmetic() {
        QCOMPARE(defaultCapabilities().size(), size_t(14));
        auto onlyChown = resolveCapabilities({"chown"}, {"ALL"});
        QVERIFY(onlyChown.has_value());
        QCOMPARE(*onlyChown, std::vector<std::string>{"CAP_CHOWN"});
        auto plusAdmin = resolveCapabilities({"SYS_ADMIN"}, {"NET_RAW"});
        QCOMPARE(plusAdmin->size(), size_t(14));
        QVERIFY(std::find(plusAdmin->begin(), plusAdmin->end(), "CAP_SYS_ADMIN") != plusAdmin->end());
        QVERIFY(std::find(plusAdmin->begin(), plusAdmin->end(), "CAP_NET_RAW") == plusAdmin->end());
        auto bad = resolveCapabilities({"CAP_FLY"}, {});
        QVERIFY(!bad);
        QVERIFY(bad.error().message().find("unknown capability `CAP_FLY`") != std::string::npos);
        QCOMPARE(*capabilityNumber("cap_sys_admin"), 21);
        QCOMPARE(capabilityName(0), std::string("CAP_CHOWN"));
    }

    void layerPathsResolveInsideTheLayers() {
        QTemporaryDir tmp;
        namespace fs = std::filesystem;
        fs::path top = tmp.path().toStdString() + "/top", low = tmp.path().toStdString() + "/low";
        fs::path host = tmp.path().toStdString() + "/host";
        for (auto& d : {top, low, host, low / "usr/etc", low / "data", top / "data"}) fs::create_directories(d);
        auto put = [](const fs::path& p, const std::string& text) {
            std::ofstream(p) << text;
        };
        put(host / "passwd", "host\n");
        put(low / "usr/etc/passwd", "image\n");
        put(low / "data/old", "lower\n");
        put(top / "data/old", "upper\n");
        fs::create_symlink("/usr/etc", low / "etc");         // a symlink of the image: followed in the union
        fs::create_symlink(host, top / "hostlink");           // absolute, naming a host directory
        fs::create_symlink("../../../../../../..", top / "up");  // climbing: stops at the root
        std::vector<fs::path> layers{top, low};
        QCOMPARE(readFileInLayers(layers, "etc/passwd").value_or("?"), std::string("image\n"));
        QCOMPARE(readFileInLayers(layers, "/up/etc/passwd").value_or("?"), std::string("image\n"));
        QCOMPARE(readFileInLayers(layers, "data/old").value_or("?"), std::string("upper\n"));
        QCOMPARE(readFileInLayers(layers, "hostlink/passwd").value_or("?"), std::string());
        QCOMPARE(readFileInLayers(layers, "/up" + host.string() + "/passwd").value_or("?"), std::string());
        // A FIFO (or a device) is never opened: it would hang, or be the host's device.
        QCOMPARE(::mkfifo((top / "fifo").c_str(), 0600), 0);
        auto fifo = readFileInLayers(layers, "fifo");
        QVERIFY(!fifo);
        QVERIFY2(fifo.error().message().find("not a regular file") != std::string::npos, fifo.error().message().c_str());
        if (::mknod((top / "etc").c_str(), S_IFCHR | 0600, makedev(0, 0)) == 0) {
            // An overlay whiteout in the upper layer hides the image's /etc.
            QCOMPARE(readFileInLayers(layers, "etc/passwd").value_or("?"), std::string());
        }
    }

    void launchErrorExitCodes() {
        // From the code, not the text: a command not found or not executable has a code of
        // its own; any other missing thing (a bind source) is the engine's failure.
        QCOMPARE(exitCodeForLaunchError(Error(Errc::CommandNotFound, "exec `x`: executable file not found in $PATH", ENOENT)), 127);
        QCOMPARE(exitCodeForLaunchError(Error(Errc::NotExecutable, "exec `x`: Permission denied", EACCES)), 126);
        QCOMPARE(exitCodeForLaunchError(Error(Errc::NotFound, "exec `x`: a message that looks like one", ENOENT)), 125);
        QCOMPARE(exitCodeForLaunchError(Error(Errc::NotFound, "mount bind `/x` on `/y`: bind source: No such file", ENOENT)), 125);
        QCOMPARE(exitCodeForLaunchError(Error(Errc::System, "pivot_root: Invalid argument", EINVAL)), 125);
    }
};

BERTH_GUILESS_TEST_MAIN(RuntimeParsersTest)
#include "runtime_parsers_test.moc"
