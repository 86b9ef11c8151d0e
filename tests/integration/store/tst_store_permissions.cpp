// The store is private (issue 15). A store populated the way an attacker would want it (an
// image with a setuid-root file, a container whose environment holds a secret, a volume
// with a setuid copy of busybox and a device node of the host's disk made by container
// root, a container's upper layer with a setuid file its root made, a running container's
// state) is walked by another host user (uid 65534, through setpriv), who must be able to
// list, read, run or open nothing in it. The walker first proves it can read a readable
// control file and open the same device node made outside the store, so "nothing found"
// is a finding and not a broken probe: the node container root made in a volume (which it
// opened to all) is out of reach only because the store's root refuses search.
#include "../containers/container_test_helpers.h"
#include "file_mode.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

using namespace berth::test;
namespace fs = std::filesystem;

namespace {

// "<kind> <path>" for store_walker: every entry below `dir`, and `dir` itself.
void listTree(const fs::path& dir, std::ofstream& out) {
    out << "d " << dir.string() << "\n";
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        struct stat st{};
        if (::lstat(it->path().c_str(), &st) != 0) continue;
        char kind = S_ISDIR(st.st_mode) ? 'd'
                  : S_ISLNK(st.st_mode) ? 'l'
                  : S_ISREG(st.st_mode) ? ((st.st_mode & 0111) ? 'x' : 'f')
                                        : 'n';
        out << kind << " " << it->path().string() << "\n";
    }
}

// The walker's findings for a failure message: how many, and those an attacker wants most.
std::string summary(const std::string& findings) {
    std::istringstream in(findings);
    std::string line, out;
    int count = 0;
    while (std::getline(in, line)) {
        ++count;
        for (const char* key : {"config.json", "suid", "/disk", "/zero", "rootshell", ".sock"})
            if (line.find(key) != std::string::npos) {
                out += line + "\n";
                break;
            }
    }
    return std::to_string(count) + " paths reached, among them:\n" + out;
}

} // namespace

class TestStorePermissions : public QObject {
    Q_OBJECT

    std::unique_ptr<TempDir> m_dir;
    fs::path m_root, m_runRoot;

    CommandResult berth(const std::vector<std::string>& args) {
        std::vector<std::string> argv{builtProgram("berth").string(), "--root", m_root.string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return runCommand(argv, 120000, {"BERTH_RUNROOT=" + m_runRoot.string()});
    }

    std::string idOf(const std::string& name) {
        auto j = nlohmann::json::parse(berth({"container", "inspect", name}).out, nullptr, false);
        if (j.is_discarded() || !j.is_array() || j.empty()) return "unknown-" + name;
        return j[0].value("Id", "unknown-" + name);
    }

    bool loadSetuidImage() {
        auto base = writeBusyboxArchive(m_dir->path() / "busybox.tar");
        ArchiveOptions o;
        o.tags = {"suid:1"};
        auto img = writeDockerArchive(m_dir->path() / "suid.tar",
                                      {base.layerTars.at(0),
                                       makeTar({{TarEntry::File, "bin/rootshell", readFileText("/bin/busybox"), "", 04755}})},
                                      o);
        auto r = berth({"load", "-i", img.archive.string()});
        if (r.exitCode != 0) qWarning("load: %s", r.err.c_str());
        return r.exitCode == 0;
    }

private slots:
    void init() {
        if (!haveBusybox()) BERTH_SKIP("busybox-static is not installed (/bin/busybox)", MissingProgram);
        if (!haveProgram("setpriv")) BERTH_SKIP("setpriv (util-linux) is not installed: cannot walk the store as another user", MissingProgram);
        m_dir = std::make_unique<TempDir>();
        // Only the store's own modes may keep the other user out: its parent is open.
        QCOMPARE(::chmod(m_dir->path().c_str(), 0755), 0);
        m_root = m_dir->path() / "store";
        m_runRoot = m_dir->path() / "run";
    }
    void cleanup() {
        if (m_dir) {
            auto ps = berth({"ps", "-aq", "--no-trunc"});
            std::istringstream ids(ps.out);
            for (std::string id; std::getline(ids, id);)
                if (!id.empty()) berth({"rm", "-f", "-v", id});
        }
        m_dir.reset();
    }

    void anotherUserReachesNothingInTheStore() {
        QVERIFY(!importBusybox(m_root).empty());
        QVERIFY(loadSetuidImage());
        auto layered = writeLayeredArchive(m_dir->path() / "layered.tar");
        QCOMPARE(berth({"load", "-i", layered.archive.string()}).exitCode, 0);
        QCOMPARE(berth({"create", "--name", "secret", "-e", "SECRET=hunter2", "busybox", "true"}).exitCode, 0);
        struct stat root{};
        QCOMPARE(::stat("/", &root), 0);
        // Container root (CAP_MKNOD is a default capability) makes nodes in a volume (the
        // host's disk, and /dev/zero's, which any host policy lets one open) and opens the
        // volume's directory to all: only the store's own modes stand between those nodes
        // and another host user.
        auto vol = berth({"run", "--rm", "-v", "loot:/v", "busybox", "sh", "-c",
                          "cp /bin/busybox /v/suid && chmod 4755 /v/suid && mknod -m 666 /v/disk b " +
                              std::to_string(major(root.st_dev)) + " " + std::to_string(minor(root.st_dev)) +
                              " && mknod -m 666 /v/zero c 1 5 && chmod 0777 /v"});
        QVERIFY2(vol.exitCode == 0, vol.err.c_str());
        auto upper = berth({"run", "--name", "upper", "busybox", "sh", "-c", "cp /bin/busybox /suid && chmod 4755 /suid"});
        QCOMPARE(upper.exitCode, 0);
        QCOMPARE(berth({"run", "-d", "--name", "running", "busybox", "sleep", "600"}).exitCode, 0);

        // What the attack would use is there (root sees it).
        fs::path volData = m_root / "volumes" / "loot" / "_data";
        QCOMPARE(modeOf(volData / "suid"), mode_t(04755));
        struct stat disk{};
        QCOMPARE(::lstat((volData / "disk").c_str(), &disk), 0);
        QVERIFY(S_ISBLK(disk.st_mode));
        QCOMPARE(disk.st_mode & 0777, mode_t(0666));
        QCOMPARE(modeOf(volData), mode_t(0777));
        struct stat zero{};
        QCOMPARE(::lstat((volData / "zero").c_str(), &zero), 0);
        QVERIFY(S_ISCHR(zero.st_mode));
        QCOMPARE(zero.st_mode & 0777, mode_t(0666));
        int opened = ::open((volData / "zero").c_str(), O_RDONLY | O_CLOEXEC);
        QVERIFY2(opened >= 0, strerror(errno));  // a working device node, on the host
        ::close(opened);
        auto secretDir = m_root / "containers" / idOf("secret");
        QVERIFY2(readFileText(secretDir / "config.json").find("SECRET=hunter2") != std::string::npos, secretDir.c_str());
        auto upperDir = m_root / "containers" / idOf("upper") / "upper";
        QCOMPARE(modeOf(upperDir / "suid"), mode_t(04755));

        // Walk everything as uid 65534, the walker and its list outside the store.
        fs::path walker = m_dir->path() / "store_walker", list = m_dir->path() / "paths";
        fs::copy_file(STORE_WALKER, walker);
        QCOMPARE(::chmod(walker.c_str(), 0755), 0);
        fs::path control = m_dir->path() / "control";
        writeFile(control, "readable\n");
        QCOMPARE(::chmod(control.c_str(), 0644), 0);
        // The same node outside the store: the walker opens it, so none opened in the store
        // means the path to them is closed (the store root's 0700).
        fs::path controlNode = m_dir->path() / "control-zero";
        QCOMPARE(::mknod(controlNode.c_str(), S_IFCHR | 0666, zero.st_rdev), 0);
        QCOMPARE(::chmod(controlNode.c_str(), 0666), 0);
        {
            std::ofstream out(list);
            out << "f " << control.string() << "\n";
            out << "n " << controlNode.string() << "\n";
            listTree(m_root, out);
            listTree(m_runRoot, out);
        }
        QCOMPARE(::chmod(list.c_str(), 0644), 0);
        auto walk = runCommand({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", walker.string(), list.string()});
        QVERIFY2(walk.exitCode == 0, walk.err.c_str());
        std::string expected = "READ " + control.string() + "\nOPENED " + controlNode.string() + "\n";
        QVERIFY2(walk.out.starts_with(expected), walk.out.c_str());  // the probe works
        QVERIFY2(walk.out == expected, summary(walk.out.substr(expected.size())).c_str());

        // The modes that keep it out: the store, its parts, the records holding environments.
        QCOMPARE(modeOf(m_root), mode_t(0700));
        for (const char* d : {"blobs", "blobs/sha256", "layers", "images", "containers", "volumes", "tmp"})
            QCOMPARE(modeOf(m_root / d), mode_t(0700));
        QCOMPARE(modeOf(m_runRoot), mode_t(0711));  // root: docker.sock for the berth group
        QCOMPARE(modeOf(m_runRoot / "containers"), mode_t(0700));
        QCOMPARE(modeOf(secretDir / "config.json"), mode_t(0600));
    }

    // A store made by an older Berth (0755 directories, 0644 configs) is made private by
    // the next command that opens it.
    void oldStoreIsMadePrivateWhenOpened() {
        QVERIFY(!importBusybox(m_root).empty());
        QCOMPARE(berth({"create", "--name", "secret", "-e", "SECRET=hunter2", "busybox", "true"}).exitCode, 0);
        auto dir = m_root / "containers" / idOf("secret");
        for (const char* d : {"", "blobs", "blobs/sha256", "layers", "images", "containers", "volumes", "tmp"})
            QCOMPARE(::chmod((m_root / d).c_str(), 0755), 0);
        QCOMPARE(::chmod(m_runRoot.c_str(), 0755), 0);
        QCOMPARE(::chmod((dir / "config.json").c_str(), 0644), 0);

        QCOMPARE(berth({"ps", "-a"}).exitCode, 0);
        QCOMPARE(modeOf(m_root), mode_t(0700));
        for (const char* d : {"blobs", "blobs/sha256", "layers", "images", "containers", "volumes", "tmp"})
            QCOMPARE(modeOf(m_root / d), mode_t(0700));
        QCOMPARE(modeOf(m_runRoot), mode_t(0711));  // root: docker.sock for the berth group
        QCOMPARE(modeOf(dir / "config.json"), mode_t(0600));
    }
};

BERTH_ROOT_TEST_MAIN(TestStorePermissions)
#include "tst_store_permissions.moc"
