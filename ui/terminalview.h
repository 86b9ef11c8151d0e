#pragma once
// TerminalView: paints a TerminalScreen in a fixed-width font and types into it. Every key
// goes to the terminal while it has focus (Tab, arrows, Ctrl+C included) except
// Ctrl+Shift+C / Ctrl+Shift+V (copy, paste) and Shift+PageUp / Shift+PageDown (scrollback).
// A mouse drag selects (and fills the selection clipboard), the middle button pastes it.
// Its size in cells follows the widget's: sizeChanged() tells the pty.

#include <QAbstractScrollArea>
#include <QPoint>

namespace berth::ui {

class TerminalScreen;

class TerminalView : public QAbstractScrollArea {
    Q_OBJECT
public:
    TerminalView(TerminalScreen* screen, QWidget* parent = nullptr);

    TerminalScreen* screen() const { return m_screen; }
    QSize cellSize() const { return m_cell; }
    bool hasSelection() const { return m_selecting || m_anchor != m_end; }
    QString selectedText() const;
    void copy();
    void paste();
    // Shown read-only after the shell ended: keys are no longer sent.
    void setReadOnly(bool readOnly) {
        m_readOnly = readOnly;
        viewport()->update();  // no cursor on a screen that takes no keys
    }

signals:
    void sizeChanged(int rows, int cols);

protected:
    bool event(QEvent* e) override;
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void keyPressEvent(QKeyEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void contextMenuEvent(QContextMenuEvent* e) override;
    bool focusNextPrevChild(bool) override { return false; }  // Tab completes in the shell

private:
    void screenChanged();
    void updateScrollBar();
    int topLine() const;  // the first line shown (negative: in the scrollback)
    QPoint cellAt(QPoint pixel) const;
    bool isSelected(int line, int col) const;
    void paintLine(class QPainter& p, int row, int line);

    TerminalScreen* m_screen;
    QSize m_cell;
    QPoint m_anchor, m_end;  // selection (col, line), ordered when read
    bool m_selecting = false;
    bool m_readOnly = false;
};

} // namespace berth::ui
