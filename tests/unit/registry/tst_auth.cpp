// WWW-Authenticate parsing, base64, and Docker's config.json: lookup, atomic store that
// keeps other keys, erase, and credential helpers (a fake docker-credential-<name> on PATH).
#include "skip.h"
#include "registry/auth.h"

#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace berth::registry;
using nlohmann::json;
namespace fs = std::filesystem;

static std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

static void spit(const fs::path& p, const std::string& s) {
    std::ofstream out(p);
    out << s;
}

class TestAuth : public QObject {
    Q_OBJECT

    fs::path m_dir;

private slots:
    void init() {
        char tmpl[] = "/tmp/berth-registry-auth-XXXXXX";
        QVERIFY(mkdtemp(tmpl));
        m_dir = tmpl;
    }
    void cleanup() { fs::remove_all(m_dir); }

    void bearerChallenge() {
        auto c = parseChallenges(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        QCOMPARE(c.size(), size_t(1));
        QCOMPARE(c[0].scheme, std::string("bearer"));
        QCOMPARE(c[0].params["realm"], std::string("https://auth.docker.io/token"));
        QCOMPARE(c[0].params["service"], std::string("registry.docker.io"));
        QCOMPARE(c[0].params["scope"], std::string("repository:library/busybox:pull"));
    }

    void scopeWithCommasStaysWhole() {
        auto c = parseChallenges("Bearer realm=\"https://r/t\",scope=\"repository:a/b:pull,push\",error=\"insufficient_scope\"");
        QCOMPARE(c.size(), size_t(1));
        QCOMPARE(c[0].params["scope"], std::string("repository:a/b:pull,push"));
        QCOMPARE(c[0].params["error"], std::string("insufficient_scope"));
    }

    void basicAndSeveralChallenges() {
        auto c = parseChallenges("Basic realm=\"Registry Realm\", Bearer realm=\"https://x/token\",service=x");
        QCOMPARE(c.size(), size_t(2));
        QCOMPARE(c[0].scheme, std::string("basic"));
        QCOMPARE(c[0].params["realm"], std::string("Registry Realm"));
        QCOMPARE(c[1].scheme, std::string("bearer"));
        QCOMPARE(c[1].params["service"], std::string("x"));
    }

    void garbageChallengeDoesNotCrash() {
        // Junk before a real challenge: the junk yields no usable challenge, the real one
        // is still found with its (unterminated) realm.
        auto c = parseChallenges("=,,=\"\"\"\\ ,Bearer realm=\"unterminated");
        const Challenge* bearer = nullptr;
        for (auto& x : c)
            if (x.scheme == "bearer") bearer = &x;
        QVERIFY(bearer != nullptr);
        QCOMPARE(bearer->params.at("realm"), std::string("unterminated"));
        QVERIFY(parseChallenges("").empty());
    }

    void base64RoundTrip() {
        for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "user:pa:ss", std::string("\0\xff\x10", 3)}) {
            auto enc = base64Encode(s);
            auto dec = base64Decode(enc);
            QVERIFY(dec.has_value());
            QCOMPARE(*dec, s);
        }
        QCOMPARE(base64Encode("user:pass"), std::string("dXNlcjpwYXNz"));
        QVERIFY(!base64Decode("not*base64").has_value());
    }

    void configKeys() {
        QCOMPARE(configKeyForHost("docker.io"), std::string("https://index.docker.io/v1/"));
        QCOMPARE(configKeyForHost("127.0.0.1:5000"), std::string("127.0.0.1:5000"));
    }

    void lookupMissingFileIsNoCredentials() {
        DockerConfig cfg(m_dir / "none" / "config.json");
        auto r = cfg.lookup("127.0.0.1:5000");
        QVERIFY(r.has_value());
        QVERIFY(!r->has_value());
    }

    void lookupAuths() {
        auto path = m_dir / "config.json";
        spit(path, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"aHViOnNlY3JldA==\"},\n                                \"127.0.0.1:5000\":{\"auth\":\"dXNlcjpwYTpzcw==\"}}}");
        DockerConfig cfg(path);
        auto hub = cfg.lookup("docker.io");
        QVERIFY(hub && *hub);
        QCOMPARE((*hub)->username, std::string("hub"));
        QCOMPARE((*hub)->password, std::string("secret"));
        auto local = cfg.lookup("127.0.0.1:5000");
        QVERIFY(local && *local);
        QCOMPARE((*local)->username, std::string("user"));
        QCOMPARE((*local)->password, std::string("pa:ss"));  // only the first colon splits
        auto other = cfg.lookup("quay.io");
        QVERIFY(other && !*other);
    }

    void malformedConfigIsAnError() {
        auto path = m_dir / "config.json";
        spit(path, "{not json");
        auto r = DockerConfig(path).lookup("x");
        QVERIFY(!r.has_value());
        QVERIFY(r.error().message().find("config.json") != std::string::npos);
        spit(path, "{\"auths\":{\"x\":{\"auth\":\"bm9jb2xvbg==\"}}}");  // "nocolon"
        r = DockerConfig(path).lookup("x");
        QVERIFY(!r.has_value());
    }

    void storeKeepsOtherKeysAndIsPrivate() {
        auto path = m_dir / "sub" / "config.json";
        fs::create_directories(path.parent_path());
        spit(path, "{\"psFormat\":\"table {{.ID}}\",\"auths\":{\"other:1\":{\"auth\":\"YTpi\"}}}");
        DockerConfig cfg(path);
        QVERIFY(cfg.store("127.0.0.1:5000", Credentials{"alice", "s3cret", ""}).has_value());
        auto j = json::parse(slurp(path));
        QCOMPARE(j["psFormat"].get<std::string>(), std::string("table {{.ID}}"));
        QCOMPARE(j["auths"]["other:1"]["auth"].get<std::string>(), std::string("YTpi"));
        QCOMPARE(j["auths"]["127.0.0.1:5000"]["auth"].get<std::string>(), base64Encode("alice:s3cret"));
        auto perms = fs::status(path).permissions();
        QCOMPARE(int(perms & fs::perms::mask), 0600);
        // No temp files left next to it.
        int entries = 0;
        for (auto& e : fs::directory_iterator(path.parent_path())) (void)e, ++entries;
        QCOMPARE(entries, 1);

        QVERIFY(cfg.erase("127.0.0.1:5000").has_value());
        j = json::parse(slurp(path));
        QVERIFY(!j["auths"].contains("127.0.0.1:5000"));
        QVERIFY(j["auths"].contains("other:1"));
        auto again = cfg.erase("127.0.0.1:5000");
        QVERIFY(!again.has_value());
        QCOMPARE(again.error().code(), berth::Errc::NotFound);
    }

    void credentialHelperIsAsked() {
        // A fake helper: `get` prints credentials for the host read on stdin, `store`
        // records its input, `erase` records the host.
        auto bin = m_dir / "bin";
        fs::create_directories(bin);
        auto helper = bin / "docker-credential-berthtest";
        spit(helper, "#!/bin/sh\n"
                     "read -r input\n"
                     "case \"$1\" in\n"
                     "get) if [ \"$input\" = 127.0.0.1:5000 ]; then echo '{\"Username\":\"hu\",\"Secret\":\"hs\"}';"
                     " else echo 'credentials not found in native keychain'; exit 1; fi ;;\n"
                     "store) echo \"$input\" > \"$(dirname \"$0\")/stored\" ;;\n"
                     "erase) echo \"$input\" > \"$(dirname \"$0\")/erased\" ;;\n"
                     "esac\n");
        fs::permissions(helper, fs::perms::owner_all);
        std::string oldPath = std::getenv("PATH") ? std::getenv("PATH") : "";
        setenv("PATH", (bin.string() + ":" + oldPath).c_str(), 1);
        auto path = m_dir / "config.json";
        spit(path, "{\"credHelpers\":{\"127.0.0.1:5000\":\"berthtest\"}}");
        DockerConfig cfg(path);
        auto r = cfg.lookup("127.0.0.1:5000");
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        QVERIFY(r->has_value());
        QCOMPARE((*r)->username, std::string("hu"));
        QCOMPARE((*r)->password, std::string("hs"));

        // credsStore applies to every host; "not found" means no credentials, not an error.
        spit(path, "{\"credsStore\":\"berthtest\"}");
        auto none = DockerConfig(path).lookup("quay.io");
        QVERIFY(none.has_value());
        QVERIFY(!none->has_value());

        QVERIFY(DockerConfig(path).store("127.0.0.1:5000", Credentials{"u2", "p2", ""}).has_value());
        auto stored = json::parse(slurp(bin / "stored"));
        QCOMPARE(stored["ServerURL"].get<std::string>(), std::string("127.0.0.1:5000"));
        QCOMPARE(stored["Secret"].get<std::string>(), std::string("p2"));
        // The secret is with the helper, not in the file.
        QVERIFY(slurp(path).find("p2") == std::string::npos);
        QVERIFY(DockerConfig(path).erase("127.0.0.1:5000").has_value());
        QCOMPARE(slurp(bin / "erased"), std::string("127.0.0.1:5000\n"));
        setenv("PATH", oldPath.c_str(), 1);
    }

    void missingHelperIsAClearError() {
        auto path = m_dir / "config.json";
        spit(path, "{\"credsStore\":\"berth-no-such-helper\"}");
        auto r = DockerConfig(path).lookup("127.0.0.1:5000");
        QVERIFY(!r.has_value());
        QVERIFY(r.error().message().find("docker-credential-berth-no-such-helper") != std::string::npos);
    }
};

BERTH_GUILESS_TEST_MAIN(TestAuth)
#include "tst_auth.moc"
