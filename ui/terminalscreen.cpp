#include "terminalscreen.h"

#include <vterm.h>

#include <algorithm>

namespace berth::ui {

// A libvterm cell as the view paints it: colours resolved to RGB except the defaults.
static TerminalCell cellOf(const VTermScreen* screen, const VTermScreenCell& c) {
    TerminalCell t;
    t.flags = 0;
    if (c.chars[0] == uint32_t(-1)) t.flags |= TerminalCell::WideRight;
    else t.ch = c.chars[0];
    if (c.attrs.bold) t.flags |= TerminalCell::Bold;
    if (c.attrs.italic) t.flags |= TerminalCell::Italic;
    if (c.attrs.underline) t.flags |= TerminalCell::Underline;
    if (c.attrs.reverse) t.flags |= TerminalCell::Reverse;
    if (c.attrs.strike) t.flags |= TerminalCell::Strike;
    VTermColor fg = c.fg, bg = c.bg;
    if (VTERM_COLOR_IS_DEFAULT_FG(&fg)) {
        t.flags |= TerminalCell::DefaultFg;
    } else {
        vterm_screen_convert_color_to_rgb(screen, &fg);
        t.fg = qRgb(fg.rgb.red, fg.rgb.green, fg.rgb.blue);
    }
    if (VTERM_COLOR_IS_DEFAULT_BG(&bg)) {
        t.flags |= TerminalCell::DefaultBg;
    } else {
        vterm_screen_convert_color_to_rgb(screen, &bg);
        t.bg = qRgb(bg.rgb.red, bg.rgb.green, bg.rgb.blue);
    }
    return t;
}

struct TerminalScreen::Callbacks {
    static TerminalScreen* self(void* user) { return static_cast<TerminalScreen*>(user); }

    static int damage(VTermRect, void* user) {
        emit self(user)->changed();
        return 1;
    }
    static int moveCursor(VTermPos pos, VTermPos, int visible, void* user) {
        self(user)->m_cursor = QPoint(pos.col, pos.row);
        self(user)->m_cursorVisible = visible;
        emit self(user)->changed();
        return 1;
    }
    static int termProp(VTermProp prop, VTermValue* val, void* user) {
        TerminalScreen* s = self(user);
        if (prop == VTERM_PROP_CURSORVISIBLE) {
            s->m_cursorVisible = val->boolean;
            emit s->changed();
        } else if (prop == VTERM_PROP_TITLE) {
            s->m_title = QString::fromUtf8(val->string ? val->string : "");
            emit s->titleChanged(s->m_title);
        }
        return 1;
    }
    static int bell(void* user) {
        emit self(user)->bell();
        return 1;
    }
    // A line scrolled off the top: kept, without its trailing blanks, up to the limit.
    static int pushLine(int cols, const VTermScreenCell* cells, void* user) {
        TerminalScreen* s = self(user);
        int used = cols;
        while (used > 0 && (cells[used - 1].chars[0] == 0 || cells[used - 1].chars[0] == ' ') &&
               VTERM_COLOR_IS_DEFAULT_BG(&cells[used - 1].bg))
            --used;
        TerminalLine line(used);
        for (int i = 0; i < used; ++i) line[i] = cellOf(s->m_screen, cells[i]);
        s->m_scrollback.push_back(std::move(line));
        while (int(s->m_scrollback.size()) > s->m_scrollbackLimit) s->m_scrollback.pop_front();
        emit s->changed();
        return 1;
    }
    // The screen grew taller: its top lines come back from the scrollback.
    static int popLine(int cols, VTermScreenCell* cells, void* user) {
        TerminalScreen* s = self(user);
        if (s->m_scrollback.empty()) return 0;
        TerminalLine line = std::move(s->m_scrollback.back());
        s->m_scrollback.pop_back();
        VTermColor fg, bg;
        vterm_state_get_default_colors(vterm_obtain_state(s->m_vt), &fg, &bg);
        for (int i = 0; i < cols; ++i) {
            VTermScreenCell& c = cells[i];
            c = VTermScreenCell{};
            c.width = 1;
            c.fg = fg;
            c.bg = bg;
            if (i >= line.size()) continue;
            const TerminalCell& t = line[i];
            c.chars[0] = (t.flags & TerminalCell::WideRight) ? uint32_t(-1) : uint32_t(t.ch);
            c.attrs.bold = (t.flags & TerminalCell::Bold) != 0;
            c.attrs.italic = (t.flags & TerminalCell::Italic) != 0;
            c.attrs.underline = (t.flags & TerminalCell::Underline) ? 1 : 0;
            c.attrs.reverse = (t.flags & TerminalCell::Reverse) != 0;
            c.attrs.strike = (t.flags & TerminalCell::Strike) != 0;
            if (!(t.flags & TerminalCell::DefaultFg)) vterm_color_rgb(&c.fg, qRed(t.fg), qGreen(t.fg), qBlue(t.fg));
            if (!(t.flags & TerminalCell::DefaultBg)) vterm_color_rgb(&c.bg, qRed(t.bg), qGreen(t.bg), qBlue(t.bg));
        }
        return 1;
    }
    static void output(const char* s, size_t len, void* user) {
        emit self(user)->input(QByteArray(s, qsizetype(len)));
    }
    static const VTermScreenCallbacks* table() {
        static const VTermScreenCallbacks t = {damage, nullptr, moveCursor, termProp, bell, nullptr, pushLine, popLine};
        return &t;
    }
};


TerminalScreen::TerminalScreen(int rows, int cols, QObject* parent)
    : QObject(parent), m_vt(vterm_new(std::max(rows, 1), std::max(cols, 1))), m_rows(std::max(rows, 1)),
      m_cols(std::max(cols, 1)) {
    vterm_set_utf8(m_vt, 1);
    vterm_output_set_callback(m_vt, &Callbacks::output, this);
    m_screen = vterm_obtain_screen(m_vt);
    vterm_screen_set_callbacks(m_screen, Callbacks::table(), this);
    vterm_screen_set_damage_merge(m_screen, VTERM_DAMAGE_SCROLL);
    vterm_screen_enable_altscreen(m_screen, 1);
    vterm_screen_reset(m_screen, 1);
}

TerminalScreen::~TerminalScreen() { vterm_free(m_vt); }

void TerminalScreen::feed(const QByteArray& bytes) {
    vterm_input_write(m_vt, bytes.constData(), size_t(bytes.size()));
    vterm_screen_flush_damage(m_screen);
}

void TerminalScreen::resize(int rows, int cols) {
    rows = std::max(rows, 1);
    cols = std::max(cols, 1);
    if (rows == m_rows && cols == m_cols) return;
    m_rows = rows;
    m_cols = cols;
    vterm_set_size(m_vt, rows, cols);
    vterm_screen_flush_damage(m_screen);
    emit changed();
}

void TerminalScreen::setScrollbackLimit(int lines) {
    m_scrollbackLimit = std::max(lines, 0);
    while (int(m_scrollback.size()) > m_scrollbackLimit) m_scrollback.pop_front();
}

TerminalCell TerminalScreen::cell(int line, int col) const {
    if (col < 0) return {};
    if (line < 0) {
        const int i = int(m_scrollback.size()) + line;
        if (i < 0 || col >= m_scrollback[size_t(i)].size()) return {};
        return m_scrollback[size_t(i)][col];
    }
    if (line >= m_rows || col >= m_cols) return {};
    VTermScreenCell c;
    if (!vterm_screen_get_cell(m_screen, VTermPos{line, col}, &c)) return {};
    return cellOf(m_screen, c);
}

QString TerminalScreen::text(QPoint from, QPoint to) const {
    QString out;
    for (int line = from.y(); line <= to.y(); ++line) {
        const int first = line == from.y() ? from.x() : 0;
        const int last = line == to.y() ? to.x() : m_cols;
        QString row;
        for (int col = first; col < last; ++col) {
            const TerminalCell c = cell(line, col);
            if (c.flags & TerminalCell::WideRight) continue;
            row += c.ch ? QString::fromUcs4(&c.ch, 1) : QStringLiteral(" ");
        }
        while (row.endsWith(QLatin1Char(' '))) row.chop(1);
        if (line != from.y()) out += QLatin1Char('\n');
        out += row;
    }
    return out;
}

QString TerminalScreen::lineText(int line) const { return text(QPoint(0, line), QPoint(m_cols, line)); }

QString TerminalScreen::screenText() const { return text(QPoint(0, 0), QPoint(m_cols, m_rows - 1)); }

static VTermModifier modifiersOf(Qt::KeyboardModifiers m) {
    int mod = VTERM_MOD_NONE;
    if (m & Qt::ShiftModifier) mod |= VTERM_MOD_SHIFT;
    if (m & Qt::AltModifier) mod |= VTERM_MOD_ALT;
    if (m & Qt::ControlModifier) mod |= VTERM_MOD_CTRL;
    return VTermModifier(mod);
}

static VTermKey specialKey(int qtKey) {
    switch (qtKey) {
    case Qt::Key_Return: return VTERM_KEY_ENTER;
    case Qt::Key_Enter: return VTERM_KEY_ENTER;
    case Qt::Key_Tab: return VTERM_KEY_TAB;
    case Qt::Key_Backtab: return VTERM_KEY_TAB;
    case Qt::Key_Backspace: return VTERM_KEY_BACKSPACE;
    case Qt::Key_Escape: return VTERM_KEY_ESCAPE;
    case Qt::Key_Up: return VTERM_KEY_UP;
    case Qt::Key_Down: return VTERM_KEY_DOWN;
    case Qt::Key_Left: return VTERM_KEY_LEFT;
    case Qt::Key_Right: return VTERM_KEY_RIGHT;
    case Qt::Key_Insert: return VTERM_KEY_INS;
    case Qt::Key_Delete: return VTERM_KEY_DEL;
    case Qt::Key_Home: return VTERM_KEY_HOME;
    case Qt::Key_End: return VTERM_KEY_END;
    case Qt::Key_PageUp: return VTERM_KEY_PAGEUP;
    case Qt::Key_PageDown: return VTERM_KEY_PAGEDOWN;
    default: break;
    }
    if (qtKey >= Qt::Key_F1 && qtKey <= Qt::Key_F35) return VTermKey(VTERM_KEY_FUNCTION(qtKey - Qt::Key_F1 + 1));
    return VTERM_KEY_NONE;
}

bool TerminalScreen::sendKey(int qtKey, Qt::KeyboardModifiers modifiers, const QString& text) {
    VTermModifier mod = modifiersOf(modifiers);
    if (VTermKey k = specialKey(qtKey); k != VTERM_KEY_NONE) {
        if (qtKey == Qt::Key_Backtab) mod = VTermModifier(mod | VTERM_MOD_SHIFT);
        vterm_keyboard_key(m_vt, k, mod);
        return true;
    }
    // Ctrl+letter: the control character (Ctrl+C is 0x03) whatever the layout's text says.
    if ((modifiers & Qt::ControlModifier) && qtKey >= Qt::Key_A && qtKey <= Qt::Key_Z) {
        vterm_keyboard_unichar(m_vt, uint32_t('a' + (qtKey - Qt::Key_A)), mod);
        return true;
    }
    if (text.isEmpty()) return false;
    // Other control characters the layout produced (Ctrl+[, Ctrl+\…) go as they are.
    if (text.size() == 1 && (text[0].unicode() < 0x20 || text[0].unicode() == 0x7f)) {
        QByteArray bytes;
        if (modifiers & Qt::AltModifier) bytes += '\x1b';
        bytes += char(text[0].unicode());
        emit input(bytes);
        return true;
    }
    const VTermModifier textMod = VTermModifier(mod & VTERM_MOD_ALT);  // the text is already shifted
    for (char32_t c : text.toUcs4()) vterm_keyboard_unichar(m_vt, uint32_t(c), textMod);
    return true;
}

void TerminalScreen::paste(const QString& text) {
    QString t = text;
    t.replace(QStringLiteral("\r\n"), QStringLiteral("\r"));
    t.replace(QLatin1Char('\n'), QLatin1Char('\r'));
    vterm_keyboard_start_paste(m_vt);
    emit input(t.toUtf8());
    vterm_keyboard_end_paste(m_vt);
}

} // namespace berth::ui
