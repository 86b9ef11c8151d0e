#pragma once
// ContainersPage: every container with a filter box; Start, Stop, Restart, Pause/Resume,
// Kill and Remove on one or many selected rows (toolbar, context menu, shortcuts); Run…
// opens the run dialog; the selected container's details below. Follows the events
// journal, so what the CLI does shows up at once.

#include "containerbackend.h"
#include "listpage.h"
#include "snapshots.h"

#include <QMap>
#include <QUrl>

#include <functional>

class QAction;

namespace berth::ui {

class ContainerDetailsView;
class ContainersModel;
class EngineClient;

class ContainersPage : public ListPage {
    Q_OBJECT
public:
    ContainersPage(EngineClient* client, QWidget* parent = nullptr);

    ContainersModel* model() const { return m_model; }
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

private:
    void setUpColumns();
    void createActions();
    void connectActions();
    void updateActions() override;
    void showDetails() override;
    void fillContextMenu(QMenu& menu) override;
    // The one selected container, or nullptr.
    const ContainerRow* selectedRow() const;
    void act(backend::ContainerAction action);

    ContainersModel* m_model;
    ContainerDetailsView* m_details;
    QAction* m_runAction;
    QAction* m_refresh;
    QAction* m_openBrowser;
    std::function<bool(const QUrl&)> m_urlOpener;
    QMap<int, QAction*> m_actions;
    QSet<QString> m_stopsAsked;  // ids this window stopped or killed, until they run again
};

} // namespace berth::ui
