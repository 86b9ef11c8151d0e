// Every model of ui/ under QAbstractItemModelTester, fed the way the GUI feeds it, plus
// the image file tree's reading of whiteouts and opaque directories.
#include "skip.h"
#include "containersmodel.h"
#include "historymodel.h"
#include "imagefilesmodel.h"
#include "imagefstree.h"
#include "imagesmodel.h"
#include "layersmodel.h"
#include "logmodel.h"
#include "statshistorymodel.h"
#include "ui_test_support.h"

#include "container/log_reader.h"
#include "image/image_file_tree.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

using namespace berth::ui;

class ModelsTest : public QObject {
    Q_OBJECT
private slots:
    void imagesModelKeepsRowsByKey();
    void containersModelAppliesStats();
    void layersAndHistoryModels();
    void statsHistoryModelIsCapped();
    void imageFsTreeShowsLayerChanges();
    void logModelIndexesAppendedLines();
};

static ImageRow image(const QString& id, const QString& repo, const QString& tag, quint64 size) {
    ImageRow r;
    r.id = id;
    r.repository = repo;
    r.tag = tag;
    r.size = size;
    r.created = QDateTime::currentDateTimeUtc();
    return r;
}

void ModelsTest::imagesModelKeepsRowsByKey() {
    ImagesModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setRows({image("sha256:aa", "busybox", "latest", 100), image("sha256:bb", "alpine", "3", 200)});
    QCOMPARE(m.rowCount(), 2);
    QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    // alpine goes, busybox changes size, debian arrives: one removal, one repaint, one insert.
    m.setRows({image("sha256:aa", "busybox", "latest", 150), image("sha256:cc", "debian", "12", 300)});
    QCOMPARE(m.rowCount(), 2);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m.index(0, ImagesModel::Repository).data().toString(), QStringLiteral("busybox"));
    QCOMPARE(m.index(1, ImagesModel::Tag).data().toString(), QStringLiteral("12"));
    QCOMPARE(m.index(0, ImagesModel::Id).data().toString(), QStringLiteral("aa"));
    QCOMPARE(m.index(0, 0).data(ImagesModel::ReferenceRole).toString(), QStringLiteral("busybox:latest"));
    m.setRows({});
    QCOMPARE(m.rowCount(), 0);
}

void ModelsTest::containersModelAppliesStats() {
    ContainersModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ContainerRow a;
    a.id = "a1";
    a.name = "web";
    a.state = ContainerState::Running;
    a.startedAt = QDateTime::currentDateTimeUtc().addSecs(-120);
    ContainerRow b;
    b.id = "b2";
    b.name = "db";
    b.state = ContainerState::Exited;
    b.exitCode = 3;
    m.setRows({a, b});
    QCOMPARE(m.runningCount(), 1);
    QVERIFY(m.index(1, ContainersModel::State).data().toString().contains(QLatin1String("3")));
    StatsSample s;
    s.id = "a1";
    s.cpuPercent = 12.5;
    s.memoryUsage = 50 << 20;
    s.memoryLimit = 100 << 20;
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    m.applyStats({s}, 1ull << 33);
    QCOMPARE(changed.count(), 1);  // one batched repaint for every row
    QCOMPARE(m.index(0, ContainersModel::Cpu).data().toString(), QStringLiteral("12.5 %"));
    QCOMPARE(m.index(0, ContainersModel::Memory).data(ContainersModel::MemoryFractionRole).toDouble(), 0.5);
    QVERIFY(!m.index(1, ContainersModel::Memory).data(ContainersModel::MemoryFractionRole).isValid());
    b.state = ContainerState::Running;
    m.setRows({a, b});
    QCOMPARE(m.runningCount(), 2);
}

void ModelsTest::layersAndHistoryModels() {
    LayersModel layers;
    QAbstractItemModelTester t1(&layers, QAbstractItemModelTester::FailureReportingMode::QtTest);
    layers.setLayers({LayerRow{0, "sha256:1111", 1000, "ADD rootfs"}, LayerRow{1, "sha256:2222", 250, "RUN x"}});
    QCOMPARE(layers.rowCount(), 2);
    QCOMPARE(layers.index(0, 0).data(LayersModel::SizeFractionRole).toDouble(), 1.0);
    QCOMPARE(layers.index(1, 0).data(LayersModel::SizeFractionRole).toDouble(), 0.25);
    HistoryModel history;
    QAbstractItemModelTester t2(&history, QAbstractItemModelTester::FailureReportingMode::QtTest);
    history.setHistory({HistoryRow{{}, "first", "", false}, HistoryRow{{}, "second", "", true}});
    QCOMPARE(history.index(0, HistoryModel::CreatedBy).data().toString(), QStringLiteral("second"));  // newest first
    QVERIFY(history.index(0, 0).data(Qt::ForegroundRole).isValid());  // empty layer greyed
}

void ModelsTest::statsHistoryModelIsCapped() {
    StatsHistoryModel m(5);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 8; ++i) {
        StatsSample s;
        s.timeMs = 1000 * (i + 1);
        s.cpuPercent = i;
        s.netRx = quint64(i) * 2048;
        m.append(s);
    }
    QCOMPARE(m.rowCount(), 5);
    QCOMPARE(m.value(0, StatsHistoryModel::Cpu), 3.0);
    QCOMPARE(m.value(4, StatsHistoryModel::NetRxKiBs), 2.0);  // 2 KiB per second
}

void ModelsTest::imageFsTreeShowsLayerChanges() {
    berth::test::TempDir dir;
    const QString base = QString::fromStdString(dir.path().string());
    auto write = [](const QString& path, const QByteArray& data) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    };
    write(base + "/l0/etc/passwd", "root");
    write(base + "/l0/etc/group", "root");
    write(base + "/l0/opt/app/old1", "x");
    write(base + "/l0/opt/app/old2", "x");
    write(base + "/l0/bin/sh", "sh");
    write(base + "/l1/etc/passwd", "root+user");           // changed
    write(base + "/l1/etc/.wh.group", "");                 // deleted (AUFS-style marker)
    write(base + "/l1/opt/app/.wh..wh..opq", "");          // opaque: old1, old2 hidden
    write(base + "/l1/opt/app/new", "n");                  // added in the opaque dir
    QVERIFY(QDir().mkpath(base + "/l1/bin"));
    QVERIFY(::mknod(QFile::encodeName(base + "/l1/bin/sh").constData(), S_IFCHR | 0600, makedev(0, 0)) == 0);  // overlay whiteout
    // The engine builds the tree (image/image_file_tree.h); the model shows it.
    auto tree = berth::image::buildFileTree({dir.path() / "l0", dir.path() / "l1"});
    QVERIFY2(tree, tree ? "" : tree.error().message().c_str());
    ImageFilesModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setTree(ImageFsTree::fromEngine(*tree));
    auto change = [&](const QString& path) {
        const QModelIndex i = m.indexOfPath(path);
        return i.isValid() ? i.data(ImageFilesModel::ChangeRole).toInt() : -1;
    };
    auto layer = [&](const QString& path) { return m.indexOfPath(path).data(ImageFilesModel::LayerRole).toInt(); };
    QCOMPARE(change("/etc/passwd"), int(FsNode::Change::Modified));
    QCOMPARE(layer("/etc/passwd"), 1);
    QCOMPARE(change("/etc/group"), int(FsNode::Change::Deleted));
    QCOMPARE(change("/bin/sh"), int(FsNode::Change::Deleted));
    QCOMPARE(layer("/bin/sh"), 1);
    QCOMPARE(change("/opt/app/old1"), int(FsNode::Change::Deleted));
    QCOMPARE(change("/opt/app/new"), int(FsNode::Change::Added));
    QCOMPARE(layer("/opt/app/new"), 1);
    QCOMPARE(change("/opt/app/.wh..wh..opq"), -1);  // markers themselves are not files
    QCOMPARE(change("/etc/.wh.group"), -1);
    QCOMPARE(layer("/opt/app"), 1);  // the opaque directory itself counts as changed by layer 2
}

void ModelsTest::logModelIndexesAppendedLines() {
    berth::test::TempDir dir;
    const QString path = QString::fromStdString((dir.path() / "log.jsonl").string());
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"log":"hello\n","stream":"stdout","time":"2026-01-01T00:00:00.5Z"})" "\n");
        f.write(R"({"log":"\u001b[31moops\u001b[0m\n","stream":"stderr","time":"2026-01-01T00:00:01Z"})" "\n");
        f.write(R"({"log":"half)");  // torn line: not a row until its newline
    }
    LogModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setLog(*berth::container::openJsonLogFile(dir.path()));
    QVERIFY(berth::test::waitUntil([&] { return m.rowCount() == 2; }));
    QCOMPARE(m.index(0).data().toString(), QStringLiteral("hello"));
    QCOMPARE(m.index(1).data().toString(), QStringLiteral("oops"));  // ANSI stripped for display
    QVERIFY(m.index(1).data(LogModel::TextRole).toString().contains(QChar(0x1b)));
    QCOMPARE(m.index(1).data(LogModel::StderrRole).toBool(), true);
    QCOMPARE(m.index(0).data(LogModel::TimeRole).toDateTime().time().msec(), 500);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        f.write(R"( line\n","stream":"stdout","time":"2026-01-01T00:00:02Z"})" "\n");
        for (int i = 0; i < 1000; ++i)
            f.write(QStringLiteral(R"({"log":"n%1\n","stream":"stdout","time":"2026-01-01T00:00:03Z"})" "\n").arg(i).toUtf8());
    }
    QVERIFY(berth::test::waitUntil([&] { return m.rowCount() == 1003; }));
    QCOMPARE(m.index(2).data().toString(), QStringLiteral("half line"));
    QCOMPARE(m.index(1002).data().toString(), QStringLiteral("n999"));
    // Truncation (a log cleared) starts over.
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(R"({"log":"fresh\n","stream":"stdout","time":"2026-01-01T00:00:04Z"})" "\n");
    }
    QVERIFY(berth::test::waitUntil([&] { return m.rowCount() == 1 && m.index(0).data().toString() == QLatin1String("fresh"); }));
}

BERTH_TEST_MAIN(ModelsTest)
#include "models_test.moc"
