#include "cgroup/systemd_scope_client.h"

#include "sys/spawn.h"

#include <fmt/format.h>

namespace berth::cgroup {

std::string scopeUnitName(const std::string& containerId) { return "berth-" + containerId + ".scope"; }

namespace systemd {

namespace fs = std::filesystem;

namespace {

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

// Runs berth-scope; its one line of output, or its stderr as the error.
Result<std::string> run(const fs::path& given, std::vector<std::string> args, const std::string& what) {
    args.insert(args.begin(), sys::helperProgram("berth-scope", given));
    auto r = sys::spawnAndWait(args);
    if (!r) return fail(r.error().withContext(what + " (is berth-scope installed? set BERTH_SCOPE_HELPER)"));
    if (r->exitCode == 0) return trimmed(r->out);
    std::string msg = trimmed(r->err);
    if (msg.empty()) msg = fmt::format("berth-scope ended with status {}", r->exitCode);
    // 3: no such unit.
    return fail(r->exitCode == 3 ? Errc::NotFound : Errc::System, what + ": " + msg);
}

} // namespace

Result<std::string> managerControlGroup(const fs::path& helper) {
    return run(helper, {"manager-cgroup"}, "ask the user's systemd");
}

Result<std::string> startScope(const fs::path& helper, const std::string& unit, pid_t pid,
                               const std::string& description, std::chrono::milliseconds timeout) {
    return run(helper, {"start", unit, std::to_string(pid), description, std::to_string(timeout.count())},
               "start systemd scope " + unit);
}

Result<std::string> unitControlGroup(const fs::path& helper, const std::string& unit) {
    return run(helper, {"cgroup", unit}, "find systemd unit " + unit);
}

VoidResult stopUnit(const fs::path& helper, const std::string& unit, std::chrono::milliseconds timeout) {
    auto r = run(helper, {"stop", unit, std::to_string(timeout.count())}, "stop systemd scope " + unit);
    if (!r) return std::unexpected(r.error());
    return {};
}

} // namespace systemd
} // namespace berth::cgroup
