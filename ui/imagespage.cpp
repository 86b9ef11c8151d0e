#include "imagespage.h"

#include "engineclient.h"
#include "eventsfollower.h"
#include "format.h"
#include "imagebackend.h"
#include "imagedetailsview.h"
#include "imagesmodel.h"
#include "pulldialog.h"
#include "builddialog.h"
#include "shortcuts.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>

namespace berth::ui {

using shortcuts::Command;
using shortcuts::key;

ImagesPage::ImagesPage(EngineClient* client, QWidget* parent)
    : ListPage(client,
               {QStringLiteral("imagesPage"), tr("Images"), tr("Filter images"), QStringLiteral("imagesTable"), tr("Images")},
               parent),
      m_model(new ImagesModel(this)) {
    auto action = [this](const QString& icon, const QString& text, const QKeySequence& key, const QString& tip) {
        return addPageAction(icon, text, key, tip);
    };
    m_pull = action(QStringLiteral(":/icons/pull.svg"), tr("Pull…"), key(Command::Pull), tr("Download an image from a registry"));
    m_build = action(QStringLiteral(":/icons/image.svg"), tr("Build…"), key(Command::Build), tr("Build an image from a Dockerfile"));
    m_run = action(QStringLiteral(":/icons/run.svg"), tr("Run…"), key(Command::Run), tr("Run a container from this image"));
    m_tag = action(QStringLiteral(":/icons/tag.svg"), tr("Tag…"), key(Command::Tag), tr("Give this image another name"));
    m_remove = action(QStringLiteral(":/icons/remove.svg"), tr("Remove"), key(Command::Remove), tr("Remove this image"));
    m_save = action(QStringLiteral(":/icons/save.svg"), tr("Save…"), key(Command::Save), tr("Save this image to an archive"));
    m_load = action(QStringLiteral(":/icons/load.svg"), tr("Load…"), key(Command::Load), tr("Load images from an archive"));
    m_refresh = action(QStringLiteral(":/icons/refresh.svg"), tr("Refresh"), key(Command::Refresh), tr("Read the image list again"));
    setToolbarActions({m_pull, m_build, m_run, m_tag, m_remove, nullptr, m_save, m_load, nullptr, m_refresh});

    setListModel(m_model, ImagesModel::SortRole, 30);
    m_table->sortByColumn(ImagesModel::Created, Qt::DescendingOrder);
    m_table->setColumnWidth(ImagesModel::Repository, 300);
    m_table->setColumnWidth(ImagesModel::Tag, 120);
    m_table->setColumnWidth(ImagesModel::Id, 140);
    m_table->setColumnWidth(ImagesModel::Created, 150);

    m_details = new ImageDetailsView(client, this);
    finishPage(m_details, QStringLiteral("imagesSplitter"), 400, 280);

    connect(m_table, &QTableView::doubleClicked, this, [this] { m_run->trigger(); });
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
}

void ImagesPage::showDetails() {
    const QStringList ids = selectedValues(ImagesModel::IdRole);
    const QString id = ids.size() == 1 ? ids.first() : QString();
    if (id != m_details->currentImage()) m_details->showImage(id);
}

void ImagesPage::fillContextMenu(QMenu& menu) {
    menu.addActions({m_run, m_tag, m_remove});
    menu.addSeparator();
    menu.addAction(m_save);
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
            QSet<QString> ids;
            for (const auto& r : rows) ids.insert(r.id);
            m_model->setRows(std::move(rows));
            showTotalSize(int(ids.size()));
            selectFirstRowIfNone();
            updateActions();
            emit refreshed(int(ids.size()));
        },
        [this](const Error& err) {
            emit errorOccurred(tr("The list of images could not be read."), QString::fromStdString(err.message()));
        });
}

void ImagesPage::showTotalSize(int images) {
    // The engine's figure, the one `berth system df` prints: layers shared by several
    // images count once (a sum of the images' sizes counts them once per image).
    m_client->submit(
        QString(), QStringLiteral("images.diskUsage"), this,
        [](Engine& e, std::stop_token, const ProgressFn&) { return e.images().diskUsage(); },
        [this, images](ImageDiskUsage usage) {
            setSubtitle(tr("%n image(s), %1", nullptr, images).arg(format::bytes(usage.size)));
        },
        [this, images](const Error&) { setSubtitle(tr("%n image(s)", nullptr, images)); });
}

QString ImagesPage::selectedReference() const { return selectedValues(ImagesModel::ReferenceRole).value(0); }

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
    const QStringList refs = selectedValues(ImagesModel::ReferenceRole);
    if (refs.isEmpty()) return;
    if (!confirm(tr("Remove Images"),
                 tr("Remove %n image(s)?", nullptr, int(refs.size())) + QStringLiteral("\n\n") + refs.join(QLatin1Char('\n'))))
        return;
    removeImages(refs);
}

// docker's refusals that --force overrides ("must force", "must be forced"); "cannot be
// forced" (an image id a container runs from) is not one of them.
static bool forceWouldHelp(const Error& err) {
    const std::string& m = err.message();
    return err.code() == Errc::Conflict && (m.find("must force") != std::string::npos || m.find("must be forced") != std::string::npos);
}

void ImagesPage::removeImages(const QStringList& refs, bool force) {
    for (const QString& ref : refs) {
        m_client->submit(
            tr("Removing %1").arg(ref), QString(), this,
            [ref, force](Engine& e, std::stop_token, const ProgressFn&) { return backend::removeImage(e, ref, force); },
            [this, ref](QStringList) {
                emit statusMessage(tr("Removed %1").arg(ref));
                refresh();
            },
            [this, ref, force](const Error& err) {
                const QString sentence = tr("The image %1 could not be removed.").arg(ref);
                const QString reason = QString::fromStdString(err.message());
                if (force || !forceWouldHelp(err)) {
                    emit errorOccurred(sentence, reason);
                    return;
                }
                if (m_askForce ? m_askForce(sentence, reason) : askForce(sentence, reason)) removeImages({ref}, true);
            });
    }
}

bool ImagesPage::askForce(const QString& sentence, const QString& reason) {
    QMessageBox box(QMessageBox::Warning, tr("Remove Images"), sentence, QMessageBox::NoButton, this);
    box.setInformativeText(reason + QStringLiteral("\n\n") +
                           tr("Force Remove removes the image's name anyway; the containers made from it keep running "
                              "and keep its layers until they are removed."));
    box.setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPushButton* force = box.addButton(tr("&Force Remove"), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == force;
}

void ImagesPage::saveImage() {
    const QStringList refs = selectedValues(ImagesModel::ReferenceRole);
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
