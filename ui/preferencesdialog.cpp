#include "preferencesdialog.h"

#include "translations.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace berth::ui {

PreferencesDialog::PreferencesDialog(int statsIntervalMs, QWidget* parent) : QDialog(parent) {
    setObjectName(QStringLiteral("preferencesDialog"));
    m_language = new QComboBox(this);
    m_language->setObjectName(QStringLiteral("languageBox"));
    // Languages are named in themselves (a user who cannot read the current one still finds
    // theirs); only "System" is translated.
    m_language->addItem(QString(), QStringLiteral("system"));
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->addItem(QStringLiteral("Français"), QStringLiteral("fr"));
    m_language->setCurrentIndex(qMax(0, m_language->findData(Translations::languageSetting())));
    m_interval = new QSpinBox(this);
    m_interval->setObjectName(QStringLiteral("statsIntervalBox"));
    m_interval->setRange(250, 60000);
    m_interval->setSingleStep(250);
    m_interval->setValue(statsIntervalMs);
    m_languageLabel = new QLabel(this);
    m_languageLabel->setBuddy(m_language);
    m_intervalLabel = new QLabel(this);
    m_intervalLabel->setBuddy(m_interval);
    auto* form = new QFormLayout;
    form->addRow(m_languageLabel, m_language);
    form->addRow(m_intervalLabel, m_interval);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(m_language, &QComboBox::currentIndexChanged, this, [this] { emit languageChosen(languageCode()); });
    retranslate();
}

QString PreferencesDialog::languageCode() const { return m_language->currentData().toString(); }

int PreferencesDialog::statsIntervalMs() const { return m_interval->value(); }

void PreferencesDialog::retranslate() {
    setWindowTitle(tr("Preferences"));
    m_language->setItemText(0, tr("System language"));
    m_language->setAccessibleName(tr("Language"));
    m_languageLabel->setText(tr("&Language:"));
    m_intervalLabel->setText(tr("&Stats interval:"));
    m_interval->setSuffix(tr(" ms"));
    m_interval->setAccessibleName(tr("Stats sampling interval in milliseconds"));
}

void PreferencesDialog::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) retranslate();
    QDialog::changeEvent(e);
}

} // namespace berth::ui
