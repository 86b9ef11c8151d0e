// Image, container and build-context content read by the engine on the host (issue 15):
// each test builds what a hostile image or context would hold (symlinks to a host
// directory of canaries) and checks that the engine resolved it inside its root: the
// host's passwd not used for --user, a host file's first line not shown in an error,
// host files not deleted by a RUN's clean-up, host directory names not listed by a glob.
#include "build_test_helpers.h"
#include "../../unit/build/git_test_repo.h"

#include <QtTest/QtTest>

#include <unistd.h>

using namespace berth::test;
namespace fs = std::filesystem;

class BuildHostPaths : public QObject {
    Q_OBJECT

    // A host directory the attacks point at, outside every store and context.
    std::unique_ptr<TempDir> m_host;
    fs::path host() const { return m_host->path(); }

    static std::string both(const CommandResult& r) { return r.out + r.err; }

    // Imports busybox as `name` with its /etc moved to /real and /etc a symlink to
    // `etcTarget`: what a hostile image holds.
    static bool importWithEtcLink(const fs::path& root, const std::string& name, const std::string& etcTarget) {
        TempDir tmp;
        auto rootfs = tmp.path() / "rootfs";
        makeBusyboxRootfs(rootfs);
        fs::rename(rootfs / "etc", rootfs / "real");
        fs::create_symlink(etcTarget, rootfs / "etc");
        auto tar = tmp.path() / "rootfs.tar";
        writeFile(tar, makeTar(entriesOfDir(rootfs)));
        auto r = runBerth(root, {"import", tar.string(), name});
        if (r.exitCode != 0) qWarning("berth import: %s", r.err.c_str());
        return r.exitCode == 0;
    }

private slots:
    void initTestCase() {
        if (!haveBusybox()) BERTH_SKIP("needs /bin/busybox (busybox-static) for the test image", MissingProgram);
    }
    void init() {
        m_host = std::make_unique<TempDir>();
        writeFile(host() / "passwd", "root:x:0:0:root:/root:/bin/sh\nintruder:x:4242:4242::/:/bin/sh\n");
        writeFile(host() / "group", "root:x:0:\nintruder:x:4242:\n");
        writeFile(host() / "secret", "TOPSECRET-FIRST-LINE\nsecond line\n");
        writeFile(host() / "ignore-secret", "TOPSECRET-IGNORE[\n");
        writeFile(host() / "hosts", "");  // empty, like the mount points RUN's clean-up removes
        writeFile(host() / "hostname", "");
        writeFile(host() / "resolv.conf", "");
        fs::create_directories(host() / "listing");
        writeFile(host() / "listing" / "listed-secret-name", "x");
    }
    void cleanup() { m_host.reset(); }

    // An image whose /etc is a symlink to a host directory: --user used to be looked up
    // in the host's passwd through it.
    void userIsLookedUpInsideTheImage() {
        BuildFixture f;
        QVERIFY(importWithEtcLink(f.root(), "etc-host:1", host().string()));
        auto r = f.berth({"run", "--rm", "--user", "intruder", "etc-host:1", "id", "-u"});
        QVERIFY2(r.exitCode != 0, both(r).c_str());
        QVERIFY2(r.out.find("4242") == std::string::npos, both(r).c_str());
        QVERIFY2(r.err.find("intruder") != std::string::npos, r.err.c_str());  // "unknown user", named
    }

    // A RUN that makes /etc a symlink to a host directory: its clean-up of the mount points
    // the runtime made (empty etc/hosts, etc/hostname, etc/resolv.conf) used to go through that symlink and
    // delete the host's files. (The base's /etc is a symlink already: a real /etc holds
    // the RUN's bind-mounted files, which can't be removed from inside.)
    void runCleanupStaysInsideTheLayer() {
        BuildFixture f;
        QVERIFY(importWithEtcLink(f.root(), "etc-real:1", "/real"));
        f.write("Dockerfile", "FROM etc-real:1\nRUN rm /etc && ln -s " + host().string() + " /etc\n");
        auto b = f.build({"-t", "etc-link:2"});
        QVERIFY2(b.exitCode == 0, both(b).c_str());
        for (const char* canary : {"hosts", "hostname", "resolv.conf"})
            QVERIFY2(fs::is_regular_file(host() / canary), canary);
    }

    // A RUN that replaces the lower layers' /etc by an empty directory leaves an empty opaque
    // `etc` in its layer (overlayfs marks a directory made over a whiteout opaque). The
    // clean-up of the mount points used to rmdir every empty etc/proc/sys/dev, opaque or not,
    // so the lower layers' /etc (here a symlink to /real, full of files) showed again.
    void runCleanupKeepsAnOpaqueDirectory() {
        BuildFixture f;
        QVERIFY(importWithEtcLink(f.root(), "etc-real:1", "/real"));
        f.write("Dockerfile", "FROM etc-real:1\nRUN rm /etc && mkdir /etc\n");
        auto b = f.build({"-t", "etc-opaque:2"});
        QVERIFY2(b.exitCode == 0, both(b).c_str());
        auto r = f.berth({"run", "--rm", "etc-opaque:2", "sh", "-c",
                          "if [ -L /etc ]; then echo ETC=link; else echo ETC=dir; fi; "
                          "if [ -e /etc/passwd ]; then echo PASSWD=shown; else echo PASSWD=gone; fi"});
        QVERIFY2(r.exitCode == 0, both(r).c_str());
        QVERIFY2(r.out.find("ETC=dir\n") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("PASSWD=gone\n") != std::string::npos, r.out.c_str());
    }

    // Archive contexts (a file, or stdin) whose Dockerfile is a symlink to a host file: the
    // file used to be read from the host, its first line quoted by the parse error.
    void dockerfileSymlinkOutOfTarContextIsRefused() {
        BuildFixture f;
        auto tar = f.scratch() / "ctx.tar";
        writeFile(tar, makeTar({{TarEntry::Symlink, "Dockerfile", "", (host() / "secret").string()}}));
        auto r = f.berth({"build", "-t", "x:1", tar.string()});
        QVERIFY2(r.exitCode != 0, both(r).c_str());
        QVERIFY2(both(r).find("TOPSECRET") == std::string::npos, both(r).c_str());
        QVERIFY2(r.err.find("outside the build context") != std::string::npos, r.err.c_str());

        auto in = runCommand({"/bin/sh", "-c",
                              "\"$0\" --root \"$1\" build -t x:2 - < \"$2\"", builtProgram("berth").string(),
                              f.root().string(), tar.string()});
        QVERIFY2(in.exitCode != 0, both(in).c_str());
        QVERIFY2(both(in).find("TOPSECRET") == std::string::npos, both(in).c_str());

        // A relative symlink climbing out, and -f through a symlinked directory.
        writeFile(tar, makeTar({{TarEntry::File, "Dockerfile", "FROM busybox\n"},
                                {TarEntry::Symlink, "up", "", "../../../../../../../../../.." + host().string()},
                                {TarEntry::Symlink, "dir", "", host().string()}}));
        for (std::string file : {"up/secret", "dir/secret"}) {
            auto d = f.berth({"build", "-f", file, "-t", "x:3", tar.string()});
            QVERIFY2(d.exitCode != 0, both(d).c_str());
            QVERIFY2(both(d).find("TOPSECRET") == std::string::npos, both(d).c_str());
        }
    }

    // A git context whose Dockerfile, or .dockerignore, is a symlink to a host file: the
    // checkout makes the link, and the file must be read inside the checkout, never the
    // host's (its first line used to be quoted by the parse error).
    void gitContextSymlinksOutAreRefused() {
        BuildFixture f;
        auto repoDir = f.scratch() / "hostile.git";
        {
            GitTestRepo repo(repoDir, true);
            repo.commit("main", {{"Dockerfile@", (host() / "secret").string()}}, "dockerfile");
            repo.commit("ignore", {{"Dockerfile", "FROM busybox\n"}, {".dockerignore@", (host() / "ignore-secret").string()}},
                        "dockerignore");
            repo.setHead("main");
        }
        for (std::string ref : {"#main", "#ignore"}) {
            auto r = f.berth({"build", "-t", "git-host:1", "file://" + repoDir.string() + ref});
            QVERIFY2(r.exitCode != 0, both(r).c_str());
            QVERIFY2(both(r).find("TOPSECRET") == std::string::npos, both(r).c_str());
            QVERIFY2(r.err.find("outside the build context") != std::string::npos, r.err.c_str());
        }
    }

    // .dockerignore is read the same way: a host file of patterns used to be parsed, and a
    // bad line quoted.
    void dockerignoreSymlinkOutOfContextIsRefused() {
        BuildFixture f;
        auto tar = f.scratch() / "ctx.tar";
        writeFile(tar, makeTar({{TarEntry::File, "Dockerfile", "FROM busybox\n"},
                                {TarEntry::Symlink, ".dockerignore", "", (host() / "ignore-secret").string()}}));
        auto r = f.berth({"build", "-t", "x:1", tar.string()});
        QVERIFY2(r.exitCode != 0, both(r).c_str());
        QVERIFY2(both(r).find("TOPSECRET") == std::string::npos, both(r).c_str());
        QVERIFY2(r.err.find("outside the build context") != std::string::npos, r.err.c_str());
        // Inside the context a symlinked Dockerfile still works (docker builds those too).
        writeFile(tar, makeTar({{TarEntry::File, "real/Dockerfile", "FROM busybox\nLABEL via=symlink\n"},
                                {TarEntry::Symlink, "Dockerfile", "", "real/Dockerfile"}}));
        auto ok = f.berth({"build", "-t", "x:2", tar.string()});
        QVERIFY2(ok.exitCode == 0, both(ok).c_str());
    }

    // COPY with a glob through a context symlink to a host directory used to list that
    // directory on the host, and the refusal named the first host file it found.
    void copyGlobDoesNotListHostDirectories() {
        BuildFixture f;
        f.write("Dockerfile", "FROM busybox\nCOPY link/* /dst/\n");
        fs::create_symlink(host() / "listing", f.context() / "link");
        auto r = f.build({"-t", "glob:1"});
        QVERIFY2(r.exitCode != 0, both(r).c_str());
        QVERIFY2(both(r).find("listed-secret-name") == std::string::npos, both(r).c_str());
    }
};

BERTH_ROOT_TEST_MAIN(BuildHostPaths)
#include "tst_build_host_paths.moc"
