// Manifests and manifest lists: Docker schema 2, OCI, indexes, platform selection, caps
// and refusals of malformed or hostile documents.
#include "skip.h"
#include "registry/manifest.h"

#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

using namespace berth::registry;
using nlohmann::json;

namespace {
const std::string kD1 = "sha256:" + std::string(64, 'a');
const std::string kD2 = "sha256:" + std::string(64, 'b');
const std::string kD3 = "sha256:" + std::string(64, 'c');

json dockerManifest() {
    return {{"schemaVersion", 2},
            {"mediaType", media::DockerManifest},
            {"config", {{"mediaType", media::DockerConfig}, {"digest", kD1}, {"size", 1469}}},
            {"layers", json::array({{{"mediaType", media::DockerLayerGzip}, {"digest", kD2}, {"size", 100}},
                                    {{"mediaType", media::DockerLayerGzip}, {"digest", kD3}, {"size", 200}}})}};
}

json entry(const std::string& digest, const std::string& os, const std::string& arch,
           const std::string& variant = "") {
    json p = {{"os", os}, {"architecture", arch}};
    if (!variant.empty()) p["variant"] = variant;
    return {{"mediaType", media::OciManifest}, {"digest", digest}, {"size", 500}, {"platform", p}};
}
} // namespace

class TestManifest : public QObject {
    Q_OBJECT
private slots:
    void dockerSchema2() {
        auto m = parseManifest(dockerManifest().dump());
        QVERIFY2(m.has_value(), m ? "" : m.error().message().c_str());
        QCOMPARE(m->mediaType, std::string(media::DockerManifest));
        QCOMPARE(m->config.digest.str(), kD1);
        QCOMPARE(m->config.size, uint64_t(1469));
        QCOMPARE(m->layers.size(), size_t(2));
        QCOMPARE(m->layers[1].digest.str(), kD3);
        QCOMPARE(m->layers[1].size, uint64_t(200));
    }

    void ociWithoutMediaTypeIsDetected() {
        json j = dockerManifest();
        j.erase("mediaType");
        j["layers"][0]["mediaType"] = media::OciLayerGzip;
        j["layers"][1]["mediaType"] = media::OciLayerZstd;
        auto m = parseManifest(j.dump(), "application/octet-stream");
        QVERIFY2(m.has_value(), m ? "" : m.error().message().c_str());
        QCOMPARE(m->mediaType, std::string(media::OciManifest));
        // The Content-Type wins over field sniffing when the JSON says nothing.
        auto t = detectMediaType(j.dump(), std::string(media::DockerManifest) + "; charset=utf-8");
        QVERIFY(t.has_value());
        QCOMPARE(*t, std::string(media::DockerManifest));
    }

    void refusals_data() {
        QTest::addColumn<QString>("doc");
        QTest::addColumn<QString>("needle");
        json badDigest = dockerManifest();
        badDigest["layers"][0]["digest"] = "sha256:xyz";
        json negative = dockerManifest();
        negative["layers"][0]["size"] = -5;
        json bigConfig = dockerManifest();
        bigConfig["config"]["size"] = 9 << 20;
        json foreign = dockerManifest();
        foreign["layers"][0]["mediaType"] = "application/x-evil";
        json noLayers = dockerManifest();
        noLayers.erase("layers");
        QTest::newRow("not json") << "{" << "not a JSON object";
        QTest::newRow("schema1") << R"({"schemaVersion":1,"fsLayers":[]})" << "schema 1";
        QTest::newRow("bad digest") << QString::fromStdString(badDigest.dump()) << "layer 1";
        QTest::newRow("negative size") << QString::fromStdString(negative.dump()) << "size";
        QTest::newRow("config over cap") << QString::fromStdString(bigConfig.dump()) << "8 MiB";
        QTest::newRow("unknown layer type") << QString::fromStdString(foreign.dump()) << "application/x-evil";
        QTest::newRow("no layers") << QString::fromStdString(noLayers.dump()) << "layers";
        QTest::newRow("unknown type") << R"({"mediaType":"text/html"})" << "text/html";
    }
    void refusals() {
        QFETCH(QString, doc);
        QFETCH(QString, needle);
        auto m = parseManifest(doc.toStdString());
        QVERIFY(!m.has_value());
        QVERIFY2(m.error().message().find(needle.toStdString()) != std::string::npos, m.error().message().c_str());
    }

    void manifestOverCapRefused() {
        std::string huge(kMaxManifestBytes + 1, ' ');
        auto m = parseManifest(huge);
        QVERIFY(!m.has_value());
        QVERIFY(m.error().message().find("4 MiB") != std::string::npos);
    }

    void indexAndPlatformSelection() {
        json idx = {{"schemaVersion", 2},
                    {"mediaType", media::OciIndex},
                    {"manifests", json::array({entry(kD1, "linux", "amd64"), entry(kD2, "linux", "arm64", "v8"),
                                               entry(kD3, "linux", "arm", "v6"),
                                               entry("sha256:" + std::string(64, 'd'), "unknown", "unknown")})}};
        auto i = parseIndex(idx.dump());
        QVERIFY2(i.has_value(), i ? "" : i.error().message().c_str());
        QCOMPARE(i->manifests.size(), size_t(4));
        auto amd = selectPlatform(*i, {"linux", "amd64", ""}, "x");
        QVERIFY(amd.has_value());
        QCOMPARE(amd->digest.str(), kD1);
        auto arm64 = selectPlatform(*i, {"linux", "arm64", ""}, "x");  // default variant v8
        QVERIFY(arm64.has_value());
        QCOMPARE(arm64->digest.str(), kD2);
        auto armv6 = selectPlatform(*i, {"linux", "arm", "v6"}, "x");
        QVERIFY(armv6.has_value());
        QCOMPARE(armv6->digest.str(), kD3);
        // arm without a variant means v7: not served here. The error lists what is.
        auto armv7 = selectPlatform(*i, {"linux", "arm", ""}, "busybox:latest");
        QVERIFY(!armv7.has_value());
        auto msg = armv7.error().message();
        QVERIFY2(msg.find("linux/arm") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("linux/amd64, linux/arm64/v8, linux/arm/v6") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("unknown") == std::string::npos, msg.c_str());  // attestations hidden
        QVERIFY(msg.find("busybox:latest") != std::string::npos);
    }

    void dockerListDetectedByContentType() {
        json idx = {{"schemaVersion", 2}, {"manifests", json::array({entry(kD1, "linux", "amd64")})}};
        auto t = detectMediaType(idx.dump(), media::DockerList);
        QVERIFY(t.has_value());
        QVERIFY(isIndexMediaType(*t));
        QVERIFY(!parseManifest(idx.dump(), media::DockerList).has_value());
    }

    void platformParsing() {
        auto p = Platform::parse("linux/arm64/v8");
        QVERIFY(p.has_value());
        QCOMPARE(p->os, std::string("linux"));
        QCOMPARE(p->architecture, std::string("arm64"));
        QCOMPARE(p->variant, std::string("v8"));
        QCOMPARE(p->str(), std::string("linux/arm64/v8"));
        for (auto bad : {"", "linux", "linux/", "/amd64", "a/b/c/d", "linux//v7"})
            QVERIFY2(!Platform::parse(bad).has_value(), bad);
        QCOMPARE(hostPlatform().os, std::string("linux"));
        QVERIFY(!hostPlatform().architecture.empty());
    }
};

BERTH_GUILESS_TEST_MAIN(TestManifest)
#include "tst_manifest.moc"
