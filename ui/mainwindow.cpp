#include "mainwindow.h"

#include "containerspage.h"
#include "dashboardpage.h"
#include "engineclient.h"
#include "errordialog.h"
#include "eventsfollower.h"
#include "imagesmodel.h"
#include "imagespage.h"
#include "networksmodel.h"
#include "networkspage.h"
#include "volumespage.h"
#include "preferencesdialog.h"
#include "resources.h"
#include "rundialog.h"
#include "statssampler.h"
#include "traycontroller.h"
#include "translations.h"

#include "runtimemodetext.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QScreen>
#include <QStyle>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>
#include <QHBoxLayout>
#include <QVBoxLayout>

namespace berth::ui {

MainWindow::MainWindow(EngineClient* client, QWidget* parent) : QMainWindow(parent), m_client(client) {
    initResources();
    setWindowTitle(tr("Berth"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/berth.svg")));
    setObjectName(QStringLiteral("mainWindow"));

    m_containers = new ContainersPage(client, this);
    m_images = new ImagesPage(client, this);
    m_dashboard = new DashboardPage(this);
    m_volumes = new VolumesPage(client, this);
    m_networks = new NetworksPage(client, this);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_containers);
    m_stack->addWidget(m_images);
    m_stack->addWidget(m_dashboard);
    m_stack->addWidget(m_volumes);
    m_stack->addWidget(m_networks);
    buildSidebar();

    auto* central = new QWidget(this);
    auto* h = new QHBoxLayout(central);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(0);
    h->addWidget(m_sidebarPanel);
    h->addWidget(m_stack, 1);
    setCentralWidget(central);
    m_tray = new TrayController(this);
    buildStatusBar();

    connect(m_tray, &TrayController::showRequested, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    connect(m_tray, &TrayController::quitRequested, qApp, &QApplication::quit);

    // Engine signals to pages.
    auto onError = [this](const QString& s, const QString& d) { showError(s, d); };
    connect(m_images, &ImagesPage::errorOccurred, this, onError);
    connect(m_containers, &ContainersPage::errorOccurred, this, onError);
    connect(m_volumes, &VolumesPage::errorOccurred, this, onError);
    connect(m_networks, &NetworksPage::errorOccurred, this, onError);
    connect(client, &EngineClient::jobFailed, this, [this](JobId, const QString& title, const QString& detail) {
        showError(tr("Something went wrong: %1.").arg(title), detail);
    });
    auto onStatus = [this](const QString& text) { statusBar()->showMessage(text, 5000); };
    connect(m_images, &ImagesPage::statusMessage, this, onStatus);
    connect(m_containers, &ContainersPage::statusMessage, this, onStatus);
    connect(m_volumes, &VolumesPage::statusMessage, this, onStatus);
    connect(m_networks, &NetworksPage::statusMessage, this, onStatus);
    connect(m_images, &ImagesPage::runRequested, this, &MainWindow::runContainer);
    connect(m_containers, &ContainersPage::runRequested, this, &MainWindow::runContainer);
    connect(m_images, &ImagesPage::refreshed, this, [this](int n) {
        m_imageCount = n;
        updateCounts();
    });
    connect(m_containers, &ContainersPage::refreshed, this, [this](int total, int running) {
        m_containerCount = total;
        m_runningCount = running;
        m_dashboard->setRunningCount(running);
        updateCounts();
    });
    connect(client->stats(), &StatsSampler::sampled, this, [this](const QList<StatsSample>& s, const HostSample& host) {
        m_containers->applyStats(s, host);
        m_dashboard->applyStats(s, host);
    });
    // A stop or kill asked by any client (this window, the CLI) is journaled before the
    // death it causes; EventsFollower leaves those out: containerDied is news only.
    connect(client->events(), &EventsFollower::containerDied, this,
            [this](const QString&, const QString& name, int code) { m_tray->notifyDied(name, code); });
    connect(client->events(), &EventsFollower::containerOomKilled, this,
            [this](const QString&, const QString& name) { m_tray->notifyOom(name); });

    // Window-wide shortcuts: pages by number, quit.
    const QString pageNames[] = {tr("Containers"), tr("Images"), tr("Dashboard"), tr("Volumes"), tr("Networks")};
    for (int i = 0; i < int(PageCount); ++i) {
        auto* a = new QAction(pageNames[i], this);
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        connect(a, &QAction::triggered, this, [this, i] { showPage(Page(i)); });
        addAction(a);
    }
    auto* prefs = new QAction(QIcon(QStringLiteral(":/icons/settings.svg")), tr("Preferences…"), this);
    prefs->setObjectName(QStringLiteral("preferencesAction"));
    prefs->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    prefs->setToolTip(tr("Language and stats interval (Ctrl+,)"));
    connect(prefs, &QAction::triggered, this, &MainWindow::openPreferences);
    addAction(prefs);
    auto* prefsButton = m_sidebarPanel->findChild<QToolButton*>(QStringLiteral("preferencesButton"));
    prefsButton->setDefaultAction(prefs);
    auto* quit = new QAction(tr("Quit"), this);
    // The platform's Quit key where it has one (not every platform theme does), else Ctrl+Q.
    quit->setShortcut(QKeySequence(QKeySequence::Quit).isEmpty() ? QKeySequence(Qt::CTRL | Qt::Key_Q) : QKeySequence(QKeySequence::Quit));
    connect(quit, &QAction::triggered, qApp, &QApplication::quit);
    addAction(quit);

    restoreSettings();
    m_images->refresh();
    m_containers->refresh();
    m_volumes->refresh();
    m_networks->refresh();
}

MainWindow::~MainWindow() { m_client->stats()->setActive(false); }

void MainWindow::buildSidebar() {
    m_sidebar = new QListWidget(this);
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setAccessibleName(tr("Sections"));
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setFixedWidth(190);
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* brand = new QListWidgetItem(QIcon(QStringLiteral(":/icons/berth.svg")), tr("Berth"));
    QFont bf = brand->font();
    bf.setPointSizeF(bf.pointSizeF() * 1.25);
    bf.setBold(true);
    brand->setFont(bf);
    brand->setFlags(Qt::ItemIsEnabled);  // shown, not selectable
    brand->setSizeHint(QSize(180, 52));
    m_sidebar->addItem(brand);
    const struct {
        const char* icon;
        QString text;
        QString shortcut;
    } items[] = {{":/icons/containers.svg", tr("Containers"), QStringLiteral("Ctrl+1")},
                 {":/icons/images.svg", tr("Images"), QStringLiteral("Ctrl+2")},
                 {":/icons/dashboard.svg", tr("Dashboard"), QStringLiteral("Ctrl+3")},
                 {":/icons/volumes.svg", tr("Volumes"), QStringLiteral("Ctrl+4")},
                 {":/icons/networks.svg", tr("Networks"), QStringLiteral("Ctrl+5")}};
    for (const auto& it : items) {
        auto* item = new QListWidgetItem(QIcon(QString::fromLatin1(it.icon)), it.text, m_sidebar);
        item->setToolTip(QStringLiteral("%1 (%2)").arg(it.text, it.shortcut));
        item->setSizeHint(QSize(170, 40));
    }
    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 1) m_stack->setCurrentIndex(row - 1);
    });
    m_sidebar->setCurrentRow(1);

    // The sidebar panel: the sections above, the preferences button at the bottom.
    m_sidebarPanel = new QWidget(this);
    m_sidebarPanel->setObjectName(QStringLiteral("sidebarPanel"));
    m_sidebarPanel->setFixedWidth(190);
    m_sidebarPanel->setAttribute(Qt::WA_StyledBackground);
    auto* v = new QVBoxLayout(m_sidebarPanel);
    v->setContentsMargins(0, 0, 0, 6);
    v->setSpacing(0);
    v->addWidget(m_sidebar, 1);
    auto* prefs = new QToolButton(m_sidebarPanel);
    prefs->setObjectName(QStringLiteral("preferencesButton"));
    prefs->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    prefs->setAutoRaise(true);
    prefs->setIconSize(QSize(18, 18));
    v->addWidget(prefs, 0, Qt::AlignLeft);
}

void MainWindow::buildStatusBar() {
    m_storeLabel = new QLabel(tr("Store: %1").arg(m_client->storePath()), this);
    m_storeLabel->setToolTip(tr("The container store this window shows"));
    m_countsLabel = new QLabel(this);
    m_jobLabel = new QLabel(this);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->setMaximumHeight(14);
    m_busy->setTextVisible(false);
    m_busy->hide();
    statusBar()->addWidget(m_storeLabel);
    // Root or rootless, and what this mode cannot do here (limits, low ports, ping).
    m_mode = berth::runtimeModeInfo();
    m_modeLabel = new QLabel(RuntimeModeText::label(m_mode), this);
    m_modeLabel->setObjectName(QStringLiteral("modeLabel"));
    m_modeLabel->setToolTip(RuntimeModeText::toolTip(m_mode));
    statusBar()->addWidget(m_modeLabel);
    statusBar()->addPermanentWidget(m_jobLabel);
    statusBar()->addPermanentWidget(m_busy);
    statusBar()->addPermanentWidget(m_countsLabel);
    // Only jobs with a title are the user's; the sampler's quiet jobs stay quiet. A job
    // shows after 300 ms so quick ones do not flicker.
    auto* showTimer = new QTimer(this);
    showTimer->setSingleShot(true);
    showTimer->setInterval(300);
    connect(m_client, &EngineClient::jobStarted, this, [this, showTimer](JobId id, const QString& title) {
        if (title.isEmpty()) return;
        m_jobTitles.insert(id, title);
        m_jobLabel->setText(m_jobTitles.first() + QStringLiteral("…"));
        showTimer->start();
    });
    connect(m_client, &EngineClient::jobFinished, this, [this](JobId id) {
        if (m_jobTitles.remove(id) && !m_jobTitles.isEmpty()) m_jobLabel->setText(m_jobTitles.first() + QStringLiteral("…"));
    });
    connect(showTimer, &QTimer::timeout, this, [this] {
        if (!m_jobLabel->text().isEmpty()) m_busy->show();
    });
    connect(m_client, &EngineClient::jobProgress, this, [this](JobId, double, const QString& text) {
        if (!text.isEmpty()) m_jobLabel->setText(text);
    });
    connect(m_client, &EngineClient::busyChanged, this, [this, showTimer](bool busy) {
        if (!busy) {
            showTimer->stop();
            m_busy->hide();
            m_jobLabel->clear();
            m_jobTitles.clear();
        }
    });
    updateCounts();
}

void MainWindow::updateCounts() {
    // One plural form per number ("1 image", "2 images"; other languages have more forms).
    m_countsLabel->setText(tr("%n running", nullptr, m_runningCount) + QStringLiteral(" · ") +
                           tr("%n container(s)", nullptr, m_containerCount) + QStringLiteral(" · ") +
                           tr("%n image(s)", nullptr, m_imageCount));
    if (m_tray) m_tray->setRunningCount(m_runningCount);
}

void MainWindow::showPage(Page page) { m_sidebar->setCurrentRow(int(page) + 1); }

int MainWindow::currentPage() const { return m_stack->currentIndex(); }

void MainWindow::runContainer(const QString& image) {
    QStringList images;
    for (const ImageRow& r : m_images->model()->rows()) images.append(r.reference());
    images.removeDuplicates();
    RunDialog dialog(images, image.isEmpty() && !images.isEmpty() ? images.first() : image, this,
                     m_networks->model()->names());
    if (dialog.exec() != QDialog::Accepted) return;
    const RunFlags flags = dialog.flags();
    const bool createOnly = dialog.createOnly();
    const QString chosen = QString::fromStdString(flags.image);
    m_client->submit(
        createOnly ? tr("Creating a container from %1").arg(chosen) : tr("Running %1").arg(chosen), QString(), this,
        [flags, createOnly](Engine& e, std::stop_token stop, const ProgressFn&) {
            return backend::run(e, flags, createOnly, stop);
        },
        [this](QString id) {
            showPage(ContainersPageIndex);
            m_containers->refresh();
            QTimer::singleShot(300, this, [this, id] { m_containers->selectContainer(id); });
        },
        [this, createOnly, chosen](const Error& err) {
            showError(createOnly ? tr("The container could not be created from %1.").arg(chosen)
                                 : tr("The container could not be started from %1.").arg(chosen),
                      QString::fromStdString(err.message()));
            m_containers->refresh();
        });
}

PreferencesDialog* MainWindow::openPreferences() {
    if (m_preferences) {
        m_preferences->raise();
        m_preferences->activateWindow();
        return m_preferences;
    }
    const QString before = Translations::languageSetting();
    m_preferences = new PreferencesDialog(m_client->stats()->intervalMs(), this);
    m_preferences->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_preferences, &PreferencesDialog::languageChosen, this, [](const QString& code) { Translations::setLanguage(code); });
    connect(m_preferences, &QDialog::finished, this, [this, before](int result) {
        if (result == QDialog::Accepted) {
            Translations::saveLanguageSetting(m_preferences->languageCode());
            const int ms = m_preferences->statsIntervalMs();
            m_client->stats()->setIntervalMs(ms);
            QSettings().setValue(QStringLiteral("stats/intervalMs"), ms);
        } else if (m_preferences->languageCode() != before) {
            Translations::setLanguage(before);
        }
        m_preferences = nullptr;
    });
    m_preferences->open();
    return m_preferences;
}

void MainWindow::retranslate() {
    // Every string on screen that came from tr(): labels, actions, tips, headers...
    Translations::retranslateTree(this);
    // ...and the ones made with numbers filled in.
    m_storeLabel->setText(tr("Store: %1").arg(m_client->storePath()));
    m_modeLabel->setText(RuntimeModeText::label(m_mode));
    m_modeLabel->setToolTip(RuntimeModeText::toolTip(m_mode));
    updateCounts();
    if (m_tray) m_tray->retranslate();
    m_images->refresh();
    m_containers->refresh();
    m_volumes->refresh();
    m_networks->refresh();
}

void MainWindow::showError(const QString& sentence, const QString& detail) {
    if (m_errorSink) {
        m_errorSink(sentence, detail);
        return;
    }
    ErrorDialog::show(this, sentence, detail);
}

void MainWindow::updateSampler() {
    // Sampling costs CPU; nobody sees it while the window is hidden or minimised.
    m_client->stats()->setActive(isVisible() && !isMinimized());
}

void MainWindow::changeEvent(QEvent* e) {
    QMainWindow::changeEvent(e);
    if (e->type() == QEvent::WindowStateChange) updateSampler();
    if (e->type() == QEvent::LanguageChange && m_storeLabel) retranslate();
}

void MainWindow::showEvent(QShowEvent* e) {
    QMainWindow::showEvent(e);
    updateSampler();
}

void MainWindow::hideEvent(QHideEvent* e) {
    QMainWindow::hideEvent(e);
    updateSampler();
}

void MainWindow::closeEvent(QCloseEvent* e) {
    saveSettings();
    QMainWindow::closeEvent(e);
}

void MainWindow::saveSettings() {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/page"), currentPage());
    for (QSplitter* sp : findChildren<QSplitter*>())
        if (!sp->objectName().isEmpty()) s.setValue(QStringLiteral("splitters/") + sp->objectName(), sp->saveState());
}

void MainWindow::fitToScreen() {
    // On a small screen (1024x700, 1280x800) the window, frame and title bar included, stays
    // inside the available area, so its right edge and the status bar are on screen.
    const QScreen* screen = this->screen();
    if (!screen) return;
    const QRect avail = screen->availableGeometry();
    QSize frame = frameGeometry().size() - geometry().size();
    if (frame.isEmpty()) frame = QSize(0, style()->pixelMetric(QStyle::PM_TitleBarHeight));  // not yet shown
    const QSize room(avail.width() - qMax(0, frame.width()), avail.height() - qMax(0, frame.height()));
    const QSize fitted = size().boundedTo(room).expandedTo(minimumSizeHint());
    if (fitted != size()) resize(fitted);
    if (!avail.contains(frameGeometry())) move(avail.topLeft());
}

void MainWindow::restoreSettings() {
    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray())) resize(1280, 820);
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    fitToScreen();
    for (QSplitter* sp : findChildren<QSplitter*>())
        if (!sp->objectName().isEmpty()) sp->restoreState(s.value(QStringLiteral("splitters/") + sp->objectName()).toByteArray());
    const int page = s.value(QStringLiteral("window/page"), int(ImagesPageIndex)).toInt();
    showPage(Page(qBound(0, page, int(PageCount) - 1)));
    m_client->stats()->setIntervalMs(s.value(QStringLiteral("stats/intervalMs"), 1000).toInt());
}

} // namespace berth::ui
