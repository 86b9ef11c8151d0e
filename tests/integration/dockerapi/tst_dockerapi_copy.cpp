// docker cp through the Docker API's archive endpoints with real clients: each docker CLI
// copies a file and a tree into a running container and back out (a symlink comes out as
// a symlink), into and out of a stopped one; symlinks inside the container resolve within
// its root in both directions (never to the host's files); a tar climbing out with "../"
// and a missing path get their errors, and the service goes on.
#include "skip.h"
#include "raw_http.h"
#include "service_fixture.h"

#include "fixtures.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <sys/stat.h>

#include <fstream>
#include <regex>

using namespace berth::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

TarEntry fileEntry(const std::string& path, const std::string& data) {
    TarEntry e;
    e.path = path;
    e.data = data;
    return e;
}

// `argv` as one sh command line (single-quoted words), for script -c.
std::string shellLine(const std::vector<std::string>& argv) {
    std::string line;
    for (const std::string& a : argv) {
        std::string q = "'";
        for (char ch : a) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
        line += (line.empty() ? "" : " ") + q + "'";
    }
    return line;
}

// Runs `argv` with a terminal for its stdin, stdout and stderr (util-linux's script), so
// that a program that says things only to a terminal says them; both streams in `out`.
CommandResult onTerminal(const std::vector<std::string>& argv, const std::vector<std::string>& env = {}) {
    std::vector<std::string> withEnv{"env"};
    withEnv.insert(withEnv.end(), env.begin(), env.end());
    withEnv.insert(withEnv.end(), argv.begin(), argv.end());
    return runCommand({"script", "-qec", shellLine(withEnv), "/dev/null"});
}

// "Successfully copied 2.56kB to /x" from `text`, or "" without one.
std::string successLine(const std::string& text) {
    const size_t at = text.find("Successfully copied ");
    if (at == std::string::npos) return "";
    return text.substr(at, text.find_first_of("\r\n", at) - at);
}

// The size of such a line ("2.56kB") when it names `dest`, else "".
std::string copiedSize(const std::string& line, const std::string& dest) {
    std::smatch m;
    const std::regex shape("Successfully copied ([0-9.]+[kMGT]?B) to (.*)");
    return std::regex_match(line, m, shape) && m[2] == dest ? m[1].str() : "";
}

std::string readText(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

class TestDockerApiCopy : public QObject, protected DockerApiSuite {
    Q_OBJECT

    std::string inContainer(const std::string& name, const std::string& script) {
        return docker({"exec", name, "sh", "-c", script}).out;
    }

private slots:
    void initTestCase() { BERTH_DOCKER_API_SUITE_START(); }

    void cleanupTestCase() { stopAndClean(); }

    // A file and a tree in, a tree with a symlink out, of a running container.
    void copyBothWaysRunning_data() { addClientRows(); }
    void copyBothWaysRunning() {
        const std::string c = named("cp-run");
        QCOMPARE(docker({"run", "-d", "--name", c, "busybox", "sleep", "300"}).exitCode, 0);
        TempDir host;
        writeFile(host.path() / "in.txt", "to the container\n");
        fs::create_directories(host.path() / "tree" / "sub");
        writeFile(host.path() / "tree" / "sub" / "f", "deep\n");

        auto r = docker({"cp", (host.path() / "in.txt").string(), c + ":/tmp/"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(inContainer(c, "cat /tmp/in.txt"), std::string("to the container\n"));
        r = docker({"cp", (host.path() / "tree").string(), c + ":/tmp/tree"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(inContainer(c, "cat /tmp/tree/sub/f"), std::string("deep\n"));

        inContainer(c, "mkdir /out && echo out > /out/a && ln -s /etc/passwd /out/link");
        r = docker({"cp", c + ":/out", (host.path() / "out").string()});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(readText(host.path() / "out" / "a"), std::string("out\n"));
        QVERIFY(fs::is_symlink(host.path() / "out" / "link"));  // as stored, not followed
        QCOMPARE(fs::read_symlink(host.path() / "out" / "link").string(), std::string("/etc/passwd"));

        r = docker({"cp", c + ":/nope", host.path().string()});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(contains(r.err, "/nope"), r.err.c_str());
        QCOMPARE(docker({"rm", "-f", c}).exitCode, 0);
    }

    // berth cp ends a copy as docker 25+ does: "Successfully copied <size> to <dest>" on
    // stderr when it is a terminal, the size that of the tar stream (docker 28's line for
    // the same copy, when that CLI is here, is the same); nothing with -q or without a
    // terminal.
    void berthCpSaysSuccessfullyCopied() {
        if (!haveProgram("script")) BERTH_SKIP("script (util-linux) is not installed", MissingProgram);
        const std::string c = "cp-said";
        QCOMPARE(m_service->docker(dockerClients().front(), {"run", "-d", "--name", c, "busybox", "sleep", "300"}).exitCode, 0);
        TempDir host;
        writeFile(host.path() / "in.txt", std::string(3000, 'a'));
        const std::string berth = builtProgram("berth").string();
        auto berthCp = [&](const std::vector<std::string>& args, bool terminal) {
            std::vector<std::string> argv{berth, "--root", m_root.string(), "cp"};
            argv.insert(argv.end(), args.begin(), args.end());
            return terminal ? onTerminal(argv) : runCommand(argv);
        };
        auto r = berthCp({(host.path() / "in.txt").string(), c + ":/tmp/"}, true);
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(!copiedSize(successLine(r.out), c + ":/tmp/").empty(), r.out.c_str());
        const std::string out = (host.path() / "out.txt").string();
        r = berthCp({c + ":/tmp/in.txt", out}, true);
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        const std::string size = copiedSize(successLine(r.out), out);
        QVERIFY2(!size.empty(), r.out.c_str());
        QCOMPARE(readText(out), std::string(3000, 'a'));
        // docker 28 says the same size for the same copy (the same tar, from the API).
        for (const DockerClient& client : dockerClients()) {
            if (client.name.find("28") == std::string::npos) continue;
            const std::string viaDocker = (host.path() / "docker.txt").string();
            r = onTerminal({client.path, "cp", c + ":/tmp/in.txt", viaDocker}, m_service->env());
            QVERIFY2(r.exitCode == 0, diag(r).c_str());
            QVERIFY2(copiedSize(successLine(r.out), viaDocker) == size, (size + " | " + r.out).c_str());
        }
        // A relative destination is shown absolute, as docker shows it.
        r = runCommand({"script", "-qec", "cd " + shellLine({host.path().string()}) + " && " +
                                              shellLine({berth, "--root", m_root.string(), "cp", c + ":/tmp/in.txt", "rel.txt"}),
                        "/dev/null"});
        QVERIFY2(copiedSize(successLine(r.out), (host.path() / "rel.txt").string()) == size, r.out.c_str());
        r = berthCp({"-q", c + ":/tmp/in.txt", out}, true);
        QVERIFY2(r.exitCode == 0 && successLine(r.out).empty(), diag(r).c_str());
        r = berthCp({c + ":/tmp/in.txt", out}, false);
        QVERIFY2(r.exitCode == 0 && successLine(r.out + r.err).empty(), diag(r).c_str());
        r = berthCp({c + ":/tmp/in.txt", "-"}, true);  // the tar on stdout: no line
        QVERIFY2(r.exitCode == 0 && successLine(r.out).empty(), diag(r).c_str());
        QCOMPARE(m_service->docker(dockerClients().front(), {"rm", "-f", c}).exitCode, 0);
    }

    // A symlink in the container pointing far above its root: the copy goes to and comes
    // from the container's /etc, never the host's.
    void symlinksStayInTheContainer_data() { addClientRows(); }
    void symlinksStayInTheContainer() {
        const std::string c = named("cp-link");
        QCOMPARE(docker({"run", "-d", "--name", c, "busybox", "sleep", "300"}).exitCode, 0);
        inContainer(c, "echo container-only > /etc/berth-cp-mark && ln -s ../../../../../../etc /tmp/up");
        TempDir host;
        auto r = docker({"cp", c + ":/tmp/up/berth-cp-mark", (host.path() / "mark").string()});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(readText(host.path() / "mark"), std::string("container-only\n"));

        const std::string name = "berth-cp-" + tag() + "-" + std::to_string(::getpid());
        writeFile(host.path() / name, "confined\n");
        r = docker({"cp", (host.path() / name).string(), c + ":/tmp/up/"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(inContainer(c, "cat /etc/" + name), std::string("confined\n"));
        QVERIFY2(!fs::exists("/etc/" + name), "the copy left the container's root");
        QCOMPARE(docker({"rm", "-f", c}).exitCode, 0);
    }

    // A stopped container: in and out through its own file system, kept for its next start.
    void copyStoppedContainer_data() { addClientRows(); }
    void copyStoppedContainer() {
        const std::string c = named("cp-stopped");
        QCOMPARE(docker({"create", "--name", c, "busybox", "sleep", "300"}).exitCode, 0);
        TempDir host;
        writeFile(host.path() / "cfg", "while stopped\n");
        auto r = docker({"cp", (host.path() / "cfg").string(), c + ":/etc/cfg"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        r = docker({"cp", c + ":/etc/cfg", (host.path() / "back").string()});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(readText(host.path() / "back"), std::string("while stopped\n"));
        QCOMPARE(docker({"start", c}).exitCode, 0);
        QCOMPARE(inContainer(c, "cat /etc/cfg"), std::string("while stopped\n"));
        QCOMPARE(docker({"rm", "-f", c}).exitCode, 0);
    }

    // The wire: HEAD's stat header, a tar climbing out with "../", bad requests.
    void archiveWire() {
        auto r = raw("POST", "/v1.41/containers/create?name=cp-wire", R"({"Image": "busybox", "Cmd": ["sleep", "300"]})");
        QCOMPARE(r.status, 201);
        QCOMPARE(raw("POST", "/v1.41/containers/cp-wire/start").status, 204);
        r = raw("HEAD", "/v1.41/containers/cp-wire/archive?path=/etc");
        QCOMPARE(r.status, 200);
        const QByteArray statJson =
            QByteArray::fromBase64(QByteArray::fromStdString(r.headers["x-docker-container-path-stat"]));
        json st = json::parse(statJson.toStdString(), nullptr, false);
        QVERIFY2(st.is_object(), statJson.constData());
        QCOMPARE(st["name"].get<std::string>(), std::string("etc"));
        QVERIFY2((st["mode"].get<uint32_t>() & (1u << 31)) != 0, statJson.constData());  // Go's ModeDir
        QCOMPARE(st["mode"].get<uint32_t>() & 0777u, 0755u);

        // A tar whose entry climbs out of the destination is refused, nothing written.
        const std::string evil = makeTar({fileEntry("../../escaped-" + std::to_string(::getpid()), "x")});
        r = raw("PUT", "/v1.41/containers/cp-wire/archive?path=/tmp", evil, "Content-Type: application/x-tar\r\n");
        QCOMPARE(r.status, 400);
        QVERIFY2(contains(r.body, "escaped"), r.body.c_str());
        // (this test has no data rows: the first CLI)
        QCOMPARE(m_service->docker(dockerClients().front(), {"exec", "cp-wire", "ls", "/escaped-" + std::to_string(::getpid())}).exitCode,
                 1);

        QCOMPARE(raw("HEAD", "/v1.41/containers/cp-wire/archive?path=/nope").status, 404);
        QCOMPARE(raw("GET", "/v1.41/containers/cp-wire/archive").status, 400);
        QCOMPARE(raw("GET", "/v1.41/containers/no-such/archive?path=/").status, 404);
        QCOMPARE(raw("PUT", "/v1.41/containers/cp-wire/archive?path=/etc/passwd", makeTar({fileEntry("f", "x")}),
                     "Content-Type: application/x-tar\r\n")
                     .status,
                 400);
        QCOMPARE(raw("PUT", "/v1.41/containers/cp-wire/archive?path=/tmp", "not a tar", "Content-Type: application/x-tar\r\n")
                     .status,
                 400);
        QCOMPARE(raw("DELETE", "/v1.41/containers/cp-wire?force=1").status, 204);
        QVERIFY(m_service->running());
        QCOMPARE(raw("GET", "/_ping").body, std::string("OK"));
    }
};

BERTH_ROOT_TEST_MAIN(TestDockerApiCopy)
#include "tst_dockerapi_copy.moc"
