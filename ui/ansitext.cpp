#include "ansitext.h"

#include <QStringList>

namespace berth::ui {

namespace {

QColor basic(int i, bool bright, bool dark) {
    // Tuned for legibility on both palettes rather than the raw xterm values.
    static const QColor normalDark[8] = {QColor(0x55, 0x55, 0x55), QColor(0xef, 0x53, 0x50), QColor(0x66, 0xbb, 0x6a),
                                         QColor(0xff, 0xca, 0x28), QColor(0x42, 0xa5, 0xf5), QColor(0xab, 0x47, 0xbc),
                                         QColor(0x26, 0xc6, 0xda), QColor(0xe0, 0xe0, 0xe0)};
    static const QColor normalLight[8] = {QColor(0x00, 0x00, 0x00), QColor(0xc6, 0x28, 0x28), QColor(0x2e, 0x7d, 0x32),
                                          QColor(0xa0, 0x6a, 0x00), QColor(0x15, 0x65, 0xc0), QColor(0x8e, 0x24, 0xaa),
                                          QColor(0x00, 0x83, 0x8f), QColor(0x75, 0x75, 0x75)};
    QColor c = (dark ? normalDark : normalLight)[i & 7];
    return bright ? (dark ? c.lighter(130) : c.darker(120)) : c;
}

QColor color256(int n, bool dark) {
    if (n < 8) return basic(n, false, dark);
    if (n < 16) return basic(n - 8, true, dark);
    if (n < 232) {
        n -= 16;
        auto level = [](int v) { return v ? 55 + v * 40 : 0; };
        return QColor(level(n / 36), level((n / 6) % 6), level(n % 6));
    }
    const int g = 8 + (n - 232) * 10;
    return QColor(g, g, g);
}

} // namespace

QList<AnsiRun> AnsiText::parse(const QString& text, bool dark) {
    QList<AnsiRun> runs;
    AnsiRun cur;
    int i = 0;
    const int n = int(text.size());
    while (i < n) {
        const QChar ch = text[i];
        if (ch != QChar(0x1b)) {
            cur.text += ch;
            ++i;
            continue;
        }
        if (i + 1 < n && text[i + 1] == QLatin1Char('[')) {
            int j = i + 2;
            while (j < n && !(text[j].unicode() >= 0x40 && text[j].unicode() <= 0x7e)) ++j;
            if (j >= n) break;  // a cut sequence at the end: drop it
            const QChar final = text[j];
            if (final == QLatin1Char('m')) {
                if (!cur.text.isEmpty()) {
                    runs.append(cur);
                    cur.text.clear();
                }
                const QStringList params = text.mid(i + 2, j - i - 2).split(QLatin1Char(';'));
                for (int k = 0; k < params.size(); ++k) {
                    const int p = params[k].isEmpty() ? 0 : params[k].toInt();
                    if (p == 0) {
                        cur.foreground = cur.background = QColor();
                        cur.bold = false;
                    } else if (p == 1) {
                        cur.bold = true;
                    } else if (p == 22) {
                        cur.bold = false;
                    } else if (p >= 30 && p <= 37) {
                        cur.foreground = basic(p - 30, cur.bold, dark);
                    } else if (p >= 90 && p <= 97) {
                        cur.foreground = basic(p - 90, true, dark);
                    } else if (p == 39) {
                        cur.foreground = QColor();
                    } else if (p >= 40 && p <= 47) {
                        cur.background = basic(p - 40, false, dark);
                    } else if (p >= 100 && p <= 107) {
                        cur.background = basic(p - 100, true, dark);
                    } else if (p == 49) {
                        cur.background = QColor();
                    } else if ((p == 38 || p == 48) && k + 1 < params.size()) {
                        QColor c;
                        if (params[k + 1] == QLatin1String("5") && k + 2 < params.size()) {
                            c = color256(params[k + 2].toInt(), dark);
                            k += 2;
                        } else if (params[k + 1] == QLatin1String("2") && k + 4 < params.size()) {
                            c = QColor(params[k + 2].toInt(), params[k + 3].toInt(), params[k + 4].toInt());
                            k += 4;
                        }
                        (p == 38 ? cur.foreground : cur.background) = c;
                    }
                }
            }
            i = j + 1;
        } else {
            i += 2;  // a two-character escape
        }
    }
    if (!cur.text.isEmpty() || runs.isEmpty()) runs.append(cur);
    return runs;
}

} // namespace berth::ui
