// Attacks on volumes and mounts (issue 15), each performed for real through the CLI and
// shown to fail:
// - a container racing symlink swaps into a volume while another container's copy-up fills
//   it: a root-owned 0600 host file must keep its mode;
// - an image whose volume (or bind) destination is a symlink into /sys, /proc or /dev:
//   refused, nothing of the kernel's copied into the volume;
// - an image with device nodes where a volume is mounted: no node made in the volume;
// - a read-only bind of a host directory with a mount inside it: the write into the
//   submount refused, with mount_setattr and on the path of kernels without it.
#include "../containers/container_test_helpers.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <set>

using namespace berth::test;
namespace fs = std::filesystem;

namespace {

// Every entry below `dir` (not following symlinks), with its lstat.
std::vector<std::pair<fs::path, struct stat>> entriesBelow(const fs::path& dir) {
    std::vector<std::pair<fs::path, struct stat>> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        struct stat st{};
        if (::lstat(it->path().c_str(), &st) == 0) out.push_back({it->path(), st});
    }
    return out;
}

// A tmpfs mounted on the host for one test, detached again whatever happens.
struct HostTmpfs {
    fs::path at;
    bool mounted = false;
    explicit HostTmpfs(const fs::path& p) : at(p) {
        fs::create_directories(p);
        mounted = ::mount("tmpfs", p.c_str(), "tmpfs", 0, "size=1m") == 0;
    }
    ~HostTmpfs() {
        if (mounted) ::umount2(at.c_str(), MNT_DETACH);
    }
};

} // namespace

class TestVolumeAttacks : public QObject {
    Q_OBJECT

    std::unique_ptr<ContainerStoreFixture> f;
    std::unique_ptr<TempDir> m_work;

    // Loads busybox plus one layer of `extra` entries as `tag`.
    bool loadImage(const std::string& tag, const std::vector<TarEntry>& extra) {
        auto base = writeBusyboxArchive(m_work->path() / "busybox.tar");
        ArchiveOptions o;
        o.tags = {tag};
        auto img = writeDockerArchive(m_work->path() / "image.tar", {base.layerTars.at(0), makeTar(extra)}, o);
        auto r = f->berth({"load", "-i", img.archive.string()});
        if (r.exitCode != 0) qWarning("berth load %s: %s", tag.c_str(), r.err.c_str());
        return r.exitCode == 0;
    }

    CommandResult berthWithEnv(const std::vector<std::string>& args, const std::vector<std::string>& env) {
        std::vector<std::string> argv{builtProgram("berth").string(), "--root", f->root().string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return runCommand(argv, 120000, env);
    }

private slots:
    void init() {
        if (!haveBusybox()) BERTH_SKIP("busybox-static is not installed (/bin/busybox)", MissingProgram);
        f = std::make_unique<ContainerStoreFixture>();
        m_work = std::make_unique<TempDir>();
    }
    void cleanup() {
        f.reset();
        m_work.reset();
    }

    // Container B shares the volume and swaps each fifo the copy makes for a symlink to a
    // host file; a copy that changes modes by name (the old fchmodat) chmods the host file
    // to the image fifo's 04777. Five rounds, each with a fresh volume: the race is won by
    // chance, so the attacker reports each swap it made and the test requires some.
    void copyUpRaceCannotChangeHostFiles() {
        std::string attacker = VOLUME_RACE_ATTACKER;
        QVERIFY2(fs::exists(attacker), attacker.c_str());
        TempDir host;
        fs::path canary = host.path() / "canary";
        writeFile(canary, "host secret\n");
        QCOMPARE(::chmod(canary.c_str(), 0600), 0);

        std::vector<TarEntry> layer{{TarEntry::Dir, "data", "", "", 0755},
                                    {TarEntry::File, "attacker", readFileText(attacker), "", 0755}};
        for (int i = 0; i < 3000; ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "data/f%04d", i);
            layer.push_back({TarEntry::Fifo, name, "", "", 04777});
        }
        QVERIFY(loadImage("race:1", layer));

        int swapsMade = 0;
        for (int round = 0; round < 5; ++round) {
            std::string vol = "race" + std::to_string(round), name = "attacker" + std::to_string(round);
            auto b = f->berth({"run", "-d", "--name", name, "-v", vol + ":/v", "race:1", "/attacker", "/data", "/v",
                               canary.string(), "60"});
            QCOMPARE(b.exitCode, 0);
            QVERIFY(eventually([&] { return f->berth({"logs", name}).out.find("ready") != std::string::npos; }));
            auto a = f->berth({"run", "--rm", "-v", vol + ":/data", "race:1", "true"});
            auto log = f->berth({"logs", name}).out;
            f->berth({"rm", "-f", name});
            int swaps = 0;
            for (size_t at = log.find("swapped "); at != std::string::npos; at = log.find("swapped ", at + 1)) ++swaps;
            swapsMade += swaps;

            qInfo("round %d: %d names swapped for a symlink to the host file; %s", round, swaps,
                  a.exitCode == 0 ? "the copy finished" : "the copy saw an entry swapped and stopped the start");
            struct stat st{};
            QCOMPARE(::lstat(canary.c_str(), &st), 0);
            QVERIFY2(S_ISREG(st.st_mode), "the host file was replaced");
            QCOMPARE(st.st_mode & 07777, mode_t(0600));
            QCOMPARE(st.st_uid, uid_t(0));
            QCOMPARE(readFileText(canary), std::string("host secret\n"));
            // The copy either won every race or noticed the swap and refused to go on.
            QVERIFY2(a.exitCode == 0 || (a.exitCode == 125 && a.err.find("replaced while being made") != std::string::npos),
                     a.err.c_str());
        }
        // The attack was performed: names the copy made were swapped while it ran.
        QVERIFY2(swapsMade > 0, "the attacker never swapped a name: the race was not run");
    }

    void redirectIntoKernelFileSystemsRefused_data() {
        QTest::addColumn<QString>("link");
        QTest::addColumn<QString>("kind");
        std::string sysDir = fs::exists("/sys/kernel/mm/transparent_hugepage") ? "/sys/kernel/mm/transparent_hugepage"
                                                                               : "/sys/kernel/mm";
        QTest::newRow("volume into /sys") << QString::fromStdString(sysDir) << "volume";
        QTest::newRow("volume into /proc") << "/proc/sys/kernel" << "volume";
        QTest::newRow("volume into /dev") << "/dev" << "volume";
        QTest::newRow("relative link into /proc") << "../proc/self" << "volume";
        QTest::newRow("bind into /sys") << QString::fromStdString(sysDir) << "bind";
        QTest::newRow("tmpfs into /proc") << "/proc/sys" << "tmpfs";
    }
    void redirectIntoKernelFileSystemsRefused() {
        QFETCH(QString, link);
        QFETCH(QString, kind);
        QVERIFY(loadImage("redirect:1", {{TarEntry::Symlink, "data", "", link.toStdString(), 0777}}));
        TempDir host;
        std::string spec = kind == "volume" ? "type=volume,source=kvol,target=/data"
                         : kind == "bind"   ? "type=bind,source=" + host.path().string() + ",target=/data"
                                            : "type=tmpfs,target=/data";
        auto r = f->berth({"run", "--rm", "--mount", spec, "redirect:1", "sh", "-c", "ls /data | wc -l"});
        QCOMPARE(r.exitCode, 125);
        QVERIFY2(r.err.find("through a symlink in the image") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("refusing") != std::string::npos, r.err.c_str());
        // Nothing of the kernel's reached the volume.
        fs::path data = f->root() / "volumes" / "kvol" / "_data";
        if (fs::exists(data)) QVERIFY(entriesBelow(data).empty());
        QVERIFY(entriesBelow(host.path()).empty());
    }

    // A destination written into /dev is the user's to choose (as with Docker); only the
    // image's symlinks may not lead there.
    void literalDevDestinationStillWorks() {
        auto r = f->berth({"run", "--rm", "-v", "devdir:/dev/berth-volume", "busybox", "sh", "-c",
                           "echo ok > /dev/berth-volume/f && cat /dev/berth-volume/f"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(trimmed(r.out), std::string("ok"));
    }

    void deviceNodesNeverMadeInAVolume() {
        struct stat root{};
        QCOMPARE(::stat("/", &root), 0);
        // A node of the host's root disk and of /dev/mem, open to everyone in the image.
        QVERIFY(loadImage("devices:1", {
            {TarEntry::Dir, "data", "", "", 0755},
            {TarEntry::BlockDev, "data/disk", "", "", 0666, 0, 0, major(root.st_dev), minor(root.st_dev)},
            {TarEntry::CharDev, "data/mem", "", "", 0666, 0, 0, 1, 1},
            {TarEntry::Fifo, "data/pipe", "", "", 0644},
            {TarEntry::File, "data/keep", "kept\n", "", 0644},
        }));
        auto r = f->berth({"run", "--rm", "-v", "devvol:/data", "devices:1", "ls", "-A", "/data"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(trimmed(r.out), std::string("keep\npipe"));
        fs::path data = f->root() / "volumes" / "devvol" / "_data";
        std::set<std::string> names;
        for (auto& [p, st] : entriesBelow(data)) {
            QVERIFY2(!S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode), p.c_str());
            names.insert(p.filename().string());
        }
        QCOMPARE(names, (std::set<std::string>{"keep", "pipe"}));
        QCOMPARE(readFileText(data / "keep"), std::string("kept\n"));
        struct stat pipe{};
        QCOMPARE(::lstat((data / "pipe").c_str(), &pipe), 0);
        QVERIFY(S_ISFIFO(pipe.st_mode));
        QCOMPARE(pipe.st_mode & 07777, mode_t(0644));
    }

    void readOnlyBindCoversSubmounts_data() {
        QTest::addColumn<QString>("env");
        QTest::newRow("mount_setattr") << "";
        QTest::newRow("remount each (kernels before 5.12)") << "BERTH_NO_MOUNT_SETATTR=1";
    }
    void readOnlyBindCoversSubmounts() {
        QFETCH(QString, env);
        std::vector<std::string> extraEnv;
        if (!env.isEmpty()) extraEnv.push_back(env.toStdString());
        TempDir host;
        HostTmpfs inner(host.path() / "inner");
        QVERIFY2(inner.mounted, "mount a tmpfs inside the bind source");
        HostTmpfs deeper(host.path() / "inner" / "deeper");
        QVERIFY(deeper.mounted);
        const std::string script =
            "echo x > /mnt/top; echo top=$?; echo x > /mnt/inner/new; echo inner=$?; "
            "echo x > /mnt/inner/deeper/new; echo deeper=$?";
        auto r = berthWithEnv({"run", "--rm", "-v", host.path().string() + ":/mnt:ro", "busybox", "sh", "-c", script},
                              extraEnv);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.find("top=1") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("inner=1") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("deeper=1") != std::string::npos, r.out.c_str());
        QVERIFY2(r.err.find("Read-only file system") != std::string::npos, r.err.c_str());
        auto m = berthWithEnv({"run", "--rm", "--mount", "type=bind,source=" + host.path().string() + ",target=/mnt,readonly",
                               "busybox", "sh", "-c", script},
                              extraEnv);
        QVERIFY2(m.out.find("inner=1") != std::string::npos, m.out.c_str());
        QVERIFY2(m.out.find("deeper=1") != std::string::npos, m.out.c_str());
        QVERIFY(!fs::exists(host.path() / "top"));
        QVERIFY(!fs::exists(host.path() / "inner" / "new"));
        QVERIFY(!fs::exists(host.path() / "inner" / "deeper" / "new"));
        // Read-write, the same bind writes through to the submount: the refusal above is
        // the read-only option's doing.
        auto rw = berthWithEnv({"run", "--rm", "-v", host.path().string() + ":/mnt", "busybox", "sh", "-c",
                                "echo x > /mnt/inner/new"},
                               extraEnv);
        QCOMPARE(rw.exitCode, 0);
        QVERIFY(fs::exists(host.path() / "inner" / "new"));
    }
};

BERTH_ROOT_TEST_MAIN(TestVolumeAttacks)
#include "tst_volume_attacks.moc"
