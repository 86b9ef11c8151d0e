// Images through the Docker API with real clients: each docker CLI on the machine
// (Debian's 20.10 and docker 28) lists, inspects, tags, removes, pushes to and pulls from
// a registry on 127.0.0.1 (Debian's docker-registry), saves and loads, and prunes; docker-py
// pulls, lists, tags, saves, loads and removes; bad requests get docker's status codes and
// the service goes on.
#include "skip.h"
#include "raw_http.h"
#include "registry_fixture.h"
#include "service_fixture.h"

#include "fixtures.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

using namespace berth::test;
using nlohmann::json;
namespace fs = std::filesystem;

class TestDockerApiImages : public QObject, protected DockerApiSuite {
    Q_OBJECT

    std::unique_ptr<RegistryProcess> m_registry;
    std::string m_busyboxId;

    std::string message(const RawResponse& r) {
        auto j = json::parse(r.body, nullptr, false);
        return j.is_object() && j.contains("message") ? j["message"].get<std::string>() : "(no message) " + r.body;
    }

private slots:
    void initTestCase() {
        if (auto missing = missingDockerTestPrograms(); !missing.empty()) BERTH_SKIP(missing, MissingProgram);
        if (!haveProgram("docker-registry")) BERTH_SKIP("docker-registry is not installed (apt install docker-registry)", MissingProgram);
        m_dir = std::make_unique<TempDir>();
        m_registry = std::make_unique<RegistryProcess>(m_dir->path() / "registry");
        QVERIFY2(m_registry->ok(), m_registry->log().c_str());
        std::string err = startOnBusybox("store");
        QVERIFY2(err.empty(), err.c_str());
        m_busyboxId = trimmed(m_service->docker(dockerClients().front(), {"image", "inspect", "--format", "{{.Id}}", "busybox"}).out);
        QCOMPARE(m_busyboxId.size(), size_t(71));
    }

    void cleanupTestCase() {
        stopAndClean();
        m_registry.reset();
    }

    // docker images, image inspect, history, tag, images --filter, rmi.
    void listInspectTagRemove_data() { addClientRows(); }
    void listInspectTagRemove() {
        auto r = docker({"images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, "busybox:latest " + m_busyboxId.substr(7, 12)), r.out.c_str());
        const std::string mine = "me/bb:t" + tag();
        r = docker({"tag", "busybox", mine});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        r = docker({"image", "inspect", mine});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        json j = json::parse(r.out)[0];
        QCOMPARE(j["Id"].get<std::string>(), m_busyboxId);
        QVERIFY2(contains(j["RepoTags"].dump(), mine), j["RepoTags"].dump().c_str());
        // The same store: berth sees the tag.
        QVERIFY(contains(runBerth(m_root, {"images"}).out, "me/bb"));
        r = docker({"images", "--filter", "reference=me/*", "--format", "{{.Repository}}:{{.Tag}}"});
        QCOMPARE(trimmed(r.out), mine);
        r = docker({"images", "me/bb", "--format", "{{.Repository}}:{{.Tag}}"});
        QCOMPARE(trimmed(r.out), mine);
        r = docker({"history", "--no-trunc", "--format", "{{.ID}}", mine});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, m_busyboxId), r.out.c_str());
        r = docker({"rmi", mine});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, "Untagged: " + mine), r.out.c_str());
        r = docker({"image", "inspect", mine});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(contains(r.err, "No such image"), r.err.c_str());
        // busybox is still there.
        QCOMPARE(docker({"image", "inspect", "busybox"}).exitCode, 0);
    }

    // docker push to the registry, rmi, pull back (docker's progress stream), run it.
    void pushAndPullThroughRegistry_data() { addClientRows(); }
    void pushAndPullThroughRegistry() {
        const std::string ref = m_registry->host() + "/dapi/bb:p" + tag();
        QCOMPARE(docker({"tag", "busybox", ref}).exitCode, 0);
        auto r = docker({"push", ref});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, "The push refers to repository [" + m_registry->host() + "/dapi/bb]"), r.out.c_str());
        QVERIFY2(QRegularExpression("p" + QString::fromStdString(tag()) + ": digest: sha256:[0-9a-f]{64} size: \\d+")
                     .match(QString::fromStdString(r.out))
                     .hasMatch(),
                 r.out.c_str());
        QCOMPARE(docker({"rmi", ref}).exitCode, 0);
        QCOMPARE(docker({"image", "inspect", ref}).exitCode, 1);

        r = docker({"pull", ref});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, "Pulling from dapi/bb"), r.out.c_str());
        QVERIFY2(contains(r.out, "Digest: sha256:"), r.out.c_str());
        QVERIFY2(contains(r.out, "Status: "), r.out.c_str());
        r = docker({"image", "inspect", "--format", "{{.Id}}", ref});
        QCOMPARE(trimmed(r.out), m_busyboxId);
        r = docker({"run", "--rm", ref, "echo", "pulled"});
        QCOMPARE(r.out, std::string("pulled\n"));
        // Again: nothing new.
        r = docker({"pull", ref});
        QVERIFY2(r.exitCode == 0 && contains(r.out, "Image is up to date"), diag(r).c_str());

        // A repository the registry does not have: docker's error, non-zero exit.
        r = docker({"pull", m_registry->host() + "/dapi/nope:1"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(contains(r.err, "nope"), r.err.c_str());
        // Pushing an image that does not exist.
        r = docker({"push", m_registry->host() + "/dapi/missing:1"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(contains(r.err, "does not exist") || contains(r.err, "No such image"), r.err.c_str());
        QCOMPARE(docker({"rmi", ref}).exitCode, 0);
    }

    // docker save -o, rmi, docker load -i: the tags come back.
    void saveAndLoad_data() { addClientRows(); }
    void saveAndLoad() {
        const std::string ref = "saved/bb:s" + tag();
        QCOMPARE(docker({"tag", "busybox", ref}).exitCode, 0);
        const fs::path archive = m_dir->path() / ("saved-" + tag() + ".tar");
        auto r = docker({"save", "-o", archive.string(), ref});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        auto listing = runCommand({"tar", "-tf", archive.string()});
        QVERIFY2(contains(listing.out, "manifest.json"), listing.out.c_str());
        QVERIFY2(contains(listing.out, "repositories"), listing.out.c_str());
        // GET /images/{name}/get is the same docker-save archive, and its repositories
        // names the tag as docker's does ({"saved/bb":{"s0":"<top layer>"}}).
        auto got = raw("GET", "/v1.41/images/" + ref + "/get");
        QCOMPARE(got.status, 200);
        const fs::path single = m_dir->path() / ("single-" + tag() + ".tar");
        writeFile(single, got.body);
        auto repos = runCommand({"tar", "-xOf", single.string(), "repositories"});
        QVERIFY2(repos.exitCode == 0, diag(repos).c_str());
        json j = json::parse(repos.out, nullptr, false);
        QVERIFY2(j.is_object() && j["saved/bb"].contains("s" + tag()), repos.out.c_str());
        QVERIFY2(contains(runCommand({"tar", "-tf", single.string()}).out, "manifest.json"), "no manifest.json");
        QCOMPARE(docker({"rmi", ref}).exitCode, 0);
        r = docker({"load", "-i", archive.string()});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, "Loaded image: " + ref), r.out.c_str());
        r = docker({"image", "inspect", "--format", "{{.Id}}", ref});
        QCOMPARE(trimmed(r.out), m_busyboxId);
        QCOMPARE(docker({"rmi", ref}).exitCode, 0);
    }

    // Uploads past the service's --max-upload: POST /images/load and /images/create?fromSrc=-
    // are a 413 naming the limit, refused from Content-Length before reading, or while a
    // chunked upload (docker load -i) streams in; nothing stored changes, the service goes
    // on, and an upload under the limit is taken.
    void uploadLimit() {
        // A store of its own (the fixture's socket lives in its store), busybox in it.
        const fs::path root = m_dir->path() / "limit-store";
        QVERIFY(!importBusybox(root, "busybox:latest").empty());
        ServiceFixture small(root, {"--max-upload", "64k"});
        const std::string startError = small.start();
        QVERIFY2(startError.empty(), startError.c_str());
        auto cli = [&small](const std::vector<std::string>& args) { return small.docker(dockerClients().front(), args); };
        const std::string before = cli({"images", "-a", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"}).out;
        for (const std::string target : {"/v1.41/images/load", "/v1.41/images/create?fromSrc=-&repo=toobig"}) {
            RawHttp declared(small.socket());  // Content-Length above the limit: refused before the body
            declared.send("POST " + target + " HTTP/1.1\r\nHost: docker\r\nContent-Type: application/x-tar\r\n"
                          "Content-Length: 99999999999\r\n\r\nxx");
            auto r = declared.read();
            QVERIFY2(r.status == 413, (target + ": " + r.body).c_str());
            QVERIFY2(contains(message(r), "65536 bytes") && contains(message(r), "--max-upload"), r.body.c_str());
            RawHttp chunked(small.socket());  // no length: cut off once past the limit
            chunked.send("POST " + target + " HTTP/1.1\r\nHost: docker\r\nContent-Type: application/x-tar\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n");
            const std::string chunk(16 * 1024, 'x');
            for (int i = 0; i < 16 && chunked.send("4000\r\n" + chunk + "\r\n"); ++i) {
            }
            r = chunked.read();
            QVERIFY2(r.status == 413, (target + ": " + r.body).c_str());
            QVERIFY2(contains(message(r), "65536 bytes"), r.body.c_str());
        }
        // docker load -i streams the file chunked: refused once it passes the limit.
        const fs::path archive = m_dir->path() / "limit.tar";
        auto saved = cli({"save", "-o", archive.string(), "busybox"});
        QVERIFY2(saved.exitCode == 0, diag(saved).c_str());
        QVERIFY(fs::file_size(archive) > 64 * 1024);
        auto r = small.docker(dockerClients().front(), {"load", "-i", archive.string()});
        QVERIFY2(r.exitCode != 0 && contains(r.out + r.err, "65536 bytes"), diag(r).c_str());
        // Under the limit: a one-file root file system imported.
        auto ok = small.raw("POST", "/v1.41/images/create?fromSrc=-&repo=small-import&tag=1",
                            makeTar({TarEntry{TarEntry::File, "hello.txt", "hi\n"}}), "Content-Type: application/x-tar\r\n");
        QVERIFY2(ok.status == 200, ok.body.c_str());
        QCOMPARE(cli({"rmi", "small-import:1"}).exitCode, 0);
        QCOMPARE(cli({"images", "-a", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"}).out, before);
        QVERIFY(small.running());
        QCOMPARE(small.raw("GET", "/_ping").body, std::string("OK"));
    }

    // POST /build's X-Registry-Config: the credentials per registry for the bases' pulls.
    // A base in a registry that wants a password is pulled with the header's credentials
    // for that registry; without them the build fails and tags nothing; a malformed
    // header is a 400.
    void buildPullsWithRegistryConfig() {
        if (!haveProgram("htpasswd")) BERTH_SKIP("htpasswd missing (apt install apache2-utils)", MissingProgram);
        auto pw = runCommand({"htpasswd", "-nbB", "alice", "wonderland"});
        QVERIFY2(pw.exitCode == 0, pw.err.c_str());
        RegistryProcess authReg(m_dir->path() / "auth-registry", pw.out.substr(0, pw.out.find('\n')));
        QVERIFY2(authReg.ok(), authReg.log().c_str());
        auto b64url = [](const json& j) {
            return QByteArray::fromStdString(j.dump()).toBase64(QByteArray::Base64UrlEncoding).toStdString();
        };
        const json alice{{"username", "alice"}, {"password", "wonderland"}};
        const std::string base = authReg.host() + "/secret/bb";
        QCOMPARE(raw("POST", "/v1.41/images/busybox/tag?repo=" + base + "&tag=1").status, 201);
        auto pushed = raw("POST", "/v1.41/images/" + base + "/push?tag=1", {}, "X-Registry-Auth: " + b64url(alice) + "\r\n");
        QVERIFY2(pushed.status == 200 && !contains(pushed.body, "errorDetail"), pushed.body.c_str());
        QCOMPARE(raw("DELETE", "/v1.41/images/" + base + ":1").status, 200);  // the build must pull it

        const std::string context = makeTar({TarEntry{TarEntry::File, "Dockerfile", "FROM " + base + ":1\nLABEL from=auth\n"}});
        const std::string tarType = "Content-Type: application/x-tar\r\n";
        auto r = raw("POST", "/v1.41/build?t=regcfg:none", context, tarType);
        QVERIFY2(r.status != 200 || contains(r.body, "errorDetail"), r.body.c_str());
        QCOMPARE(raw("GET", "/v1.41/images/regcfg:none/json").status, 404);
        // Another registry's credentials are not sent to this one.
        r = raw("POST", "/v1.41/build?t=regcfg:other", context,
                tarType + "X-Registry-Config: " + b64url({{"127.0.0.2:1", alice}}) + "\r\n");
        QVERIFY2(r.status != 200 || contains(r.body, "errorDetail"), r.body.c_str());
        r = raw("POST", "/v1.41/build?t=regcfg:1", context,
                tarType + "X-Registry-Config: " + b64url({{authReg.host(), alice}}) + "\r\n");
        QVERIFY2(r.status == 200 && contains(r.body, "Successfully tagged regcfg:1"), r.body.c_str());
        r = raw("POST", "/v1.41/build?t=regcfg:bad", context, tarType + "X-Registry-Config: %%%\r\n");
        QVERIFY2(r.status == 400 && contains(message(r), "X-Registry-Config"), r.body.c_str());
        r = raw("POST", "/v1.41/build?t=regcfg:bad", context,
                tarType + "X-Registry-Config: " + b64url({{authReg.host(), "alice"}}) + "\r\n");
        QVERIFY2(r.status == 400 && contains(message(r), "X-Registry-Config"), r.body.c_str());
        QCOMPARE(raw("DELETE", "/v1.41/images/regcfg:1").status, 200);
        QCOMPARE(raw("DELETE", "/v1.41/images/" + base + ":1").status, 200);
        QVERIFY(m_service->running());
    }

    // An untagged image is dangling: docker image prune removes it, and only it.
    void pruneRemovesDangling() {
        const fs::path archive = m_dir->path() / "untagged.tar";
        ArchiveOptions o;
        o.tags = {};
        FixtureImage img = writeBusyboxArchive(archive, o);
        QVERIFY(img.configDigest != m_busyboxId);
        auto clients = dockerClients();
        auto r = m_service->docker(clients.front(), {"load", "-i", archive.string()});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, "Loaded image ID: " + img.configDigest), r.out.c_str());
        r = m_service->docker(clients.front(), {"images", "-q", "--no-trunc", "--filter", "dangling=true"});
        QVERIFY2(contains(r.out, img.configDigest), r.out.c_str());
        r = m_service->docker(clients.front(), {"image", "prune", "-f"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, "deleted: " + img.configDigest), r.out.c_str());
        QCOMPARE(m_service->docker(clients.front(), {"image", "inspect", img.configDigest}).exitCode, 1);
        QCOMPARE(m_service->docker(clients.front(), {"image", "inspect", "busybox"}).exitCode, 0);
    }

    void dockerPy() {
        if (runCommand({"python3", "-c", "import docker"}).exitCode != 0) BERTH_SKIP("python3-docker is not installed", MissingProgram);
        // An image in the registry for docker-py to pull.
        const std::string ref = m_registry->host() + "/dapi/py:1";
        auto clients = dockerClients();
        QCOMPARE(m_service->docker(clients.front(), {"tag", "busybox", ref}).exitCode, 0);
        auto r = m_service->docker(clients.front(), {"push", ref});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(m_service->docker(clients.front(), {"rmi", ref}).exitCode, 0);
        std::string script = sourceFile("tests/integration/dockerapi/docker_py_images.py").string();
        r = runCommand({"python3", script, m_registry->host() + "/dapi/py", m_busyboxId}, 600000, m_service->env());
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QVERIFY2(contains(r.out, "all: ok"), r.out.c_str());
    }

    // Each bad request: docker's status and {"message":…}; the service goes on.
    void badRequestsGetDockersCodes() {
        auto r = raw("GET", "/v1.41/images/no-such/json");
        QCOMPARE(r.status, 404);
        QVERIFY2(contains(message(r), "no-such"), r.body.c_str());
        QCOMPARE(raw("GET", "/v1.41/images/no-such/history").status, 404);
        QCOMPARE(raw("POST", "/v1.41/images/no-such/tag?repo=x").status, 404);
        QCOMPARE(raw("POST", "/v1.41/images/busybox/tag").status, 400);
        // An uppercase repository path is docker's "invalid reference format" 400.
        r = raw("POST", "/v1.41/images/busybox/tag?repo=me%2FUPPER");
        QCOMPARE(r.status, 400);
        QVERIFY2(contains(message(r), "invalid reference format") && contains(message(r), "lowercase"), r.body.c_str());
        r = raw("POST", "/v1.41/images/busybox/tag?repo=Upper");
        QCOMPARE(r.status, 400);
        QVERIFY2(contains(message(r), "invalid reference format"), r.body.c_str());
        // An uppercase FIRST component is a registry host for API 1.44's reference rules
        // (distribution/reference 0.5: "UPPER/case" is host UPPER, repository case; the
        // docker 28 CLI sends it), so that tag is made, not refused.
        QCOMPARE(raw("POST", "/v1.44/images/busybox/tag?repo=UPPER%2Fcase").status, 201);
        QCOMPARE(raw("DELETE", "/v1.44/images/UPPER/case").status, 200);
        QCOMPARE(raw("DELETE", "/v1.41/images/no-such").status, 404);
        QCOMPARE(raw("POST", "/v1.41/images/create").status, 400);
        QCOMPARE(raw("POST", "/v1.41/images/create?fromImage=Bad%20Name").status, 400);
        r = raw("POST", "/v1.41/images/create?fromImage=" + m_registry->host() + "/dapi/nope&tag=1");
        QCOMPARE(r.status, 404);
        QVERIFY2(contains(message(r), "nope"), r.body.c_str());
        QCOMPARE(raw("POST", "/v1.41/images/create?fromImage=busybox", {}, "X-Registry-Auth: %%%\r\n").status, 400);
        QCOMPARE(raw("POST", "/v1.41/images/create?fromSrc=http%3A%2F%2Fexample.com%2Fx.tar").status, 400);
        QCOMPARE(raw("POST", "/v1.41/images/load", "this is not a tar archive", "Content-Type: application/x-tar\r\n").status, 400);
        QCOMPARE(raw("GET", "/v1.41/images/get?names=no-such").status, 404);
        QCOMPARE(raw("GET", "/v1.41/images/get").status, 400);
        QCOMPARE(raw("POST", "/v1.41/images/no-such/push?tag=1").status, 404);
        QCOMPARE(raw("POST", "/v1.41/images/prune?filters=%7B%22until%22%3A%5B%221h%22%5D%7D").status, 400);
        QCOMPARE(raw("GET", "/v1.41/images/json?filters=%7B%22bogus%22%3A%5B%22x%22%5D%7D").status, 400);
        QCOMPARE(raw("GET", "/v1.41/images/json?filters=%7B%22dangling%22%3A%5B%22maybe%22%5D%7D").status, 400);
        // An image a container uses is not deleted.
        r = raw("POST", "/v1.41/containers/create?name=uses-busybox", R"({"Image": "busybox", "Cmd": ["true"]})");
        QCOMPARE(r.status, 201);
        QCOMPARE(raw("DELETE", "/v1.41/images/" + m_busyboxId).status, 409);
        QCOMPARE(raw("DELETE", "/v1.41/containers/uses-busybox").status, 204);
        QVERIFY(m_service->running());
        QCOMPARE(raw("GET", "/_ping").body, std::string("OK"));
        QCOMPARE(raw("GET", "/v1.41/images/busybox/json").status, 200);
    }
};

BERTH_ROOT_TEST_MAIN(TestDockerApiImages)
#include "tst_dockerapi_images.moc"
