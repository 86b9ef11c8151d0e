// Every inspect verb takes docker's -f: a Go template applied to each object, one line
// each (berth/go_template.h), or "json"; `berth inspect` finds volumes and networks too.
// No root, no containers: a volume and the built-in networks of a store in a temp dir.
// `berth version` takes the same templates over docker's Client/Server shape.
#include "skip.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest/QtTest>

using namespace berth::test;

class TestCliInspect : public QObject {
    Q_OBJECT

    TempDir m_dir;

    CommandResult berth(const std::vector<std::string>& args) const {
        std::vector<std::string> argv{builtProgram("berth").string(), "--root", (m_dir.path() / "store").string(),
                                      "--runroot", (m_dir.path() / "run").string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return runCommand(argv, 30000);
    }

private slots:
    void initTestCase() {
        auto made = berth({"volume", "create", "--label", "team=web", "data"});
        QVERIFY2(made.exitCode == 0, made.err.c_str());
    }

    void volumeInspectFormats() {
        auto r = berth({"volume", "inspect", "-f", "{{.Name}} {{.Driver}} {{.Labels.team}}", "data"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(r.out, std::string("data local web\n"));
        auto json = berth({"volume", "inspect", "--format", "json", "data"});
        QCOMPARE(json.exitCode, 0);
        auto array = QJsonDocument::fromJson(QByteArray::fromStdString(json.out)).array();
        QCOMPARE(array.size(), 1);
        QCOMPARE(array.at(0).toObject().value("Name").toString(), QString("data"));
    }

    void networkInspectFormats() {
        auto r = berth({"network", "inspect", "-f", "{{.Name}}/{{.Driver}}", "bridge", "none"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(r.out, std::string("bridge/bridge\nnone/null\n"));
    }

    void inspectFindsEveryKind() {
        auto r = berth({"inspect", "-f", "{{.Name}}", "data", "host"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(r.out, std::string("data\nhost\n"));
        auto typed = berth({"inspect", "--type", "volume", "-f", "{{.Mountpoint}}", "data"});
        QCOMPARE(typed.exitCode, 0);
        QVERIFY2(typed.out.find("/volumes/data/_data") != std::string::npos, typed.out.c_str());
        auto wrongType = berth({"inspect", "--type", "image", "data"});
        QCOMPARE(wrongType.exitCode, 1);
        QVERIFY2(wrongType.err.find("No such object: data") != std::string::npos, wrongType.err.c_str());
    }

    void versionBlocksAndFormat() {
        auto text = berth({"version"});
        QVERIFY2(text.exitCode == 0, text.err.c_str());
        for (const char* part : {"Client:\n", "Server: Berth Engine", " Engine:\n", "API version:",
                                 "(minimum version 1.24)", "OS/Arch:", "Kernel:"})
            QVERIFY2(text.out.find(part) != std::string::npos, (std::string(part) + " in:\n" + text.out).c_str());
        auto json = berth({"version", "--format", "json"});
        QCOMPARE(json.exitCode, 0);
        auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(json.out)).object();
        const QString version = doc["Client"].toObject()["Version"].toString();
        QVERIFY(!version.isEmpty());
        QCOMPARE(doc["Server"].toObject()["Version"].toString(), version);
        QCOMPARE(doc["Server"].toObject()["ApiVersion"].toString(), QString("1.44"));
        // docker's templates, and the same version as --version
        auto tmpl = berth({"version", "-f", "{{.Server.Version}} {{.Client.ApiVersion}} {{.Server.Os}}"});
        QCOMPARE(tmpl.out, (version + " 1.44 linux\n").toStdString());
        QCOMPARE(berth({"--version"}).out, ("berth version " + version + "\n").toStdString());
        auto bad = berth({"version", "-f", "{{.Server.Nope}}"});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.find("Nope") != std::string::npos, bad.err.c_str());
    }

    void badTemplateIsAnError() {
        auto r = berth({"volume", "inspect", "-f", "{{.Name", "data"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.empty());
        QVERIFY(!r.err.empty());
    }
};

BERTH_GUILESS_TEST_MAIN(TestCliInspect)
#include "tst_cli_inspect.moc"
