#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace berth::ui {

namespace {
QTranslator* g_berth = nullptr;
QTranslator* g_qt = nullptr;
QString g_language;
} // namespace

bool Translations::install(const QLocale& locale) {
    for (QTranslator** t : {&g_berth, &g_qt}) {
        if (*t) {
            QCoreApplication::removeTranslator(*t);
            delete *t;
            *t = nullptr;
        }
    }
    g_language.clear();
    auto* berth = new QTranslator;
    bool ok = berth->load(locale, QStringLiteral("berth"), QStringLiteral("_"), QStringLiteral(":/i18n"));
    if (ok) {
        QCoreApplication::installTranslator(berth);
        g_berth = berth;
        g_language = berth->language();
    } else {
        delete berth;
    }
    auto* qt = new QTranslator;
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
        g_qt = qt;
    } else {
        delete qt;
    }
    return ok;
}

QString Translations::loadedLanguage() { return g_language; }

} // namespace berth::ui
