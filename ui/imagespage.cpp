#include "imagespage.h"

#include "pagewidgets.h"

#include "engineclient.h"
#include "eventsfollower.h"
#include "format.h"
#include "imagebackend.h"
#include "imagedetailsview.h"
#include "imagesmodel.h"
#include "pulldialog.h"
#include "builddialog.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolBar>

namespace berth::ui {

ImagesPage::ImagesPage(EngineClient* client, QWidget* parent)
    : QWidget(parent), m_client(client), m_model(new ImagesModel(this)), m_proxy(new QSortFilterProxyModel(this)) {
    setObjectName(QStringLiteral("imagesPage"));
    auto* title = new QLabel(tr("Images"), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    m_subtitle = new QLabel(this);
    m_subtitle->setObjectName(QStringLiteral("pageSubtitle"));

    auto action = [this](const QString& icon, const QString& text, const QKeySequence& key, const QString& tip) {
        return addPageAction(this, icon, text, key, tip);
    };
    m_pull = action(QStringLiteral(":/icons/pull.svg"), tr("Pull…"), QKeySequence(Qt::CTRL | Qt::Key_P), tr("Download an image from a registry"));
    m_build = action(QStringLiteral(":/icons/image.svg"), tr("Build…"), QKeySequence(Qt::CTRL | Qt::Key_B), tr("Build an image from a Dockerfile"));
    m_run = action(QStringLiteral(":/icons/run.svg"), tr("Run…"), QKeySequence(Qt::CTRL | Qt::Key_R), tr("Run a container from this image"));
    m_tag = action(QStringLiteral(":/icons/tag.svg"), tr("Tag…"), QKeySequence(Qt::CTRL | Qt::Key_T), tr("Give this image another name"));
    m_remove = action(QStringLiteral(":/icons/remove.svg"), tr("Remove"), QKeySequence::Delete, tr("Remove this image"));
    m_save = action(QStringLiteral(":/icons/save.svg"), tr("Save…"), QKeySequence(Qt::CTRL | Qt::Key_S), tr("Save this image to an archive"));
    m_load = action(QStringLiteral(":/icons/load.svg"), tr("Load…"), QKeySequence(Qt::CTRL | Qt::Key_O), tr("Load images from an archive"));
    m_refresh = action(QStringLiteral(":/icons/refresh.svg"), tr("Refresh"), QKeySequence::Refresh, tr("Read the image list again"));

    auto* toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setIconSize(QSize(18, 18));
    toolbar->addAction(m_pull);
    toolbar->addAction(m_build);
    toolbar->addAction(m_run);
    toolbar->addAction(m_tag);
    toolbar->addAction(m_remove);
    toolbar->addSeparator();
    toolbar->addAction(m_save);
    toolbar->addAction(m_load);
    toolbar->addSeparator();
    toolbar->addAction(m_refresh);
    m_filter = makeFilterEdit(tr("Filter images"), this);
    auto* header = makePageHeader(title, m_subtitle, m_filter);

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setSortRole(ImagesModel::SortRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("imagesTable"));
    m_table->setAccessibleName(tr("Images"));
    m_table->setModel(m_proxy);
    styleListTable(m_table, 30);
    m_table->sortByColumn(ImagesModel::Created, Qt::DescendingOrder);
    m_table->setColumnWidth(ImagesModel::Repository, 300);
    m_table->setColumnWidth(ImagesModel::Tag, 120);
    m_table->setColumnWidth(ImagesModel::Id, 140);
    m_table->setColumnWidth(ImagesModel::Created, 150);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);

    m_details = new ImageDetailsView(client, this);
    layOutListPage(this, header, toolbar, m_table, m_details, QStringLiteral("imagesSplitter"), 240, 440);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        const QString id = rows.size() == 1 ? rows.first().data(ImagesModel::IdRole).toString() : QString();
        if (id != m_details->currentImage()) m_details->showImage(id);
    });
    connect(m_table, &QTableView::doubleClicked, this, [this] { m_run->trigger(); });
    connect(m_table, &QTableView::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu menu(this);
        menu.addActions({m_run, m_tag, m_remove});
        menu.addSeparator();
        menu.addAction(m_save);
        menu.exec(m_table->viewport()->mapToGlobal(pos));
    });
    connect(m_run, &QAction::triggered, this, [this] {
        const QString ref = selectedReference();
        if (!ref.isEmpty()) emit runRequested(ref);
    });
    connect(m_pull, &QAction::triggered, this, [this] { openPullDialog(); });
    connect(m_build, &QAction::triggered, this, [this] { openBuildDialog(); });
    connect(m_tag, &QAction::triggered, this, &ImagesPage::tagImage);
    connect(m_remove, &QAction::triggered, this, &ImagesPage::removeImage);
    connect(m_save, &QAction::triggered, this, &ImagesPage::saveImage);
    connect(m_load, &QAction::triggered, this, &ImagesPage::loadImage);
    connect(m_refresh, &QAction::triggered, this, &ImagesPage::refresh);
    connect(client->events(), &EventsFollower::imagesChanged, this, &ImagesPage::refresh);
    updateActions();
}

QList<QAction*> ImagesPage::pageActions() const { return {m_pull, m_build, m_run, m_tag, m_remove, m_save, m_load, m_refresh}; }

PullDialog* ImagesPage::openPullDialog(const QString& reference) {
    if (!m_pullDialog) {
        m_pullDialog = new PullDialog(m_client, this);
        connect(m_pullDialog, &PullDialog::pulled, this, [this](const QString& name) {
            emit statusMessage(tr("Pulled %1").arg(name));
            refresh();
        });
    }
    if (!reference.isEmpty() && m_pullDialog->state() != PullDialog::State::Pulling)
        m_pullDialog->referenceEdit()->setText(reference);
    m_pullDialog->show();
    m_pullDialog->raise();
    m_pullDialog->activateWindow();
    m_pullDialog->referenceEdit()->setFocus();
    return m_pullDialog;
}

BuildDialog* ImagesPage::openBuildDialog() {
    if (!m_buildDialog) {
        m_buildDialog = new BuildDialog(m_client, this);
        connect(m_buildDialog, &BuildDialog::built, this, [this](const QString& id, const QString& name) {
            emit statusMessage(tr("Built %1").arg(name));
            selectImage(id);
        });
    }
    m_buildDialog->show();
    m_buildDialog->raise();
    m_buildDialog->activateWindow();
    return m_buildDialog;
}

void ImagesPage::selectImage(const QString& id) {
    // After a listing that has it: one already running may have started before the image
    // existed, so a few listings are watched before giving up.
    auto connection = std::make_shared<QMetaObject::Connection>();
    auto listings = std::make_shared<int>(0);
    *connection = connect(this, &ImagesPage::refreshed, this, [this, id, connection, listings] {
        for (int row = 0; row < m_proxy->rowCount(); ++row)
            if (m_proxy->index(row, 0).data(ImagesModel::IdRole).toString() == id) {
                disconnect(*connection);
                m_table->selectRow(row);
                m_table->scrollTo(m_proxy->index(row, 0));
                return;
            }
        if (++*listings >= 3) disconnect(*connection);
        else refresh();
    });
    refresh();
}

void ImagesPage::refresh() {
    m_client->submit(
        tr("Listing images"), QStringLiteral("images.list"), this,
        [](Engine& e, std::stop_token, const ProgressFn&) { return backend::listImages(e); },
        [this](QList<ImageRow> rows) {
            quint64 total = 0;
            QSet<QString> ids;
            for (const auto& r : rows)
                if (!ids.contains(r.id)) {
                    ids.insert(r.id);
                    total += r.size;
                }
            m_model->setRows(std::move(rows));
            m_subtitle->setText(tr("%n image(s), %1", nullptr, int(ids.size())).arg(format::bytes(total)));
            if (!m_table->selectionModel()->hasSelection() && m_proxy->rowCount() > 0) m_table->selectRow(0);
            updateActions();
            emit refreshed(int(ids.size()));
        },
        [this](const Error& err) {
            emit errorOccurred(tr("The list of images could not be read."), QString::fromStdString(err.message()));
        });
}

QString ImagesPage::selectedReference() const {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ImagesModel::ReferenceRole).toString();
}

void ImagesPage::updateActions() {
    const int n = int(m_table->selectionModel()->selectedRows().size());
    m_run->setEnabled(n == 1);
    m_tag->setEnabled(n == 1);
    m_remove->setEnabled(n >= 1);
    m_save->setEnabled(n >= 1);
}

void ImagesPage::tagImage() {
    const QString source = selectedReference();
    if (source.isEmpty()) return;
    bool ok = false;
    const QString target = QInputDialog::getText(this, tr("Tag Image"), tr("New name for %1 (name:tag):").arg(source),
                                                 QLineEdit::Normal, source, &ok).trimmed();
    if (!ok || target.isEmpty() || target == source) return;
    m_client->submit(
        tr("Tagging %1").arg(source), QString(), this,
        [source, target](Engine& e, std::stop_token, const ProgressFn&) { return backend::tagImage(e, source, target); },
        [this, target] {
            emit statusMessage(tr("Tagged as %1").arg(target));
            refresh();
        },
        [this, target](const Error& err) {
            emit errorOccurred(tr("The image could not be tagged as %1.").arg(target), QString::fromStdString(err.message()));
        });
}

void ImagesPage::removeImage() {
    QStringList refs;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows()) refs.append(i.data(ImagesModel::ReferenceRole).toString());
    if (refs.isEmpty()) return;
    const auto answer = QMessageBox::question(this, tr("Remove Images"),
                                              tr("Remove %n image(s)?", nullptr, int(refs.size())) + QStringLiteral("\n\n") +
                                                  refs.join(QLatin1Char('\n')),
                                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes) return;
    for (const QString& ref : refs) {
        m_client->submit(
            tr("Removing %1").arg(ref), QString(), this,
            [ref](Engine& e, std::stop_token, const ProgressFn&) { return backend::removeImage(e, ref, false); },
            [this, ref](QStringList) {
                emit statusMessage(tr("Removed %1").arg(ref));
                refresh();
            },
            [this, ref](const Error& err) {
                emit errorOccurred(tr("The image %1 could not be removed.").arg(ref), QString::fromStdString(err.message()));
            });
    }
}

void ImagesPage::saveImage() {
    QStringList refs;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows()) refs.append(i.data(ImagesModel::ReferenceRole).toString());
    if (refs.isEmpty()) return;
    QString suggested = refs.first();
    suggested.replace(QLatin1Char('/'), QLatin1Char('_')).replace(QLatin1Char(':'), QLatin1Char('_'));
    const QString file = QFileDialog::getSaveFileName(this, tr("Save Image"), QDir::home().filePath(suggested + QStringLiteral(".tar")),
                                                      tr("Image archives (*.tar);;All files (*)"));
    if (file.isEmpty()) return;
    m_client->submit(
        tr("Saving %1").arg(refs.join(QStringLiteral(", "))), QString(), this,
        [refs, file](Engine& e, std::stop_token, const ProgressFn& progress) {
            return backend::saveImages(e, refs, file, [progress](const std::string& s) { progress(-1, s); });
        },
        [this, file] { emit statusMessage(tr("Saved to %1").arg(file)); },
        [this, file](const Error& err) {
            emit errorOccurred(tr("The image could not be saved to %1.").arg(file), QString::fromStdString(err.message()));
        });
}

void ImagesPage::loadImage() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Load Images"), QDir::homePath(),
                                                      tr("Image archives (*.tar *.tar.gz *.tgz *.tar.zst);;All files (*)"));
    if (file.isEmpty()) return;
    m_client->submit(
        tr("Loading %1").arg(QFileInfo(file).fileName()), QString(), this,
        [file](Engine& e, std::stop_token stop, const ProgressFn& progress) {
            return backend::loadImages(e, file, stop, [progress](const std::string& s) { progress(-1, s); });
        },
        [this](QStringList names) {
            emit statusMessage(tr("Loaded %1").arg(names.join(QStringLiteral(", "))));
            refresh();
        },
        [this, file](const Error& err) {
            emit errorOccurred(tr("The images in %1 could not be loaded.").arg(QFileInfo(file).fileName()),
                               QString::fromStdString(err.message()));
        });
}

} // namespace berth::ui
