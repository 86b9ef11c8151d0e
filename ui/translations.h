#pragma once
// The user interface language. Berth's own translation (embedded as :/i18n/berth_xx.qm) and
// Qt's (qtbase_xx.qm, when installed) sit behind one recording translator that stays
// installed for the whole run: it remembers which source text each shown string came from,
// so that a language switch at run time can retranslate every string already on screen
// (retranslateTree) without each widget keeping its own copy of its source texts.
//
// Language codes: "system" (the locale's), "en", "de", "fr"; stored in QSettings under
// "ui/language".

#include <QLocale>
#include <QStringList>

class QObject;
class QWidget;

namespace berth::ui {

class Translations {
public:
    // Loads the translation for `locale` and sends LanguageChange to every window. Returns
    // true when Berth has a translation for it (English needs none).
    static bool install(const QLocale& locale);
    // "system", "en", "de" or "fr"; anything else means "system".
    static bool setLanguage(const QString& code);
    static QString languageSetting();              // from QSettings, "system" by default
    static void saveLanguageSetting(const QString& code);
    static QStringList languageCodes() { return {QStringLiteral("system"), QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")}; }
    static QString loadedLanguage();
    // Translates `shown` (a string an earlier translation produced) into the current
    // language; returns it unchanged when its source is not known.
    static QString retranslated(const QString& shown);
    // Retranslates the texts of `root` and its descendants: labels, buttons, actions, tool
    // tips, placeholders, accessible names, window titles, list and combo items, tab texts,
    // chart titles; table headers are asked to repaint (models translate them when asked).
    static void retranslateTree(QWidget* root);
};

} // namespace berth::ui
