// POST /build (docker's classic builder) with real clients: each docker CLI with
// DOCKER_BUILDKIT=0 builds a context with ARG, COPY, RUN and a .dockerignore, and the image
// runs; a rebuild uses the cache; a Dockerfile outside the context (-f) builds; a failing RUN ends with docker's error and tags nothing;
// docker-py builds from a folder, a file object and a gzip context. On the wire: the
// stream's shape (steps, aux ID, "Successfully built/tagged"), a Dockerfile elsewhere in
// the context, hostile contexts (`../`, absolute paths, symlinks out) refused with nothing
// written outside, bad parameters and a too large upload answered with 4xx, and a client
// that hangs up cancelling its build (the RUN container removed, nothing tagged).
#include "skip.h"
#include "build_cancel_probe.h"
#include "raw_http.h"
#include "service_fixture.h"

#include "fixtures.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <sys/utsname.h>
#include <unistd.h>

#include <sstream>
#include <thread>

using namespace berth::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

TarEntry entry(const std::string& path, const std::string& data, TarEntry::Type type = TarEntry::File) {
    TarEntry e;
    e.type = type;
    e.path = path;
    if (type == TarEntry::Symlink) e.target = data;
    else e.data = data;
    return e;
}

const char* kDockerfile =
    "FROM busybox\n"
    "ARG GREETING=hello\n"
    "COPY greeting.txt /greeting.txt\n"
    "COPY . /ctx/\n"
    "RUN echo \"$GREETING from run\" > /run.txt && echo built-by-run\n"
    "CMD cat /greeting.txt /run.txt\n";

// The JSON lines of a build answer.
std::vector<json> lines(const std::string& body) {
    std::vector<json> out;
    std::istringstream in(body);
    for (std::string l; std::getline(in, l);)
        if (auto j = json::parse(l, nullptr, false); !j.is_discarded()) out.push_back(std::move(j));
    return out;
}

std::string streamText(const std::vector<json>& ls) {
    std::string out;
    for (auto& l : ls)
        if (l.contains("stream")) out += l["stream"].get<std::string>();
    return out;
}

std::string messageOf(const RawResponse& r) {
    auto j = json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("message") ? j["message"].get<std::string>() : "(no message) " + r.body;
}

const std::string kTar = "Content-Type: application/x-tar\r\n";

} // namespace

class TestDockerApiBuild : public QObject, protected DockerApiSuite {
    Q_OBJECT

    std::string pid() { return std::to_string(::getpid()); }

    // A raw POST /build with a tar body; the answer.
    RawResponse post(const std::string& query, const std::string& tar) { return raw("POST", "/v1.41/build?" + query, tar, kTar); }

    bool hasImage(const std::string& name) { return raw("GET", "/v1.41/images/" + name + "/json").status == 200; }

private slots:
    void initTestCase() {
        if (auto missing = missingDockerTestPrograms(); !missing.empty()) BERTH_SKIP(missing, MissingProgram);
        std::string err = startOnBusybox();
        QVERIFY2(err.empty(), err.c_str());
    }

    void cleanupTestCase() { stopAndClean(); }

    // docker build with the classic builder: ARG from --build-arg, COPY, RUN's output in
    // the stream, .dockerignore applied; the image runs; a rebuild uses the cache.
    void cliBuildsAndRuns_data() { addClientRows(); }
    void cliBuildsAndRuns() {
        TempDir ctx;
        writeFile(ctx.path() / "Dockerfile", kDockerfile);
        writeFile(ctx.path() / "greeting.txt", "from the context\n");
        writeFile(ctx.path() / "secret.txt", "ignored\n");
        writeFile(ctx.path() / ".dockerignore", "secret.txt\n");
        const std::string image = "cli-built-" + tag();
        const std::vector<std::string> legacy{"DOCKER_BUILDKIT=0"};
        auto r = m_service->docker(currentDockerClient(),
                                   {"build", "-t", image, "--build-arg", "GREETING=hi", ctx.path().string()}, 300000, legacy);
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, "Step 1/4 : FROM busybox"), r.out.c_str());
        QVERIFY2(contains(r.out, "built-by-run"), r.out.c_str());
        QVERIFY2(contains(r.out, "Successfully built "), r.out.c_str());
        QVERIFY2(contains(r.out, "Successfully tagged " + image + ":latest"), r.out.c_str());

        r = docker({"run", "--rm", image});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(r.out, std::string("from the context\nhi from run\n"));
        r = docker({"run", "--rm", image, "ls", "-a", "/ctx"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, "greeting.txt") && !contains(r.out, "secret.txt"), r.out.c_str());

        // Debian's 20.10 picks the classic builder by itself (/_ping's Builder-Version: 1).
        const std::vector<std::string> env = currentDockerClient().name == "docker 20.10" ? std::vector<std::string>{"DOCKER_BUILDKIT="} : legacy;
        r = m_service->docker(currentDockerClient(),
                              {"build", "-q", "-t", image, "--build-arg", "GREETING=hi", ctx.path().string()}, 300000, env);
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        const std::string id = trimmed(docker({"image", "inspect", "--format", "{{.Id}}", image}).out);
        QCOMPARE(trimmed(r.out), id);  // -q: only the id, the same image from the cache
        QCOMPARE(docker({"rmi", image}).exitCode, 0);
    }

    // A RUN that fails: docker's error (the CLI exits with the RUN's status, from
    // errorDetail.code), its output before, and no tag.
    void failingRunTagsNothing_data() { addClientRows(); }
    void failingRunTagsNothing() {
        TempDir ctx;
        writeFile(ctx.path() / "Dockerfile", "FROM busybox\nRUN echo before-failing && exit 3\n");
        const std::string image = "cli-failed-" + tag();
        auto r = m_service->docker(currentDockerClient(), {"build", "-t", image, ctx.path().string()}, 300000,
                                   {"DOCKER_BUILDKIT=0"});
        QVERIFY2(r.exitCode == 3, diag(r).c_str());  // the RUN's status, from errorDetail.code
        QVERIFY2(contains(r.out, "before-failing"), diag(r).c_str());
        QVERIFY2(contains(r.err, "exit code: 3"), diag(r).c_str());
        QVERIFY(!hasImage(image));
    }

    // The stream's shape, a Dockerfile at another path of a gzip context, build args,
    // labels, two tags, the context's .dockerignore.
    void streamShape() {
        const std::string tar = makeTar({entry("build/Dockerfile.alt", "FROM busybox\nARG A\nCOPY . /ctx/\n"
                                                                           "RUN echo \"arg=$A\" > /a.txt\n"),
                                         entry(".dockerignore", "ignored.txt\n"), entry("kept.txt", "k\n"),
                                         entry("ignored.txt", "i\n")},
                                        TarCompression::Gzip);
        const std::string query = "t=wire:1&t=wire:2&dockerfile=build/Dockerfile.alt&buildargs=%7B%22A%22%3A%22b%22%7D"
                                  "&labels=%7B%22l%22%3A%22v%22%7D&rm=1&forcerm=1&networkmode=default&version=1";
        auto r = post(query, tar);
        QCOMPARE(r.status, 200);
        auto ls = lines(r.body);
        QVERIFY2(!ls.empty() && ls.front().value("stream", "") == "Step 1/3 : FROM busybox\n", r.body.c_str());
        std::string id;
        size_t auxAt = 0;
        for (size_t i = 0; i < ls.size(); ++i)
            if (ls[i].contains("aux")) {
                id = ls[i]["aux"]["ID"].get<std::string>();
                auxAt = i;
            }
        QVERIFY2(id.starts_with("sha256:") && id.size() == 71, r.body.c_str());
        QVERIFY2(auxAt + 4 == ls.size(), r.body.c_str());
        QCOMPARE(ls[auxAt + 1].value("stream", ""), "Successfully built " + id.substr(7, 12) + "\n");
        QCOMPARE(ls[auxAt + 2].value("stream", ""), std::string("Successfully tagged wire:1\n"));
        QCOMPARE(ls[auxAt + 3].value("stream", ""), std::string("Successfully tagged wire:2\n"));
        QVERIFY2(contains(streamText(ls), "Step 3/3 : RUN echo \"arg=$A\" > /a.txt\n"), r.body.c_str());

        auto inspect = raw("GET", "/v1.41/images/wire:1/json");
        QCOMPARE(inspect.status, 200);
        json img = json::parse(inspect.body);
        QCOMPARE(img["Id"].get<std::string>(), id);
        QCOMPARE(img["Config"]["Labels"]["l"].get<std::string>(), std::string("v"));
        auto run = m_service->docker(dockerClients().front(), {"run", "--rm", "wire:1", "sh", "-c", "cat /a.txt; ls /ctx"});
        QVERIFY2(run.exitCode == 0, diag(run).c_str());
        QVERIFY2(contains(run.out, "arg=b\n") && contains(run.out, "kept.txt") && !contains(run.out, "ignored.txt"),
                 run.out.c_str());
        QCOMPARE(raw("DELETE", "/v1.41/images/wire:1").status, 200);
        QCOMPARE(raw("DELETE", "/v1.41/images/wire:2").status, 200);
    }

    // docker's CLI sends a context whose Dockerfile lies outside it (-f) as a tar that ends
    // right after the last entry's data: it builds, as with dockerd.
    void dockerfileOutsideTheContext_data() { addClientRows(); }
    void dockerfileOutsideTheContext() {
        TempDir dir;
        writeFile(dir.path() / "ctx" / "in-context.txt", "in the context\n");
        writeFile(dir.path() / "elsewhere" / "Dockerfile", "FROM busybox\nCOPY in-context.txt /c.txt\nCMD [\"cat\", \"/c.txt\"]\n");
        const std::string image = "outside-df-" + tag();
        auto r = m_service->docker(currentDockerClient(),
                                   {"build", "-f", (dir.path() / "elsewhere" / "Dockerfile").string(), "-t", image,
                                    (dir.path() / "ctx").string()},
                                   300000, {"DOCKER_BUILDKIT=0"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        r = docker({"run", "--rm", image});
        QCOMPARE(r.out, std::string("in the context\n"));
        QCOMPARE(docker({"rmi", image}).exitCode, 0);
        // The same, gzip-compressed by the CLI.
        r = m_service->docker(currentDockerClient(),
                              {"build", "--compress", "-f", (dir.path() / "elsewhere" / "Dockerfile").string(), "-t",
                               image, (dir.path() / "ctx").string()},
                              300000, {"DOCKER_BUILDKIT=0"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(docker({"run", "--rm", image}).out, std::string("in the context\n"));
        QCOMPARE(docker({"rmi", image}).exitCode, 0);

        // The same shape by hand: the archive stops at the end of its last entry's data.
        const std::string df = "FROM busybox\nLABEL cut=yes\n";
        const std::string tar = makeTar({entry("Dockerfile", df)});
        const std::string cut = tar.substr(0, tar.find(df) + df.size());
        QVERIFY(cut.size() < tar.size());
        auto wire = post("t=cut-" + tag(), cut);
        QCOMPARE(wire.status, 200);
        QVERIFY2(contains(wire.body, "Successfully tagged cut-" + tag() + ":latest"), wire.body.c_str());
        // An entry cut inside its data stays an error.
        const std::string big(4000, 'x');
        const std::string broken = makeTar({entry("Dockerfile", df), entry("big", big)});
        wire = post("t=cut-broken", broken.substr(0, broken.find(big) + 1000));
        QCOMPARE(wire.status, 400);
        QVERIFY(!hasImage("cut-broken"));
    }

    // A failure after the build started is docker's error line in the 200 stream, with
    // the failed RUN's exit status as errorDetail.code.
    void failureIsAnErrorLine() {
        auto r = post("t=wire-fail:1", makeTar({entry("Dockerfile", "FROM busybox\nRUN exit 7\n")}));
        QCOMPARE(r.status, 200);
        auto ls = lines(r.body);
        QVERIFY2(!ls.empty() && ls.back().contains("error") && ls.back().contains("errorDetail"), r.body.c_str());
        QCOMPARE(ls.back()["errorDetail"]["message"], ls.back()["error"]);
        QVERIFY2(ls.back()["errorDetail"].value("code", 0) == 7, r.body.c_str());  // the RUN's exit status
        QVERIFY2(contains(ls.back()["error"].get<std::string>(), "exit code: 7"), r.body.c_str());
        QVERIFY(!hasImage("wire-fail:1"));
    }

    // Parameters the builder cannot honour and broken bodies: a 4xx naming the problem,
    // before anything is built.
    void badRequestsAre4xx() {
        const std::string ok = makeTar({entry("Dockerfile", "FROM busybox\n")});
        auto r = post("dockerfile=nope/Dockerfile", ok);
        QCOMPARE(r.status, 400);
        QVERIFY2(contains(messageOf(r), "nope/Dockerfile"), r.body.c_str());
        r = post("dockerfile=../Dockerfile", ok);
        QCOMPARE(r.status, 400);
        QVERIFY2(contains(messageOf(r), "outside the build context"), r.body.c_str());
        r = post("remote=https%3A%2F%2Fexample.com%2Fapp.git", "");
        QCOMPARE(r.status, 400);
        QVERIFY2(contains(messageOf(r), "remote"), r.body.c_str());
        utsname u{};
        ::uname(&u);
        const std::string hostArch = std::string(u.machine) == "aarch64" ? "arm64" : "amd64";
        const std::string foreign = hostArch == "arm64" ? "linux/amd64" : "linux/arm64";
        r = post("platform=" + foreign, ok);
        QCOMPARE(r.status, 400);
        QVERIFY2(contains(messageOf(r), foreign), r.body.c_str());
        QCOMPARE(post("platform=linux/" + hostArch + "&t=host-platform:1", ok).status, 200);
        QVERIFY(hasImage("host-platform:1"));
        QCOMPARE(post("version=2", ok).status, 400);
        r = post("buildargs=not-json", ok);
        QCOMPARE(r.status, 400);
        QVERIFY2(contains(messageOf(r), "buildargs"), r.body.c_str());
        QCOMPARE(post("labels=%7B%22l%22%3A1%7D", ok).status, 400);
        r = post("t=Not%20A%20Tag", ok);
        QCOMPARE(r.status, 400);
        QVERIFY2(contains(messageOf(r), "Not A Tag"), r.body.c_str());
        QCOMPARE(post("networkmode=host", ok).status, 400);
        QCOMPARE(post("memory=1000000", ok).status, 400);
        QCOMPARE(post("target=nosuchstage", ok).status, 400);
        r = post("", "this is not a tar archive");
        QCOMPARE(r.status, 400);
        r = post("", makeTar({entry("Dockerfile", "FROM busybox\nFROBNICATE x\n")}));
        QCOMPARE(r.status, 400);
        QVERIFY2(contains(messageOf(r), "FROBNICATE") || contains(messageOf(r), "frobnicate"), r.body.c_str());

        // A declared size above the limit is refused before the body is read.
        RawHttp c(m_service->socket());
        c.send("POST /v1.41/build HTTP/1.1\r\nHost: docker\r\nContent-Type: application/x-tar\r\n"
               "Content-Length: 99999999999\r\n\r\n" + ok);
        auto big = c.read();
        QCOMPARE(big.status, 413);
        QVERIFY(m_service->running());
        QCOMPARE(raw("GET", "/_ping").body, std::string("OK"));
    }

    // Hostile contexts: entries climbing out, absolute paths, writes through a symlink
    // out, a symlink to a host file: refused, nothing written outside, nothing tagged.
    void hostileContextsAreConfined() {
        const std::string mark = "berth-evil-" + pid();
        const std::string df = "FROM busybox\nCOPY . /ctx/\n";
        struct Case {
            const char* what;
            std::vector<TarEntry> entries;
        };
        std::vector<Case> cases{
            {"dot-dot", {entry("Dockerfile", df), entry("../" + mark, "x"), entry("../../" + mark, "x")}},
            {"absolute", {entry("Dockerfile", df), entry("/tmp/" + mark, "x")}},
            {"through symlink", {entry("Dockerfile", df), entry("out", "/tmp", TarEntry::Symlink), entry("out/" + mark, "x")}},
        };
        for (auto& c : cases) {
            auto r = post("t=evil:1", makeTar(c.entries));
            QVERIFY2(r.status == 400, (std::string(c.what) + ": " + r.body).c_str());
            QVERIFY2(contains(messageOf(r), mark), (std::string(c.what) + ": " + r.body).c_str());
            QVERIFY2(!fs::exists("/tmp/" + mark), c.what);
            QVERIFY2(!fs::exists(m_root / mark) && !fs::exists(m_root / "tmp" / mark), c.what);
            QVERIFY(!hasImage("evil:1"));
        }

        // A symlink to a host file, used by COPY: refused with the path, the file not read.
        auto r = post("t=evil:1", makeTar({entry("Dockerfile", "FROM busybox\nCOPY pw /pw\n"),
                                           entry("pw", "/etc/shadow", TarEntry::Symlink)}));
        QCOMPARE(r.status, 200);  // refused at its COPY step, after the build started
        auto ls = lines(r.body);
        QVERIFY2(!ls.empty() && ls.back().contains("errorDetail"), r.body.c_str());
        QVERIFY2(contains(ls.back()["error"].get<std::string>(), "outside the build context"), r.body.c_str());
        QVERIFY2(!ls.back()["errorDetail"].contains("code"), r.body.c_str());  // not a RUN's exit: no code, as dockerd
        QVERIFY(!hasImage("evil:1"));
        QVERIFY(m_service->running());
    }

    // A client that hangs up during a RUN cancels the build: the RUN's processes end, its
    // container is removed, nothing is tagged.
    void hangUpCancelsTheBuild() {
        const std::string tar =
            makeTar({entry("Dockerfile", "FROM busybox\nRUN echo sleeping-$((6*7)) && sleep 300 && echo woke\n")});
        auto client = std::make_unique<RawHttp>(m_service->socket());
        QVERIFY(client->send(request("POST", "/v1.41/build?t=hung:1", tar, kTar)));
        std::string seen;
        std::string id;
        for (int i = 0; i < 1200 && (!contains(seen, "sleeping-42") || id.empty()); ++i) {  // a guard, not a measurement
            seen += client->readSome(4096, std::chrono::milliseconds(100));
            id = lastBuildContainerId(m_root);
        }
        QVERIFY2(contains(seen, "sleeping-42"), seen.c_str());
        QVERIFY(!id.empty());
        QVERIFY(!processesOfContainer(id).empty());
        client.reset();  // hang up

        bool gone = false;
        for (int i = 0; i < 600 && !gone; ++i) {  // a guard far below the sleep's 300 s
            const std::string ps = runBerth(m_root, {"ps", "-a", "-q", "--no-trunc"}).out;
            gone = processesOfContainer(id).empty() && !contains(ps, id);
            if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        QVERIFY2(gone, "the RUN container of the abandoned build is still there");
        QCOMPARE(cgroupDirsOf(id), std::vector<fs::path>{});
        QVERIFY(!hasImage("hung:1"));
        QVERIFY(m_service->running());
    }

    // docker-py's images.build: from a folder, a file object and a gzip context; a failing
    // build raises BuildError with the log and tags nothing.
    void dockerPyBuild() {
        if (runCommand({"python3", "-c", "import docker"}).exitCode != 0) BERTH_SKIP("python3-docker is not installed", MissingProgram);
        TempDir ctx;
        writeFile(ctx.path() / "Dockerfile", kDockerfile);
        writeFile(ctx.path() / "greeting.txt", "from the context\n");
        writeFile(ctx.path() / "secret.txt", "ignored\n");
        writeFile(ctx.path() / ".dockerignore", "secret.txt\n");
        std::string script = sourceFile("tests/integration/dockerapi/docker_py_build.py").string();
        auto r = runCommand({"python3", script, ctx.path().string()}, 600000, m_service->env());
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QVERIFY2(contains(r.out, "all: ok"), r.out.c_str());
    }
};

BERTH_ROOT_TEST_MAIN(TestDockerApiBuild)
#include "tst_dockerapi_build.moc"
