#pragma once
// NetworksPage: the store's networks (built-in bridge, host, none and user networks) with
// the containers attached and their addresses; Create…, Remove and Prune; the selected
// network's inspect JSON below. Follows the events journal (network and container events).

#include "listpage.h"

class QAction;
class QPlainTextEdit;

namespace berth::ui {

class EngineClient;
class NetworkCreateDialog;
class NetworksModel;
namespace backend {
struct NetworkCreateRequest;
}

class NetworksPage : public ListPage {
    Q_OBJECT
public:
    explicit NetworksPage(EngineClient* client, QWidget* parent = nullptr);

    NetworksModel* model() const { return m_model; }
    QPlainTextEdit* details() const { return m_details; }
    QAction* createAction() const { return m_create; }
    QAction* removeAction() const { return m_remove; }
    void refresh();
    void selectNetwork(const QString& name);
    QStringList selectedNames() const;
    // With `dialog`, a refusal is shown in it (and it closes on success); without, as an error.
    void createNetwork(const backend::NetworkCreateRequest& request, NetworkCreateDialog* dialog = nullptr);
    // Opens the Create… form (window-modal; deleted when closed).
    NetworkCreateDialog* askCreate();
    void removeNetworks(const QStringList& names);
    void pruneNetworks();

signals:
    void refreshed(int total);

private:
    void updateActions() override;
    void showDetails() override;
    void fillContextMenu(QMenu& menu) override;
    void askRemove();
    void askPrune();

    NetworksModel* m_model;
    QPlainTextEdit* m_details;
    QAction* m_create;
    QAction* m_remove;
    QAction* m_prune;
    QAction* m_refresh;
};

} // namespace berth::ui
