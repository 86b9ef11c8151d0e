#pragma once
// AnsiText: splits a log line into runs of text with the colours its ANSI SGR escape
// sequences ask for (the 8/16 basic colours, 256-colour and 24-bit forms, bold, reset).
// Other escape sequences are dropped.

#include <QColor>
#include <QList>
#include <QString>

namespace berth::ui {

struct AnsiRun {
    QString text;
    QColor foreground;  // invalid = default
    QColor background;
    bool bold = false;
};

class AnsiText {
public:
    static QList<AnsiRun> parse(const QString& text, bool darkBackground);
};

} // namespace berth::ui
