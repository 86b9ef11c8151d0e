#pragma once
// Small formatting helpers for sizes, times and durations, in the user's language.

#include <QDateTime>
#include <QString>

namespace berth::ui::format {

// Binary units, as docker prints memory ("64.0 MiB", "1.4 GiB"): one unit system in the
// charts, the tables and the limits.
QString bytes(quint64 n);
QString ago(const QDateTime& t);      // "5 minutes ago"
QString duration(qint64 seconds);     // "2 h 5 min"
QString shortId(const QString& id);   // 12 hex without "sha256:"

} // namespace berth::ui::format
