#pragma once
// Shortcuts: the one map of the window's keys. A command has one key on every page ("Run…"
// is Ctrl+R on Containers and on Images) and a key means one command. Page actions take
// their key from here and are window shortcuts (ListPage::addPageAction): they work
// whatever has focus on the visible page, the sidebar included; a hidden page's do not.

#include <QKeySequence>

namespace berth::ui::shortcuts {

enum class Command {
    Run,            // Ctrl+R: run a container (Containers, Images)
    Create,         // Ctrl+N: create a volume or a network
    Start,          // Ctrl+E
    Stop,           // Ctrl+Shift+E
    Restart,        // Ctrl+Shift+R
    Pause,          // Ctrl+P
    Resume,         // Ctrl+Shift+P
    Kill,           // Ctrl+K
    OpenInBrowser,  // Ctrl+L (a link)
    Pull,           // Ctrl+D (download)
    Build,          // Ctrl+B
    Tag,            // Ctrl+T
    Save,           // Ctrl+S
    Load,           // Ctrl+O
    Remove,         // Delete
    Prune,          // Ctrl+Shift+Delete
    Refresh,        // F5 (the platform's Refresh)
};

QKeySequence key(Command command);

} // namespace berth::ui::shortcuts
