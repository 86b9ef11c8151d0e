// berth cp on real containers (root), against docker cp's documented rules: a file into a
// directory or to a new name, a directory into an existing directory or as a new one, "/."
// for a directory's contents, a trailing "/" asserting a directory; a symlink inside the
// container that points at /etc gives the container's /etc, never the host's, both ways;
// "-" as a tar on stdout and on stdin; a stopped container; -a keeping owners; and the
// errors (no such container, no such path, no ':', a directory onto a file).
#include "skip.h"
#include "container_test_helpers.h"

#include <QtTest/QtTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace berth::test;
namespace fs = std::filesystem;

class ContainersCopy : public QObject {
    Q_OBJECT
    std::unique_ptr<ContainerStoreFixture> s;
    std::unique_ptr<TempDir> host;

    fs::path h(const std::string& rel) const { return host->path() / rel; }
    std::string inContainer(const std::string& c, const std::string& script) {
        auto r = s->berth({"exec", c, "sh", "-c", script});
        return r.out;
    }
    // berth cp through a shell: `redirect` feeds stdin or takes stdout (a tar).
    CommandResult cpShell(const std::string& args) {
        const std::string cmd = "'" + builtProgram("berth").string() + "' --root '" + s->root().string() + "' cp " + args;
        return runCommand({"sh", "-c", cmd});
    }
    static std::string diag(const CommandResult& r) { return "exit " + std::to_string(r.exitCode) + ": " + r.err; }
    void runDetached(const std::string& c) {
        auto r = s->berth({"run", "-d", "--name", c, "busybox", "sleep", "600"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
    }

private slots:
    void init() {
        s = std::make_unique<ContainerStoreFixture>();
        host = std::make_unique<TempDir>();
    }
    void cleanup() {
        s.reset();
        host.reset();
    }

    void fileAndTreeIntoRunningContainer() {
        runDetached("cpin");
        writeFile(h("in.txt"), "to the container\n");
        fs::create_directories(h("tree/sub"));
        writeFile(h("tree/sub/f"), "deep\n");
        for (const auto& args : std::vector<std::vector<std::string>>{
                 {h("in.txt").string(), "cpin:/tmp/"},          // into a directory
                 {h("in.txt").string(), "cpin:/tmp/renamed"},   // to a new name
                 {h("tree").string(), "cpin:/tmp"},             // a directory into one
                 {h("tree").string(), "cpin:/tmp/copy"},        // as a new directory
                 {h("tree/.").string(), "cpin:/tmp/contents"},  // its contents as a new one
             }) {
            auto r = s->berth({"cp", args[0], args[1]});
            QVERIFY2(r.exitCode == 0, diag(r).c_str());
        }
        QCOMPARE(inContainer("cpin", "cat /tmp/in.txt /tmp/renamed"), std::string("to the container\nto the container\n"));
        QCOMPARE(inContainer("cpin", "cat /tmp/tree/sub/f /tmp/copy/sub/f /tmp/contents/sub/f"),
                 std::string("deep\ndeep\ndeep\n"));
        QCOMPARE(inContainer("cpin", "ls /tmp/copy"), std::string("sub\n"));  // not copy/tree
        QCOMPARE(inContainer("cpin", "ls /tmp/contents"), std::string("sub\n"));
        // Onto an existing file: replaced.
        writeFile(h("in.txt"), "second\n");
        QCOMPARE(s->berth({"cp", h("in.txt").string(), "cpin:/tmp/renamed"}).exitCode, 0);
        QCOMPARE(inContainer("cpin", "cat /tmp/renamed"), std::string("second\n"));
    }

    void fileAndTreeOutOfRunningContainer() {
        runDetached("cpout");
        inContainer("cpout", "mkdir -p /d/sub && echo deep > /d/sub/f && ln -s /etc/passwd /d/link");
        fs::create_directories(h("into"));
        for (const auto& args : std::vector<std::vector<std::string>>{
                 {"cpout:/d/sub/f", h("into").string()},          // into a directory
                 {"cpout:/d/sub/f", h("named").string()},         // to a new name
                 {"cpout:/d", h("into").string()},                // a directory into one
                 {"cpout:/d", h("copy").string()},                // as a new directory
                 {"cpout:/d/.", h("contents").string()},          // its contents as a new one
             }) {
            auto r = s->berth({"cp", args[0], args[1]});
            QVERIFY2(r.exitCode == 0, diag(r).c_str());
        }
        QCOMPARE(readFileText(h("into/f")), std::string("deep\n"));
        QCOMPARE(readFileText(h("named")), std::string("deep\n"));
        QCOMPARE(readFileText(h("into/d/sub/f")), std::string("deep\n"));
        QCOMPARE(readFileText(h("copy/sub/f")), std::string("deep\n"));
        QCOMPARE(readFileText(h("contents/sub/f")), std::string("deep\n"));
        QVERIFY(!fs::exists(h("contents/d")));
        // A symlink comes out as the symlink, not what it names.
        QVERIFY(fs::is_symlink(h("copy/link")));
        QCOMPARE(fs::read_symlink(h("copy/link")).string(), std::string("/etc/passwd"));
    }

    // /x -> /etc inside the container: both directions go to the container's /etc.
    void symlinkPointingOutStaysInTheContainer() {
        runDetached("cplink");
        inContainer("cplink", "ln -s /etc /x && echo container-only > /etc/berth-cp-mark");
        const std::string passwd = inContainer("cplink", "cat /etc/passwd");
        QVERIFY(!passwd.empty());
        QVERIFY2(passwd != readFileText("/etc/passwd"), "the test image's passwd must differ from the host's");
        auto r = cpShell("cplink:/x/passwd - > '" + h("out.tar").string() + "'");
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        auto listed = runCommand({"tar", "-tf", h("out.tar").string()});
        QCOMPARE(listed.out, std::string("passwd\n"));
        QCOMPARE(runCommand({"tar", "-xOf", h("out.tar").string()}).out, passwd);
        // Into a file, and -L following the link itself.
        QCOMPARE(s->berth({"cp", "cplink:/x/berth-cp-mark", h("mark").string()}).exitCode, 0);
        QCOMPARE(readFileText(h("mark")), std::string("container-only\n"));
        r = s->berth({"cp", "-L", "cplink:/x", h("etc-copy").string()});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(readFileText(h("etc-copy/berth-cp-mark")), std::string("container-only\n"));
        // In through the link: the container's /etc, not the host's.
        const std::string name = "berth-cp-test-" + std::to_string(::getpid());
        writeFile(h(name), "confined\n");
        r = s->berth({"cp", h(name).string(), "cplink:/x/"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(inContainer("cplink", "cat /etc/" + name), std::string("confined\n"));
        QVERIFY2(!fs::exists("/etc/" + name), "the copy reached the host's /etc");
    }

    // "-": the tar itself, on stdout and from stdin.
    void tarStreamsBothWays() {
        runDetached("cptar");
        fs::create_directories(h("src/sub"));
        writeFile(h("src/sub/a"), "from a tar\n");
        auto made = runCommand({"tar", "-C", h("src").string(), "-cf", h("in.tar").string(), "sub"});
        QVERIFY2(made.exitCode == 0, made.err.c_str());
        auto r = cpShell("- cptar:/tmp < '" + h("in.tar").string() + "'");
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(inContainer("cptar", "cat /tmp/sub/a"), std::string("from a tar\n"));
        r = cpShell("cptar:/tmp/sub - > '" + h("out.tar").string() + "'");
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(runCommand({"tar", "-tf", h("out.tar").string()}).out, std::string("sub/\nsub/a\n"));
        QCOMPARE(runCommand({"tar", "-xOf", h("out.tar").string(), "sub/a"}).out, std::string("from a tar\n"));
        // A tar on stdin needs an existing directory.
        r = cpShell("- cptar:/tmp/sub/a < '" + h("in.tar").string() + "'");
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("must be a directory") != std::string::npos, r.err.c_str());
    }

    // A stopped container's own file system, kept for its start.
    void stoppedContainer() {
        QCOMPARE(s->berth({"create", "--name", "cpstop", "busybox", "cat", "/etc/cfg"}).exitCode, 0);
        writeFile(h("cfg"), "while stopped\n");
        auto r = s->berth({"cp", h("cfg").string(), "cpstop:/etc/cfg"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        r = s->berth({"cp", "cpstop:/etc/cfg", h("back").string()});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(readFileText(h("back")), std::string("while stopped\n"));
        r = s->berth({"start", "-a", "cpstop"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, std::string("while stopped\n"));
    }

    // -a keeps the files' owners; without it they are root's in the container.
    void archiveKeepsOwners() {
        runDetached("cpown");
        writeFile(h("owned"), "x\n");
        QCOMPARE(::chown(h("owned").c_str(), 1234, 4321), 0);
        QCOMPARE(s->berth({"cp", h("owned").string(), "cpown:/tmp/plain"}).exitCode, 0);
        QCOMPARE(s->berth({"cp", "-a", h("owned").string(), "cpown:/tmp/kept"}).exitCode, 0);
        QCOMPARE(inContainer("cpown", "stat -c %u:%g /tmp/plain /tmp/kept"), std::string("0:0\n1234:4321\n"));
    }

    void badCasesSayWhy() {
        runDetached("cpbad");
        writeFile(h("file"), "x\n");
        fs::create_directories(h("dir"));
        struct Case {
            std::vector<std::string> args;
            std::string message;
        };
        const std::vector<Case> cases{
            {{"nosuch:/etc/passwd", h("x").string()}, "No such container:path: nosuch:/etc/passwd"},
            {{h("file").string(), "nosuch:/tmp"}, "No such container:path: nosuch:/tmp"},
            {{"cpbad:/nope", h("x").string()}, "Could not find the file /nope in container cpbad"},
            {{h("file").string(), "cpbad:/nope/x"}, "Could not find the file /nope in container cpbad"},
            {{h("file").string(), h("y").string()}, "must specify at least one container source"},
            {{"cpbad:/etc", "cpbad:/tmp"}, "copying between containers is not supported"},
            {{h("nope").string(), "cpbad:/tmp"}, "No such file or directory"},
            {{"cpbad:/etc", h("file").string()}, "cannot copy directory"},
            {{h("dir").string(), "cpbad:/etc/passwd"}, "cannot copy directory"},
            {{"cpbad:/etc/passwd", h("missing/").string()}, "no such directory"},
            {{h("file").string(), "cpbad:/missing/"}, "no such directory"},
            {{"cpbad:/etc/passwd", h("nodir/f").string()}, "does not exist"},
            {{"cpbad:", h("x").string()}, "cannot be empty"},
        };
        for (const Case& c : cases) {
            std::vector<std::string> args{"cp"};
            args.insert(args.end(), c.args.begin(), c.args.end());
            auto r = s->berth(args);
            const std::string what = c.args[0] + " " + c.args[1] + ": " + diag(r);
            QVERIFY2(r.exitCode != 0, what.c_str());
            QVERIFY2(r.err.find(c.message) != std::string::npos, what.c_str());
        }
        QVERIFY(!fs::exists(h("x")));
        QVERIFY(!fs::exists(h("y")));
        QCOMPARE(readFileText(h("file")), std::string("x\n"));
        QCOMPARE(s->berth({"exec", "cpbad", "true"}).exitCode, 0);  // and the container goes on
    }
};

BERTH_ROOT_TEST_MAIN(ContainersCopy)
#include "tst_containers_copy.moc"
