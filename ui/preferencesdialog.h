#pragma once
// PreferencesDialog: the user's settings that are not window layout: the interface language
// (System, English, Deutsch, Français: applied at once, remembered in QSettings) and the
// stats sampling interval.

#include <QDialog>

class QComboBox;
class QLabel;
class QSpinBox;

namespace berth::ui {

class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(int statsIntervalMs, QWidget* parent = nullptr);

    QComboBox* languageBox() const { return m_language; }
    QSpinBox* intervalBox() const { return m_interval; }
    QString languageCode() const;
    int statsIntervalMs() const;

signals:
    // Emitted as soon as the user picks a language (it applies without closing the dialog).
    void languageChosen(const QString& code);

protected:
    void changeEvent(QEvent* e) override;

private:
    void retranslate();

    QComboBox* m_language;
    QSpinBox* m_interval;
    QLabel* m_languageLabel;
    QLabel* m_intervalLabel;
};

} // namespace berth::ui
