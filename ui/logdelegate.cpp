#include "logdelegate.h"

#include "ansitext.h"
#include "logmodel.h"

#include <QApplication>
#include <QFontDatabase>
#include <QPainter>

namespace berth::ui {

LogDelegate::LogDelegate(QObject* parent)
    : QStyledItemDelegate(parent), m_font(QFontDatabase::systemFont(QFontDatabase::FixedFont)) {}

QSize LogDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const {
    return QSize(400, QFontMetrics(m_font).height() + 2);
}

void LogDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    const QPalette& pal = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const bool dark = pal.color(QPalette::Base).lightness() < 128;
    p->save();
    p->setClipRect(option.rect);
    if (selected) p->fillRect(option.rect, pal.brush(QPalette::Highlight));
    const bool isErr = index.data(LogModel::StderrRole).toBool();
    QRect r = option.rect.adjusted(6, 0, -4, 0);
    if (isErr) {
        p->fillRect(QRect(option.rect.left(), option.rect.top(), 3, option.rect.height()),
                    dark ? QColor(0xef, 0x53, 0x50) : QColor(0xc6, 0x28, 0x28));
        if (!selected) p->fillRect(option.rect.adjusted(3, 0, 0, 0), dark ? QColor(80, 30, 30, 70) : QColor(255, 220, 220, 110));
    }
    QFont font = m_font;
    p->setFont(font);
    const QFontMetrics fm(font);
    const int baseline = r.top() + (r.height() - fm.height()) / 2 + fm.ascent();
    const QColor text = selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text);
    int x = r.left();
    if (m_timestamps) {
        const QDateTime t = index.data(LogModel::TimeRole).toDateTime();
        const QString ts = t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) : QString(23, QLatin1Char(' '));
        p->setPen(selected ? text : pal.color(QPalette::PlaceholderText));
        p->drawText(x, baseline, ts);
        x += fm.horizontalAdvance(ts) + fm.horizontalAdvance(QLatin1Char(' ')) * 2;
    }
    const QString raw = index.data(LogModel::TextRole).toString();
    const QList<AnsiRun> runs = AnsiText::parse(raw, dark);
    QString plain;
    for (const auto& run : runs) plain += run.text;
    // Highlights first, under the text.
    if (m_highlight.isValid() && !m_highlight.pattern().isEmpty()) {
        auto it = m_highlight.globalMatch(plain);
        while (it.hasNext()) {
            const auto m = it.next();
            if (m.capturedLength() == 0) break;
            const int x0 = x + fm.horizontalAdvance(plain.left(int(m.capturedStart())));
            const int w = fm.horizontalAdvance(m.captured());
            p->fillRect(QRect(x0, r.top() + 1, w, r.height() - 2), QColor(255, 200, 0, dark ? 140 : 170));
        }
    }
    for (const auto& run : runs) {
        QFont f = font;
        f.setBold(run.bold);
        p->setFont(f);
        const QFontMetrics rfm(f);
        const int w = rfm.horizontalAdvance(run.text);
        if (run.background.isValid() && !selected)
            p->fillRect(QRect(x, r.top(), w, r.height()), run.background);
        p->setPen(run.foreground.isValid() && !selected ? run.foreground : text);
        p->drawText(x, baseline, run.text);
        x += w;
        if (x > option.rect.right()) break;
    }
    p->restore();
}

} // namespace berth::ui
