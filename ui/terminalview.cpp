#include "terminalview.h"

#include "terminalscreen.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>

#include <algorithm>

namespace berth::ui {

TerminalView::TerminalView(TerminalScreen* screen, QWidget* parent) : QAbstractScrollArea(parent), m_screen(screen) {
    setObjectName(QStringLiteral("terminalView"));
    setAccessibleName(tr("Terminal"));
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_InputMethodEnabled, false);
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setStyleHint(QFont::Monospace);
    setFont(font);
    const QFontMetrics fm(font);
    m_cell = QSize(std::max(fm.horizontalAdvance(QLatin1Char('M')), 1), std::max(fm.height(), 1));
    viewport()->setCursor(Qt::IBeamCursor);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    verticalScrollBar()->setSingleStep(3);
    connect(m_screen, &TerminalScreen::changed, this, &TerminalView::screenChanged);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, viewport(), qOverload<>(&QWidget::update));
    updateScrollBar();
}

void TerminalView::screenChanged() {
    updateScrollBar();
    viewport()->update();
}

void TerminalView::updateScrollBar() {
    QScrollBar* bar = verticalScrollBar();
    const bool atBottom = bar->value() == bar->maximum();
    bar->setRange(0, m_screen->scrollbackCount());
    bar->setPageStep(m_screen->rows());
    if (atBottom) bar->setValue(bar->maximum());  // new output follows unless the user scrolled up
}

int TerminalView::topLine() const { return verticalScrollBar()->value() - m_screen->scrollbackCount(); }

void TerminalView::resizeEvent(QResizeEvent* e) {
    QAbstractScrollArea::resizeEvent(e);
    const int rows = std::max(viewport()->height() / m_cell.height(), 2);
    const int cols = std::max(viewport()->width() / m_cell.width(), 10);
    if (rows == m_screen->rows() && cols == m_screen->cols()) return;
    m_screen->resize(rows, cols);
    emit sizeChanged(rows, cols);
}

QPoint TerminalView::cellAt(QPoint pixel) const {
    const int col = std::clamp(pixel.x() / m_cell.width(), 0, m_screen->cols());
    const int row = std::clamp(pixel.y() / m_cell.height(), 0, m_screen->rows() - 1);
    return QPoint(col, topLine() + row);
}

static std::pair<QPoint, QPoint> ordered(QPoint a, QPoint b) {
    if (a.y() < b.y() || (a.y() == b.y() && a.x() <= b.x())) return {a, b};
    return {b, a};
}

bool TerminalView::isSelected(int line, int col) const {
    if (m_anchor == m_end) return false;
    auto [from, to] = ordered(m_anchor, m_end);
    if (line < from.y() || line > to.y()) return false;
    if (line == from.y() && col < from.x()) return false;
    if (line == to.y() && col >= to.x()) return false;
    return true;
}

QString TerminalView::selectedText() const {
    if (m_anchor == m_end) return {};
    auto [from, to] = ordered(m_anchor, m_end);
    return m_screen->text(from, to);
}

void TerminalView::paintLine(QPainter& p, int row, int line) {
    const QColor defaultFg = palette().color(QPalette::Text), defaultBg = palette().color(QPalette::Base);
    const int y = row * m_cell.height();
    const int cols = m_screen->cols();
    int col = 0;
    while (col < cols) {
        // A run of cells painted alike: one fillRect and one drawText.
        // Each glyph at its own cell: a run drawn as one string drifts when the font's
        // advance is not a whole number of pixels (seen under Xvfb: a coloured run after
        // 50 plain characters overwrote their last one).
        const TerminalCell first = m_screen->cell(line, col);
        const bool selected = isSelected(line, col);
        QVector<std::pair<int, QString>> glyphs;
        int end = col;
        for (; end < cols; ++end) {
            const TerminalCell c = m_screen->cell(line, end);
            if (c.fg != first.fg || c.bg != first.bg || c.flags != first.flags || isSelected(line, end) != selected) break;
            if (c.ch > ' ') glyphs.append({end, QString::fromUcs4(&c.ch, 1)});
        }
        QColor fg = (first.flags & TerminalCell::DefaultFg) ? defaultFg : QColor(first.fg);
        QColor bg = (first.flags & TerminalCell::DefaultBg) ? defaultBg : QColor(first.bg);
        if (bool(first.flags & TerminalCell::Reverse) != selected) std::swap(fg, bg);
        const QRect r(col * m_cell.width(), y, (end - col) * m_cell.width(), m_cell.height());
        p.fillRect(r, bg);
        if (!glyphs.isEmpty()) {
            QFont f = font();
            f.setBold((first.flags & TerminalCell::Bold) != 0);
            f.setItalic((first.flags & TerminalCell::Italic) != 0);
            f.setUnderline((first.flags & TerminalCell::Underline) != 0);
            f.setStrikeOut((first.flags & TerminalCell::Strike) != 0);
            p.setFont(f);
            p.setPen(fg);
            for (const auto& [c, g] : glyphs)
                p.drawText(QRect(c * m_cell.width(), y, m_cell.width(), m_cell.height()),
                           Qt::AlignLeft | Qt::AlignVCenter | Qt::TextDontClip, g);
        }
        col = end;
    }
}

void TerminalView::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), palette().color(QPalette::Base));
    const int top = topLine();
    for (int row = 0; row < m_screen->rows(); ++row) paintLine(p, row, top + row);
    // The cursor, when its line is on screen: a block with focus, an outline without.
    const QPoint c = m_screen->cursor();
    const int row = c.y() - top;
    if (m_screen->cursorVisible() && !m_readOnly && row >= 0 && row < m_screen->rows()) {
        const QRect r(c.x() * m_cell.width(), row * m_cell.height(), m_cell.width(), m_cell.height());
        QColor color = palette().color(QPalette::Text);
        if (hasFocus()) {
            color.setAlpha(150);
            p.fillRect(r, color);
        } else {
            p.setPen(color);
            p.drawRect(r.adjusted(0, 0, -1, -1));
        }
    }
}

bool TerminalView::event(QEvent* e) {
    // The terminal takes its keys before the window's shortcuts do (Ctrl+C, Ctrl+R…).
    if (e->type() == QEvent::ShortcutOverride && !m_readOnly) {
        auto* k = static_cast<QKeyEvent*>(e);
        const auto mods = k->modifiers() & (Qt::ControlModifier | Qt::ShiftModifier | Qt::AltModifier);
        const bool ours = mods == (Qt::ControlModifier | Qt::ShiftModifier) && (k->key() == Qt::Key_C || k->key() == Qt::Key_V);
        if (!ours) {
            e->accept();
            return true;
        }
    }
    return QAbstractScrollArea::event(e);
}

void TerminalView::keyPressEvent(QKeyEvent* e) {
    const auto mods = e->modifiers() & (Qt::ControlModifier | Qt::ShiftModifier | Qt::AltModifier);
    if (mods == (Qt::ControlModifier | Qt::ShiftModifier) && e->key() == Qt::Key_C) return copy();
    if (mods == (Qt::ControlModifier | Qt::ShiftModifier) && e->key() == Qt::Key_V) return paste();
    QScrollBar* bar = verticalScrollBar();
    if (mods == Qt::ShiftModifier && (e->key() == Qt::Key_PageUp || e->key() == Qt::Key_PageDown)) {
        bar->setValue(bar->value() + (e->key() == Qt::Key_PageUp ? -1 : 1) * bar->pageStep());
        return;
    }
    if (m_readOnly || !m_screen->sendKey(e->key(), e->modifiers(), e->text())) {
        QAbstractScrollArea::keyPressEvent(e);
        return;
    }
    bar->setValue(bar->maximum());  // typing shows the prompt
    m_anchor = m_end = QPoint();
    viewport()->update();
}

void TerminalView::copy() {
    const QString text = selectedText();
    if (!text.isEmpty()) QApplication::clipboard()->setText(text);
}

void TerminalView::paste() {
    if (m_readOnly) return;
    const QString text = QApplication::clipboard()->text();
    if (!text.isEmpty()) m_screen->paste(text);
}

void TerminalView::mousePressEvent(QMouseEvent* e) {
    setFocus(Qt::MouseFocusReason);
    if (e->button() == Qt::LeftButton) {
        m_anchor = m_end = cellAt(e->position().toPoint());
        m_selecting = true;
        viewport()->update();
    } else if (e->button() == Qt::MiddleButton && !m_readOnly) {
        const QString text = QApplication::clipboard()->text(QClipboard::Selection);
        if (!text.isEmpty()) m_screen->paste(text);
    }
}

void TerminalView::mouseMoveEvent(QMouseEvent* e) {
    if (!m_selecting) return;
    m_end = cellAt(e->position().toPoint());
    viewport()->update();
}

void TerminalView::mouseReleaseEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton || !m_selecting) return;
    m_selecting = false;
    m_end = cellAt(e->position().toPoint());
    const QString text = selectedText();
    if (!text.isEmpty() && QApplication::clipboard()->supportsSelection())
        QApplication::clipboard()->setText(text, QClipboard::Selection);
    viewport()->update();
}

void TerminalView::contextMenuEvent(QContextMenuEvent* e) {
    QMenu menu(this);
    QAction* copyAction = menu.addAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("Copy"), this, &TerminalView::copy);
    copyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    copyAction->setEnabled(hasSelection());
    QAction* pasteAction = menu.addAction(QIcon::fromTheme(QStringLiteral("edit-paste")), tr("Paste"), this, &TerminalView::paste);
    pasteAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    pasteAction->setEnabled(!m_readOnly && !QApplication::clipboard()->text().isEmpty());
    menu.exec(e->globalPos());
}

} // namespace berth::ui
