#include "volumespage.h"

#include "engineclient.h"
#include "eventsfollower.h"
#include "format.h"
#include "volumebackend.h"
#include "volumesmodel.h"
#include "shortcuts.h"

#include <QAction>
#include <QCheckBox>
#include <QDialog>
#include <QFormLayout>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QTableView>

namespace berth::ui {

using shortcuts::Command;
using shortcuts::key;

VolumesPage::VolumesPage(EngineClient* client, QWidget* parent)
    : ListPage(client,
               {QStringLiteral("volumesPage"), tr("Volumes"), tr("Filter volumes"), QStringLiteral("volumesTable"), tr("Volumes")},
               parent),
      m_model(new VolumesModel(this)) {
    m_create = addPageAction(QStringLiteral(":/icons/run.svg"), tr("Create…"), key(Command::Create), tr("Create a volume"));
    m_remove = addPageAction(QStringLiteral(":/icons/remove.svg"), tr("Remove"), key(Command::Remove), tr("Remove the selected volumes"));
    m_prune = addPageAction(QStringLiteral(":/icons/kill.svg"), tr("Prune…"), key(Command::Prune), tr("Remove volumes no container uses"));
    m_refresh = addPageAction(QStringLiteral(":/icons/refresh.svg"), tr("Refresh"), key(Command::Refresh), tr("Read the volume list again"));
    m_create->setObjectName(QStringLiteral("createVolumeAction"));
    m_remove->setObjectName(QStringLiteral("removeVolumeAction"));
    m_prune->setObjectName(QStringLiteral("pruneVolumesAction"));
    setToolbarActions({m_create, nullptr, m_remove, m_prune, nullptr, m_refresh});

    setListModel(m_model, VolumesModel::SortRole, 30);
    m_table->sortByColumn(VolumesModel::Name, Qt::AscendingOrder);
    m_table->setColumnWidth(VolumesModel::Name, 220);
    m_table->setColumnWidth(VolumesModel::Driver, 80);
    m_table->setColumnWidth(VolumesModel::UsedBy, 220);
    m_table->setColumnWidth(VolumesModel::Created, 140);
    setEmptyText(tr("No volumes yet.\nCreate one, or run a container with a volume (Run…, Ports, volumes and network)."));

    m_details = makeTextPane(QStringLiteral("volumeDetails"), tr("Volume details"));
    finishPage(m_details, QStringLiteral("volumesSplitter"), 300, 300);

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
}

QStringList VolumesPage::selectedNames() const { return selectedValues(VolumesModel::NameRole); }

void VolumesPage::selectVolume(const QString& name) { selectSourceRow(m_model->findRow(name)); }

void VolumesPage::fillContextMenu(QMenu& menu) {
    menu.addAction(m_create);
    menu.addSeparator();
    menu.addAction(m_remove);
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
            setSubtitle(tr("%n volume(s)", nullptr, total) + QStringLiteral(", ") + tr("%n unused", nullptr, unused));
            selectFirstRowIfNone();
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
    const QString head = r->userNames.isEmpty() ? tr("No container uses this volume.")
                                                 : tr("Used by: %1").arg(r->userNames.join(QStringLiteral(", ")));
    showInspectText(m_details, head, r->name, VolumesModel::NameRole, QStringLiteral("volumes.inspect"), &backend::inspectVolume);
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
            [this, name](const backend::VolumeRefusal& refused) {
                if (!refused.usedBy.isEmpty())
                    emit errorOccurred(tr("The volume %1 was not removed: %n container(s) use it: %2.", nullptr,
                                          int(refused.usedBy.size()))
                                           .arg(name, refused.usedBy.join(QStringLiteral(", "))),
                                       refused.reason);
                refresh();
            },
            [this, name](const Error& err) {
                emit errorOccurred(tr("The volume %1 could not be removed.").arg(name), QString::fromStdString(err.message()));
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
    layOutFormDialog(d, form, tr("C&reate"));
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
    if (!confirm(tr("Remove Volumes"), text)) return;
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
