#include "translations.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractProxyModel>
#include <QAction>
#include <QApplication>
#include <QChartView>
#include <QComboBox>
#include <QGroupBox>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QToolButton>
#include <QAbstractSeries>
#include <QTranslator>
#include <QAbstractAxis>

namespace berth::ui {

namespace {

struct Source {
    QByteArray context, text, disambiguation;
    int n = -1;
};

// The one installed translator: asks Berth's and Qt's translations (held, not installed) and
// remembers, for every string it hands out, where it came from.
class RecordingTranslator : public QTranslator {
public:
    QTranslator* berth = nullptr;
    QTranslator* qt = nullptr;
    mutable QHash<QString, Source> sources;

    ~RecordingTranslator() override {
        delete berth;
        delete qt;
    }
    bool isEmpty() const override { return false; }
    QString translate(const char* context, const char* sourceText, const char* disambiguation, int n) const override {
        if (!sourceText) return {};
        QString out;
        if (berth) out = berth->translate(context, sourceText, disambiguation, n);
        if (out.isEmpty() && qt) out = qt->translate(context, sourceText, disambiguation, n);
        // Plural forms (%n) are shown with the number filled in: those cannot be looked up
        // by their shown text, and their owners refresh them anyway.
        if (n < 0 || !QByteArray(sourceText).contains("%n")) {
            const QString shown = out.isEmpty() ? QString::fromUtf8(sourceText) : out;
            if (!sources.contains(shown))
                sources.insert(shown, Source{QByteArray(context), QByteArray(sourceText),
                                             QByteArray(disambiguation), n});
        }
        return out;
    }
};

RecordingTranslator* g_recorder = nullptr;
QString g_language;

QLocale localeFor(const QString& code) {
    if (code == QLatin1String("en")) return QLocale(QLocale::English, QLocale::UnitedStates);
    if (code == QLatin1String("de")) return QLocale(QLocale::German, QLocale::Germany);
    if (code == QLatin1String("fr")) return QLocale(QLocale::French, QLocale::France);
    return QLocale::system();
}

} // namespace

bool Translations::install(const QLocale& locale) {
    auto* fresh = new RecordingTranslator;
    auto* berth = new QTranslator;
    bool ok = berth->load(locale, QStringLiteral("berth"), QStringLiteral("_"), QStringLiteral(":/i18n"));
    g_language.clear();
    if (ok) {
        fresh->berth = berth;
        g_language = berth->language();
    } else if (berth->load(QStringLiteral("berth_en"), QStringLiteral(":/i18n"))) {
        // No translation of ours for this locale (C, Spanish...): the English source is
        // shown, and its plural forms ("1 image", not "1 image(s)") are in berth_en.
        fresh->berth = berth;
    } else {
        delete berth;
    }
    auto* qt = new QTranslator;
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        fresh->qt = qt;
    else
        delete qt;
    // What was shown so far stays known: the new recorder inherits the old one's sources.
    if (g_recorder) {
        fresh->sources = std::move(g_recorder->sources);
        QCoreApplication::removeTranslator(g_recorder);
        delete g_recorder;
    }
    g_recorder = fresh;
    // Installing posts LanguageChange to every window (changeEvent retranslates).
    QCoreApplication::installTranslator(fresh);
    return ok;
}

bool Translations::setLanguage(const QString& code) { return install(localeFor(code)); }

QString Translations::languageSetting() {
    const QString code = QSettings().value(QStringLiteral("ui/language"), QStringLiteral("system")).toString();
    return languageCodes().contains(code) ? code : QStringLiteral("system");
}

void Translations::saveLanguageSetting(const QString& code) {
    QSettings().setValue(QStringLiteral("ui/language"), languageCodes().contains(code) ? code : QStringLiteral("system"));
}

QString Translations::loadedLanguage() { return g_language; }

QString Translations::retranslated(const QString& shown) {
    if (!g_recorder || shown.isEmpty()) return shown;
    auto it = g_recorder->sources.constFind(shown);
    if (it == g_recorder->sources.constEnd()) {
        // "Pull an image (Ctrl+P)": a translated text with a shortcut after it.
        static const QRegularExpression withSuffix(QStringLiteral("^(.+) (\\([^()]*\\))$"));
        const auto m = withSuffix.match(shown);
        if (m.hasMatch() && g_recorder->sources.contains(m.captured(1)))
            return retranslated(m.captured(1)) + QLatin1Char(' ') + m.captured(2);
        return shown;
    }
    const Source s = it.value();  // copy: translate() below may insert
    return QCoreApplication::translate(s.context.constData(), s.text.constData(),
                                       s.disambiguation.isEmpty() ? nullptr : s.disambiguation.constData(), s.n);
}

void Translations::retranslateTree(QWidget* root) {
    if (!root) return;
    auto fix = [](auto* o, auto get, auto set) {
        const QString now = (o->*get)();
        const QString next = retranslated(now);
        if (next != now) (o->*set)(next);
    };
    auto fixAction = [&](QAction* a) {
        fix(a, &QAction::text, &QAction::setText);
        fix(a, &QAction::toolTip, &QAction::setToolTip);
        fix(a, &QAction::statusTip, &QAction::setStatusTip);
    };
    QList<QWidget*> widgets = root->findChildren<QWidget*>();
    widgets.prepend(root);
    for (QWidget* w : widgets) {
        fix(w, &QWidget::windowTitle, &QWidget::setWindowTitle);
        fix(w, &QWidget::toolTip, &QWidget::setToolTip);
        fix(w, &QWidget::statusTip, &QWidget::setStatusTip);
        fix(w, &QWidget::accessibleName, &QWidget::setAccessibleName);
        fix(w, &QWidget::accessibleDescription, &QWidget::setAccessibleDescription);
        for (QAction* a : w->actions()) fixAction(a);
        if (auto* l = qobject_cast<QLabel*>(w)) fix(l, &QLabel::text, &QLabel::setText);
        if (auto* b = qobject_cast<QAbstractButton*>(w)) {
            fix(b, &QAbstractButton::text, &QAbstractButton::setText);
            if (auto* tb = qobject_cast<QToolButton*>(w); tb && tb->defaultAction()) fixAction(tb->defaultAction());
        }
        if (auto* e = qobject_cast<QLineEdit*>(w)) fix(e, &QLineEdit::placeholderText, &QLineEdit::setPlaceholderText);
        if (auto* g = qobject_cast<QGroupBox*>(w)) fix(g, &QGroupBox::title, &QGroupBox::setTitle);
        if (auto* m = qobject_cast<QMenu*>(w)) fix(m, &QMenu::title, &QMenu::setTitle);
        if (auto* t = qobject_cast<QTabWidget*>(w))
            for (int i = 0; i < t->count(); ++i) {
                t->setTabText(i, retranslated(t->tabText(i)));
                t->setTabToolTip(i, retranslated(t->tabToolTip(i)));
            }
        if (auto* c = qobject_cast<QComboBox*>(w))
            for (int i = 0; i < c->count(); ++i) c->setItemText(i, retranslated(c->itemText(i)));
        if (auto* lw = qobject_cast<QListWidget*>(w))
            for (int i = 0; i < lw->count(); ++i) {
                QListWidgetItem* item = lw->item(i);
                item->setText(retranslated(item->text()));
                item->setToolTip(retranslated(item->toolTip()));
            }
        if (auto* cv = qobject_cast<QChartView*>(w); cv && cv->chart()) {
            QChart* chart = cv->chart();
            chart->setTitle(retranslated(chart->title()));
            for (QAbstractAxis* axis : chart->axes()) axis->setTitleText(retranslated(axis->titleText()));
            for (QAbstractSeries* series : chart->series()) series->setName(retranslated(series->name()));
        }
        // Headers come from the models' headerData(), which translates when asked: make
        // the header ask again.
        if (auto* v = qobject_cast<QAbstractItemView*>(w); v && v->model()) {
            QAbstractItemModel* m = v->model();
            // Labels a widget put into a standard model itself are stored, not asked for.
            QAbstractItemModel* source = m;
            while (auto* proxy = qobject_cast<QAbstractProxyModel*>(source)) source = proxy->sourceModel();
            if (auto* sm = qobject_cast<QStandardItemModel*>(source))
                for (int c = 0; c < sm->columnCount(); ++c)
                    if (QStandardItem* h = sm->horizontalHeaderItem(c)) h->setText(retranslated(h->text()));
            if (m->columnCount() > 0) emit m->headerDataChanged(Qt::Horizontal, 0, m->columnCount() - 1);
            v->viewport()->update();
        }
    }
}

} // namespace berth::ui
