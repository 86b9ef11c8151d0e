#pragma once
// Loads the user interface language: Berth's own translation (embedded as :/i18n/berth_xx.qm)
// and Qt's (qtbase_xx.qm) when installed, for the given locale. Switching at run time
// removes the previous translators first.

#include <QLocale>

class QTranslator;

namespace berth::ui {

class Translations {
public:
    // Returns true when Berth has a translation for the locale (English needs none).
    static bool install(const QLocale& locale);
    static QString loadedLanguage();
};

} // namespace berth::ui
