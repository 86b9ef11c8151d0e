#include "networkspage.h"

#include "engineclient.h"
#include "eventsfollower.h"
#include "networkbackend.h"
#include "networksmodel.h"
#include "pagewidgets.h"

#include <QAction>
#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace berth::ui {

NetworksPage::NetworksPage(EngineClient* client, QWidget* parent)
    : QWidget(parent), m_client(client), m_model(new NetworksModel(this)), m_proxy(new QSortFilterProxyModel(this)) {
    setObjectName(QStringLiteral("networksPage"));
    auto* title = new QLabel(tr("Networks"), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    m_subtitle = new QLabel(this);
    m_subtitle->setObjectName(QStringLiteral("pageSubtitle"));

    auto action = [this](const QString& icon, const QString& text, const QKeySequence& key, const QString& tip) {
        return addPageAction(this, icon, text, key, tip);
    };
    m_create = action(QStringLiteral(":/icons/run.svg"), tr("Create…"), QKeySequence(Qt::CTRL | Qt::Key_N), tr("Create a network"));
    m_remove = action(QStringLiteral(":/icons/remove.svg"), tr("Remove"), QKeySequence::Delete, tr("Remove the selected networks"));
    m_prune = action(QStringLiteral(":/icons/kill.svg"), tr("Prune…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete), tr("Remove networks no container uses"));
    m_refresh = action(QStringLiteral(":/icons/refresh.svg"), tr("Refresh"), QKeySequence::Refresh, tr("Read the network list again"));
    m_create->setObjectName(QStringLiteral("createNetworkAction"));
    m_remove->setObjectName(QStringLiteral("removeNetworkAction"));

    auto* toolbar = makePageToolbar(this, {m_create, nullptr, m_remove, m_prune, nullptr, m_refresh});

    m_filter = makeFilterEdit(tr("Filter networks"), this);
    auto* header = makePageHeader(title, m_subtitle, m_filter);

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setSortRole(NetworksModel::SortRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("networksTable"));
    m_table->setAccessibleName(tr("Networks"));
    m_table->setModel(m_proxy);
    styleListTable(m_table, 30);
    m_table->setSortingEnabled(false);  // the engine's order: built-in networks first
    m_table->setColumnWidth(NetworksModel::Name, 200);
    m_table->setColumnWidth(NetworksModel::Driver, 120);
    m_table->setColumnWidth(NetworksModel::Subnet, 140);
    m_table->setColumnWidth(NetworksModel::Gateway, 120);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);

    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(QStringLiteral("networkDetails"));
    m_details->setAccessibleName(tr("Network details"));
    m_details->setReadOnly(true);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_details->setFont(mono);
    layOutListPage(this, header, toolbar, m_table, m_details, QStringLiteral("networksSplitter"), 300, 300);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        showDetails();
    });
    connect(m_table, &QTableView::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu menu(this);
        menu.addAction(m_create);
        menu.addSeparator();
        menu.addAction(m_remove);
        menu.exec(m_table->viewport()->mapToGlobal(pos));
    });
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
    updateActions();
}

QStringList NetworksPage::selectedNames() const {
    QStringList names;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows()) names.append(i.data(NetworksModel::NameRole).toString());
    return names;
}

void NetworksPage::selectNetwork(const QString& name) {
    const int row = m_model->findRow(name);
    if (row < 0) return;
    const QModelIndex idx = m_proxy->mapFromSource(m_model->index(row, 0));
    m_table->selectionModel()->select(idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->setCurrentIndex(idx);
}

void NetworksPage::refresh() {
    m_client->submit(
        tr("Listing networks"), QStringLiteral("networks.list"), this,
        [](Engine& e, std::stop_token, const ProgressFn&) { return backend::listNetworks(e); },
        [this](QList<NetworkRow> rows) {
            m_model->setRows(std::move(rows));
            const int total = m_model->rowCount();
            m_subtitle->setText(tr("%n network(s)", nullptr, total));
            if (!m_table->selectionModel()->hasSelection() && m_proxy->rowCount() > 0) m_table->selectRow(0);
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
    QString head = attached.isEmpty() ? tr("No running container is attached.")
                                      : tr("Attached containers:") + QStringLiteral("\n  ") + attached.join(QStringLiteral("\n  "));
    m_details->setPlainText(head);
    const QString name = r->name;
    m_client->submit(
        QString(), QStringLiteral("networks.inspect"), this,
        [name](Engine& e, std::stop_token, const ProgressFn&) { return backend::inspectNetwork(e, name); },
        [this, head, name](QString json) {
            if (selectedNames() == QStringList{name}) m_details->setPlainText(head + QStringLiteral("\n\n") + json);
        },
        [](const Error&) {});
}

void NetworksPage::createNetwork(const backend::NetworkCreateRequest& request) {
    m_client->submit(
        tr("Creating network %1").arg(request.name), QString(), this,
        [request](Engine& e, std::stop_token, const ProgressFn&) { return backend::createNetwork(e, request); },
        [this](QString name) {
            emit statusMessage(tr("Network %1 created.").arg(name));
            refresh();
        },
        [this, request](const Error& err) {
            emit errorOccurred(tr("The network %1 could not be created.").arg(request.name), QString::fromStdString(err.message()));
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

void NetworksPage::askCreate() {
    QDialog d(this);
    d.setWindowTitle(tr("Create a Network"));
    auto* form = new QFormLayout;
    auto* name = new QLineEdit(&d);
    auto* subnet = new QLineEdit(&d);
    subnet->setPlaceholderText(tr("e.g. 10.88.0.0/24; the next free one when empty"));
    auto* gateway = new QLineEdit(&d);
    gateway->setPlaceholderText(tr("the subnet's first address when empty"));
    auto* internal = new QCheckBox(tr("Internal (no traffic leaves the network)"), &d);
    form->addRow(tr("&Name:"), name);
    form->addRow(tr("&Subnet:"), subnet);
    form->addRow(tr("&Gateway:"), gateway);
    form->addRow(QString(), internal);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &d);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("C&reate"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(name, &QLineEdit::textChanged, &d,
            [buttons](const QString& t) { buttons->button(QDialogButtonBox::Ok)->setEnabled(!t.trimmed().isEmpty()); });
    connect(buttons, &QDialogButtonBox::accepted, &d, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &d, &QDialog::reject);
    auto* v = new QVBoxLayout(&d);
    v->addLayout(form);
    v->addWidget(buttons);
    if (d.exec() != QDialog::Accepted) return;
    backend::NetworkCreateRequest req;
    req.name = name->text().trimmed();
    req.subnet = subnet->text().trimmed();
    req.gateway = gateway->text().trimmed();
    req.internal = internal->isChecked();
    createNetwork(req);
}

void NetworksPage::askRemove() {
    QStringList names;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows())
        if (!i.data(NetworksModel::BuiltinRole).toBool()) names.append(i.data(NetworksModel::NameRole).toString());
    if (names.isEmpty()) return;
    if (QMessageBox::question(this, tr("Remove Networks"),
                              tr("Remove %n network(s)?", nullptr, int(names.size())) + QStringLiteral("\n\n") + names.join(QLatin1Char('\n')),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    removeNetworks(names);
}

void NetworksPage::askPrune() {
    if (QMessageBox::question(this, tr("Prune Networks"), tr("Remove every user network that no container uses?"),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    pruneNetworks();
}

} // namespace berth::ui
