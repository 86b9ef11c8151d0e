#include "rundialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace berth::ui {

RunDialog::RunDialog(const QStringList& images, const QString& image, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Run a Container"));
    setObjectName(QStringLiteral("runDialog"));
    auto* tabs = new QTabWidget(this);

    auto* general = new QWidget(tabs);
    auto* g = new QFormLayout(general);
    m_image = new QComboBox(general);
    m_image->setEditable(true);
    m_image->addItems(images);
    m_image->setCurrentText(image);
    m_image->setAccessibleName(tr("Image"));
    m_name = new QLineEdit(general);
    m_name->setPlaceholderText(tr("chosen at random when empty"));
    m_command = new QLineEdit(general);
    m_command->setPlaceholderText(tr("the image's default command when empty"));
    m_entrypoint = new QLineEdit(general);
    m_entrypoint->setPlaceholderText(tr("the image's entrypoint when empty"));
    m_ports = new QLineEdit(general);
    m_ports->setPlaceholderText(tr("e.g. 8080:80, 127.0.0.1:5353:53/udp"));
    m_env = new QPlainTextEdit(general);
    m_env->setPlaceholderText(tr("One KEY=value per line"));
    m_env->setFixedHeight(80);
    g->addRow(tr("&Image:"), m_image);
    g->addRow(tr("&Name:"), m_name);
    g->addRow(tr("&Command:"), m_command);
    g->addRow(tr("&Entrypoint:"), m_entrypoint);
    g->addRow(tr("&Ports:"), m_ports);
    g->addRow(tr("En&vironment:"), m_env);
    tabs->addTab(general, tr("General"));

    auto* advanced = new QWidget(tabs);
    auto* a = new QFormLayout(advanced);
    m_workdir = new QLineEdit(advanced);
    m_user = new QLineEdit(advanced);
    m_user->setPlaceholderText(tr("uid[:gid] or a user name of the image"));
    m_hostname = new QLineEdit(advanced);
    m_memory = new QLineEdit(advanced);
    m_memory->setPlaceholderText(tr("e.g. 256m or 1g; unlimited when empty"));
    m_cpus = new QLineEdit(advanced);
    m_cpus->setPlaceholderText(tr("e.g. 0.5 or 2; unlimited when empty"));
    m_pids = new QSpinBox(advanced);
    m_pids->setRange(0, 1000000);
    m_pids->setSpecialValueText(tr("unlimited"));
    m_restart = new QComboBox(advanced);
    m_restart->addItem(tr("Never"), QStringLiteral("no"));
    m_restart->addItem(tr("On failure"), QStringLiteral("on-failure"));
    m_restart->addItem(tr("Always"), QStringLiteral("always"));
    m_restart->addItem(tr("Unless stopped"), QStringLiteral("unless-stopped"));
    m_readOnly = new QCheckBox(tr("Read-only root file system"), advanced);
    m_privileged = new QCheckBox(tr("Privileged (all capabilities, no seccomp)"), advanced);
    m_remove = new QCheckBox(tr("Remove the container when it exits"), advanced);
    a->addRow(tr("&Working directory:"), m_workdir);
    a->addRow(tr("&User:"), m_user);
    a->addRow(tr("&Hostname:"), m_hostname);
    a->addRow(tr("&Memory limit:"), m_memory);
    a->addRow(tr("C&PU limit:"), m_cpus);
    a->addRow(tr("Process &limit:"), m_pids);
    a->addRow(tr("&Restart policy:"), m_restart);
    a->addRow(QString(), m_readOnly);
    a->addRow(QString(), m_privileged);
    a->addRow(QString(), m_remove);
    tabs->addTab(advanced, tr("Resources and security"));

    m_start = new QCheckBox(tr("Start the container now"), this);
    m_start->setChecked(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Run"));
    connect(m_start, &QCheckBox::toggled, this, [buttons](bool on) {
        buttons->button(QDialogButtonBox::Ok)->setText(on ? tr("&Run") : tr("C&reate"));
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_image, &QComboBox::currentTextChanged, this,
            [buttons](const QString& t) { buttons->button(QDialogButtonBox::Ok)->setEnabled(!t.trimmed().isEmpty()); });
    buttons->button(QDialogButtonBox::Ok)->setEnabled(!image.trimmed().isEmpty() || !images.isEmpty());

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(m_start);
    layout->addWidget(buttons);
    resize(560, 420);
}

QStringList RunDialog::splitCommand(const QString& text) {
    QStringList out;
    QString cur;
    bool inWord = false;
    QChar quote;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (!quote.isNull()) {
            if (c == quote) quote = QChar();
            else if (c == QLatin1Char('\\') && quote == QLatin1Char('"') && i + 1 < text.size()) cur += text[++i];
            else cur += c;
        } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            quote = c;
            inWord = true;
        } else if (c == QLatin1Char('\\') && i + 1 < text.size()) {
            cur += text[++i];
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord) out.append(cur);
            cur.clear();
            inWord = false;
        } else {
            cur += c;
            inWord = true;
        }
    }
    if (inWord) out.append(cur);
    return out;
}

backend::RunOptions RunDialog::options() const {
    backend::RunOptions o;
    o.image = m_image->currentText().trimmed();
    o.name = m_name->text().trimmed();
    o.command = splitCommand(m_command->text());
    o.entrypoint = m_entrypoint->text().trimmed();
    for (const QString& line : m_env->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (!line.trimmed().isEmpty()) o.env.append(line.trimmed());
    for (const QString& p : m_ports->text().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts)) o.publish.append(p);
    o.workdir = m_workdir->text().trimmed();
    o.user = m_user->text().trimmed();
    o.hostname = m_hostname->text().trimmed();
    o.memory = m_memory->text().trimmed();
    o.cpus = m_cpus->text().trimmed();
    o.pidsLimit = m_pids->value();
    o.restartPolicy = m_restart->currentData().toString();
    o.readOnly = m_readOnly->isChecked();
    o.privileged = m_privileged->isChecked();
    o.remove = m_remove->isChecked();
    o.start = m_start->isChecked();
    return o;
}

} // namespace berth::ui
