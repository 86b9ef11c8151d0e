#pragma once
// ImagesPage: the store's images (repository, tag, id, created, size) with a filter, and
// the actions Pull, Run, Tag, Remove, Save and Load, each through EngineClient; the selected
// image's details below. Refreshes itself when the events journal says images changed.

#include "listpage.h"

#include <functional>

class QAction;

namespace berth::ui {

class EngineClient;
class ImageDetailsView;
class ImagesModel;
class BuildDialog;
class PullDialog;

class ImagesPage : public ListPage {
    Q_OBJECT
public:
    ImagesPage(EngineClient* client, QWidget* parent = nullptr);

    ImagesModel* model() const { return m_model; }
    ImageDetailsView* details() const { return m_details; }
    QList<QAction*> pageActions() const;
    void refresh();
    // The selected image's reference (name:tag, or id for an untagged one).
    QString selectedReference() const;
    // The Pull… dialog (created on first use), shown with `reference` filled in when given.
    PullDialog* openPullDialog(const QString& reference = {});
    PullDialog* pullDialog() const { return m_pullDialog; }
    QAction* pullAction() const { return m_pull; }
    // The Build… dialog (created on first use); a finished build selects the new image.
    BuildDialog* openBuildDialog();
    BuildDialog* buildDialog() const { return m_buildDialog; }
    QAction* buildAction() const { return m_build; }
    // Selects (and so opens in the details view) the image with this id, once listed.
    void selectImage(const QString& id);
    // Removes `refs` (no question asked). An image a container uses is refused unless
    // forced; the refusal offers Force Remove (askForce) and removes it again with force.
    void removeImages(const QStringList& refs, bool force = false);
    // Tests answer the Force question: (sentence, reason) -> force?
    void setForceAsker(std::function<bool(const QString&, const QString&)> ask) { m_askForce = std::move(ask); }

signals:
    void refreshed(int imageCount);
    void runRequested(const QString& image);

private:
    void updateActions() override;
    void showTotalSize(int images);
    void showDetails() override;
    void fillContextMenu(QMenu& menu) override;
    void tagImage();
    void removeImage();
    bool askForce(const QString& sentence, const QString& reason);
    void saveImage();
    void loadImage();

    ImagesModel* m_model;
    ImageDetailsView* m_details;
    PullDialog* m_pullDialog = nullptr;
    BuildDialog* m_buildDialog = nullptr;
    QAction* m_pull;
    QAction* m_build;
    QAction* m_run;
    QAction* m_tag;
    QAction* m_remove;
    QAction* m_save;
    QAction* m_load;
    QAction* m_refresh;
    std::function<bool(const QString&, const QString&)> m_askForce;
};

} // namespace berth::ui
