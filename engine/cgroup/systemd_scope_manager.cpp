#include "cgroup/systemd_scope_manager.h"

#include "cgroup/systemd_scope_client.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace berth::cgroup {

namespace fs = std::filesystem;

RootlessCgroups systemdScopeSupport(const fs::path& v2Root, const fs::path& helper) {
    RootlessCgroups r;
    r.scopeHelper = helper;
    auto cg = systemd::managerControlGroup(helper);
    if (!cg) {
        r.reason = "no systemd user manager to create a delegated scope (" + cg.error().message() + ")";
        return r;
    }
    fs::path dir = v2Root / fs::path(*cg).relative_path();
    std::ifstream in(dir / "cgroup.controllers");
    for (std::string w; in >> w;) r.controllers.push_back(w);
    if (r.controllers.empty()) {
        r.reason = "the systemd user manager has no cgroup controllers to delegate (`" +
                   (dir / "cgroup.controllers").string() + "` lists none)";
        r.controllers.clear();
        return r;
    }
    r.delegated = true;
    r.systemdScope = true;
    r.v2Root = v2Root;
    r.base = dir;
    return r;
}

SystemdScopeManager::SystemdScopeManager(fs::path v2Root, std::string containerId, ManagerOptions opts,
                                         fs::path helper)
    : m_v2Root(std::move(v2Root)), m_helper(std::move(helper)), m_id(std::move(containerId)), m_unit(scopeUnitName(m_id)), m_opts(opts) {}

std::string SystemdScopeManager::describe() const {
    if (m_inner) return "v2 systemd scope " + m_unit + " (" + m_inner->describe() + ")";
    return "v2 systemd scope " + m_unit;
}

VoidResult SystemdScopeManager::bind(const std::string& controlGroup) const {
    // ControlGroup is absolute in the v2 hierarchy: "/user.slice/.../berth-<id>.scope".
    fs::path dir = m_v2Root / fs::path(controlGroup).relative_path();
    if (fs::path(controlGroup).relative_path().empty() || dir.filename() != m_unit)
        return fail(Errc::Internal, fmt::format("systemd put {} in the unexpected cgroup `{}`", m_unit, controlGroup));
    // The V2Manager's root is the scope's parent: it never writes above the slice the
    // scope is in (whose controllers systemd enabled for the delegation).
    m_inner = BERTH_TRY(makeManager(CgroupVersion::V2, dir.parent_path(), dir.filename().string(), m_opts));
    return {};
}

Result<CgroupManager*> SystemdScopeManager::inner() const {
    if (m_inner) return m_inner.get();
    auto cg = systemd::unitControlGroup(m_helper, m_unit);
    if (!cg) {
        if (cg.error().code() == Errc::NotFound) return static_cast<CgroupManager*>(nullptr);
        return fail(cg.error());
    }
    BERTH_TRYV(bind(*cg));
    return m_inner.get();
}

VoidResult SystemdScopeManager::create(const Resources& res) {
    BERTH_TRYV(validate(res));
    // The scope appears with the first process (addProcess); a scope left running by a
    // monitor that died is reused, as a cgroup of that name would be.
    m_res = res;
    return {};
}

VoidResult SystemdScopeManager::update(const Resources& res) {
    BERTH_TRYV(validate(res));
    m_res = res;
    auto cur = BERTH_TRY(inner());
    if (!cur) return {};
    return cur->update(res);
}

VoidResult SystemdScopeManager::addProcess(pid_t pid) {
    auto cur = BERTH_TRY_CTX(inner(), "find " + m_unit);
    if (cur) return cur->addProcess(pid);  // `berth exec` joins the running container's scope
    auto cg = BERTH_TRY(systemd::startScope(m_helper, m_unit, pid, "berth container " + m_id, m_opts.destroyTimeout));
    auto undo = [&] { (void)systemd::stopUnit(m_helper, m_unit, m_opts.destroyTimeout); };
    if (auto r = bind(cg); !r) {
        undo();
        return r;
    }
    // systemd has moved the process; the limits go into the scope's own directory (a
    // user manager's subtree is the user's, files included). Writing the pid again is a
    // no-op for the kernel and records it where there is no kernel (a test directory).
    auto applied = m_inner->create(m_res);
    if (applied) applied = m_inner->addProcess(pid);
    if (!applied) {
        undo();
        m_inner.reset();
        return fail(applied.error().withContext("limit " + m_unit));
    }
    return {};
}

Result<Stats> SystemdScopeManager::stats() const {
    auto cur = inner();
    // No bus or no scope: a container that is not running has nothing to count.
    if (!cur || !*cur) return Stats{};
    return (*cur)->stats();
}

VoidResult SystemdScopeManager::freeze(bool frozen) {
    auto cur = BERTH_TRY(inner());
    if (!cur) return fail(Errc::Conflict, "pause: " + m_unit + " is not running");
    return cur->freeze(frozen);
}

Result<std::vector<pid_t>> SystemdScopeManager::processes() const {
    auto cur = BERTH_TRY(inner());
    if (!cur) return std::vector<pid_t>{};
    return cur->processes();
}

std::vector<fs::path> SystemdScopeManager::paths() const {
    auto cur = inner();
    if (!cur || !*cur) return {};
    return (*cur)->paths();
}

VoidResult SystemdScopeManager::destroy() {
    // systemd kills what is left in the scope and removes its cgroup.
    auto stopped = systemd::stopUnit(m_helper, m_unit, m_opts.destroyTimeout);
    if (stopped || !m_inner) {
        m_inner.reset();
        return stopped;
    }
    // The bus went away (the user's session ended): take the cgroup down ourselves.
    auto r = m_inner->destroy();
    m_inner.reset();
    return r;
}

} // namespace berth::cgroup
