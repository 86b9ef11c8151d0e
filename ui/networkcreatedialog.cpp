#include "networkcreatedialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace berth::ui {

NetworkCreateDialog::NetworkCreateDialog(QWidget* parent) : QDialog(parent) {
    setObjectName(QStringLiteral("networkCreateDialog"));
    setWindowTitle(tr("Create a Network"));
    auto* form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("networkName"));
    m_subnet = new QLineEdit(this);
    m_subnet->setObjectName(QStringLiteral("networkSubnet"));
    m_subnet->setPlaceholderText(tr("e.g. 10.88.0.0/24; the next free one when empty"));
    m_gateway = new QLineEdit(this);
    m_gateway->setObjectName(QStringLiteral("networkGateway"));
    m_gateway->setPlaceholderText(tr("the subnet's first address when empty"));
    m_internal = new QCheckBox(tr("Internal (no traffic leaves the network)"), this);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Subnet:"), m_subnet);
    form->addRow(tr("&Gateway:"), m_gateway);
    form->addRow(QString(), m_internal);
    m_refusal = new QLabel(this);
    m_refusal->setObjectName(QStringLiteral("networkRefusal"));
    m_refusal->setWordWrap(true);
    m_refusal->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_refusal->setStyleSheet(QStringLiteral("color: #d73a49;"));
    m_refusal->hide();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("C&reate"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] { emit createRequested(request()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &NetworkCreateDialog::updateOk);
    auto* v = new QVBoxLayout(this);
    v->addLayout(form);
    v->addWidget(m_refusal);
    v->addWidget(buttons);
    updateOk();
}

backend::NetworkCreateRequest NetworkCreateDialog::request() const {
    backend::NetworkCreateRequest req;
    req.name = m_name->text().trimmed();
    req.subnet = m_subnet->text().trimmed();
    req.gateway = m_gateway->text().trimmed();
    req.internal = m_internal->isChecked();
    return req;
}

void NetworkCreateDialog::setRequest(const backend::NetworkCreateRequest& request) {
    m_name->setText(request.name);
    m_subnet->setText(request.subnet);
    m_gateway->setText(request.gateway);
    m_internal->setChecked(request.internal);
}

void NetworkCreateDialog::setBusy(bool busy) {
    m_busy = busy;
    for (QWidget* w : std::initializer_list<QWidget*>{m_name, m_subnet, m_gateway, m_internal}) w->setEnabled(!busy);
    updateOk();
}

void NetworkCreateDialog::showRefusal(const QString& sentence, const QString& reason) {
    m_refusal->setText(reason.isEmpty() ? sentence : sentence + QLatin1Char('\n') + reason);
    m_refusal->show();
    setBusy(false);
}

QString NetworkCreateDialog::refusalText() const { return m_refusal->isVisible() ? m_refusal->text() : QString(); }

void NetworkCreateDialog::updateOk() { m_ok->setEnabled(!m_busy && !m_name->text().trimmed().isEmpty()); }

} // namespace berth::ui
