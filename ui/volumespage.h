#pragma once
// VolumesPage: the store's volumes with the containers using each; Create…, Remove and
// Prune… (anonymous unused volumes, or every unused one); the selected volume's users and
// its inspect JSON below. Follows the events journal (volume and container events), so
// what the CLI does shows up at once.

#include "listpage.h"

class QAction;
class QPlainTextEdit;

namespace berth::ui {

class EngineClient;
class VolumesModel;

class VolumesPage : public ListPage {
    Q_OBJECT
public:
    explicit VolumesPage(EngineClient* client, QWidget* parent = nullptr);

    VolumesModel* model() const { return m_model; }
    QPlainTextEdit* details() const { return m_details; }
    QAction* createAction() const { return m_create; }
    QAction* removeAction() const { return m_remove; }
    QAction* pruneAction() const { return m_prune; }
    void refresh();
    void selectVolume(const QString& name);
    QStringList selectedNames() const;
    // Without dialogs (tests, and what the dialogs call).
    void createVolume(const QString& name, const QStringList& labels);
    void removeVolumes(const QStringList& names);
    void pruneVolumes(bool all);

signals:
    void refreshed(int total);

private:
    void updateActions() override;
    void showDetails() override;
    void fillContextMenu(QMenu& menu) override;
    void askCreate();
    void askRemove();
    void askPrune();

    VolumesModel* m_model;
    QPlainTextEdit* m_details;
    QAction* m_create;
    QAction* m_remove;
    QAction* m_prune;
    QAction* m_refresh;
};

} // namespace berth::ui
