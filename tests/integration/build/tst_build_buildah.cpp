// The same Dockerfile built by Debian's buildah and by berth gives the same image: the same
// config (env, cmd, entrypoint, workdir, user, labels, exposed ports) and the same files
// (type, mode, owner, size, content, link target of every path). Both start from one
// busybox docker-archive (berth load / buildah pull docker-archive:). buildah runs with its
// own --root/--runroot in the test's temp dir and vfs storage; its tree is read through
// `buildah from` + `buildah mount`, berth's by mounting the image's layers with overlayfs.
#include "skip.h"
#include "build_test_helpers.h"

#include "image/image_store.h"
#include "store/layout.h"

#include <QtTest/QtTest>

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <map>

using namespace berth::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string diag(const CommandResult& r) {
    return "exit " + std::to_string(r.exitCode) + "\nstdout: " + r.out + "\nstderr: " + r.err;
}

std::string fileSha(const fs::path& p) {
    std::string data = readFileText(p);
    return sha256Hex(data);
}

// path -> "type mode uid:gid size sha|target" for every entry below `root`.
std::map<std::string, std::string> describeTree(const fs::path& root) {
    std::map<std::string, std::string> out;
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::none); it != fs::recursive_directory_iterator(); ++it) {
        struct stat st{};
        if (::lstat(it->path().c_str(), &st) != 0) continue;
        std::string rel = "/" + fs::relative(it->path(), root).string();
        std::string what;
        if (S_ISREG(st.st_mode)) what = fmt::format("file {} {}", st.st_size, fileSha(it->path()));
        else if (S_ISDIR(st.st_mode)) what = "dir";
        else if (S_ISLNK(st.st_mode)) what = "link " + fs::read_symlink(it->path()).string();
        else what = fmt::format("special {:o}", st.st_mode & S_IFMT);
        out[rel] = fmt::format("{} {:o} {}:{}", what, st.st_mode & 07777, st.st_uid, st.st_gid);
    }
    return out;
}

json pick(const json& cfg) {
    json out = json::object();
    for (const char* k : {"Env", "Cmd", "Entrypoint", "WorkingDir", "User", "Labels", "ExposedPorts"}) {
        auto it = cfg.find(k);
        json v = it == cfg.end() ? json(nullptr) : *it;
        // Absent, null and empty mean the same to a runtime.
        if ((v.is_array() || v.is_object() || v.is_string()) && v.empty()) v = nullptr;
        out[k] = v;
    }
    return out;
}

} // namespace

class BuildBuildah : public QObject {
    Q_OBJECT

    std::unique_ptr<BuildFixture> m_f;
    std::vector<std::string> m_buildah;
    std::string m_buildahContainer;
    std::string m_mounted;  // berth overlay mountpoint

private slots:
    void initTestCase() {
        if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
        if (!haveProgram("buildah")) BERTH_SKIP("buildah is not installed (apt install buildah)", MissingProgram);
        if (!haveProgram("runc") && !haveProgram("crun")) BERTH_SKIP("buildah needs runc or crun for RUN steps", MissingProgram);
        m_f = std::make_unique<BuildFixture>();
        auto dir = m_f->scratch() / "buildah";
        m_buildah = {"buildah", "--root", (dir / "root").string(), "--runroot", (dir / "run").string(),
                     "--storage-driver", "vfs"};
        // One base for both: the fixture's busybox archive (Env, Cmd, a label, a port).
        auto archive = writeBusyboxArchive(m_f->scratch() / "busybox.tar",
                                           ArchiveOptions{.tags = {"docker.io/library/base:1"}});
        auto load = m_f->berth({"load", "-i", archive.archive.string()});
        QVERIFY2(load.exitCode == 0, diag(load).c_str());
        auto pull = runCommand(withBuildah({"pull", "--quiet", "docker-archive:" + archive.archive.string()}), 300000);
        if (pull.exitCode != 0) BERTH_SKIP(("buildah cannot run here: " + pull.err).c_str(), HostSetup);
        auto tag = runCommand(withBuildah({"tag", pull.out.substr(0, pull.out.find('\n')), "docker.io/library/base:1"}));
        QVERIFY2(tag.exitCode == 0, diag(tag).c_str());
    }
    void cleanupTestCase() {
        if (!m_mounted.empty()) ::umount2(m_mounted.c_str(), MNT_DETACH);
        if (!m_buildahContainer.empty()) {
            runCommand(withBuildah({"umount", m_buildahContainer}));
            runCommand(withBuildah({"rm", m_buildahContainer}));
        }
        if (!m_buildah.empty()) runCommand(withBuildah({"rmi", "--all", "--force"}), 300000);
        m_f.reset();
    }

    void sameConfigAndFilesAsBuildah() {
        m_f->write("app/main.sh", "#!/bin/sh\necho app\n");
        ::chmod((m_f->context() / "app/main.sh").c_str(), 0755);
        m_f->write("app/conf/settings.ini", "[a]\nb=c\n");
        m_f->write("notes.txt", "notes\n");
        m_f->write(".dockerignore", "*.log\n");
        m_f->write("ignored.log", "must not be copied\n");
        m_f->write("Dockerfile",
                   "FROM docker.io/library/base:1\n"
                   "ARG VERSION=1.2\n"
                   "ENV APP_HOME=/opt/app APP_VERSION=$VERSION\n"
                   "LABEL org.example.name=\"same image\" org.example.version=$VERSION\n"
                   "WORKDIR $APP_HOME\n"
                   "COPY app/ ./\n"
                   "COPY --chown=1000:1000 notes.txt /home/notes.txt\n"
                   "COPY . /ctx/\n"
                   "RUN mkdir -p /data/sub && echo \"v=$APP_VERSION\" > /data/sub/version && chmod 0750 /data/sub "
                   "&& ln -s /data/sub/version /data/link && chown -R 65534:65534 /data && rm /etc/group\n"
                   "EXPOSE 8080 9090/udp\n"
                   "USER nobody\n"
                   "ENTRYPOINT [\"/opt/app/main.sh\"]\n"
                   "CMD [\"--serve\"]\n");
        auto berth = m_f->build({"-t", "same:berth"});
        QVERIFY2(berth.exitCode == 0, diag(berth).c_str());
        auto bud = runCommand(withBuildah({"bud", "--runtime", haveProgram("runc") ? "runc" : "crun", "--isolation", "oci",
                                           "--format", "docker", "-q", "-t", "localhost/same:buildah",
                                           m_f->context().string()}),
                              600000);
        QVERIFY2(bud.exitCode == 0, diag(bud).c_str());

        // Config. buildah stamps its own version label on every image: not part of the
        // Dockerfile, left out.
        auto inspect = runCommand(withBuildah({"inspect", "--type", "image", "localhost/same:buildah"}));
        QVERIFY2(inspect.exitCode == 0, diag(inspect).c_str());
        json theirs = pick(json::parse(inspect.out)["OCIv1"]["config"]);
        if (theirs["Labels"].is_object()) theirs["Labels"].erase("io.buildah.version");
        json ours = pick(m_f->inspectImage("same:berth")["Config"]);
        QVERIFY2(ours == theirs, ("berth:   " + ours.dump() + "\nbuildah: " + theirs.dump()).c_str());
        QCOMPARE(ours["WorkingDir"].get<std::string>(), std::string("/opt/app"));
        QCOMPARE(ours["Labels"]["org.example.version"].get<std::string>(), std::string("1.2"));

        // Files.
        auto from = runCommand(withBuildah({"from", "--pull=never", "localhost/same:buildah"}));
        QVERIFY2(from.exitCode == 0, diag(from).c_str());
        m_buildahContainer = from.out.substr(0, from.out.find('\n'));
        auto mount = runCommand(withBuildah({"mount", m_buildahContainer}));
        QVERIFY2(mount.exitCode == 0, diag(mount).c_str());
        fs::path theirRoot = mount.out.substr(0, mount.out.find('\n'));

        berth::store::StoreLayout layout{m_f->root(), {}};
        berth::image::ImageStore store(layout);
        auto id = store.resolve("same:berth");
        QVERIFY(id);
        auto dirs = store.layerPaths(id->id);
        QVERIFY(dirs);
        std::string lower;
        for (auto it = dirs->rbegin(); it != dirs->rend(); ++it) lower += (lower.empty() ? "" : ":") + it->string();
        auto ourRoot = m_f->scratch() / "berth-rootfs";
        fs::create_directories(ourRoot);
        QVERIFY2(::mount("overlay", ourRoot.c_str(), "overlay", MS_RDONLY, ("lowerdir=" + lower).c_str()) == 0,
                 strerror(errno));
        m_mounted = ourRoot.string();

        auto a = describeTree(ourRoot);
        auto b = describeTree(theirRoot);
        std::string diff;
        for (auto& [p, d] : a)
            if (!b.contains(p)) diff += "only berth:   " + p + " " + d + "\n";
            else if (b[p] != d) diff += "differs:      " + p + "\n  berth   " + d + "\n  buildah " + b[p] + "\n";
        // buildah's RUN leaves the mount points of its bind mounts behind: empty /etc/hosts,
        // /etc/hostname, /etc/resolv.conf and /run. Docker's images carry none of them
        // (nor do berth's); they are the one known difference and only they are let pass.
        const std::string emptyFile = "file 0 " + sha256Hex("") + " ";
        auto buildahMountPoint = [&](const std::string& p, const std::string& d) {
            if (p == "/run") return d.starts_with("dir ");
            return (p == "/etc/hosts" || p == "/etc/hostname" || p == "/etc/resolv.conf") && d.starts_with(emptyFile);
        };
        for (auto& [p, d] : b)
            if (!a.contains(p) && !buildahMountPoint(p, d)) diff += "only buildah: " + p + " " + d + "\n";
        QVERIFY2(diff.empty(), diff.c_str());
        // What the Dockerfile did is there (so the trees compared are not both empty).
        QVERIFY(a.contains("/opt/app/conf/settings.ini"));
        QVERIFY(a.contains("/data/link"));
        QVERIFY(!a.contains("/etc/group"));
        QVERIFY(!a.contains("/ctx/ignored.log"));
    }

private:
    std::vector<std::string> withBuildah(std::vector<std::string> args) const {
        args.insert(args.begin(), m_buildah.begin(), m_buildah.end());
        return args;
    }
};

BERTH_ROOT_TEST_MAIN(BuildBuildah)
#include "tst_build_buildah.moc"
