#include "bardelegate.h"

#include <QApplication>
#include <QPainter>

namespace berth::ui {

BarDelegate::BarDelegate(int fractionRole, QColor color, QObject* parent)
    : QStyledItemDelegate(parent), m_role(fractionRole), m_color(color) {}

void BarDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, p, opt.widget);
    const QVariant v = index.data(m_role);
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QRect area = opt.rect.adjusted(6, 5, -6, -5);
    if (v.isValid()) {
        const double f = qBound(0.0, v.toDouble(), 1.0);
        QColor track = opt.palette.color(QPalette::Mid);
        track.setAlpha(70);
        p->setPen(Qt::NoPen);
        p->setBrush(track);
        p->drawRoundedRect(area, 3, 3);
        QColor fill = m_color;
        fill.setAlpha(170);
        p->setBrush(fill);
        QRect bar = area;
        bar.setWidth(qMax(f > 0 ? 3 : 0, int(area.width() * f)));
        p->drawRoundedRect(bar, 3, 3);
    }
    p->setPen(opt.state & QStyle::State_Selected ? opt.palette.color(QPalette::HighlightedText)
                                                 : opt.palette.color(QPalette::Text));
    p->drawText(area.adjusted(6, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    p->restore();
}

QSize BarDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    return QSize(qMax(s.width() + 40, 140), qMax(s.height(), option.fontMetrics.height() + 10));
}

} // namespace berth::ui
