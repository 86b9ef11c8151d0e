#pragma once
// ContainersPage: every container with a filter box; Start, Stop, Restart, Pause/Resume,
// Kill and Remove on one or many selected rows (toolbar, context menu, shortcuts); Run…
// opens the run dialog; the selected container's details below. Follows the events
// journal, so what the CLI does shows up at once.

#include "containerbackend.h"
#include "snapshots.h"

#include <QUrl>
#include <QWidget>

#include <functional>

class QAction;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace berth::ui {

class ContainerDetailsView;
class ContainersModel;
class EngineClient;

class ContainersPage : public QWidget {
    Q_OBJECT
public:
    ContainersPage(EngineClient* client, QWidget* parent = nullptr);

    ContainersModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    ContainerDetailsView* details() const { return m_details; }
    QAction* actionFor(backend::ContainerAction a) const;
    QAction* runAction() const { return m_runAction; }
    // Opens http://127.0.0.1:<first published TCP port> of the selected container.
    QAction* openBrowserAction() const { return m_openBrowser; }
    static QUrl browserUrl(int hostPort);
    // Tests replace the desktop's URL handler (QDesktopServices::openUrl).
    void setUrlOpener(std::function<bool(const QUrl&)> opener) { m_urlOpener = std::move(opener); }
    void refresh();
    void selectContainer(const QString& id);
    QStringList selectedIds() const;
    void applyStats(const QList<StatsSample>& samples, const HostSample& host);

signals:
    void refreshed(int total, int running);
    void runRequested(const QString& image);
    void errorOccurred(const QString& sentence, const QString& detail);
    void statusMessage(const QString& text);
    // The user asked these containers to stop (Stop, Restart, Kill, Remove): their coming
    // exit is no news worth a notification.

private:
    void updateActions();
    void act(backend::ContainerAction action);

    EngineClient* m_client;
    ContainersModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    ContainerDetailsView* m_details;
    QLabel* m_subtitle;
    QLabel* m_empty;
    QLineEdit* m_filter;
    QAction* m_runAction;
    QAction* m_refresh;
    QAction* m_openBrowser;
    std::function<bool(const QUrl&)> m_urlOpener;
    QMap<int, QAction*> m_actions;
};

} // namespace berth::ui
