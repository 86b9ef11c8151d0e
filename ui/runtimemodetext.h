#pragma once
// The status bar's mode label in the user's language: root or rootless, what that mode
// cannot do here, and a tooltip with how it is done. The engine (berth/runtime_mode.h)
// names its capabilities in English for `berth info`; the ones it knows are translated
// here, an unknown one is shown as the engine wrote it. The engine's details (paths, tool
// names, sysctl names) stay as they are, under the translated headings.

#include "berth/runtime_mode.h"

#include <QCoreApplication>
#include <QString>

namespace berth::ui {

class RuntimeModeText {
    Q_DECLARE_TR_FUNCTIONS(berth::ui::RuntimeModeText)

public:
    // "Rootless (no resource limits, ping)", "Root".
    static QString label(const RuntimeModeInfo& mode);
    // The mode in a sentence, the features missing here (a plural), the id map, network,
    // overlay and cgroups, one line per capability, and the engine's warning.
    static QString toolTip(const RuntimeModeInfo& mode);
    // "resource limits" -> "Ressourcengrenzen" in German.
    static QString capabilityName(const std::string& engineName);
};

} // namespace berth::ui
