#include "containerspage.h"

#include "bardelegate.h"
#include "containerdetailsview.h"
#include "containersmodel.h"
#include "engineclient.h"
#include "eventsfollower.h"
#include "logview.h"
#include "statebadgedelegate.h"
#include "terminaltab.h"
#include "shortcuts.h"

#include <QAction>
#include <QDesktopServices>
#include <QMenu>
#include <QTableView>
#include <QTimer>

namespace berth::ui {

using shortcuts::Command;
using shortcuts::key;

using backend::ContainerAction;

ContainersPage::ContainersPage(EngineClient* client, QWidget* parent)
    : ListPage(client,
               {QStringLiteral("containersPage"), tr("Containers"), tr("Filter containers"), QStringLiteral("containersTable"),
                tr("Containers")},
               parent),
      m_model(new ContainersModel(this)) {
    setListModel(m_model, ContainersModel::SortRole, 32);
    setUpColumns();
    createActions();
    setToolbarActions({m_runAction, nullptr, m_actions[int(ContainerAction::Start)], m_actions[int(ContainerAction::Stop)],
                       m_actions[int(ContainerAction::Restart)], m_actions[int(ContainerAction::Pause)],
                       m_actions[int(ContainerAction::Unpause)], m_actions[int(ContainerAction::Kill)],
                       m_actions[int(ContainerAction::Remove)], nullptr, m_refresh});
    setEmptyText(tr("No containers yet.\nChoose Run… or open Images and run one with a double click."));
    m_details = new ContainerDetailsView(client, this);
    finishPage(m_details, QStringLiteral("containersSplitter"), 420, 280);
    connectActions();
    connect(client->events(), &EventsFollower::containersChanged, this, &ContainersPage::refresh);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ContainersPage::updateActions);
    // Uptime and "exited … ago" age without events: repaint that column twice a minute.
    auto* ageTimer = new QTimer(this);
    ageTimer->start(30000);
    connect(ageTimer, &QTimer::timeout, this, [this] {
        if (m_model->rowCount())
            emit m_model->dataChanged(m_model->index(0, ContainersModel::Uptime),
                                      m_model->index(m_model->rowCount() - 1, ContainersModel::Uptime));
    });
}

void ContainersPage::setUpColumns() {
    m_table->sortByColumn(ContainersModel::Name, Qt::AscendingOrder);
    m_table->setItemDelegateForColumn(ContainersModel::State, new StateBadgeDelegate(this));
    m_table->setItemDelegateForColumn(ContainersModel::Memory,
                                      new BarDelegate(ContainersModel::MemoryFractionRole, QColor(0x8e, 0x6c, 0xf0), this));
    m_table->setColumnWidth(ContainersModel::Name, 200);
    m_table->setColumnWidth(ContainersModel::Image, 170);
    m_table->setColumnWidth(ContainersModel::State, 220);  // "Exited (137), out of memory"
    m_table->setColumnWidth(ContainersModel::Cpu, 80);
    m_table->setColumnWidth(ContainersModel::Memory, 170);
    m_table->setColumnWidth(ContainersModel::Ports, 170);
}

void ContainersPage::createActions() {
    auto action = [this](const QString& icon, const QString& text, const QKeySequence& key, const QString& tip) {
        return addPageAction(icon, text, key, tip);
    };
    m_runAction = action(QStringLiteral(":/icons/run.svg"), tr("Run…"), key(Command::Run), tr("Run a new container"));
    m_actions[int(ContainerAction::Start)] = action(QStringLiteral(":/icons/start.svg"), tr("Start"), key(Command::Start), tr("Start the selected containers"));
    m_actions[int(ContainerAction::Stop)] = action(QStringLiteral(":/icons/stop.svg"), tr("Stop"), key(Command::Stop), tr("Stop the selected containers"));
    m_actions[int(ContainerAction::Restart)] = action(QStringLiteral(":/icons/restart.svg"), tr("Restart"), key(Command::Restart), tr("Restart the selected containers"));
    m_actions[int(ContainerAction::Pause)] = action(QStringLiteral(":/icons/pause.svg"), tr("Pause"), key(Command::Pause), tr("Pause the selected containers"));
    m_actions[int(ContainerAction::Unpause)] = action(QStringLiteral(":/icons/start.svg"), tr("Resume"), key(Command::Resume), tr("Resume the selected paused containers"));
    m_actions[int(ContainerAction::Kill)] = action(QStringLiteral(":/icons/kill.svg"), tr("Kill"), key(Command::Kill), tr("Kill the selected containers at once"));
    m_actions[int(ContainerAction::Remove)] = action(QStringLiteral(":/icons/remove.svg"), tr("Remove"), key(Command::Remove), tr("Remove the selected containers"));
    m_refresh = action(QStringLiteral(":/icons/refresh.svg"), tr("Refresh"), key(Command::Refresh), tr("Read the container list again"));
    m_openBrowser = action(QStringLiteral(":/icons/link.svg"), tr("Open in Browser"), key(Command::OpenInBrowser),
                           tr("Open the container's published port in the web browser"));
    m_openBrowser->setObjectName(QStringLiteral("openInBrowserAction"));
}

void ContainersPage::fillContextMenu(QMenu& menu) {
    for (auto a : {ContainerAction::Start, ContainerAction::Stop, ContainerAction::Restart, ContainerAction::Pause,
                   ContainerAction::Unpause, ContainerAction::Kill})
        menu.addAction(m_actions[int(a)]);
    menu.addSeparator();
    // One entry per published TCP port when there are several.
    const ContainerRow* r = selectedRow();
    if (r && r->browserPorts.size() > 1) {
        QMenu* sub = menu.addMenu(QIcon(QStringLiteral(":/icons/link.svg")), tr("Open in Browser"));
        for (int port : r->browserPorts)
            connect(sub->addAction(browserUrl(port).toString()), &QAction::triggered, this, [this, port] {
                if (m_urlOpener) m_urlOpener(browserUrl(port));
                else QDesktopServices::openUrl(browserUrl(port));
            });
    } else {
        menu.addAction(m_openBrowser);
    }
    menu.addSeparator();
    menu.addAction(m_actions[int(ContainerAction::Remove)]);
}

void ContainersPage::connectActions() {
    for (auto it = m_actions.begin(); it != m_actions.end(); ++it) {
        const auto a = ContainerAction(it.key());
        connect(it.value(), &QAction::triggered, this, [this, a] { act(a); });
    }
    connect(m_runAction, &QAction::triggered, this, [this] { emit runRequested(QString()); });
    connect(m_refresh, &QAction::triggered, this, &ContainersPage::refresh);
    connect(m_openBrowser, &QAction::triggered, this, [this] {
        const ContainerRow* r = selectedRow();
        if (!r || r->browserPorts.isEmpty()) return;
        const QUrl url = browserUrl(r->browserPorts.first());
        const bool opened = m_urlOpener ? m_urlOpener(url) : QDesktopServices::openUrl(url);
        if (!opened) emit errorOccurred(tr("No web browser could open %1.").arg(url.toString()), QString());
    });
}

void ContainersPage::showDetails() {
    const QStringList ids = selectedIds();
    m_details->showContainer(ids.size() == 1 ? ids.first() : QString());
    const ContainerRow* r = selectedRow();
    m_details->logView()->setNote(r ? ContainersModel::oomText(*r) : QString());
    m_details->terminal()->showContainer(r ? r->id : QString(), r ? r->name : QString(),
                                         r && r->state == ContainerState::Running);
}

const ContainerRow* ContainersPage::selectedRow() const {
    const QStringList ids = selectedIds();
    return ids.size() == 1 ? m_model->rowAt(m_model->findRow(ids.first())) : nullptr;
}

QAction* ContainersPage::actionFor(ContainerAction a) const { return m_actions.value(int(a)); }

QUrl ContainersPage::browserUrl(int hostPort) { return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(hostPort)); }

QStringList ContainersPage::selectedIds() const { return selectedValues(ContainersModel::IdRole); }

void ContainersPage::selectContainer(const QString& id) { selectSourceRow(m_model->findRow(id)); }

void ContainersPage::refresh() {
    m_client->submit(
        tr("Listing containers"), QStringLiteral("containers.list"), this,
        [](Engine& e, std::stop_token, const ProgressFn&) { return backend::listContainers(e); },
        [this](QList<ContainerRow> rows) {
            QSet<QString> ids, live;
            for (ContainerRow& r : rows) {
                ids.insert(r.id);
                if (r.state == ContainerState::Running || r.state == ContainerState::Paused) live.insert(r.id);  // a paused shell waits
                // This window's own stops count until the container runs again.
                if (r.state != ContainerState::Exited) m_stopsAsked.remove(r.id);
                r.stopRequested = m_stopsAsked.contains(r.id) || m_client->events()->stoppedOnRequest(r.id);
            }
            m_details->keepHistoryOf(ids);
            m_details->terminal()->keepSessionsOf(live, ids);
            m_model->setRows(std::move(rows));
            const int total = m_model->rowCount(), running = m_model->runningCount();
            setSubtitle(tr("%1 running, %2 in all").arg(running).arg(total));
            selectFirstRowIfNone();
            updateActions();
            showDetails();  // the state may have changed (an OOM kill in the logs pane)
            emit refreshed(total, running);
        },
        [this](const Error& err) {
            emit errorOccurred(tr("The list of containers could not be read."), QString::fromStdString(err.message()));
        });
}

void ContainersPage::applyStats(const QList<StatsSample>& samples, const HostSample& host) {
    m_model->applyStats(samples, host.memTotal);
    for (const StatsSample& s : samples) m_details->addSample(s);
}

void ContainersPage::updateActions() {
    bool anyStartable = false, anyRunning = false, anyPaused = false, any = false;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows()) {
        any = true;
        const auto s = ContainerState(i.data(ContainersModel::StateRole).toInt());
        anyStartable |= s == ContainerState::Created || s == ContainerState::Exited || s == ContainerState::Dead;
        anyRunning |= s == ContainerState::Running || s == ContainerState::Restarting;
        anyPaused |= s == ContainerState::Paused;
    }
    m_actions[int(ContainerAction::Start)]->setEnabled(anyStartable);
    m_actions[int(ContainerAction::Stop)]->setEnabled(anyRunning || anyPaused);
    m_actions[int(ContainerAction::Restart)]->setEnabled(any);
    m_actions[int(ContainerAction::Pause)]->setEnabled(anyRunning);
    m_actions[int(ContainerAction::Unpause)]->setEnabled(anyPaused);
    m_actions[int(ContainerAction::Kill)]->setEnabled(anyRunning || anyPaused);
    m_actions[int(ContainerAction::Remove)]->setEnabled(any);
    const ContainerRow* r = selectedRow();
    m_openBrowser->setEnabled(r && !r->browserPorts.isEmpty() &&
                              (r->state == ContainerState::Running || r->state == ContainerState::Paused));
}

void ContainersPage::act(ContainerAction action) {
    QStringList ids = selectedIds();
    if (ids.isEmpty()) return;
    if (action == ContainerAction::Remove) {
        QStringList names;
        bool running = false;
        for (const QString& id : ids) {
            const ContainerRow* r = m_model->rowAt(m_model->findRow(id));
            if (!r) continue;
            names.append(r->name);
            running |= r->state == ContainerState::Running || r->state == ContainerState::Paused;
        }
        QString text = tr("Remove %n container(s)?", nullptr, int(ids.size())) + QStringLiteral("\n\n") + names.join(QLatin1Char('\n'));
        if (running) text += QStringLiteral("\n\n") + tr("Running containers will be killed first.");
        if (!confirm(tr("Remove Containers"), text)) return;
    }
    static const char* const verbs[] = {QT_TR_NOOP("Starting %1"), QT_TR_NOOP("Stopping %1"), QT_TR_NOOP("Restarting %1"),
                                        QT_TR_NOOP("Pausing %1"),  QT_TR_NOOP("Resuming %1"),  QT_TR_NOOP("Killing %1"),
                                        QT_TR_NOOP("Removing %1")};
    static const char* const failures[] = {
        QT_TR_NOOP("The container %1 could not be started."), QT_TR_NOOP("The container %1 could not be stopped."),
        QT_TR_NOOP("The container %1 could not be restarted."), QT_TR_NOOP("The container %1 could not be paused."),
        QT_TR_NOOP("The container %1 could not be resumed."),  QT_TR_NOOP("The container %1 could not be killed."),
        QT_TR_NOOP("The container %1 could not be removed.")};
    static const char* const pending[] = {QT_TR_NOOP("Starting…"), QT_TR_NOOP("Stopping…"), QT_TR_NOOP("Restarting…"),
                                          QT_TR_NOOP("Pausing…"),  QT_TR_NOOP("Resuming…"),  QT_TR_NOOP("Killing…"),
                                          QT_TR_NOOP("Removing…")};
    for (const QString& id : ids) {
        const ContainerRow* r = m_model->rowAt(m_model->findRow(id));
        const QString name = r ? r->name : id.left(12);
        // Feedback at once: a stop may take the whole grace period (10 s).
        m_model->setPending(id, tr(pending[int(action)]));
        if (action == ContainerAction::Stop || action == ContainerAction::Kill) m_stopsAsked.insert(id);
        else m_stopsAsked.remove(id);
        m_client->submit(
            tr(verbs[int(action)]).arg(name), QString(), this,
            [id, action](Engine& e, std::stop_token stop, const ProgressFn&) { return backend::act(e, action, id, stop); },
            [this, id] {
                m_model->setPending(id, QString());
                refresh();
            },
            [this, id, name, action](const Error& err) {
                m_model->setPending(id, QString());
                emit errorOccurred(tr(failures[int(action)]).arg(name), QString::fromStdString(err.message()));
                refresh();
            });
    }
}

} // namespace berth::ui
