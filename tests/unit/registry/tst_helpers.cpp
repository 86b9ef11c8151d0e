// URL origin and redirect resolution (the basis of "no credentials to another host"),
// Retry-After, registry error documents, the registries config, loopback detection, and
// the certs.d reader (CA files, client.cert/client.key pairing as docker enforces it).
#include "skip.h"
#include "registry/http.h"
#include "registry/registries_config.h"
#include "registry/registry_client.h"
#include "registry/tls_trust.h"

#include <QtTest/QtTest>

#include <QTemporaryDir>

#include <ctime>
#include <filesystem>
#include <fstream>

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

    void certsDirClientCertificate() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        std::filesystem::path dir = tmp.path().toStdString();
        auto host = dir / "reg.test:5000";
        std::filesystem::create_directories(host);
        const std::string cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        const std::string key = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

        // Nothing there: no entry at all.
        auto none = loadTlsTrust("reg.test:5000", dir, berth::ConfigSettings{});
        QVERIFY(none.has_value());
        QVERIFY(!none->caBundle && !none->clientCert && none->source.empty());

        // A client pair alone: the system CAs stay in charge, the pair is used.
        std::ofstream(host / "client.cert") << cert;
        std::ofstream(host / "client.key") << key;
        auto pair = loadTlsTrust("reg.test:5000", dir, berth::ConfigSettings{});
        QVERIFY2(pair.has_value(), pair ? "" : pair.error().message().c_str());
        QVERIFY(!pair->caBundle);
        QVERIFY(pair->clientCert && *pair->clientCert == cert);
        QVERIFY(pair->clientKey && *pair->clientKey == key);
        QCOMPARE(pair->clientCertFile, host / "client.cert");
        QCOMPARE(pair->source, host);

        // With a CA next to it, both are read.
        std::ofstream(host / "ca.crt") << cert;
        auto both = loadTlsTrust("reg.test:5000", dir, berth::ConfigSettings{});
        QVERIFY(both.has_value() && both->caBundle && both->clientCert);
        QVERIFY(both->caBundle->find("MIIB") != std::string::npos);

        // A certificate without its key, or a key without its certificate: named errors.
        std::filesystem::remove(host / "client.key");
        auto noKey = loadTlsTrust("reg.test:5000", dir, berth::ConfigSettings{});
        QVERIFY(!noKey.has_value());
        QVERIFY2(noKey.error().message().find((host / "client.cert").string() + " for registry reg.test:5000 has no key "
                                              "client.key") != std::string::npos,
                 noKey.error().message().c_str());
        std::filesystem::remove(host / "client.cert");
        std::ofstream(host / "other.key") << key;
        auto noCert = loadTlsTrust("reg.test:5000", dir, berth::ConfigSettings{});
        QVERIFY(!noCert.has_value());
        QVERIFY2(noCert.error().message().find("has no client certificate other.cert") != std::string::npos,
                 noCert.error().message().c_str());

        // A key file that is not a PEM key is refused before curl sees it.
        std::ofstream(host / "other.cert") << cert;
        std::ofstream(host / "other.key") << "not a key";
        auto badKey = loadTlsTrust("reg.test:5000", dir, berth::ConfigSettings{});
        QVERIFY(!badKey.has_value());
        QVERIFY2(badKey.error().message().find("not a PEM private key") != std::string::npos,
                 badKey.error().message().c_str());
    }

    void clientCertRefusalTexts() {
        QVERIFY(isClientCertRefusal("OpenSSL SSL_read: error:0A00045C:SSL routines::tlsv13 alert certificate "
                                    "required, errno 0"));
        QVERIFY(isClientCertRefusal("error:0A000412:SSL routines::sslv3 alert bad certificate"));
        QVERIFY(isClientCertRefusal("error:0A000418:SSL routines::tlsv1 alert unknown ca"));
        QVERIFY(!isClientCertRefusal("SSL certificate problem: self-signed certificate in certificate chain"));
        QVERIFY(!isClientCertRefusal("Connection refused"));
    }

    void sleepStopsEarly() {
        std::stop_source src;
        src.request_stop();
        QVERIFY(!sleepFor(std::chrono::hours(1), src.get_token()));
    }
};

BERTH_GUILESS_TEST_MAIN(TestHelpers)
#include "tst_helpers.moc"
