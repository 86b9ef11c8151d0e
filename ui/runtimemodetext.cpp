#include "runtimemodetext.h"

#include <QStringList>

namespace berth::ui {

QString RuntimeModeText::capabilityName(const std::string& engineName) {
    // The names runtime_mode.cpp gives its capabilities.
    if (engineName == "resource limits") return tr("resource limits");
    if (engineName == "ports below 1024") return tr("ports below 1024");
    if (engineName == "ping") return tr("ping");
    if (engineName == "network") return tr("network");
    if (engineName == "other users in containers") return tr("other users in containers");
    return QString::fromStdString(engineName);
}

QString RuntimeModeText::label(const RuntimeModeInfo& mode) {
    QString text = !mode.rootless           ? tr("Root")
                   : mode.singleIdMapping ? tr("Rootless, single-id map")
                                            : tr("Rootless");
    QStringList missing;
    for (const auto& c : mode.capabilities)
        if (!c.available) missing << capabilityName(c.name);
    if (!missing.isEmpty()) text = tr("%1 (no %2)").arg(text, missing.join(QStringLiteral(", ")));
    return text;
}

QString RuntimeModeText::toolTip(const RuntimeModeInfo& mode) {
    QStringList lines;
    lines << (mode.rootless ? tr("Rootless mode: containers run in a user namespace, as your user.")
                            : tr("Root mode: containers run with the host's root privileges."));
    int missing = 0;
    for (const auto& c : mode.capabilities) missing += c.available ? 0 : 1;
    if (missing > 0) lines << tr("%n feature(s) unavailable in this mode on this machine.", nullptr, missing);
    if (!mode.idMapping.empty()) lines << tr("User ids inside → outside: %1").arg(QString::fromStdString(mode.idMapping));
    if (!mode.networkTool.empty()) lines << tr("Network: %1").arg(QString::fromStdString(mode.networkTool));
    if (!mode.overlay.empty()) lines << tr("Root file systems: %1").arg(QString::fromStdString(mode.overlay));
    if (!mode.cgroups.empty()) lines << tr("Control groups: %1").arg(QString::fromStdString(mode.cgroups));
    for (const auto& c : mode.capabilities)
        lines << tr("%1: %2 (%3)").arg(capabilityName(c.name), c.available ? tr("yes") : tr("no"),
                                       QString::fromStdString(c.detail));
    if (!mode.warning.empty()) lines << tr("Warning: %1").arg(QString::fromStdString(mode.warning));
    return lines.join(QLatin1Char('\n'));
}

} // namespace berth::ui
