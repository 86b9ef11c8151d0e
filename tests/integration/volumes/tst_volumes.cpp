// Volumes through the CLI, as a docker user would use them. Every test asserts the effect
// it names: the data IS there after the container is gone, the write WAS refused (EROFS in
// the container's own output, and no file on the host), the volume IS removed or kept.
#include "skip.h"
#include "../containers/container_test_helpers.h"

#include <sys/stat.h>
#include <sys/xattr.h>

#include <cstdint>
#include <set>
#include <sstream>

using namespace berth::test;

namespace {

std::set<std::string> volumeNames(ContainerStoreFixture& f) {
    auto r = f.berth({"volume", "ls", "-q"});
    std::set<std::string> out;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.insert(line);
    return out;
}

std::string anonymousVolumeOf(ContainerStoreFixture& f, const std::string& ref, const std::string& target) {
    auto j = f.inspect(ref);
    for (auto& m : j.value("Mounts", nlohmann::json::array()))
        if (m.value("Destination", "") == target) return m.value("Name", "");
    return {};
}

// An extended attribute of `path` ("" with errno set when it has none).
std::string xattrOf(const std::filesystem::path& path, const char* name) {
    char buf[256];
    ssize_t n = ::lgetxattr(path.c_str(), name, buf, sizeof buf);
    return n < 0 ? std::string() : std::string(buf, size_t(n));
}

// security.capability as the kernel stores it (vfs_cap_data, revision 2): `cap` permitted and
// effective, little-endian words.
std::string fileCapability(int cap) {
    uint32_t words[5] = {0x02000000u | 0x1u, 1u << cap, 0, 0, 0};
    return std::string(reinterpret_cast<const char*>(words), sizeof words);
}

} // namespace

class TestVolumes : public QObject {
    Q_OBJECT

    std::unique_ptr<ContainerStoreFixture> f;

private slots:
    void init() {
        if (!haveBusybox()) BERTH_SKIP("busybox-static is not installed (/bin/busybox)", MissingProgram);
        f = std::make_unique<ContainerStoreFixture>();
    }
    void cleanup() { f.reset(); }

    void namedVolumeSurvivesRecreatingTheContainer() {
        auto w = f->berth({"run", "--name", "writer", "-v", "data:/data", "busybox", "sh", "-c",
                           "echo kept-across-containers > /data/file"});
        QCOMPARE(w.exitCode, 0);
        QCOMPARE(f->berth({"rm", "writer"}).exitCode, 0);
        QVERIFY(volumeNames(*f).count("data"));
        auto r = f->berth({"run", "--rm", "-v", "data:/data", "busybox", "cat", "/data/file"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(trimmed(r.out), std::string("kept-across-containers"));
        // The data lives in the volume's directory in the store, not in a container.
        QCOMPARE(trimmed(readFileText(f->root() / "volumes" / "data" / "_data" / "file")),
                 std::string("kept-across-containers"));
    }

    void newVolumeIsFilledFromTheImage() {
        auto image = f->berth({"run", "--rm", "busybox", "sh", "-c", "cat /var/www/index.html; stat -c '%a %u:%g' /var/www/index.html /var/www"});
        QCOMPARE(image.exitCode, 0);
        auto r = f->berth({"run", "--rm", "-v", "web:/var/www", "busybox", "sh", "-c",
                           "cat /var/www/index.html; stat -c '%a %u:%g' /var/www/index.html /var/www"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!trimmed(image.out).empty());
        QCOMPARE(r.out, image.out);  // same content, modes and owners
        QVERIFY(std::filesystem::exists(f->root() / "volumes" / "web" / "_data" / "index.html"));

        // Only a new (empty) volume is filled: what the user left in it stays as it is.
        QCOMPARE(f->berth({"run", "--rm", "-v", "web:/var/www", "busybox", "sh", "-c",
                           "rm /var/www/index.html && echo mine > /var/www/other"}).exitCode, 0);
        auto again = f->berth({"run", "--rm", "-v", "web:/var/www", "busybox", "ls", "/var/www"});
        QCOMPARE(trimmed(again.out), std::string("other"));

        // nocopy: an empty volume stays empty.
        auto nocopy = f->berth({"run", "--rm", "-v", "bare:/var/www:nocopy", "busybox", "ls", "-A", "/var/www"});
        QCOMPARE(nocopy.exitCode, 0);
        QCOMPARE(trimmed(nocopy.out), std::string());
        // An anonymous volume is filled too.
        auto anon = f->berth({"run", "--rm", "-v", "/var/www", "busybox", "cat", "/var/www/index.html"});
        QCOMPARE(anon.exitCode, 0);
        QVERIFY(image.out.rfind(anon.out, 0) == 0);
    }

    // A new volume is filled with the image's hard links as links (one inode, as in the
    // image) and with its extended attributes Docker keeps: user.*, trusted.* and file
    // capabilities (security.capability). The copy used to make each name a file of its own
    // and drop every attribute.
    void copyUpKeepsHardLinksAndXattrs() {
        TempDir work;
        const std::string cap = fileCapability(10);  // CAP_NET_BIND_SERVICE
        std::vector<TarEntry> layer{{TarEntry::Dir, "data", "", "", 0750},
                                    {TarEntry::File, "data/a", "one inode\n", "", 0640},
                                    {TarEntry::Hardlink, "data/b", "", "data/a"},
                                    {TarEntry::Dir, "data/sub", "", "", 0755},
                                    {TarEntry::Hardlink, "data/sub/c", "", "data/a"},
                                    {TarEntry::File, "data/single", "one name\n", "", 0644},
                                    {TarEntry::File, "data/ping", "#!/bin/sh\n", "", 0755}};
        layer[0].xattrs = {{"user.where", "the directory"}};
        layer[1].xattrs = {{"user.note", "on a"}, {"trusted.note", "for root"}};
        layer[6].xattrs = {{"security.capability", cap}};
        auto base = writeBusyboxArchive(work.path() / "busybox.tar");
        ArchiveOptions o;
        o.tags = {"linked:1"};
        auto img = writeDockerArchive(work.path() / "linked.tar", {base.layerTars.at(0), makeTar(layer)}, o);
        auto load = f->berth({"load", "-i", img.archive.string()});
        QVERIFY2(load.exitCode == 0, load.err.c_str());
        // The image itself holds them (a store on a file system without user xattrs would not).
        std::filesystem::path inLayer;
        for (auto& e : std::filesystem::recursive_directory_iterator(f->root() / "layers"))
            if (e.path().filename() == "single" && e.path().parent_path().filename() == "data") inLayer = e.path().parent_path();
        QVERIFY(!inLayer.empty());
        if (xattrOf(inLayer / "a", "user.note").empty())
            BERTH_SKIP("the store's file system keeps no user xattrs", HostSetup);

        auto r = f->berth({"run", "--rm", "-v", "linked:/data", "linked:1", "stat", "-c", "%i %h", "/data/a", "/data/b",
                           "/data/sub/c"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        std::istringstream lines(r.out);
        std::string first, line;
        std::getline(lines, first);
        QCOMPARE(first.substr(first.find(' ')), std::string(" 3"));
        while (std::getline(lines, line)) QCOMPARE(line, first);  // one inode in the container

        auto vol = f->root() / "volumes" / "linked" / "_data";
        struct stat a{}, b{}, c{}, single{};
        QCOMPARE(::lstat((vol / "a").c_str(), &a), 0);
        QCOMPARE(::lstat((vol / "b").c_str(), &b), 0);
        QCOMPARE(::lstat((vol / "sub" / "c").c_str(), &c), 0);
        QCOMPARE(::lstat((vol / "single").c_str(), &single), 0);
        QCOMPARE(b.st_ino, a.st_ino);
        QCOMPARE(c.st_ino, a.st_ino);
        QCOMPARE(a.st_nlink, nlink_t(3));
        QCOMPARE(single.st_nlink, nlink_t(1));
        QCOMPARE(a.st_mode & 07777, mode_t(0640));
        QCOMPARE(readFileText(vol / "b"), std::string("one inode\n"));
        QCOMPARE(xattrOf(vol / "a", "user.note"), std::string("on a"));
        QCOMPARE(xattrOf(vol / "a", "trusted.note"), std::string("for root"));
        QCOMPARE(xattrOf(vol, "user.where"), std::string("the directory"));
        QCOMPARE(xattrOf(vol / "ping", "security.capability"), cap);
        QVERIFY(xattrOf(vol / "single", "user.note").empty());
    }

    void readOnlyBindMountRefusesWrites() {
        TempDir host;
        writeFile(host.path() / "present", "from-host\n");
        auto r = f->berth({"run", "--rm", "-v", host.path().string() + ":/mnt:ro", "busybox", "sh", "-c",
                           "cat /mnt/present; echo x > /mnt/new 2>&1; echo rc=$?"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.find("from-host") != std::string::npos, r.out.c_str());
        // The container's shell saw EROFS and the write failed...
        QVERIFY2((r.out + r.err).find("Read-only file system") != std::string::npos, (r.out + r.err).c_str());
        QVERIFY2(r.out.find("rc=1") != std::string::npos, r.out.c_str());
        // ...and nothing reached the host.
        QVERIFY(!std::filesystem::exists(host.path() / "new"));

        // The same bind read-write (--mount syntax) does write through.
        auto rw = f->berth({"run", "--rm", "--mount", "type=bind,source=" + host.path().string() + ",target=/mnt",
                            "busybox", "sh", "-c", "echo written > /mnt/new"});
        QCOMPARE(rw.exitCode, 0);
        QCOMPARE(readFileText(host.path() / "new"), std::string("written\n"));
        // A read-only named volume refuses writes as well.
        auto vol = f->berth({"run", "--rm", "--mount", "type=volume,source=rov,target=/v,readonly", "busybox",
                             "sh", "-c", "touch /v/x 2>&1; echo rc=$?"});
        QVERIFY2(vol.out.find("Read-only file system") != std::string::npos, vol.out.c_str());
        QVERIFY(!std::filesystem::exists(f->root() / "volumes" / "rov" / "_data" / "x"));
    }

    void tmpfsMount() {
        auto r = f->berth({"run", "--rm", "--mount", "type=tmpfs,target=/scratch,tmpfs-size=1m", "busybox", "sh", "-c",
                           "grep ' /scratch ' /proc/mounts"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.find("tmpfs /scratch tmpfs") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("size=1024k") != std::string::npos, r.out.c_str());
    }

    void removeWithVolumesTakesAnonymousKeepsNamed() {
        auto c = f->berth({"create", "--name", "both", "-v", "/anon", "-v", "named:/named", "busybox", "true"});
        QCOMPARE(c.exitCode, 0);
        auto anon = anonymousVolumeOf(*f, "both", "/anon");
        QCOMPARE(anon.size(), size_t(64));
        auto before = volumeNames(*f);
        QVERIFY(before.count(anon));
        QVERIFY(before.count("named"));
        auto j = f->inspect("both");
        bool sawNamed = false;
        for (auto& m : j["Mounts"])
            if (m.value("Name", "") == "named") {
                sawNamed = true;
                QCOMPARE(m.value("Type", ""), std::string("volume"));
                QCOMPARE(m.value("Source", ""), (f->root() / "volumes" / "named" / "_data").string());
                QCOMPARE(m.value("RW", false), true);
            }
        QVERIFY(sawNamed);

        QCOMPARE(f->berth({"rm", "-v", "both"}).exitCode, 0);
        auto after = volumeNames(*f);
        QVERIFY(!after.count(anon));
        QVERIFY(after.count("named"));
        QVERIFY(!std::filesystem::exists(f->root() / "volumes" / anon));

        // Without -v, the anonymous volume stays (for prune).
        QCOMPARE(f->berth({"create", "--name", "kept", "-v", "/anon", "busybox", "true"}).exitCode, 0);
        auto anon2 = anonymousVolumeOf(*f, "kept", "/anon");
        QCOMPARE(f->berth({"rm", "kept"}).exitCode, 0);
        QVERIFY(volumeNames(*f).count(anon2));
        // docker 23+: prune takes unused anonymous volumes only; --all the named ones too.
        auto p = f->berth({"volume", "prune", "-f"});
        QCOMPARE(p.exitCode, 0);
        QVERIFY(!volumeNames(*f).count(anon2));
        QVERIFY(volumeNames(*f).count("named"));
        QCOMPARE(f->berth({"volume", "prune", "-f", "--all"}).exitCode, 0);
        QVERIFY(volumeNames(*f).empty());

        // run --rm removes its anonymous volumes when the container goes.
        QCOMPARE(f->berth({"run", "--rm", "-v", "/tmpdata", "-v", "stays:/s", "busybox", "true"}).exitCode, 0);
        QVERIFY(eventually([&] { return volumeNames(*f) == std::set<std::string>{"stays"}; }));
    }

    void volumeInUseCannotBeRemoved() {
        QCOMPARE(f->berth({"volume", "create", "db"}).exitCode, 0);
        QCOMPARE(f->berth({"create", "--name", "user", "-v", "db:/db", "busybox", "true"}).exitCode, 0);
        // In use by a container that never ran: still in use, as with docker.
        auto r = f->berth({"volume", "rm", "db"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.find("volume is in use") != std::string::npos, r.err.c_str());
        auto forced = f->berth({"volume", "rm", "-f", "db"});
        QCOMPARE(forced.exitCode, 1);
        QVERIFY(volumeNames(*f).count("db"));
        auto insp = f->berth({"volume", "inspect", "db"});
        auto j = nlohmann::json::parse(insp.out, nullptr, false);
        QVERIFY(!j.is_discarded());
        QCOMPARE(j[0]["UsedBy"].size(), size_t(1));
        auto dangling = f->berth({"volume", "ls", "-q", "--filter", "dangling=true"});
        QCOMPARE(trimmed(dangling.out), std::string());
        QCOMPARE(f->berth({"rm", "user"}).exitCode, 0);
        QCOMPARE(trimmed(f->berth({"volume", "ls", "-q", "--filter", "dangling=true"}).out), std::string("db"));
        QCOMPARE(f->berth({"volume", "rm", "db"}).exitCode, 0);
        QVERIFY(volumeNames(*f).empty());
    }

    void badSpecsErrorWithNothingCreated_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("relative host path") << QStringList{"-v", "./site:/srv"} << "use absolute path";
        QTest::newRow("relative target") << QStringList{"-v", "data:srv"} << "mount path must be absolute";
        QTest::newRow("bad mode") << QStringList{"-v", "data:/srv:rx"} << "unknown mode";
        QTest::newRow("missing bind source")
            << QStringList{"-v", "fresh:/a", "-v", "/nonexistent/berth-volumes-test:/srv"}
            << "bind source path does not exist: /nonexistent/berth-volumes-test";
        QTest::newRow("mount without source") << QStringList{"--mount", "type=bind,target=/x"} << "needs a source";
        QTest::newRow("mount bad type") << QStringList{"--mount", "type=nfs,target=/x"} << "not supported";
        QTest::newRow("duplicate target")
            << QStringList{"-v", "fresh:/same", "--mount", "type=volume,source=other,target=/same"}
            << "Duplicate mount point: /same";
    }
    void badSpecsErrorWithNothingCreated() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        std::vector<std::string> argv{"run", "--name", "never"};
        for (auto& a : args) argv.push_back(a.toStdString());
        argv.insert(argv.end(), {"busybox", "true"});
        auto r = f->berth(argv);
        QCOMPARE(r.exitCode, 125);
        QVERIFY2(QString::fromStdString(r.err).contains(message), r.err.c_str());
        QVERIFY(f->containerDirs().empty());
        QVERIFY(volumeNames(*f).empty());
        QCOMPARE(trimmed(f->berth({"ps", "-aq"}).out), std::string());
    }

    void volumeNameTaken() {
        QCOMPARE(f->berth({"volume", "create", "taken"}).exitCode, 0);
        writeFile(f->root() / "volumes" / "taken" / "_data" / "keep", "x");
        auto r = f->berth({"volume", "create", "taken"});
        QCOMPARE(r.exitCode, 125);
        QVERIFY2(r.err.find("already exists") != std::string::npos, r.err.c_str());
        QVERIFY(std::filesystem::exists(f->root() / "volumes" / "taken" / "_data" / "keep"));
        auto bad = f->berth({"volume", "create", "no/slash"});
        QCOMPARE(bad.exitCode, 125);
        QVERIFY(volumeNames(*f) == std::set<std::string>{"taken"});
    }
};

BERTH_ROOT_TEST_MAIN(TestVolumes)
#include "tst_volumes.moc"
