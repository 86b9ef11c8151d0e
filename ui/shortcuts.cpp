#include "shortcuts.h"

namespace berth::ui::shortcuts {

QKeySequence key(Command command) {
    switch (command) {
    case Command::Run: return QKeySequence(Qt::CTRL | Qt::Key_R);
    case Command::Create: return QKeySequence(Qt::CTRL | Qt::Key_N);
    case Command::Start: return QKeySequence(Qt::CTRL | Qt::Key_E);
    case Command::Stop: return QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E);
    case Command::Restart: return QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R);
    case Command::Pause: return QKeySequence(Qt::CTRL | Qt::Key_P);
    case Command::Resume: return QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P);
    case Command::Kill: return QKeySequence(Qt::CTRL | Qt::Key_K);
    case Command::OpenInBrowser: return QKeySequence(Qt::CTRL | Qt::Key_L);
    case Command::Pull: return QKeySequence(Qt::CTRL | Qt::Key_D);
    case Command::Build: return QKeySequence(Qt::CTRL | Qt::Key_B);
    case Command::Tag: return QKeySequence(Qt::CTRL | Qt::Key_T);
    case Command::Save: return QKeySequence(Qt::CTRL | Qt::Key_S);
    case Command::Load: return QKeySequence(Qt::CTRL | Qt::Key_O);
    case Command::Remove: return QKeySequence(QKeySequence::Delete);
    case Command::Prune: return QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete);
    case Command::Refresh: return QKeySequence(QKeySequence::Refresh);
    }
    return {};
}

} // namespace berth::ui::shortcuts
