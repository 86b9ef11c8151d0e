// berth diff, export and commit on real containers (root), against docker's documented
// behaviour. The image is three layers (tests/support/fixtures.h): layer 2 deletes
// /etc/motd with a whiteout and layer 3 makes /data opaque, so the image's own whiteouts
// must not read as the container's changes. The container adds, changes and deletes files,
// and remakes /data (an opaque directory in its upper layer).
#include "skip.h"
#include "container_test_helpers.h"

#include <QtTest/QtTest>

#include <sys/stat.h>

using namespace berth::test;
namespace fs = std::filesystem;

class ContainersFs : public QObject {
    Q_OBJECT
    std::unique_ptr<ContainerStoreFixture> s;
    std::unique_ptr<TempDir> m_tmp;

    // The container's changes: added, changed, deleted, and /data remade.
    static constexpr const char* kChanges =
        "echo added > /new.txt && echo changed >> /etc/passwd && rm /var/www/index.html && "
        "rm -rf /data && mkdir /data && echo fresh > /data/fresh && ln -s / /escape";

    void loadLayered() {
        auto fixture = writeLayeredArchive(m_tmp->path() / "layered.tar", {.tags = {"layered:latest"}});
        auto r = s->berth({"load", "-i", fixture.archive.string()});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
    }
    std::vector<std::string> lines(const std::string& text) {
        std::vector<std::string> out;
        std::istringstream in(text);
        for (std::string l; std::getline(in, l);)
            if (!l.empty()) out.push_back(l);
        return out;
    }
    int imageCount() { return int(lines(s->berth({"images", "-q", "--no-trunc"}).out).size()); }

private slots:
    void init() {
        s = std::make_unique<ContainerStoreFixture>();
        m_tmp = std::make_unique<TempDir>();
    }
    void cleanup() {
        s.reset();
        m_tmp.reset();
    }

    void diffAddedChangedDeletedAndOpaque() {
        loadLayered();
        auto run = s->berth({"run", "--name", "dd", "layered", "sh", "-c", kChanges});
        QVERIFY2(run.exitCode == 0, run.err.c_str());
        auto r = s->berth({"diff", "dd"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        const std::string expected = "C /data\nA /data/fresh\nD /data/new.txt\nA /escape\nC /etc/passwd\nA /new.txt\n"
                                     "C /var/www\nD /var/www/index.html\n";
        QCOMPARE(QString::fromStdString(r.out), QString::fromStdString(expected));
        // Also while it runs, and through `container diff`.
        QCOMPARE(s->berth({"start", "dd"}).exitCode, 0);
        QCOMPARE(QString::fromStdString(s->berth({"container", "diff", "dd"}).out), QString::fromStdString(expected));
    }

    void diffOfFreshContainerIsEmpty() {
        QCOMPARE(s->berth({"run", "--name", "ff", "busybox", "true"}).exitCode, 0);
        auto r = s->berth({"diff", "ff"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, std::string());
        auto unknown = s->berth({"diff", "nosuch"});
        QVERIFY(unknown.exitCode != 0);
        QVERIFY2(unknown.err.find("no such container") != std::string::npos, unknown.err.c_str());
    }

    // The flattened file system: the image's layers with the container's changes, its
    // symlinks as symlinks (/escape -> / is not the host's root), no volume contents.
    void exportIsTheFlattenedRootfs() {
        loadLayered();
        auto run = s->berth({"run", "--name", "ee", "-v", "/vol", "layered", "sh", "-c",
                             std::string(kChanges) + " && echo secret > /vol/in-volume"});
        QVERIFY2(run.exitCode == 0, run.err.c_str());
        const fs::path tar = m_tmp->path() / "e.tar";
        auto r = s->berth({"export", "-o", tar.string(), "ee"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        const fs::path out = m_tmp->path() / "x";
        fs::create_directories(out);
        auto untar = runCommand({"tar", "-xpf", tar.string(), "-C", out.string()});
        QVERIFY2(untar.exitCode == 0, untar.err.c_str());
        QCOMPARE(readFileText(out / "new.txt"), std::string("added\n"));
        QVERIFY(readFileText(out / "etc/passwd").ends_with("changed\n"));
        QVERIFY(!fs::exists(out / "var/www/index.html"));
        QVERIFY(!fs::exists(out / "etc/motd"));  // the image's own whiteout
        QCOMPARE(readFileText(out / "etc/layer2"), std::string("from layer two\n"));
        std::vector<std::string> data;
        for (auto& e : fs::directory_iterator(out / "data")) data.push_back(e.path().filename().string());
        QCOMPARE(data, std::vector<std::string>{"fresh"});
        QVERIFY(fs::is_symlink(out / "escape"));
        QCOMPARE(fs::read_symlink(out / "escape").string(), std::string("/"));
        QVERIFY(fs::is_directory(out / "vol"));
        QVERIFY2(!fs::exists(out / "vol/in-volume"), "the volume's contents were exported");
        QCOMPARE(readFileText(out / "bin/busybox"), readFileText("/bin/busybox"));
    }

    void exportToUnwritablePathFails() {
        QCOMPARE(s->berth({"create", "--name", "uu", "busybox", "true"}).exitCode, 0);
        const fs::path bad = m_tmp->path() / "no-such-dir" / "out.tar";
        auto r = s->berth({"export", "-o", bad.string(), "uu"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("No such file or directory") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find(bad.string()) != std::string::npos, r.err.c_str());
        auto unknown = s->berth({"export", "-o", (m_tmp->path() / "n.tar").string(), "nosuch"});
        QVERIFY(unknown.exitCode != 0);
        QVERIFY2(!fs::exists(m_tmp->path() / "n.tar"), "a failed export left its file");
        std::vector<std::string> left;
        for (auto& e : fs::directory_iterator(m_tmp->path())) left.push_back(e.path().filename().string());
        QVERIFY2(left.empty(), left.empty() ? "" : left[0].c_str());
    }

    void commitThenRun() {
        loadLayered();
        QCOMPARE(s->berth({"run", "--name", "cc", "layered", "sh", "-c", kChanges}).exitCode, 0);
        auto r = s->berth({"commit", "-m", "add a greeting", "-a", "Tester <t@example.org>", "-c",
                           "CMD [\"sh\", \"-c\", \"cat /new.txt; echo $FOO; pwd; id -u\"]", "-c", "ENV FOO=bar",
                           "-c", "LABEL team=berth", "-c", "EXPOSE 8080", "-c", "WORKDIR /srv", "-c", "USER nobody",
                           "-c", "VOLUME /cache", "cc", "me/committed:1"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY2(trimmed(r.out).starts_with("sha256:"), r.out.c_str());
        auto ran = s->berth({"run", "--rm", "me/committed:1"});
        QVERIFY2(ran.exitCode == 0, ran.err.c_str());
        QCOMPARE(ran.out, std::string("added\nbar\n/srv\n65534\n"));
        auto gone = s->berth({"run", "--rm", "--user", "0", "me/committed:1", "sh", "-c",
                              "test ! -e /var/www/index.html && test ! -e /data/new.txt && cat /data/fresh"});
        QVERIFY2(gone.exitCode == 0, gone.err.c_str());
        QCOMPARE(gone.out, std::string("fresh\n"));
        auto j = nlohmann::json::parse(s->berth({"image", "inspect", "me/committed:1"}).out, nullptr, false);
        QVERIFY(!j.is_discarded() && j.is_array() && !j.empty());
        auto cfg = j[0]["Config"];
        QCOMPARE(cfg["Labels"]["team"].get<std::string>(), std::string("berth"));
        QVERIFY(cfg["ExposedPorts"].contains("8080/tcp"));
        QVERIFY(cfg["Volumes"].contains("/cache"));
        QCOMPARE(cfg["User"].get<std::string>(), std::string("nobody"));
        QCOMPARE(j[0]["Author"].get<std::string>(), std::string("Tester <t@example.org>"));
        // history: the commit is the newest step, with its comment.
        auto h = nlohmann::json::parse(s->berth({"history", "--format", "json", "me/committed:1"}).out, nullptr, false);
        QVERIFY(!h.is_discarded() && h.is_array() && !h.empty());
        QCOMPARE(h[0]["Comment"].get<std::string>(), std::string("add a greeting"));
        QVERIFY2(h[0]["CreatedBy"].get<std::string>().find("sh -c") != std::string::npos, h[0].dump().c_str());
    }

    // A running container is paused while its layer is read and runs on afterwards.
    void commitRunningContainerPauses() {
        QCOMPARE(s->berth({"run", "-d", "--name", "live", "busybox", "sleep", "600"}).exitCode, 0);
        QCOMPARE(s->berth({"exec", "live", "sh", "-c", "echo live > /made-live"}).exitCode, 0);
        auto r = s->berth({"commit", "live", "snap"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(s->inspect("live")["State"]["Status"].get<std::string>(), std::string("running"));
        auto ran = s->berth({"run", "--rm", "snap", "cat", "/made-live"});
        QCOMPARE(ran.out, std::string("live\n"));
        auto unpaused = s->berth({"commit", "--pause=false", "live", "snap2"});
        QVERIFY(unpaused.exitCode != 0);
        QVERIFY2(unpaused.err.find("--pause") != std::string::npos, unpaused.err.c_str());
    }

    void commitRefusalsLeaveTheStoreAlone() {
        QCOMPARE(s->berth({"create", "--name", "rr", "busybox", "true"}).exitCode, 0);
        const int before = imageCount();
        auto onbuild = s->berth({"commit", "-c", "ONBUILD RUN echo hi", "rr", "x:1"});
        QVERIFY(onbuild.exitCode != 0);
        QVERIFY2(onbuild.err.find("ONBUILD is not supported") != std::string::npos, onbuild.err.c_str());
        auto run = s->berth({"commit", "-c", "RUN echo hi", "rr", "x:1"});
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.find("RUN is not a valid change command") != std::string::npos, run.err.c_str());
        auto badRef = s->berth({"commit", "rr", "Not A Name"});
        QVERIFY(badRef.exitCode != 0);
        auto unknown = s->berth({"commit", "nosuch", "x:1"});
        QVERIFY(unknown.exitCode != 0);
        QVERIFY2(unknown.err.find("no such container") != std::string::npos, unknown.err.c_str());
        QCOMPARE(imageCount(), before);
        QVERIFY2(s->berth({"image", "inspect", "x:1"}).exitCode != 0, "a refused commit made an image");
    }
};

BERTH_ROOT_TEST_MAIN(ContainersFs)
#include "tst_containers_fs.moc"
