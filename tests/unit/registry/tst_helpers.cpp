// URL origin and redirect resolution (the basis of "no credentials to another host"),
// Retry-After, registry error documents, the registries config and loopback detection.
#include "registry/http.h"
#include "registry/registries_config.h"
#include "registry/registry_client.h"

#include <QtTest/QtTest>

#include <ctime>

using namespace berth::registry;

class TestHelpers : public QObject {
    Q_OBJECT
private slots:
    void origins() {
        QCOMPARE(urlOrigin("https://reg.example/v2/x/blobs/sha256:1"), std::string("https://reg.example:443"));
        QCOMPARE(urlOrigin("http://127.0.0.1:5000/v2/"), std::string("http://127.0.0.1:5000"));
        // Same host, other port or scheme: another origin, so no credentials follow.
        QVERIFY(urlOrigin("http://h:5000/") != urlOrigin("http://h:5001/"));
        QVERIFY(urlOrigin("http://h/") != urlOrigin("https://h/"));
        QCOMPARE(urlOrigin("not a url"), std::string());
    }

    void redirects() {
        QCOMPARE(resolveUrl("http://h:5000/v2/a/blobs/x", "/storage/blob?sig=1"),
                 std::string("http://h:5000/storage/blob?sig=1"));
        QCOMPARE(resolveUrl("http://h:5000/v2/a/blobs/x", "https://s3.example/b?X-Sig=2"),
                 std::string("https://s3.example/b?X-Sig=2"));
        QVERIFY(isRedirect(307));
        QVERIFY(isRedirect(302));
        QVERIFY(!isRedirect(304));
        QVERIFY(!isRedirect(200));
    }

    void encoding() {
        QCOMPARE(urlEncode("repository:a/b:pull,push"), std::string("repository%3Aa%2Fb%3Apull%2Cpush"));
        QCOMPARE(urlEncode("sha256:ab"), std::string("sha256%3Aab"));
    }

    void retryAfter() {
        auto s = parseRetryAfter("3");
        QVERIFY(s.has_value());
        QCOMPARE(s->count(), 3000L);
        QVERIFY(!parseRetryAfter("").has_value());
        QVERIFY(!parseRetryAfter("soon").has_value());
        // An HTTP date in the past means "now".
        auto past = parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT");
        QVERIFY(past.has_value());
        QCOMPARE(past->count(), 0L);
        // Absurd waits are capped at an hour.
        QCOMPARE(parseRetryAfter("999999")->count(), 3600L * 1000);
    }

    void errorDocuments() {
        HttpResponse r;
        r.status = 404;
        r.body = R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{}}]})";
        QCOMPARE(registryErrorMessage(r), std::string("manifest unknown"));
        r.body = R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})";
        QCOMPARE(registryErrorMessage(r), std::string("unauthorized: authentication required"));
        r.body = "<html>oops</html>";
        r.status = 502;
        QCOMPARE(registryErrorMessage(r), std::string("HTTP status 502"));
        r.status = 401;
        r.body.clear();
        QCOMPARE(registryErrorMessage(r), std::string("HTTP status 401 (unauthorized)"));
    }

    void registriesConfig() {
        auto c = RegistriesConfig::parse(
            R"({"insecure-registries":["myreg:5000"],"mirrors":{"docker.io":["mirror:5000"]}})", "test");
        QVERIFY(c.has_value());
        QVERIFY(c->isInsecure("myreg:5000"));
        QVERIFY(c->allowsPlainHttp("myreg:5000"));
        QVERIFY(!c->isInsecure("myreg:5001"));
        QVERIFY(!c->isInsecure("quay.io"));
        QVERIFY(!c->allowsPlainHttp("quay.io"));
        // Loopback: plain HTTP allowed, but TLS (when spoken) is not exempt from verification.
        QVERIFY(c->allowsPlainHttp("localhost:5000"));
        QVERIFY(!c->isInsecure("localhost:5000"));
        QCOMPARE(c->mirrors["docker.io"].front(), std::string("mirror:5000"));
        auto bad = RegistriesConfig::parse(R"({"insecure-registries":"x"})", "/etc/berth/registries.json");
        QVERIFY(!bad.has_value());
        QVERIFY(bad.error().message().find("/etc/berth/registries.json") != std::string::npos);
        QVERIFY(!RegistriesConfig::parse("[]", "t").has_value());
    }

    void registriesConfigErrorsNameTheLine() {
        // A syntax error: nlohmann's line and column.
        auto syntax = RegistriesConfig::parse("{\n  \"mirrors\": {\n    \"docker.io\": [\"a:1\",]\n  }\n}\n", "/x/r.json");
        QVERIFY(!syntax.has_value());
        QVERIFY2(syntax.error().message().starts_with("/x/r.json: invalid JSON at line 3"), syntax.error().message().c_str());
        // A wrong type: the line where the key is written.
        auto type = RegistriesConfig::parse("{\n\n  \"insecure-registries\": \"myreg:5000\"\n}\n", "/x/r.json");
        QVERIFY(!type.has_value());
        QVERIFY2(type.error().message().starts_with("/x/r.json: line 3:"), type.error().message().c_str());
        // A typo of a key is refused, not ignored.
        auto typo = RegistriesConfig::parse("{\n  \"mirror\": {}\n}\n", "/x/r.json");
        QVERIFY(!typo.has_value());
        QVERIFY2(typo.error().message().find("line 2: unknown key \"mirror\"") != std::string::npos,
                 typo.error().message().c_str());
        // A mirror given as a URL is not a host[:port].
        auto url = RegistriesConfig::parse("{\"mirrors\": {\"docker.io\": [\n \"http://m:5000\"]}}", "/x/r.json");
        QVERIFY(!url.has_value());
        QVERIFY2(url.error().message().find("line 2:") != std::string::npos, url.error().message().c_str());
        QVERIFY(!RegistriesConfig::parse(R"({"mirrors": {"docker.io": [5]}})", "t").has_value());
    }

    void loopback() {
        QVERIFY(isLoopbackHost("localhost"));
        QVERIFY(isLoopbackHost("localhost:5000"));
        QVERIFY(isLoopbackHost("127.0.0.1:5000"));
        QVERIFY(isLoopbackHost("127.1.2.3"));
        QVERIFY(isLoopbackHost("[::1]:5000"));
        QVERIFY(isLoopbackHost("::1"));
        QVERIFY(!isLoopbackHost("localhost.evil.com"));
        QVERIFY(!isLoopbackHost("10.0.0.1:5000"));
        QVERIFY(!isLoopbackHost("docker.io"));
    }

    void scopes() {
        QCOMPARE(pullScope("library/busybox"), std::string("repository:library/busybox:pull"));
        QCOMPARE(pushScope("a/b"), std::string("repository:a/b:pull,push"));
    }

    void sleepStopsEarly() {
        std::stop_source src;
        src.request_stop();
        QVERIFY(!sleepFor(std::chrono::hours(1), src.get_token()));
    }
};

QTEST_GUILESS_MAIN(TestHelpers)
#include "tst_helpers.moc"
