#pragma once
// TerminalScreen: the screen of the Terminal tab, a libvterm terminal (the emulator Neovim
// uses) without a widget: bytes from the pty go in (feed), cells, the cursor and the
// scrollback come out, and keys and pastes come out as the bytes a terminal sends
// (`input`). Tests read the cells; TerminalView paints them.

#include <QByteArray>
#include <QObject>
#include <QPoint>
#include <QRgb>
#include <QString>
#include <QVector>

#include <deque>

struct VTerm;
struct VTermScreen;

namespace berth::ui {

struct TerminalCell {
    enum Flag : quint8 {
        Bold = 1, Italic = 2, Underline = 4, Reverse = 8, Strike = 16,
        DefaultFg = 32, DefaultBg = 64, WideRight = 128,  // the right half of a wide character
    };
    char32_t ch = 0;  // 0: blank
    QRgb fg = 0, bg = 0;
    quint8 flags = DefaultFg | DefaultBg;
};
using TerminalLine = QVector<TerminalCell>;

class TerminalScreen : public QObject {
    Q_OBJECT
public:
    TerminalScreen(int rows, int cols, QObject* parent = nullptr);
    ~TerminalScreen() override;

    void feed(const QByteArray& bytes);
    void resize(int rows, int cols);
    int rows() const { return m_rows; }
    int cols() const { return m_cols; }

    // Lines -scrollbackCount() … -1 are the scrollback (oldest first), 0 … rows()-1 the screen.
    int scrollbackCount() const { return int(m_scrollback.size()); }
    int scrollbackLimit() const { return m_scrollbackLimit; }
    void setScrollbackLimit(int lines);
    TerminalCell cell(int line, int col) const;
    QString lineText(int line) const;   // without trailing blanks
    QString screenText() const;         // the visible lines, '\n' between them
    // The text from `from` to `to` (line, col; inclusive of from, exclusive of to), lines
    // joined by '\n' with trailing blanks cut: what a selection copies.
    QString text(QPoint from, QPoint to) const;
    QPoint cursor() const { return m_cursor; }  // x = column, y = line on the screen
    bool cursorVisible() const { return m_cursorVisible; }
    QString title() const { return m_title; }

    // Keyboard input, encoded as the terminal's modes ask (application cursor keys…):
    // returns false for a key a terminal does not send (the caller may use it).
    bool sendKey(int qtKey, Qt::KeyboardModifiers modifiers, const QString& text);
    // Pasted text, bracketed when the program asked for it; line ends sent as CR.
    void paste(const QString& text);

signals:
    void input(const QByteArray& bytes);  // to write to the pty
    void changed();                       // cells, cursor or scrollback changed
    void titleChanged(const QString& title);
    void bell();

private:
    struct Callbacks;  // libvterm's callbacks (terminalscreen.cpp)
    friend struct Callbacks;

    VTerm* m_vt;
    VTermScreen* m_screen;
    int m_rows, m_cols;
    std::deque<TerminalLine> m_scrollback;
    int m_scrollbackLimit = 5000;
    QPoint m_cursor;
    bool m_cursorVisible = true;
    QString m_title;
};

} // namespace berth::ui
