// The Run… dialog holds every option the engine's create request takes: each field filled
// in the dialog arrives in container::CreateOptions with the value the CLI would give it,
// and a bad value is refused with an error naming the field.
#include "skip.h"
#include "resources.h"
#include "rundialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

using namespace berth::ui;

class RunDialogTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { initResources(); }
    void everyOptionReachesTheEngine();
    void badValuesNameTheField();
};

template <class T>
static T* field(QWidget& w, const char* name) {
    T* f = w.findChild<T*>(QString::fromLatin1(name));
    if (!f) qFatal("no field %s", name);
    return f;
}

static QList<QLineEdit*> lineEdits(QWidget& w) { return w.findChildren<QLineEdit*>(); }

void RunDialogTest::everyOptionReachesTheEngine() {
    RunDialog d({QStringLiteral("busybox:latest")}, QStringLiteral("busybox:latest"), nullptr,
                {QStringLiteral("bridge"), QStringLiteral("host"), QStringLiteral("none"), QStringLiteral("backend")});
    // General and "Resources and security" fields by their position in the form.
    QList<QLineEdit*> edits = lineEdits(d);
    auto byPlaceholder = [&](const QString& start) -> QLineEdit* {
        for (QLineEdit* e : edits)
            if (e->placeholderText().startsWith(start)) return e;
        qFatal("no field with placeholder %s", qPrintable(start));
    };
    byPlaceholder(QStringLiteral("chosen at random"))->setText(QStringLiteral("web"));
    byPlaceholder(QStringLiteral("the image's default command"))->setText(QStringLiteral("httpd -f -p 80"));
    byPlaceholder(QStringLiteral("the image's entrypoint"))->setText(QStringLiteral("/bin/sh"));
    // Ports, volumes and network tab: tables of rows and a combo of the store's networks.
    auto* ports = field<QTableWidget>(d, "portsTable");
    auto setRow = [](QTableWidget* t, int row, const QStringList& cells) {
        if (t->rowCount() <= row) t->setRowCount(row + 1);
        for (int c = 0; c < cells.size(); ++c) t->setItem(row, c, new QTableWidgetItem(cells[c]));
    };
    setRow(ports, 0, {QString(), QStringLiteral("8080"), QStringLiteral("80"), QStringLiteral("tcp")});
    setRow(ports, 1, {QStringLiteral("127.0.0.1"), QStringLiteral("5353"), QStringLiteral("53"), QStringLiteral("udp")});
    auto* volumes = field<QTableWidget>(d, "volumesTable");
    setRow(volumes, 0, {QStringLiteral("data"), QStringLiteral("/var/lib/data")});
    setRow(volumes, 1, {QStringLiteral("/srv/site"), QStringLiteral("/usr/share/www")});
    auto* ro = new QTableWidgetItem;
    ro->setCheckState(Qt::Checked);
    volumes->setItem(1, 2, ro);
    setRow(volumes, 2, {QString(), QStringLiteral("/cache")});
    auto* network = field<QComboBox>(d, "network");
    QVERIFY(network->findData(QStringLiteral("backend")) >= 0);  // passed in by the window
    network->setCurrentIndex(network->findData(QStringLiteral("backend")));
    byPlaceholder(QStringLiteral("e.g. 256m"))->setText(QStringLiteral("256m"));
    byPlaceholder(QStringLiteral("e.g. 0.5"))->setText(QStringLiteral("0.5"));
    auto* restart = field<QComboBox>(d, "restartPolicy");
    restart->setCurrentIndex(restart->findData(QStringLiteral("on-failure")));
    auto* retries = field<QSpinBox>(d, "restartRetries");
    QVERIFY(retries->isEnabled());
    retries->setValue(3);
    field<QLineEdit>(d, "memorySwap")->setText(QStringLiteral("1g"));
    field<QSpinBox>(d, "cpuShares")->setValue(512);
    field<QLineEdit>(d, "cpusetCpus")->setText(QStringLiteral("0"));
    field<QLineEdit>(d, "tmpfs")->setText(QStringLiteral("/run:size=64m,mode=1777, /cache"));
    field<QLineEdit>(d, "capAdd")->setText(QStringLiteral("NET_ADMIN, SYS_PTRACE"));
    field<QLineEdit>(d, "capDrop")->setText(QStringLiteral("NET_RAW"));
    field<QLineEdit>(d, "seccomp")->setText(QStringLiteral("unconfined"));
    field<QLineEdit>(d, "logMaxSize")->setText(QStringLiteral("10m"));
    field<QSpinBox>(d, "logMaxFile")->setValue(3);
    field<QLineEdit>(d, "ulimits")->setText(QStringLiteral("nofile=1024:2048, nproc=512"));
    field<QPlainTextEdit>(d, "labels")->setPlainText(QStringLiteral("team=web\nversion=1"));
    for (QCheckBox* c : d.findChildren<QCheckBox*>())
        if (c->text().startsWith(QStringLiteral("Give the container a terminal")) || c->text().startsWith(QStringLiteral("No new privileges")) ||
            c->text().startsWith(QStringLiteral("Read-only")))
            c->setChecked(true);

    auto created = backend::toCreateOptions(d.options());
    QVERIFY2(created, created ? "" : created.error().message().c_str());
    const berth::container::CreateOptions& c = *created;
    QCOMPARE(c.image, std::string("busybox:latest"));
    QCOMPARE(c.name, std::string("web"));
    QCOMPARE(c.cmd, (std::vector<std::string>{"httpd", "-f", "-p", "80"}));
    QVERIFY(c.entrypoint && *c.entrypoint == std::vector<std::string>{"/bin/sh"});
    QCOMPARE(c.ports.size(), size_t(2));
    QCOMPARE(c.ports[0].hostIp, std::string());
    QCOMPARE(c.ports[0].hostPort, uint16_t(8080));
    QCOMPARE(c.ports[0].containerPort, uint16_t(80));
    QCOMPARE(c.ports[0].protocol, std::string("tcp"));
    QCOMPARE(c.ports[1].hostIp, std::string("127.0.0.1"));
    QCOMPARE(c.ports[1].hostPort, uint16_t(5353));
    QCOMPARE(c.ports[1].protocol, std::string("udp"));
    using berth::container::MountRequest;
    QCOMPARE(c.mounts.size(), size_t(3));
    QCOMPARE(c.mounts[0].type, MountRequest::Type::Volume);
    QCOMPARE(c.mounts[0].source, std::string("data"));
    QCOMPARE(c.mounts[0].target, std::string("/var/lib/data"));
    QVERIFY(!c.mounts[0].readOnly);
    QCOMPARE(c.mounts[1].type, MountRequest::Type::Bind);
    QCOMPARE(c.mounts[1].source, std::string("/srv/site"));
    QCOMPARE(c.mounts[1].target, std::string("/usr/share/www"));
    QVERIFY(c.mounts[1].readOnly);
    QCOMPARE(c.mounts[2].type, MountRequest::Type::Volume);
    QVERIFY(c.mounts[2].anonymous);
    QCOMPARE(c.mounts[2].target, std::string("/cache"));
    QCOMPARE(c.network, std::string("backend"));
    QCOMPARE(*c.resources.memoryBytes, int64_t(256) << 20);
    QCOMPARE(*c.resources.memorySwapBytes, int64_t(1) << 30);
    QCOMPARE(*c.resources.cpuQuotaUs, int64_t(50000));
    QCOMPARE(*c.resources.cpuShares, uint64_t(512));
    QCOMPARE(*c.resources.cpusetCpus, std::string("0"));
    QCOMPARE(c.restart.kind, berth::container::RestartPolicy::Kind::OnFailure);
    QCOMPARE(c.restart.maxRetries, 3);
    QCOMPARE(c.tmpfs, (std::vector<std::string>{"/run:size=64m,mode=1777", "/cache"}));
    QCOMPARE(c.capAdd, (std::vector<std::string>{"NET_ADMIN", "SYS_PTRACE"}));
    QCOMPARE(c.capDrop, (std::vector<std::string>{"NET_RAW"}));
    QCOMPARE(c.seccompProfile, std::string("unconfined"));
    QVERIFY(c.noNewPrivileges);
    QVERIFY(c.tty);
    QVERIFY(c.readOnly);
    QCOMPARE(c.log.maxSize, uint64_t(10) << 20);
    QCOMPARE(c.log.maxFile, 3);
    QCOMPARE(c.ulimits.size(), size_t(2));
    QCOMPARE(c.ulimits[0].name, std::string("nofile"));
    QCOMPARE(c.ulimits[0].soft, int64_t(1024));
    QCOMPARE(c.ulimits[0].hard, int64_t(2048));
    QCOMPARE(c.labels.at("team"), std::string("web"));
    QCOMPARE(c.labels.at("version"), std::string("1"));
}

void RunDialogTest::badValuesNameTheField() {
    backend::RunOptions o;
    o.image = QStringLiteral("busybox");
    o.memory = QStringLiteral("lots");
    auto r = backend::toCreateOptions(o);
    QVERIFY(!r);
    QVERIFY2(r.error().message().find("memory limit") != std::string::npos, r.error().message().c_str());
    o.memory.clear();
    o.ulimits = {QStringLiteral("nofile=abc")};
    r = backend::toCreateOptions(o);
    QVERIFY(!r);
    QVERIFY2(r.error().message().find("ulimit") != std::string::npos, r.error().message().c_str());
    o.ulimits.clear();
    o.labels = {QStringLiteral("=value")};
    r = backend::toCreateOptions(o);
    QVERIFY(!r);
    QVERIFY2(r.error().message().find("label") != std::string::npos, r.error().message().c_str());
    o.labels.clear();
    o.volumes = {QStringLiteral("data:relative/path")};
    r = backend::toCreateOptions(o);
    QVERIFY(!r);
    QVERIFY2(r.error().message().find("volume data:relative/path") != std::string::npos, r.error().message().c_str());
    QVERIFY2(r.error().message().find("must be absolute") != std::string::npos, r.error().message().c_str());
    o.volumes.clear();
    o.publish = {QStringLiteral("80:http")};
    r = backend::toCreateOptions(o);
    QVERIFY(!r);
    QVERIFY2(r.error().message().find("publish") != std::string::npos, r.error().message().c_str());
}

BERTH_TEST_MAIN(RunDialogTest)
#include "run_dialog_test.moc"
