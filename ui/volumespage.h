#pragma once
// VolumesPage: the store's volumes with the containers using each; Create…, Remove and
// Prune… (anonymous unused volumes, or every unused one); the selected volume's users and
// its inspect JSON below. Follows the events journal (volume and container events), so
// what the CLI does shows up at once.

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;

namespace berth::ui {

class EngineClient;
class VolumesModel;

class VolumesPage : public QWidget {
    Q_OBJECT
public:
    explicit VolumesPage(EngineClient* client, QWidget* parent = nullptr);

    VolumesModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
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
    void errorOccurred(const QString& sentence, const QString& detail);
    void statusMessage(const QString& text);

private:
    void updateActions();
    void showDetails();
    void askCreate();
    void askRemove();
    void askPrune();

    EngineClient* m_client;
    VolumesModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QPlainTextEdit* m_details;
    QLabel* m_subtitle;
    QLabel* m_empty;
    QLineEdit* m_filter;
    QAction* m_create;
    QAction* m_remove;
    QAction* m_prune;
    QAction* m_refresh;
};

} // namespace berth::ui
