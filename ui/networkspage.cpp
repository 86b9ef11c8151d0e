#include "networkspage.h"

#include "engineclient.h"
#include "eventsfollower.h"
#include "networkbackend.h"
#include "networkcreatedialog.h"
#include "networksmodel.h"
#include "shortcuts.h"

#include <QAction>
#include <QPointer>
#include <QMenu>
#include <QTableView>

namespace berth::ui {

using shortcuts::Command;
using shortcuts::key;

NetworksPage::NetworksPage(EngineClient* client, QWidget* parent)
    : ListPage(client,
               {QStringLiteral("networksPage"), tr("Networks"), tr("Filter networks"), QStringLiteral("networksTable"),
                tr("Networks")},
               parent),
      m_model(new NetworksModel(this)) {
    m_create = addPageAction(QStringLiteral(":/icons/run.svg"), tr("Create…"), key(Command::Create), tr("Create a network"));
    m_remove = addPageAction(QStringLiteral(":/icons/remove.svg"), tr("Remove"), key(Command::Remove), tr("Remove the selected networks"));
    m_prune = addPageAction(QStringLiteral(":/icons/kill.svg"), tr("Prune…"), key(Command::Prune), tr("Remove networks no container uses"));
    m_refresh = addPageAction(QStringLiteral(":/icons/refresh.svg"), tr("Refresh"), key(Command::Refresh), tr("Read the network list again"));
    m_create->setObjectName(QStringLiteral("createNetworkAction"));
    m_remove->setObjectName(QStringLiteral("removeNetworkAction"));
    setToolbarActions({m_create, nullptr, m_remove, m_prune, nullptr, m_refresh});

    setListModel(m_model, NetworksModel::SortRole, 30);
    m_table->setSortingEnabled(false);  // the engine's order: built-in networks first
    m_table->setColumnWidth(NetworksModel::Name, 200);
    m_table->setColumnWidth(NetworksModel::Driver, 120);
    m_table->setColumnWidth(NetworksModel::Subnet, 140);
    m_table->setColumnWidth(NetworksModel::Gateway, 120);

    m_details = makeTextPane(QStringLiteral("networkDetails"), tr("Network details"));
    finishPage(m_details, QStringLiteral("networksSplitter"), 300, 300);

    connect(m_create, &QAction::triggered, this, &NetworksPage::askCreate);
    connect(m_remove, &QAction::triggered, this, &NetworksPage::askRemove);
    connect(m_prune, &QAction::triggered, this, &NetworksPage::askPrune);
    connect(m_refresh, &QAction::triggered, this, &NetworksPage::refresh);
    // Attachments change when containers start, stop or go; networks with network events.
    connect(client->events(), &EventsFollower::eventsArrived, this, [this](const QList<StoreEvent>& events) {
        for (const StoreEvent& e : events)
            if (e.type == QLatin1String("network") || e.type == QLatin1String("container")) {
                refresh();
                return;
            }
    });
}

QStringList NetworksPage::selectedNames() const { return selectedValues(NetworksModel::NameRole); }

void NetworksPage::selectNetwork(const QString& name) { selectSourceRow(m_model->findRow(name)); }

void NetworksPage::fillContextMenu(QMenu& menu) {
    menu.addAction(m_create);
    menu.addSeparator();
    menu.addAction(m_remove);
}

void NetworksPage::refresh() {
    m_client->submit(
        tr("Listing networks"), QStringLiteral("networks.list"), this,
        [](Engine& e, std::stop_token, const ProgressFn&) { return backend::listNetworks(e); },
        [this](QList<NetworkRow> rows) {
            m_model->setRows(std::move(rows));
            const int total = m_model->rowCount();
            setSubtitle(tr("%n network(s)", nullptr, total));
            selectFirstRowIfNone();
            updateActions();
            showDetails();
            emit refreshed(total);
        },
        [this](const Error& err) {
            emit errorOccurred(tr("The list of networks could not be read."), QString::fromStdString(err.message()));
        });
}

void NetworksPage::updateActions() {
    bool anyUser = false;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows())
        anyUser |= !i.data(NetworksModel::BuiltinRole).toBool();
    m_remove->setEnabled(anyUser);
}

void NetworksPage::showDetails() {
    const QStringList names = selectedNames();
    if (names.size() != 1) {
        m_details->clear();
        return;
    }
    const NetworkRow* r = m_model->rowAt(m_model->findRow(names.first()));
    if (!r) return;
    QStringList attached;
    for (const NetworkEndpointRow& e : r->endpoints)
        attached.append(QStringLiteral("%1  %2").arg(e.containerName, e.ipAddress));
    const QString head = attached.isEmpty() ? tr("No running container is attached.")
                                            : tr("Attached containers:") + QStringLiteral("\n  ") + attached.join(QStringLiteral("\n  "));
    showInspectText(m_details, head, r->name, NetworksModel::NameRole, QStringLiteral("networks.inspect"), &backend::inspectNetwork);
}

void NetworksPage::createNetwork(const backend::NetworkCreateRequest& request, NetworkCreateDialog* dialog) {
    QPointer<NetworkCreateDialog> form(dialog);
    m_client->submit(
        tr("Creating network %1").arg(request.name), QString(), this,
        [request](Engine& e, std::stop_token, const ProgressFn&) { return backend::createNetwork(e, request); },
        [this, form](QString name) {
            if (form) form->accept();
            emit statusMessage(tr("Network %1 created.").arg(name));
            refresh();
        },
        [this, request, form](const Error& err) {
            const QString sentence = tr("The network %1 could not be created.").arg(request.name);
            // Refused from the form: said there, with what was typed kept to correct.
            if (form) form->showRefusal(sentence, QString::fromStdString(err.message()));
            else emit errorOccurred(sentence, QString::fromStdString(err.message()));
        });
}

void NetworksPage::removeNetworks(const QStringList& names) {
    for (const QString& name : names)
        m_client->submit(
            tr("Removing network %1").arg(name), QString(), this,
            [name](Engine& e, std::stop_token, const ProgressFn&) { return backend::removeNetwork(e, name); },
            [this] { refresh(); },
            [this, name](const Error& err) {
                emit errorOccurred(tr("The network %1 could not be removed.").arg(name), QString::fromStdString(err.message()));
                refresh();
            });
}

void NetworksPage::pruneNetworks() {
    m_client->submit(
        tr("Pruning networks"), QString(), this,
        [](Engine& e, std::stop_token, const ProgressFn&) { return backend::pruneNetworks(e); },
        [this](QStringList removed) {
            emit statusMessage(tr("%n network(s) removed.", nullptr, int(removed.size())));
            refresh();
        },
        [this](const Error& err) {
            emit errorOccurred(tr("The unused networks could not be removed."), QString::fromStdString(err.message()));
        });
}

NetworkCreateDialog* NetworksPage::askCreate() {
    auto* d = new NetworkCreateDialog(this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &NetworkCreateDialog::createRequested, this, [this, d](const backend::NetworkCreateRequest& req) {
        d->setBusy(true);
        createNetwork(req, d);
    });
    d->open();
    return d;
}

void NetworksPage::askRemove() {
    QStringList names;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows())
        if (!i.data(NetworksModel::BuiltinRole).toBool()) names.append(i.data(NetworksModel::NameRole).toString());
    if (names.isEmpty()) return;
    if (!confirm(tr("Remove Networks"),
                 tr("Remove %n network(s)?", nullptr, int(names.size())) + QStringLiteral("\n\n") + names.join(QLatin1Char('\n'))))
        return;
    removeNetworks(names);
}

void NetworksPage::askPrune() {
    if (!confirm(tr("Prune Networks"), tr("Remove every user network that no container uses?"))) return;
    pruneNetworks();
}

} // namespace berth::ui
