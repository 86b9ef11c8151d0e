#pragma once
// NetworksPage: the store's networks (built-in bridge, host, none and user networks) with
// the containers attached and their addresses; Create…, Remove and Prune; the selected
// network's inspect JSON below. Follows the events journal (network and container events).

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;

namespace berth::ui {

class EngineClient;
class NetworksModel;
namespace backend {
struct NetworkCreateRequest;
}

class NetworksPage : public QWidget {
    Q_OBJECT
public:
    explicit NetworksPage(EngineClient* client, QWidget* parent = nullptr);

    NetworksModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QPlainTextEdit* details() const { return m_details; }
    QAction* createAction() const { return m_create; }
    QAction* removeAction() const { return m_remove; }
    void refresh();
    void selectNetwork(const QString& name);
    QStringList selectedNames() const;
    void createNetwork(const backend::NetworkCreateRequest& request);
    void removeNetworks(const QStringList& names);
    void pruneNetworks();

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
    NetworksModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QPlainTextEdit* m_details;
    QLabel* m_subtitle;
    QLineEdit* m_filter;
    QAction* m_create;
    QAction* m_remove;
    QAction* m_prune;
    QAction* m_refresh;
};

} // namespace berth::ui
