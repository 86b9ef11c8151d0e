#pragma once
// Errors as a user reads them: a sentence saying what could not be done, and under it the
// reason (the engine's own detail, never hidden behind "Show Details…") with a hint when
// one is known. Never a crash, never a raw errno.

#include <QString>

class QMessageBox;
class QWidget;

namespace berth::ui {

class ErrorDialog {
public:
    // `sentence`: "The container could not be started."; `detail`: the engine's message.
    static void show(QWidget* parent, const QString& sentence, const QString& detail);
    // Fills `box` as show() does (tests read it without a modal loop).
    static void fill(QMessageBox& box, const QString& sentence, const QString& detail);
    // Turns an engine detail into a hint the user can act on, when one is known.
    static QString hintFor(const QString& detail);
};

} // namespace berth::ui
