// docker compose's verbs that change things: up and down, through the engine's front door.
#include "compose/compose_internal.h"

#include "berth/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <thread>

namespace berth::compose {

namespace {

void say(const Progress& progress, const std::string& line) {
    if (progress) progress(line);
}

std::map<std::string, std::string> resourceLabels(const std::string& project, const char* keyLabel, const std::string& key) {
    return {{kProjectLabel, project}, {keyLabel, key}, {kVersionLabel, kComposeVersion}};
}

// What up made in this call, for its clean-up when nothing comes up.
struct Made {
    std::vector<std::string> networks, volumes;
};

VoidResult ensureNetworks(Engine& engine, const Project& p, const std::vector<std::string>& order, Made& made,
                          const Progress& progress) {
    std::set<std::string> keys;
    for (auto& name : order)
        for (auto& [net, aliases] : p.services.at(name).networks) keys.insert(net);
    for (auto& key : keys) {
        auto& spec = p.networks.at(key);
        auto found = engine.networks().inspect(spec.name);
        if (found) continue;
        if (found.error().code() != Errc::NotFound) return fail(found.error());
        if (spec.external)
            return fail(Errc::NotFound, fmt::format("network {} declared as external, but could not be found", spec.name));
        CreateNetworkOptions o;
        o.name = spec.name;
        o.internal = spec.internal;
        o.labels = spec.labels;
        for (auto& [k, v] : resourceLabels(p.name, kNetworkLabel, key)) o.labels[k] = v;
        BERTH_TRY(engine.networks().create(o));
        made.networks.push_back(spec.name);
        say(progress, fmt::format("Network {}  Created", spec.name));
    }
    return {};
}

VoidResult ensureVolumes(Engine& engine, const Project& p, const std::vector<std::string>& order, Made& made,
                         const Progress& progress) {
    std::set<std::string> keys;
    for (auto& name : order)
        for (auto& v : p.services.at(name).volumes)
            if (v.type == "volume" && !v.source.empty()) keys.insert(v.source);
    for (auto& key : keys) {
        auto& spec = p.volumes.at(key);
        auto found = engine.volumes().inspect(spec.name);
        if (found) continue;
        if (found.error().code() != Errc::NotFound) return fail(found.error());
        if (spec.external)
            return fail(Errc::NotFound, fmt::format("external volume \"{}\" not found", spec.name));
        VolumeCreateRequest r;
        r.name = spec.name;
        r.labels = spec.labels;
        for (auto& [k, v] : resourceLabels(p.name, kVolumeLabel, key)) r.labels[k] = v;
        BERTH_TRY(engine.volumes().create(r));
        made.volumes.push_back(spec.name);
        say(progress, fmt::format("Volume \"{}\"  Created", spec.name));
    }
    return {};
}

// Blocks until `dependency`'s container meets `condition`.
VoidResult waitFor(Engine& engine, const std::string& service, const std::string& id, const Dependency& d,
                   const Progress& progress) {
    if (d.condition == "service_started") return {};
    auto& containers = engine.containers();
    if (d.condition == "service_completed_successfully") {
        say(progress, fmt::format("Container {}  Waiting", service));
        int code = BERTH_TRY(containers.wait(id));
        if (code != 0)
            return fail(Errc::Conflict, fmt::format("service \"{}\" didn't complete successfully: exit {}", service, code));
        say(progress, fmt::format("Container {}  Exited", service));
        return {};
    }
    say(progress, fmt::format("Container {}  Waiting", service));
    for (;;) {
        auto details = BERTH_TRY(containers.inspect(id));
        auto& s = details.summary;
        if (!details.healthcheck)
            return fail(Errc::InvalidArgument, fmt::format("service \"{}\" has no healthcheck: it cannot become healthy", service));
        if (s.health == "healthy") break;
        if (s.health == "unhealthy")
            return fail(Errc::Conflict, fmt::format("dependency failed to start: container {} is unhealthy", s.name));
        if (s.state != ContainerStatus::Running && s.state != ContainerStatus::Restarting)
            return fail(Errc::Conflict, fmt::format("dependency failed to start: container {} exited ({})", s.name, s.exitCode));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    say(progress, fmt::format("Container {}  Healthy", service));
    return {};
}

// The service's container: created (replacing one whose config changed) and started.
Result<std::string> upService(Engine& engine, const Project& p, const Service& s, const UpOptions& o,
                              const std::vector<ContainerRef>& existing, const Progress& progress) {
    auto& containers = engine.containers();
    auto hash = configHash(p, s);
    for (auto& c : existing) {
        if (c.service != s.name || c.oneoff) continue;
        if (!o.forceRecreate && c.summary.labels.contains(kConfigHashLabel) && c.summary.labels.at(kConfigHashLabel) == hash) {
            if (c.summary.state == ContainerStatus::Running || o.noStart) {
                say(progress, fmt::format("Container {}  Running", c.summary.name));
            } else {
                BERTH_TRYV(containers.start(c.summary.id));
                say(progress, fmt::format("Container {}  Started", c.summary.name));
            }
            return c.summary.id;
        }
        say(progress, fmt::format("Container {}  Recreate", c.summary.name));
        if (c.summary.state == ContainerStatus::Running) (void)containers.stop(c.summary.id);
        BERTH_TRYV(containers.remove(c.summary.id, true, true));
    }
    auto request = BERTH_TRY(runRequest(p, s, 1));
    auto created = BERTH_TRY(containers.create(request));
    auto id = created.id;
    auto undo = [&](const Error& e) -> Result<std::string> {
        (void)containers.remove(id, true, true);
        return fail(e);
    };
    say(progress, fmt::format("Container {}  Created", request.name));
    for (auto it = std::next(s.networks.begin()); it != s.networks.end(); ++it) {
        ConnectOptions c;
        c.aliases = it->second;
        c.aliases.insert(c.aliases.begin(), s.name);
        if (auto r = engine.networks().connect(p.networks.at(it->first).name, id, c); !r) return undo(r.error());
    }
    if (o.noStart) return id;
    if (auto r = containers.start(id); !r) return undo(r.error());
    say(progress, fmt::format("Container {}  Started", request.name));
    return id;
}

} // namespace

Result<std::vector<ContainerRef>> projectContainers(Engine& engine, const std::string& projectName) {
    auto all = BERTH_TRY(engine.containers().list(true));
    std::vector<ContainerRef> out;
    for (auto& c : all) {
        auto project = c.labels.find(kProjectLabel);
        if (project == c.labels.end() || project->second != projectName) continue;
        ContainerRef r{c, {}, 0, false};
        if (auto s = c.labels.find(kServiceLabel); s != c.labels.end()) r.service = s->second;
        if (auto n = c.labels.find(kNumberLabel); n != c.labels.end()) r.number = std::atoi(n->second.c_str());
        if (auto o = c.labels.find(kOneoffLabel); o != c.labels.end()) r.oneoff = o->second == "True";
        out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) {
        return std::tie(a.service, a.oneoff, a.number, a.summary.name) < std::tie(b.service, b.oneoff, b.number, b.summary.name);
    });
    return out;
}

VoidResult up(Engine& engine, const Project& p, const UpOptions& o, const Progress& progress) {
    auto order = BERTH_TRY(startOrder(p, o.services, o.noDeps));
    Made made;
    std::vector<std::string> upNow;
    auto failed = [&](const Error& e) -> VoidResult {
        auto existing = projectContainers(engine, p.name);
        std::vector<std::string> running;
        if (existing)
            for (auto& c : *existing)
                if (c.summary.state == ContainerStatus::Running) running.push_back(c.service);
        if (running.empty()) {
            // Nothing of the project runs: what this call made goes too (it would be an app half-made).
            if (existing)
                for (auto& c : *existing)
                    if (std::find(upNow.begin(), upNow.end(), c.service) != upNow.end())
                        (void)engine.containers().remove(c.summary.id, true, true);
            for (auto& n : made.networks) (void)engine.networks().remove(n);
            for (auto& v : made.volumes) (void)engine.volumes().remove(v);
            return fail(e.code(), fmt::format("{} (nothing of project {} is up)", e.message(), p.name));
        }
        return fail(e.code(), fmt::format("{} (up: {})", e.message(), fmt::join(running, ", ")));
    };
    if (auto r = ensureNetworks(engine, p, order, made, progress); !r) return failed(r.error());
    if (auto r = ensureVolumes(engine, p, order, made, progress); !r) return failed(r.error());
    auto existing = projectContainers(engine, p.name);
    if (!existing) return failed(existing.error());
    std::map<std::string, std::string> ids;
    for (auto& name : order) {
        auto& s = p.services.at(name);
        if (!o.noStart)
            for (auto& [dep, d] : s.dependsOn) {
                if (!ids.contains(dep)) continue;  // --no-deps, or an optional one left out
                if (auto r = waitFor(engine, dep, ids.at(dep), d, progress); !r) return failed(r.error());
            }
        auto id = upService(engine, p, s, o, *existing, progress);
        if (!id) return failed(id.error());
        ids[name] = *id;
        upNow.push_back(name);
    }
    return {};
}

Result<std::string> createOneoff(Engine& engine, const Project& p, const std::string& service, const OneoffOptions& o,
                                 const Progress& progress) {
    auto order = BERTH_TRY(startOrder(p, {service}));
    order.pop_back();  // the service itself comes last
    if (!o.noDeps && !order.empty()) BERTH_TRYV(up(engine, p, {order, false, true, false}, progress));
    Made made;
    BERTH_TRYV(ensureNetworks(engine, p, {service}, made, progress));
    BERTH_TRYV(ensureVolumes(engine, p, {service}, made, progress));
    auto& s = p.services.at(service);
    auto flags = runFlags(p, s, 1);
    std::random_device rd;
    flags.name = fmt::format("{}-{}-run-{:06x}{:06x}", p.name, service, rd() & 0xffffff, rd() & 0xffffff);
    for (auto& label : flags.labels)
        if (label.starts_with(std::string(kOneoffLabel) + "=")) label = std::string(kOneoffLabel) + "=True";
    if (o.command) {
        flags.command = *o.command;
        if (s.entrypoint && s.entrypoint->size() > 1)  // the list entrypoint's tail stays before the command
            flags.command.insert(flags.command.begin(), s.entrypoint->begin() + 1, s.entrypoint->end());
    }
    flags.env.insert(flags.env.end(), o.env.begin(), o.env.end());
    flags.rm = o.rm;
    flags.tty = o.tty;
    flags.interactive = o.interactive;
    flags.publish.clear();  // as docker compose run: the service's ports only with --service-ports
    flags.restart.clear();
    auto request = BERTH_TRY(detail::requestFrom(s, flags));
    auto created = BERTH_TRY(engine.containers().create(request));
    return created.id;
}

VoidResult down(Engine& engine, const std::string& projectName, const Project* p, const DownOptions& o,
                const Progress& progress) {
    auto containers = BERTH_TRY(projectContainers(engine, projectName));
    // Dependents first: the reverse of the start order; orphans (and with no model, all) before.
    std::vector<std::string> order;
    if (p) order = BERTH_TRY(startOrder(*p));
    auto rank = [&](const ContainerRef& c) {
        auto it = std::find(order.begin(), order.end(), c.service);
        return it == order.end() ? -1 : int(it - order.begin());
    };
    std::stable_sort(containers.begin(), containers.end(), [&](auto& a, auto& b) { return rank(a) > rank(b); });
    std::vector<std::string> orphans;
    std::string firstError;
    for (auto& c : containers) {
        if (p && rank(c) < 0 && !c.oneoff && !o.removeOrphans) {
            orphans.push_back(c.summary.name);
            continue;
        }
        if (c.summary.state == ContainerStatus::Running || c.summary.state == ContainerStatus::Paused) {
            auto r = engine.containers().stop(c.summary.id);
            if (r || r.error().code() == Errc::NotModified) say(progress, fmt::format("Container {}  Stopped", c.summary.name));
        }
        if (auto r = engine.containers().remove(c.summary.id, true, true); !r) {
            if (firstError.empty()) firstError = r.error().message();
        } else {
            say(progress, fmt::format("Container {}  Removed", c.summary.name));
        }
    }
    if (!orphans.empty())
        say(progress, fmt::format("WARNING: Found orphan containers ({}) for this project. Remove them with --remove-orphans.",
                                  fmt::join(orphans, ", ")));
    auto networks = BERTH_TRY(engine.networks().list());
    for (auto& n : networks) {
        auto label = n.labels.find(kProjectLabel);
        if (n.builtin || label == n.labels.end() || label->second != projectName) continue;
        if (auto r = engine.networks().remove(n.name); !r) {
            if (orphans.empty() && firstError.empty()) firstError = r.error().message();
        } else {
            say(progress, fmt::format("Network {}  Removed", n.name));
        }
    }
    if (o.volumes) {
        auto volumes = BERTH_TRY(engine.volumes().list());
        for (auto& v : volumes) {
            auto label = v.volume.labels.find(kProjectLabel);
            if (label == v.volume.labels.end() || label->second != projectName) continue;
            if (auto r = engine.volumes().remove(v.volume.name); !r) {
                if (firstError.empty()) firstError = r.error().message();
            } else {
                say(progress, fmt::format("Volume {}  Removed", v.volume.name));
            }
        }
    }
    if (!firstError.empty()) return fail(Errc::Conflict, firstError);
    return {};
}

Result<std::vector<ProjectSummary>> listProjects(Engine& engine, bool all) {
    auto containers = BERTH_TRY(engine.containers().list(true));
    std::map<std::string, std::map<std::string, int>> states;
    std::map<std::string, std::string> files;
    for (auto& c : containers) {
        auto project = c.labels.find(kProjectLabel);
        if (project == c.labels.end()) continue;
        states[project->second][statusName(c.state)]++;
        if (auto f = c.labels.find(kConfigFilesLabel); f != c.labels.end()) files[project->second] = f->second;
    }
    std::vector<ProjectSummary> out;
    for (auto& [name, counts] : states) {
        if (!all && !counts.contains("running")) continue;
        std::vector<std::string> parts;
        for (auto& [state, n] : counts) parts.push_back(fmt::format("{}({})", state, n));
        out.push_back({name, fmt::format("{}", fmt::join(parts, ", ")), files[name]});
    }
    return out;
}

} // namespace berth::compose
