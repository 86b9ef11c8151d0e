// The Run… dialog holds every option the engine's create request takes: each field filled
// in the dialog arrives in the RunRequest with the value the CLI would give it. The same
// flag sets, good and bad, typed into the dialog and given to the CLI's flag parsing give
// the same RunRequest or the same error message (one parser: berth::parseRunFlags).
#include "skip.h"
#include "resources.h"
#include "run_flags_cli.h"
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
    void dialogAndCliAgree_data();
    void dialogAndCliAgree();
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

    auto created = berth::parseRunFlags(d.flags());
    QVERIFY2(created, created ? "" : created.error().message().c_str());
    const berth::RunRequest& c = *created;
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
    using berth::MountRequest;
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
    QCOMPARE(c.restart.kind, berth::RestartPolicy::Kind::OnFailure);
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

// What a user types into the dialog for one docker flag (the dialog's fields by name).
static void typeFlag(RunDialog& d, const std::string& flag, const QString& v) {
    auto edit = [&](const char* name) { return field<QLineEdit>(d, name); };
    auto append = [&](const char* name, const QString& item) {
        QLineEdit* e = edit(name);
        e->setText(e->text().isEmpty() ? item : e->text() + QStringLiteral(", ") + item);
    };
    auto appendLine = [&](const char* name, const QString& line) {
        auto* e = field<QPlainTextEdit>(d, name);
        e->setPlainText(e->toPlainText().isEmpty() ? line : e->toPlainText() + QLatin1Char('\n') + line);
    };
    auto addRow = [](QTableWidget* t, const QStringList& cells) {
        const int row = t->rowCount();
        t->setRowCount(row + 1);
        for (int c = 0; c < cells.size(); ++c) t->setItem(row, c, new QTableWidgetItem(cells[c]));
        return row;
    };
    if (flag == "--name") edit("name")->setText(v);
    else if (flag == "-e") appendLine("env", v);
    else if (flag == "--entrypoint") edit("entrypoint")->setText(v);
    else if (flag == "-w") edit("workdir")->setText(v);
    else if (flag == "-u") edit("user")->setText(v);
    else if (flag == "-h") edit("hostname")->setText(v);
    else if (flag == "--memory") edit("memory")->setText(v);
    else if (flag == "--memory-swap") edit("memorySwap")->setText(v);
    else if (flag == "--cpus") edit("cpus")->setText(v);
    else if (flag == "--cpu-shares") field<QSpinBox>(d, "cpuShares")->setValue(v.toInt());
    else if (flag == "--cpuset-cpus") edit("cpusetCpus")->setText(v);
    else if (flag == "--pids-limit") field<QSpinBox>(d, "pidsLimit")->setValue(v.toInt());
    else if (flag == "--tmpfs") append("tmpfs", v);
    else if (flag == "--cap-add") append("capAdd", v);
    else if (flag == "--cap-drop") append("capDrop", v);
    else if (flag == "--ulimit") append("ulimits", v);
    else if (flag == "-l") appendLine("labels", v);
    else if (flag == "--shm-size") edit("shmSize")->setText(v);
    else if (flag == "--sysctl") appendLine("sysctls", v);
    else if (flag == "--security-opt" && v.startsWith(QStringLiteral("seccomp="))) edit("seccomp")->setText(v.mid(8));
    else if (flag == "--security-opt" && v == QStringLiteral("no-new-privileges")) field<QCheckBox>(d, "noNewPrivileges")->setChecked(true);
    else if (flag == "--log-opt" && v.startsWith(QStringLiteral("max-size="))) edit("logMaxSize")->setText(v.mid(9));
    else if (flag == "--log-opt" && v.startsWith(QStringLiteral("max-file="))) field<QSpinBox>(d, "logMaxFile")->setValue(v.mid(9).toInt());
    else if (flag == "--restart") {
        auto* policy = field<QComboBox>(d, "restartPolicy");
        policy->setCurrentIndex(policy->findData(v.section(QLatin1Char(':'), 0, 0)));
        if (v.contains(QLatin1Char(':'))) field<QSpinBox>(d, "restartRetries")->setValue(v.section(QLatin1Char(':'), 1).toInt());
    } else if (flag == "--network") {
        auto* net = field<QComboBox>(d, "network");
        net->setCurrentIndex(net->findData(v == QStringLiteral("default") ? QString() : v));  // "Default (bridge)"
    } else if (flag == "-p") {
        // The table's columns: host IP, host port, container port, protocol.
        const QString proto = v.contains(QLatin1Char('/')) ? v.section(QLatin1Char('/'), 1) : QStringLiteral("tcp");
        const QStringList parts = v.section(QLatin1Char('/'), 0, 0).split(QLatin1Char(':'));
        const QString ctr = parts.last(), host = parts.size() > 1 ? parts[parts.size() - 2] : QString();
        const QString ip = parts.size() > 2 ? parts[0] : QString();
        addRow(field<QTableWidget>(d, "portsTable"), {ip, host, ctr, proto});
    } else if (flag == "-v") {
        // Volume or host path, path in the container, read-only.
        QStringList parts = v.split(QLatin1Char(':'));
        const bool ro = parts.size() == 3 && parts[2] == QStringLiteral("ro");
        auto* t = field<QTableWidget>(d, "volumesTable");
        const int row = addRow(t, parts.size() == 1 ? QStringList{QString(), parts[0]} : QStringList{parts[0], parts[1]});
        auto* check = new QTableWidgetItem;
        check->setCheckState(ro ? Qt::Checked : Qt::Unchecked);
        t->setItem(row, 2, check);
    } else if (flag == "--read-only") field<QCheckBox>(d, "readOnly")->setChecked(true);
    else if (flag == "--privileged") field<QCheckBox>(d, "privileged")->setChecked(true);
    else if (flag == "--rm") field<QCheckBox>(d, "remove")->setChecked(true);
    else if (flag == "-t") field<QCheckBox>(d, "tty")->setChecked(true);
    else qFatal("the table has a flag the dialog has no field for: %s", flag.c_str());
}

static bool takesValue(const std::string& flag) {
    return flag != "--read-only" && flag != "--privileged" && flag != "--rm" && flag != "-t";
}

void RunDialogTest::badValuesNameTheField() {
    struct Bad {
        std::vector<std::string> args;
        const char* named;  // the flag the message names
    };
    const Bad cases[] = {{{"--memory", "lots"}, "--memory"},     {{"--ulimit", "nofile=abc"}, "ulimit"},
                         {{"-l", "=value"}, "label"},             {{"-v", "data:relative/path"}, "--volume"},
                         {{"-p", "80:http"}, "--publish"}};
    for (const Bad& c : cases) {
        RunDialog d({QStringLiteral("busybox")}, QStringLiteral("busybox"));
        typeFlag(d, c.args[0], QString::fromStdString(c.args[1]));
        auto r = berth::parseRunFlags(d.flags());
        QVERIFY(!r);
        QVERIFY2(r.error().message().find(c.named) != std::string::npos, r.error().message().c_str());
    }
}

void RunDialogTest::dialogAndCliAgree_data() {
    QTest::addColumn<QStringList>("args");  // `berth run` flags; the image is added
    auto row = [](const char* name, QStringList args) { QTest::newRow(name) << args; };
    row("nothing", {});
    row("name env entrypoint", {"--name", "web", "-e", "A=1", "-e", "B", "--entrypoint", "/bin/sh", "-w", "/srv", "-u", "1000:1000", "-h", "box"});
    row("ports", {"-p", "8080:80", "-p", "127.0.0.1:5353:53/udp", "-p", "9000"});
    row("volumes", {"-v", "data:/var/lib/data", "-v", "/srv/site:/usr/share/www:ro", "-v", "/cache"});
    row("limits", {"--memory", "64m", "--memory-swap", "-1", "--cpus", "0.5", "--cpu-shares", "512", "--cpuset-cpus", "0"});
    row("pids unlimited", {"--pids-limit", "-1"});
    row("pids 100", {"--pids-limit", "100"});
    row("restart on-failure:3", {"--restart", "on-failure:3"});
    row("restart always", {"--restart", "always"});
    row("network default", {"--network", "default"});
    row("network none", {"--network", "none"});
    row("security", {"--ulimit", "nofile=1024:2048", "--tmpfs", "/run:size=64m", "--cap-add", "NET_ADMIN", "--cap-drop",
                     "NET_RAW", "--security-opt", "seccomp=unconfined", "--security-opt", "no-new-privileges",
                     "--read-only", "--privileged", "-t", "--rm"});
    row("log rotation", {"--log-opt", "max-size=10m", "--log-opt", "max-file=3"});
    row("labels", {"-l", "team=web", "-l", "flag"});
    row("shm size and sysctls", {"--shm-size", "128m", "--sysctl", "net.ipv4.ip_forward=1", "--sysctl", "kernel.sem=250 256000 32 1024"});
    // Bad ones: the same message from both.
    row("label without key", {"-l", "=v"});
    row("bad memory", {"--memory", "lots"});
    row("bad port", {"-p", "80:http"});
    row("relative volume", {"-v", "data:relative/path"});
    row("bad ulimit", {"--ulimit", "nofile=abc"});
    row("bad cpus", {"--cpus", "-1"});
    row("bad log size", {"--log-opt", "max-size=1x"});
    row("missing seccomp profile", {"--security-opt", "seccomp=/nonexistent/profile.json"});
    row("bad shm size", {"--shm-size", "lots"});
    row("sysctl not namespaced", {"--sysctl", "kernel.hostname=box"});
    row("net sysctl on the host's network", {"--network", "host", "--sysctl", "net.core.somaxconn=1024"});
}

void RunDialogTest::dialogAndCliAgree() {
    QFETCH(QStringList, args);
    std::vector<std::string> cli;
    RunDialog d({QStringLiteral("busybox")}, QStringLiteral("busybox"), nullptr,
                {QStringLiteral("bridge"), QStringLiteral("host"), QStringLiteral("none")});
    for (int i = 0; i < args.size(); ++i) {
        const std::string flag = args[i].toStdString();
        cli.push_back(flag);
        QString value;
        if (takesValue(flag)) {
            value = args[++i];
            cli.push_back(value.toStdString());
        }
        typeFlag(d, flag, value);
    }
    cli.push_back("busybox");
    auto fromCli = berth::cli::runRequestFromArgs(cli);
    auto fromDialog = berth::parseRunFlags(d.flags());
    QCOMPARE(bool(fromDialog), bool(fromCli));
    if (!fromCli) {
        QCOMPARE(fromDialog.error().message(), fromCli.error().message());
        QCOMPARE(int(fromDialog.error().code()), int(fromCli.error().code()));
        return;
    }
    QVERIFY2(*fromDialog == *fromCli, "the dialog and the CLI made different RunRequests");
}

BERTH_TEST_MAIN(RunDialogTest)
#include "run_dialog_test.moc"
