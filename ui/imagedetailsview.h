#pragma once
// ImageDetailsView: the lower half of the Images page: Overview (the config: command,
// entrypoint, env, ports, labels...), Layers (sizes as bars), History (created by), and
// Files (the merged file system, with the layer that added, changed or deleted each path).

#include "snapshots.h"

#include <QTabWidget>

class QFormLayout;
class QLabel;
class QTableView;
class QTreeView;
class QLineEdit;
class QSortFilterProxyModel;

namespace berth::ui {

class EngineClient;
class HistoryModel;
class ImageFilesModel;
class LayersModel;

class ImageDetailsView : public QTabWidget {
    Q_OBJECT
public:
    ImageDetailsView(EngineClient* client, QWidget* parent = nullptr);

    // Loads the details of an image (by id or name) on a worker; empty clears.
    void showImage(const QString& ref);
    QString currentImage() const { return m_ref; }
    LayersModel* layersModel() const { return m_layers; }
    HistoryModel* historyModel() const { return m_history; }
    ImageFilesModel* filesModel() const { return m_files; }

signals:
    void detailsLoaded(const QString& id);
    void filesLoaded(const QString& id);

private:
    void setDetails(const ImageDetails& d);
    void loadFiles();
    QWidget* buildOverview();
    QWidget* buildFiles();

    EngineClient* m_client;
    QString m_ref;
    LayersModel* m_layers;
    HistoryModel* m_history;
    ImageFilesModel* m_files;
    QSortFilterProxyModel* m_filesProxy;
    QTableView* m_layersView;
    QTableView* m_historyView;
    QTreeView* m_filesView;
    QLabel* m_filesStatus;
    QLineEdit* m_filesFilter;
    QFormLayout* m_form;
    QLabel* m_fields[12] = {};
};

} // namespace berth::ui
