#pragma once
// NetworkCreateDialog: the Networks page's Create… form. It stays open while the engine
// creates the network: a refusal (a subnet already taken, a bad gateway…) is shown in the
// dialog with everything the user typed still there to correct; it closes on success.

#include "networkbackend.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace berth::ui {

class NetworkCreateDialog : public QDialog {
    Q_OBJECT
public:
    explicit NetworkCreateDialog(QWidget* parent = nullptr);

    backend::NetworkCreateRequest request() const;
    void setRequest(const backend::NetworkCreateRequest& request);
    // While the engine works: the fields and Create are disabled.
    void setBusy(bool busy);
    // The engine refused: the sentence and reason in the dialog, the fields kept and editable.
    void showRefusal(const QString& sentence, const QString& reason);
    QString refusalText() const;

signals:
    void createRequested(const berth::ui::backend::NetworkCreateRequest& request);

private:
    void updateOk();

    QLineEdit* m_name;
    QLineEdit* m_subnet;
    QLineEdit* m_gateway;
    QCheckBox* m_internal;
    QLabel* m_refusal;
    QPushButton* m_ok;
    bool m_busy = false;
};

} // namespace berth::ui
