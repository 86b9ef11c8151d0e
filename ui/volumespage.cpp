#include "volumespage.h"

#include "engineclient.h"
#include "eventsfollower.h"
#include "format.h"
#include "pagewidgets.h"
#include "volumebackend.h"
#include "volumesmodel.h"

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
#include <QStackedLayout>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace berth::ui {

VolumesPage::VolumesPage(EngineClient* client, QWidget* parent)
    : QWidget(parent), m_client(client), m_model(new VolumesModel(this)), m_proxy(new QSortFilterProxyModel(this)) {
    setObjectName(QStringLiteral("volumesPage"));
    auto* title = new QLabel(tr("Volumes"), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    m_subtitle = new QLabel(this);
    m_subtitle->setObjectName(QStringLiteral("pageSubtitle"));

    auto action = [this](const QString& icon, const QString& text, const QKeySequence& key, const QString& tip) {
        return addPageAction(this, icon, text, key, tip);
    };
    m_create = action(QStringLiteral(":/icons/run.svg"), tr("Create…"), QKeySequence(Qt::CTRL | Qt::Key_N), tr("Create a volume"));
    m_remove = action(QStringLiteral(":/icons/remove.svg"), tr("Remove"), QKeySequence::Delete, tr("Remove the selected volumes"));
    m_prune = action(QStringLiteral(":/icons/kill.svg"), tr("Prune…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete), tr("Remove volumes no container uses"));
    m_refresh = action(QStringLiteral(":/icons/refresh.svg"), tr("Refresh"), QKeySequence::Refresh, tr("Read the volume list again"));
    m_create->setObjectName(QStringLiteral("createVolumeAction"));
    m_remove->setObjectName(QStringLiteral("removeVolumeAction"));
    m_prune->setObjectName(QStringLiteral("pruneVolumesAction"));

    auto* toolbar = makePageToolbar(this, {m_create, nullptr, m_remove, m_prune, nullptr, m_refresh});

    m_filter = makeFilterEdit(tr("Filter volumes"), this);
    auto* header = makePageHeader(title, m_subtitle, m_filter);

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setSortRole(VolumesModel::SortRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("volumesTable"));
    m_table->setAccessibleName(tr("Volumes"));
    m_table->setModel(m_proxy);
    styleListTable(m_table, 30);
    m_table->sortByColumn(VolumesModel::Name, Qt::AscendingOrder);
    m_table->setColumnWidth(VolumesModel::Name, 220);
    m_table->setColumnWidth(VolumesModel::Driver, 80);
    m_table->setColumnWidth(VolumesModel::UsedBy, 220);
    m_table->setColumnWidth(VolumesModel::Created, 140);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);

    m_empty = new QLabel(tr("No volumes yet.\nCreate one, or run a container with a volume (Run…, Ports, volumes and network)."), this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setObjectName(QStringLiteral("pageSubtitle"));
    auto* tableStack = new QWidget(this);
    auto* stack = new QStackedLayout(tableStack);
    stack->setStackingMode(QStackedLayout::StackAll);
    stack->addWidget(m_empty);
    stack->addWidget(m_table);

    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(QStringLiteral("volumeDetails"));
    m_details->setAccessibleName(tr("Volume details"));
    m_details->setReadOnly(true);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_details->setFont(mono);
    layOutListPage(this, header, toolbar, tableStack, m_details, QStringLiteral("volumesSplitter"), 300, 300);

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
    connect(m_create, &QAction::triggered, this, &VolumesPage::askCreate);
    connect(m_remove, &QAction::triggered, this, &VolumesPage::askRemove);
    connect(m_prune, &QAction::triggered, this, &VolumesPage::askPrune);
    connect(m_refresh, &QAction::triggered, this, &VolumesPage::refresh);
    // Volumes change with volume events, and their users with container create/destroy.
    connect(client->events(), &EventsFollower::eventsArrived, this, [this](const QList<StoreEvent>& events) {
        for (const StoreEvent& e : events)
            if (e.type == QLatin1String("volume") ||
                (e.type == QLatin1String("container") && (e.action == QLatin1String("create") || e.action == QLatin1String("destroy")))) {
                refresh();
                return;
            }
    });
    updateActions();
}

QStringList VolumesPage::selectedNames() const {
    QStringList names;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows()) names.append(i.data(VolumesModel::NameRole).toString());
    return names;
}

void VolumesPage::selectVolume(const QString& name) {
    const int row = m_model->findRow(name);
    if (row < 0) return;
    const QModelIndex idx = m_proxy->mapFromSource(m_model->index(row, 0));
    m_table->selectionModel()->select(idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->setCurrentIndex(idx);
}

void VolumesPage::refresh() {
    m_client->submit(
        tr("Listing volumes"), QStringLiteral("volumes.list"), this,
        [](Engine& e, std::stop_token, const ProgressFn&) { return backend::listVolumes(e); },
        [this](QList<VolumeRow> rows) {
            m_model->setRows(std::move(rows));
            int unused = 0;
            for (const VolumeRow& r : m_model->rows()) unused += r.userIds.isEmpty();
            const int total = m_model->rowCount();
            m_subtitle->setText(tr("%n volume(s)", nullptr, total) + QStringLiteral(", ") + tr("%n unused", nullptr, unused));
            m_empty->setVisible(total == 0);
            if (!m_table->selectionModel()->hasSelection() && m_proxy->rowCount() > 0) m_table->selectRow(0);
            updateActions();
            showDetails();
            emit refreshed(total);
        },
        [this](const Error& err) {
            emit errorOccurred(tr("The list of volumes could not be read."), QString::fromStdString(err.message()));
        });
}

void VolumesPage::updateActions() { m_remove->setEnabled(!selectedNames().isEmpty()); }

void VolumesPage::showDetails() {
    const QStringList names = selectedNames();
    if (names.size() != 1) {
        m_details->setPlainText(names.isEmpty() ? QString() : tr("%n volume(s) selected", nullptr, int(names.size())));
        return;
    }
    const VolumeRow* r = m_model->rowAt(m_model->findRow(names.first()));
    if (!r) return;
    QString head = r->userNames.isEmpty()
                       ? tr("No container uses this volume.")
                       : tr("Used by: %1").arg(r->userNames.join(QStringLiteral(", ")));
    m_details->setPlainText(head);
    const QString name = r->name;
    m_client->submit(
        QString(), QStringLiteral("volumes.inspect"), this,
        [name](Engine& e, std::stop_token, const ProgressFn&) { return backend::inspectVolume(e, name); },
        [this, head, name](QString json) {
            if (selectedNames() == QStringList{name}) m_details->setPlainText(head + QStringLiteral("\n\n") + json);
        },
        [](const Error&) {});  // removed meanwhile: the next refresh says so
}

void VolumesPage::createVolume(const QString& name, const QStringList& labels) {
    m_client->submit(
        tr("Creating volume %1").arg(name.isEmpty() ? tr("(random name)") : name), QString(), this,
        [name, labels](Engine& e, std::stop_token, const ProgressFn&) { return backend::createVolume(e, name, labels); },
        [this](QString created) {
            emit statusMessage(tr("Volume %1 created.").arg(created));
            refresh();
            selectVolume(created);
        },
        [this, name](const Error& err) {
            emit errorOccurred(tr("The volume %1 could not be created.").arg(name), QString::fromStdString(err.message()));
        });
}

void VolumesPage::removeVolumes(const QStringList& names) {
    for (const QString& name : names)
        m_client->submit(
            tr("Removing volume %1").arg(name), QString(), this,
            [name](Engine& e, std::stop_token, const ProgressFn&) { return backend::removeVolume(e, name); },
            [this] { refresh(); },
            [this, name](const Error& err) {
                emit errorOccurred(err.code() == Errc::Conflict
                                       ? tr("The volume %1 is in use by a container and was not removed.").arg(name)
                                       : tr("The volume %1 could not be removed.").arg(name),
                                   QString::fromStdString(err.message()));
                refresh();
            });
}

void VolumesPage::pruneVolumes(bool all) {
    m_client->submit(
        tr("Pruning volumes"), QString(), this,
        [all](Engine& e, std::stop_token, const ProgressFn&) { return backend::pruneVolumes(e, all); },
        [this](backend::VolumePruneResult r) {
            emit statusMessage(tr("%n volume(s) removed, %1 reclaimed.", nullptr, int(r.removed.size()))
                                   .arg(format::bytes(r.reclaimedBytes)));
            refresh();
        },
        [this](const Error& err) {
            emit errorOccurred(tr("The unused volumes could not be removed."), QString::fromStdString(err.message()));
        });
}

void VolumesPage::askCreate() {
    QDialog d(this);
    d.setWindowTitle(tr("Create a Volume"));
    auto* form = new QFormLayout;
    auto* name = new QLineEdit(&d);
    name->setObjectName(QStringLiteral("volumeName"));
    name->setPlaceholderText(tr("chosen at random when empty"));
    auto* labels = new QPlainTextEdit(&d);
    labels->setPlaceholderText(tr("One key=value per line"));
    labels->setFixedHeight(70);
    form->addRow(tr("&Name:"), name);
    form->addRow(tr("La&bels:"), labels);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &d);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("C&reate"));
    connect(buttons, &QDialogButtonBox::accepted, &d, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &d, &QDialog::reject);
    auto* v = new QVBoxLayout(&d);
    v->addLayout(form);
    v->addWidget(buttons);
    if (d.exec() != QDialog::Accepted) return;
    QStringList labelList;
    for (const QString& line : labels->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (!line.trimmed().isEmpty()) labelList.append(line.trimmed());
    createVolume(name->text().trimmed(), labelList);
}

void VolumesPage::askRemove() {
    const QStringList names = selectedNames();
    if (names.isEmpty()) return;
    QString text = tr("Remove %n volume(s)? Their data is deleted.", nullptr, int(names.size())) + QStringLiteral("\n\n") +
                   names.join(QLatin1Char('\n'));
    if (QMessageBox::question(this, tr("Remove Volumes"), text, QMessageBox::Yes | QMessageBox::Cancel,
                              QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    removeVolumes(names);
}

void VolumesPage::askPrune() {
    QMessageBox box(QMessageBox::Question, tr("Prune Volumes"),
                    tr("Remove the anonymous volumes that no container uses? Their data is deleted."),
                    QMessageBox::Yes | QMessageBox::Cancel, this);
    auto* all = new QCheckBox(tr("Also named volumes that no container uses"), &box);
    box.setCheckBox(all);
    box.setDefaultButton(QMessageBox::Cancel);
    if (box.exec() != QMessageBox::Yes) return;
    pruneVolumes(all->isChecked());
}

} // namespace berth::ui
