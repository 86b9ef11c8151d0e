// The Images page's Build… dialog: a small folder context is built through the dialog (as
// root: RUN needs containers); the step list shows every step with its state and time, the
// log has the plain progress, the image exists in the store and is selected and opened in
// the images page. Cancel stops a running RUN at once (its processes end, nothing tagged, no
// container, cgroup or mount left), also when pressed before the RUN's container runs. The
// branches and tags of a git repository the test makes with libgit2 are listed off the GUI
// thread and the default branch is preselected.
#include "skip.h"
#include "builddialog.h"
#include "imagedetailsview.h"
#include "imagespage.h"
#include "mainwindow.h"
#include "resources.h"
#include "ui_test_support.h"
#include "fixtures.h"
#include "../../unit/build/git_test_repo.h"
#include "../../integration/build/build_cancel_probe.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

#include <unistd.h>

#include <fstream>

using namespace berth::ui;
using namespace berth::test;
namespace fs = std::filesystem;

class BuildDialogTest : public QObject {
    Q_OBJECT

    static size_t mountsUnder(const fs::path& root) {
        std::ifstream in("/proc/self/mountinfo");
        std::string line;
        size_t n = 0;
        while (std::getline(in, line)) n += line.find(" " + root.string() + "/") != std::string::npos;
        return n;
    }

    static size_t containerCount(const fs::path& root) {
        auto ps = runBerth(root, {"ps", "-a", "-q"});
        return size_t(std::count(ps.out.begin(), ps.out.end(), '\n'));
    }

private slots:
    void initTestCase() { initResources(); }

    void buildsAFolderAndOpensTheImage() {
        if (::geteuid() != 0) BERTH_SKIP("building needs root (RUN starts a container)", NeedsRoot);
        if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
        QString error;
        auto store = openUiStore(false, &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(!importBusybox(store->root()).empty());
        const fs::path ctx = store->dir.path() / "ctx";
        fs::create_directories(ctx);
        writeFile(ctx / "a.txt", "from the context\n");
        writeFile(ctx / "Dockerfile", "FROM busybox\nENV GREETING=hi\nCOPY a.txt /a.txt\n"
                                      "RUN echo \"$GREETING $(cat /a.txt)\" > /b.txt && echo run-output-line\n"
                                      "CMD [\"cat\", \"/b.txt\"]\n");

        MainWindow w(store->client.get());
        w.setErrorSink([](const QString& s, const QString& d) { QFAIL(qPrintable(s + " " + d)); });
        w.show();
        w.showPage(MainWindow::ImagesPageIndex);
        ImagesPage* page = w.imagesPage();
        QVERIFY(waitUntil([&] { return store->client->activeJobCount() == 0; }));

        page->buildAction()->trigger();
        BuildDialog* dialog = page->buildDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->folderButton()->isChecked());
        QVERIFY(!dialog->buildButton()->isEnabled());  // no context yet
        QTest::keyClicks(dialog->folderEdit(), QString::fromStdString(ctx.string()));
        QTest::keyClicks(dialog->tagEdit(), QStringLiteral("uibuilt:1"));
        QVERIFY(dialog->buildButton()->isEnabled());
        QTest::mouseClick(dialog->buildButton(), Qt::LeftButton);
        QCOMPARE(dialog->state(), BuildDialog::State::Building);
        QVERIFY(!dialog->folderEdit()->isEnabled());
        QVERIFY(waitUntil([&] { return dialog->state() != BuildDialog::State::Building; }, 300000));
        QVERIFY2(dialog->state() == BuildDialog::State::Done,
                 qPrintable(dialog->statusLabel()->text() + "\n" + dialog->logView()->toPlainText()));

        // Every step, in order, finished, each with a time.
        QTreeWidget* steps = dialog->stepList();
        const QStringList expected{QStringLiteral("[1/3] FROM busybox"), QStringLiteral("[2/3] COPY a.txt /a.txt"),
                                   QStringLiteral("[3/3] RUN echo \"$GREETING $(cat /a.txt)\" > /b.txt && echo run-output-line"),
                                   QStringLiteral("exporting to image")};
        QCOMPARE(steps->topLevelItemCount(), int(expected.size()));
        for (int i = 0; i < steps->topLevelItemCount(); ++i) {
            auto* item = steps->topLevelItem(i);
            QCOMPARE(item->text(BuildDialog::StepName), expected[i]);
            QCOMPARE(item->text(BuildDialog::StepNumber), QString::number(i + 1));
            QCOMPARE(item->data(BuildDialog::StepState, Qt::UserRole).toString(), QStringLiteral("done"));
            QVERIFY(item->text(BuildDialog::StepTime).endsWith(QStringLiteral(" s")));
        }
        // The RUN's output is in the log, in docker's plain format.
        QVERIFY2(dialog->logView()->toPlainText().contains(QStringLiteral(" run-output-line")),
                 qPrintable(dialog->logView()->toPlainText()));

        // The image exists and runs what the Dockerfile put in.
        auto run = runBerth(store->root(), {"run", "--rm", "uibuilt:1"});
        QVERIFY2(run.exitCode == 0, run.err.c_str());
        QCOMPARE(run.out, std::string("hi from the context\n"));
        // ...and the images page selected and opened it.
        const QString id = dialog->builtImageId();
        QVERIFY(id.startsWith(QStringLiteral("sha256:")));
        QVERIFY(waitUntil([&] { return page->details()->currentImage() == id; }, 15000));

        // A rebuild is all cache hits, shown as such.
        QTest::mouseClick(dialog->buildButton(), Qt::LeftButton);
        QVERIFY(waitUntil([&] { return dialog->state() != BuildDialog::State::Building; }, 300000));
        QCOMPARE(dialog->state(), BuildDialog::State::Done);
        QCOMPARE(steps->topLevelItem(1)->data(BuildDialog::StepState, Qt::UserRole).toString(), QStringLiteral("cached"));
        QCOMPARE(steps->topLevelItem(2)->data(BuildDialog::StepState, Qt::UserRole).toString(), QStringLiteral("cached"));
        QCOMPARE(dialog->builtImageId(), id);
        QVERIFY(waitUntil([&] { return store->client->activeJobCount() == 0; }));
    }

    // Cancel while the RUN's command runs: the dialog says "cancelled" at once, and the
    // engine really stops: the shell and its sleep end (pidfds on both), nothing is left in
    // the RUN container's cgroup, the cgroup, the container and its mounts are gone, and
    // no image or layer was added for the step.
    void cancelStopsTheRunningStep() {
        if (::geteuid() != 0) BERTH_SKIP("building needs root (RUN starts a container)", NeedsRoot);
        if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
        QString error;
        auto store = openUiStore(false, &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(!importBusybox(store->root()).empty());
        const fs::path ctx = store->dir.path() / "ctx";
        fs::create_directories(ctx);
        writeFile(ctx / "Dockerfile", "FROM busybox\nRUN echo sleeping-$((6*7)) && sleep 300 && echo woke-up\n");
        const auto imagesBefore = runBerth(store->root(), {"images", "-a", "-q", "--no-trunc"}).out;
        BuildDialog dialog(store->client.get());
        dialog.show();
        dialog.folderEdit()->setText(QString::fromStdString(ctx.string()));
        dialog.tagEdit()->setText(QStringLiteral("cancelled:1"));
        dialog.startBuild();
        // The command runs: its output line is in the log (not the step name, which says
        // "$((6*7))") and its sleep is in the RUN container's cgroup.
        std::string id;
        QVERIFY(waitUntil([&] {
            id = lastBuildContainerId(store->root());
            return dialog.logView()->toPlainText().contains(QStringLiteral(" sleeping-42")) &&
                   processesOfContainer(id, {"sleep", "300"}).size() == 1;
        }, 120000));
        const auto tree = processesOfContainer(id);
        QVERIFY2(tree.size() >= 2, "the RUN's shell and its sleep");
        std::vector<std::unique_ptr<ProcessWatch>> watches;
        for (pid_t p : tree) {
            watches.push_back(std::make_unique<ProcessWatch>(p));
            QVERIFY(watches.back()->valid());
        }

        QCOMPARE(dialog.cancelButton()->text(), QStringLiteral("&Cancel"));
        QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
        QCOMPARE(dialog.state(), BuildDialog::State::Cancelled);
        QVERIFY(dialog.isVisible());  // Cancel stops the build; a second press closes
        auto* run = dialog.stepList()->topLevelItem(1);
        QCOMPARE(run->data(BuildDialog::StepState, Qt::UserRole).toString(), QStringLiteral("cancelled"));
        // The engine stopped for real (the worker returns once the container is removed).
        store->client->waitForIdle();
        for (auto& w : watches) QVERIFY(w->ended(10000));
        QCOMPARE(processesOfContainer(id), std::vector<pid_t>{});
        QCOMPARE(cgroupDirsOf(id), std::vector<fs::path>{});
        QCOMPARE(containerCount(store->root()), size_t(0));
        QCOMPARE(mountsUnder(store->root()), size_t(0));
        QVERIFY(runBerth(store->root(), {"image", "inspect", "cancelled:1"}).exitCode != 0);
        QCOMPARE(runBerth(store->root(), {"images", "-a", "-q", "--no-trunc"}).out, imagesBefore);
    }

    // Cancel the moment the build starts, before the RUN's container exists or while it
    // starts: the stop still reaches it, and nothing is left.
    void cancelBeforeTheRunStarts() {
        if (::geteuid() != 0) BERTH_SKIP("building needs root (RUN starts a container)", NeedsRoot);
        if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
        QString error;
        auto store = openUiStore(false, &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(!importBusybox(store->root()).empty());
        const fs::path ctx = store->dir.path() / "ctx";
        fs::create_directories(ctx);
        writeFile(ctx / "Dockerfile", "FROM busybox\nRUN echo sleeping-$((6*7)) && sleep 300 && echo woke-up\n");
        BuildDialog dialog(store->client.get());
        dialog.show();
        dialog.folderEdit()->setText(QString::fromStdString(ctx.string()));
        dialog.tagEdit()->setText(QStringLiteral("cancelled:1"));
        dialog.startBuild();
        QVERIFY(waitUntil([&] { return dialog.stepList()->topLevelItemCount() >= 2; }, 120000));
        QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
        QCOMPARE(dialog.state(), BuildDialog::State::Cancelled);
        store->client->waitForIdle();
        const auto id = lastBuildContainerId(store->root());
        QCOMPARE(processesOfContainer(id), std::vector<pid_t>{});
        QCOMPARE(cgroupDirsOf(id), std::vector<fs::path>{});
        QCOMPARE(containerCount(store->root()), size_t(0));
        QCOMPARE(mountsUnder(store->root()), size_t(0));
        QVERIFY(runBerth(store->root(), {"image", "inspect", "cancelled:1"}).exitCode != 0);
    }

    void listsBranchesAndTagsOfARepository() {
        QString error;
        auto store = openUiStore(false, &error);
        QVERIFY2(store, qPrintable(error));
        const fs::path repoDir = store->dir.path() / "repo.git";
        {
            GitTestRepo repo(repoDir, true);
            auto c = repo.commit("main", {{"Dockerfile", "FROM busybox\n"}}, "one");
            repo.commit("dev", {{"Dockerfile", "FROM busybox\n"}}, "dev");
            repo.tag("v1", c, true);
            repo.setHead("main");
        }
        BuildDialog dialog(store->client.get());
        dialog.show();
        QTest::mouseClick(dialog.gitButton(), Qt::LeftButton);
        QVERIFY(dialog.gitButton()->isChecked());
        QVERIFY(!dialog.folderEdit()->isEnabled());
        QVERIFY(!dialog.listRefsButton()->isEnabled());
        const QString url = QStringLiteral("file://") + QString::fromStdString(repoDir.string());
        QTest::keyClicks(dialog.gitUrlEdit(), url);
        QVERIFY(dialog.listRefsButton()->isEnabled());
        QSignalSpy listed(&dialog, &BuildDialog::refsListed);
        QTest::mouseClick(dialog.listRefsButton(), Qt::LeftButton);
        QVERIFY(dialog.listingRefs());  // on a worker: the GUI thread is not blocked
        QVERIFY(listed.wait(30000));
        QCOMPARE(listed.first().first().toInt(), 3);
        QStringList names;
        for (int i = 0; i < dialog.refCombo()->count(); ++i) names << dialog.refCombo()->itemText(i);
        QCOMPARE(names, (QStringList{QStringLiteral("dev"), QStringLiteral("main"), QStringLiteral("v1")}));
        QCOMPARE(dialog.refCombo()->currentText(), QStringLiteral("main"));  // the default branch
        dialog.refCombo()->setCurrentIndex(2);
        dialog.subdirEdit()->setText(QStringLiteral("web"));
        QCOMPARE(dialog.contextSource(), url + QStringLiteral("#v1:web"));

        // An unreachable repository is a sentence, not a hang.
        dialog.gitUrlEdit()->setText(QStringLiteral("file:///nonexistent/repo.git"));
        QSignalSpy failed(&dialog, &BuildDialog::refsListed);
        dialog.listRefs();
        QVERIFY(failed.wait(30000));
        QCOMPARE(failed.first().first().toInt(), -1);
        QVERIFY2(dialog.statusLabel()->text().contains(QStringLiteral("could not be listed")),
                 qPrintable(dialog.statusLabel()->text()));
    }
};

BERTH_TEST_MAIN(BuildDialogTest)
#include "build_dialog_test.moc"
