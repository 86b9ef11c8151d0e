#include "format.h"

#include <QCoreApplication>
#include <QLocale>

namespace {
// The translation context of these strings.
class Format {
    Q_DECLARE_TR_FUNCTIONS(Format)
};
} // namespace

namespace berth::ui::format {

QString bytes(quint64 n) {
    // "64 MiB" for --memory 64m rather than "64.0 MiB"; one decimal otherwise ("1.5 MiB").
    const QLocale locale;
    QString text = locale.formattedDataSize(qint64(n), 1, QLocale::DataSizeIecFormat);
    const QString zero = locale.decimalPoint() + locale.zeroDigit() + QLatin1Char(' ');
    return text.replace(zero, QStringLiteral(" "));
}

QString ago(const QDateTime& t) {
    if (!t.isValid()) return QString();
    const qint64 s = t.secsTo(QDateTime::currentDateTimeUtc());
    if (s < 60) return Format::tr("just now");
    if (s < 3600) return Format::tr("%n minute(s) ago", nullptr, int(s / 60));
    if (s < 86400) return Format::tr("%n hour(s) ago", nullptr, int(s / 3600));
    if (s < 86400 * 60) return Format::tr("%n day(s) ago", nullptr, int(s / 86400));
    return QLocale().toString(t.toLocalTime().date(), QLocale::ShortFormat);
}

QString duration(qint64 s) {
    if (s < 0) s = 0;
    if (s < 60) return Format::tr("%1 s").arg(s);
    if (s < 3600) return Format::tr("%1 min").arg(s / 60);
    if (s < 86400)
        return Format::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return Format::tr("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

QString shortId(const QString& id) {
    QString h = id.startsWith(QLatin1String("sha256:")) ? id.mid(7) : id;
    return h.left(12);
}

} // namespace berth::ui::format
