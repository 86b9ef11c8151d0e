#pragma once
// StateBadgeDelegate: paints a container's state as a coloured pill (green running, amber
// paused, grey created/exited, red dead or a non-zero exit).

#include <QStyledItemDelegate>

namespace berth::ui {

class StateBadgeDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace berth::ui
