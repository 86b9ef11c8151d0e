#include "statebadgedelegate.h"

#include "containersmodel.h"

#include <QApplication>
#include <QPainter>

namespace berth::ui {

void StateBadgeDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, p, opt.widget);
    const auto state = ContainerState(index.data(ContainersModel::StateRole).toInt());
    const bool failed = text.contains(QLatin1Char('(')) && !text.contains(QLatin1String("(0)"));
    QColor c;
    switch (state) {
    case ContainerState::Running: c = QColor(0x2e, 0xa0, 0x43); break;
    case ContainerState::Paused: c = QColor(0xd2, 0x99, 0x22); break;
    case ContainerState::Restarting: c = QColor(0x1f, 0x6f, 0xeb); break;
    case ContainerState::Dead: c = QColor(0xd7, 0x3a, 0x49); break;
    case ContainerState::Exited: c = failed ? QColor(0xd7, 0x3a, 0x49) : QColor(0x8b, 0x94, 0x9e); break;
    default: c = QColor(0x8b, 0x94, 0x9e); break;
    }
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    QFont f = opt.font;
    f.setPointSizeF(f.pointSizeF() * 0.9);
    f.setWeight(QFont::DemiBold);
    p->setFont(f);
    const QFontMetrics fm(f);
    const int h = fm.height() + 4;
    const int w = fm.horizontalAdvance(text) + 22;
    QRect pill(opt.rect.left() + 6, opt.rect.center().y() - h / 2, qMin(w, opt.rect.width() - 8), h);
    QColor bg = c;
    bg.setAlpha(40);
    p->setPen(Qt::NoPen);
    p->setBrush(bg);
    p->drawRoundedRect(pill, h / 2.0, h / 2.0);
    p->setBrush(c);
    p->drawEllipse(QPointF(pill.left() + 9, pill.center().y() + 0.5), 3.5, 3.5);
    p->setPen(opt.palette.color(QPalette::Text));
    p->drawText(pill.adjusted(16, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    p->restore();
}

QSize StateBadgeDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    return QSize(s.width() + 30, qMax(s.height(), option.fontMetrics.height() + 12));
}

} // namespace berth::ui
