// berth-desktop: the window. Wiring only: parse options, pick the language (Preferences, else the system's) and palette,
// open the engine on the store (--root, else BERTH_ROOT, else the default), show the window.
#include "berth/engine.h"
#include "berth/version.h"
#include "engineclient.h"
#include "statssampler.h"
#include "errordialog.h"
#include "firstpaintreporter.h"
#include "mainwindow.h"
#include "resources.h"
#include "theme.h"
#include "themewatcher.h"
#include "translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QLocale>

int main(int argc, char** argv) {
    QElapsedTimer sinceMain;
    sinceMain.start();
    QApplication app(argc, argv);
    berth::ui::initResources();
    QApplication::setApplicationName(QStringLiteral("Berth"));
    QApplication::setOrganizationName(QStringLiteral("Berth"));
    QApplication::setApplicationVersion(QString::fromUtf8(berth::berthVersion().data(), qsizetype(berth::berthVersion().size())));
    QApplication::setDesktopFileName(QStringLiteral("berth"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/berth.svg")));
    berth::ui::Translations::setLanguage(berth::ui::Translations::languageSetting());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Berth: containers, images and live dashboards"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption root(QStringLiteral("root"), QApplication::translate("main", "The store to open (default: BERTH_ROOT or the user's store)."),
                            QStringLiteral("dir"));
    QCommandLineOption runRoot(QStringLiteral("runroot"), QApplication::translate("main", "Where runtime state lives."),
                               QStringLiteral("dir"));
    QCommandLineOption interval(QStringLiteral("stats-interval"), QApplication::translate("main", "Stats sampling interval in milliseconds."),
                                QStringLiteral("ms"));
    QCommandLineOption page(QStringLiteral("page"), QApplication::translate("main", "The page to open: containers, images or dashboard."),
                            QStringLiteral("name"));
    parser.addOptions({root, runRoot, interval, page});
    parser.process(app);

    const bool dark = berth::ui::Theme::systemPrefersDark();
    berth::ui::Theme::apply(app, dark);
    new berth::ui::ThemeWatcher(app, dark);  // follows the desktop's light/dark switch

    berth::EngineOptions options;
    options.root = parser.value(root).toStdString();
    options.runRoot = parser.value(runRoot).toStdString();
    auto engine = berth::openEngine(options);
    if (!engine) {
        berth::ui::ErrorDialog::show(nullptr, QApplication::translate("main", "Berth could not open its container store."),
                                     QString::fromStdString(engine.error().message()));
        return 1;
    }
    berth::ui::EngineClient client(**engine);
    berth::ui::MainWindow window(&client);
    if (parser.isSet(interval)) client.stats()->setIntervalMs(parser.value(interval).toInt());
    const QString pageName = parser.value(page);
    if (pageName == QLatin1String("containers")) window.showPage(berth::ui::MainWindow::ContainersPageIndex);
    if (pageName == QLatin1String("images")) window.showPage(berth::ui::MainWindow::ImagesPageIndex);
    if (pageName == QLatin1String("dashboard")) window.showPage(berth::ui::MainWindow::DashboardPageIndex);
    berth::ui::FirstPaintReporter::installIfRequested(&window, sinceMain);
    window.show();
    const int rc = app.exec();
    client.cancelAll();
    client.waitForIdle();
    return rc;
}
