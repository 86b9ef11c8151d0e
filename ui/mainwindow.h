#pragma once
// MainWindow: a sidebar (Containers, Images, Dashboard, Volumes, Networks) beside the stacked pages, a status
// bar (store path, counts, the job in progress), the tray icon, the preferences, and the wiring between the
// EngineClient's signals and the pages. Layout is remembered in QSettings; the stats
// sampler runs only while the window is visible and not minimised.

#include "berth/runtime_mode.h"

#include <QHash>
#include <QMap>
#include <QMainWindow>

class QLabel;
class QListWidget;
class QProgressBar;
class QStackedWidget;

namespace berth::ui {

class ContainersPage;
class DashboardPage;
class EngineClient;
class ImagesPage;
class NetworksPage;
class VolumesPage;
class PreferencesDialog;
class TrayController;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Page { ContainersPageIndex, ImagesPageIndex, DashboardPageIndex, VolumesPageIndex, NetworksPageIndex, PageCount };
    explicit MainWindow(EngineClient* client, QWidget* parent = nullptr);
    ~MainWindow() override;

    EngineClient* client() const { return m_client; }
    ContainersPage* containersPage() const { return m_containers; }
    ImagesPage* imagesPage() const { return m_images; }
    DashboardPage* dashboardPage() const { return m_dashboard; }
    VolumesPage* volumesPage() const { return m_volumes; }
    NetworksPage* networksPage() const { return m_networks; }
    TrayController* tray() const { return m_tray; }
    void showPage(Page page);
    int currentPage() const;
    // Opens the run dialog for an image (empty: the user picks one).
    void runContainer(const QString& image);
    // Shows an error as a sentence with the engine's detail under "Details…".
    void showError(const QString& sentence, const QString& detail);
    // Opens the preferences (window-modal, not blocking); a language picked there applies at
    // once, and is kept (QSettings) on OK or undone on Cancel.
    PreferencesDialog* openPreferences();
    PreferencesDialog* preferencesDialog() const { return m_preferences; }
    // Tests set this to collect errors instead of showing modal dialogs.
    void setErrorSink(std::function<void(const QString&, const QString&)> sink) { m_errorSink = std::move(sink); }

protected:
    void changeEvent(QEvent* e) override;
    void showEvent(QShowEvent* e) override;
    void hideEvent(QHideEvent* e) override;
    void closeEvent(QCloseEvent* e) override;

private:
    void buildSidebar();
    void buildStatusBar();
    void updateSampler();
    void updateCounts();
    void saveSettings();
    void restoreSettings();
    void fitToScreen();
    void retranslate();

    EngineClient* m_client;
    QListWidget* m_sidebar = nullptr;
    QWidget* m_sidebarPanel = nullptr;
    PreferencesDialog* m_preferences = nullptr;
    QStackedWidget* m_stack = nullptr;
    ContainersPage* m_containers = nullptr;
    ImagesPage* m_images = nullptr;
    DashboardPage* m_dashboard = nullptr;
    VolumesPage* m_volumes = nullptr;
    NetworksPage* m_networks = nullptr;
    TrayController* m_tray = nullptr;
    QLabel* m_storeLabel = nullptr;
    QLabel* m_modeLabel = nullptr;
    RuntimeModeInfo m_mode;
    QLabel* m_countsLabel = nullptr;
    QLabel* m_jobLabel = nullptr;
    QMap<quint64, QString> m_jobTitles;  // the user's jobs running, oldest first
    QProgressBar* m_busy = nullptr;
    int m_imageCount = 0, m_containerCount = 0, m_runningCount = 0;
    std::function<void(const QString&, const QString&)> m_errorSink;
};

} // namespace berth::ui
