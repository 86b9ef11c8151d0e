// ps, logs, inspect, stats, top, port, container prune (events: events_command.cpp).
#include "container_cli.h"
#include "inspect_output.h"

#include "berth/go_template.h"

#include <fmt/format.h>

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <thread>

namespace berth::cli {

namespace {

std::string quoteCommand(const std::string& cmd, bool noTrunc) {
    std::string c = noTrunc ? cmd : truncate(cmd, 20);
    return "\"" + c + "\"";
}

std::string createdAt(int64_t secs) {
    time_t t = time_t(secs);
    struct tm tm {};
    localtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %z %Z", &tm);
    return buf;
}

// Fields of one ps row by docker's template names.
std::map<std::string, std::string> psFields(const ContainerSummary& s, bool noTrunc) {
    std::string labels;
    for (auto& [k, v] : s.labels) labels += (labels.empty() ? "" : ",") + k + "=" + v;
    return {{"ID", noTrunc ? s.id : s.id.substr(0, 12)},
            {"Image", s.image},
            {"Command", quoteCommand(s.command, noTrunc)},
            {"CreatedAt", createdAt(s.created)},
            {"RunningFor", humanDuration(int64_t(std::time(nullptr)) - s.created) + " ago"},
            {"Ports", formatPorts(s.ports)},
            {"State", statusName(s.state)},
            {"Status", s.status},
            {"Names", s.name},
            {"Labels", labels},
            {"Size", ""},
            {"Mounts", ""},
            {"Networks", ""},
            {"LocalVolumes", "0"}};
}

// docker's --format: a Go template over the row (berth/go_template.h).
std::string applyTemplate(const std::string& tmpl, const std::map<std::string, std::string>& fields) {
    auto out = renderGoTemplate(tmpl, nlohmann::json(fields).dump());
    if (!out) throw CliError{out.error().message(), 1};
    return *out;
}

bool matchesFilter(const ContainerSummary& s, const std::string& filter) {
    auto eq = filter.find('=');
    if (eq == std::string::npos) throw CliError{"bad format of filter (expected name=value): " + filter, 1};
    std::string key = filter.substr(0, eq), value = filter.substr(eq + 1);
    if (key == "status") return statusName(s.state) == value;
    if (key == "name") return s.name.find(value) != std::string::npos;
    if (key == "id") return s.id.rfind(value, 0) == 0;
    if (key == "ancestor")
        return s.image == value || s.image == value + ":latest" || s.imageId == value ||
               s.imageId.rfind("sha256:" + value, 0) == 0;
    if (key == "label") {
        auto eq2 = value.find('=');
        auto it = s.labels.find(value.substr(0, eq2));
        if (it == s.labels.end()) return false;
        return eq2 == std::string::npos || it->second == value.substr(eq2 + 1);
    }
    if (key == "health") {
        if (value != "starting" && value != "healthy" && value != "unhealthy" && value != "none")
            throw CliError{"Unrecognised filter value for health: " + value + " (starting, healthy, unhealthy or none)", 1};
        return (s.health.empty() ? "none" : s.health) == value;
    }
    if (key == "exited") return s.state == ContainerStatus::Exited && std::to_string(s.exitCode) == value;
    throw CliError{"invalid filter '" + key + "'", 1};
}


bool hasSubcommand(CLI::App& app, const std::string& name) {
    for (auto* sub : app.get_subcommands({}))
        if (sub->get_name() == name) return true;
    return false;
}

uint64_t hostMemory() {
    long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGE_SIZE);
    return pages > 0 && size > 0 ? uint64_t(pages) * uint64_t(size) : 0;
}

} // namespace

int64_t parseTimeBound(const std::string& text) {
    if (text.empty()) return 0;
    // A duration relative to now ("10m", "1h30m", "42s").
    int64_t total = 0, num = 0;
    bool isDuration = true, any = false;
    for (char c : text) {
        if (std::isdigit(static_cast<unsigned char>(c))) {
            num = num * 10 + (c - '0');
            any = true;
        } else if (c == 's' || c == 'm' || c == 'h') {
            total += num * (c == 's' ? 1 : c == 'm' ? 60 : 3600);
            num = 0;
        } else {
            isDuration = false;
            break;
        }
    }
    if (isDuration && any && num == 0) return nowNano() - total * 1000000000;
    // A unix timestamp, possibly with a fraction.
    if (text.find_first_not_of("0123456789.") == std::string::npos) {
        char* end = nullptr;
        double seconds = std::strtod(text.c_str(), &end);
        if (end && *end == '\0' && end != text.c_str()) return int64_t(seconds * 1e9);
    }
    int64_t ns = parseTimeNano(text);
    if (ns == 0) throw CliError{"invalid value for --since/--until: `" + text + "`", 1};
    return ns;
}

namespace {

// ps (ls, list under `berth container`).
void addPsVerbs(CLI::App& parent, CliContext& ctx, bool containerGroup) {
    struct PsFlags {
        bool all = false, quiet = false, noTrunc = false, latest = false;
        std::vector<std::string> filters;
        std::string format;
        int last = -1;
    };
    auto ps = std::make_shared<PsFlags>();
    auto psBody = [&ctx, ps] {
        auto& f = *ps;
        auto list = ctx.check(ctx.engine().containers().list(f.all || f.last >= 0 || f.latest));
        std::vector<ContainerSummary> rows;
        for (auto& s : list) {
            bool ok = true;
            for (auto& flt : f.filters) ok = ok && matchesFilter(s, flt);
            if (ok) rows.push_back(s);
        }
        if (f.latest && rows.size() > 1) rows.resize(1);
        if (f.last >= 0 && rows.size() > size_t(f.last)) rows.resize(size_t(f.last));
        std::string out;
        if (f.quiet) {
            for (auto& s : rows) out += (f.noTrunc ? s.id : s.id.substr(0, 12)) + "\n";
        } else if (f.format == "json") {
            for (auto& s : rows) out += nlohmann::json(psFields(s, f.noTrunc)).dump() + "\n";
        } else if (!f.format.empty() && f.format != "table") {
            std::string tmpl = f.format;
            bool table = tmpl.rfind("table ", 0) == 0;
            if (table) {
                tmpl.erase(0, 6);
                std::map<std::string, std::string> header;
                for (auto& [k, v] : psFields(ContainerSummary{}, true)) {
                    static const std::map<std::string, std::string> names{
                        {"ID", "CONTAINER ID"}, {"Image", "IMAGE"}, {"Command", "COMMAND"},
                        {"CreatedAt", "CREATED AT"}, {"RunningFor", "CREATED"}, {"Ports", "PORTS"},
                        {"State", "STATE"}, {"Status", "STATUS"}, {"Names", "NAMES"}, {"Labels", "LABELS"}};
                    header[k] = names.count(k) ? names.at(k) : k;
                }
                out += applyTemplate(tmpl, header) + "\n";
            }
            for (auto& s : rows) out += applyTemplate(tmpl, psFields(s, f.noTrunc)) + "\n";
        } else {
            Table t({"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"});
            for (auto& s : rows) {
                auto fl = psFields(s, f.noTrunc);
                t.addRow({fl["ID"], fl["Image"], fl["Command"], fl["RunningFor"], fl["Status"], fl["Ports"], fl["Names"]});
            }
            out = t.render();
        }
        fmt::print("{}", out);
    };
    for (const char* name : containerGroup ? std::vector<const char*>{"ls", "ps", "list"} : std::vector<const char*>{"ps"}) {
        auto* sub = addVerb(parent, name, "List containers", ctx, psBody);
        sub->add_flag("-a,--all", ps->all, "Show all containers (default shows just running)");
        sub->add_flag("-q,--quiet", ps->quiet, "Only display container IDs");
        sub->add_flag("--no-trunc", ps->noTrunc, "Don't truncate output");
        sub->add_flag("-l,--latest", ps->latest, "Show the latest created container");
        sub->add_option("-n,--last", ps->last, "Show n last created containers");
        sub->add_option("-f,--filter", ps->filters, "Filter output based on conditions provided")->allow_extra_args(false);
        sub->add_option("--format", ps->format, "Format output: table, json, or a Go-like template");
    }
}

// logs: the container's lines (a tail reads from the end of the file), followed with -f.
void addLogsVerb(CLI::App& parent, CliContext& ctx) {
    struct LogsFlags {
        bool follow = false, timestamps = false;
        std::string tail = "all", since, until, container;
    };
    auto f = std::make_shared<LogsFlags>();
    auto* sub = addVerb(parent, "logs", "Fetch the logs of a container", ctx, [&ctx, f] {
        LogsOptions o;
        o.follow = f->follow;
        if (f->tail != "all") {
            try {
                o.tail = std::stoll(f->tail);
            } catch (...) {
                throw CliError{"invalid --tail value: " + f->tail, 1};
            }
        }
        o.sinceNano = parseTimeBound(f->since);
        o.untilNano = parseTimeBound(f->until);
        bool ts = f->timestamps;
        ctx.check(ctx.engine().containers().logs(f->container, o, [ts](const LogLine& l) {
            FILE* out = l.stream == "stderr" ? stderr : stdout;
            std::string line = ts ? formatTimeNano(l.timeNano) + " " + l.text : l.text;
            std::fwrite(line.data(), 1, line.size(), out);
            std::fflush(out);
            return true;
        }));
    });
    sub->add_flag("-f,--follow", f->follow, "Follow log output");
    sub->add_flag("-t,--timestamps", f->timestamps, "Show timestamps");
    sub->add_option("-n,--tail", f->tail, "Number of lines to show from the end of the logs (default all)");
    sub->add_option("--since", f->since, "Show logs since timestamp or relative (e.g. 42m)");
    sub->add_option("--until", f->until, "Show logs before a timestamp or relative (e.g. 42m)");
    sub->add_option("container", f->container, "Container")->required();
}

// `berth container inspect` (and `berth inspect` when the image verbs did not add theirs).
void addContainerInspectVerb(CLI::App& parent, CliContext& ctx) {
    auto refs = std::make_shared<std::vector<std::string>>();
    auto format = std::make_shared<std::string>();
    auto* sub = addVerb(parent, "inspect", "Display detailed information on one or more containers", ctx, [&ctx, refs, format] {
        std::vector<std::string> found;
        bool failed = false;
        for (auto& r : *refs) {
            auto d = ctx.engine().containers().inspect(r);
            if (!d) {
                fmt::print(stderr, "Error: {}\n", d.error().message());
                failed = true;
                continue;
            }
            found.push_back(std::move(d->json));
        }
        printInspected(found, *format);
        if (failed) ctx.exitCode = 1;
    });
    sub->add_option("-f,--format", *format, "Format the output using a Go template ('{{.State.Pid}}')");
    sub->add_option("containers", *refs, "Containers")->required();
}

// stats: CPU % by berth::cpuPercent, the window's formula too.
void addStatsVerb(CLI::App& parent, CliContext& ctx) {
    struct StatsFlags {
        bool noStream = false, all = false, noTrunc = false;
        std::string format;
        std::vector<std::string> refs;
    };
    auto f = std::make_shared<StatsFlags>();
    auto* sub = addVerb(parent, "stats", "Display a live stream of container resource usage statistics", ctx, [&ctx, f] {
        auto& c = ctx.engine().containers();
        std::map<std::string, ContainerStats> previous;
        uint64_t hostMem = hostMemory();
        while (true) {
            auto samples = ctx.check(c.stats(f->refs));
            std::string out;
            Table t({"CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"});
            for (auto& s : samples) {
                auto prev = previous.find(s.id);
                double cpu = cpuPercent(prev != previous.end() ? &prev->second : nullptr, s);
                uint64_t limit = s.memoryLimit && s.memoryLimit < hostMem ? s.memoryLimit : hostMem;
                double memPct = limit ? double(s.memoryUsage) / double(limit) * 100.0 : 0;
                std::string id = f->noTrunc ? s.id : s.id.substr(0, 12);
                if (f->format == "json") {
                    out += nlohmann::json{{"ID", id},
                                          {"Name", s.name},
                                          {"CPUPerc", fmt::format("{:.2f}%", cpu)},
                                          {"MemUsage", humanBinarySize(s.memoryUsage) + " / " + humanBinarySize(limit)},
                                          {"MemPerc", fmt::format("{:.2f}%", memPct)},
                                          {"NetIO", humanSize(s.netRx) + " / " + humanSize(s.netTx)},
                                          {"BlockIO", humanSize(s.blkioRead) + " / " + humanSize(s.blkioWrite)},
                                          {"PIDs", std::to_string(s.pids)},
                                          {"CPUUsageNs", s.cpuUsageNs},
                                          {"MemUsageBytes", s.memoryUsage},
                                          {"MemLimitBytes", s.memoryLimit}}
                               .dump() +
                           "\n";
                } else {
                    t.addRow({id, s.name, fmt::format("{:.2f}%", cpu),
                              humanBinarySize(s.memoryUsage) + " / " + humanBinarySize(limit), fmt::format("{:.2f}%", memPct),
                              humanSize(s.netRx) + " / " + humanSize(s.netTx),
                              humanSize(s.blkioRead) + " / " + humanSize(s.blkioWrite), std::to_string(s.pids)});
                }
                previous[s.id] = s;
            }
            if (f->format != "json") out = t.render();
            if (!f->noStream && f->format != "json") fmt::print("\033[2J\033[H");
            fmt::print("{}", out);
            std::fflush(stdout);
            if (f->noStream) break;
            std::this_thread::sleep_for(std::chrono::seconds(1));
        }
    });
    sub->add_flag("--no-stream", f->noStream, "Disable streaming stats and only pull the first result");
    sub->add_flag("-a,--all", f->all, "Show all containers (default shows just running)");
    sub->add_flag("--no-trunc", f->noTrunc, "Do not truncate output");
    sub->add_option("--format", f->format, "Format output: table or json");
    sub->add_option("containers", f->refs, "Containers");
}

// top: the container's processes.
void addTopVerb(CLI::App& parent, CliContext& ctx) {
    auto ref = std::make_shared<std::string>();
    auto* sub = addVerb(parent, "top", "Display the running processes of a container", ctx, [&ctx, ref] {
        auto top = ctx.check(ctx.engine().containers().top(*ref));
        Table t(top.titles);
        for (auto& p : top.processes) t.addRow(p);
        fmt::print("{}", t.render());
    });
    sub->add_option("container", *ref, "Container")->required();
    sub->allow_extras();  // docker's ps options are accepted and ignored
}

// port: the published ports, live.
void addPortVerb(CLI::App& parent, CliContext& ctx) {
    auto ref = std::make_shared<std::string>();
    auto priv = std::make_shared<std::string>();
    auto* sub = addVerb(parent, "port", "List port mappings or a specific mapping for the container", ctx, [&ctx, ref, priv] {
        auto ports = ctx.check(ctx.engine().containers().ports(*ref));
        std::string want = *priv;
        if (!want.empty() && want.find('/') == std::string::npos) want += "/tcp";
        bool any = false;
        for (auto& p : ports) {
            std::string key = std::to_string(p.containerPort) + "/" + p.protocol;
            if (!want.empty() && key != want) continue;
            if (!p.hostPort) continue;
            any = true;
            std::string host = fmt::format("{}:{}", p.hostIp.empty() ? "0.0.0.0" : p.hostIp, p.hostPort);
            if (want.empty()) fmt::print("{} -> {}\n", key, host);
            else fmt::print("{}\n", host);
        }
        if (!any && !want.empty()) throw CliError{"No public port '" + want + "' published for " + *ref, 1};
    });
    sub->add_option("container", *ref, "Container")->required();
    sub->add_option("port", *priv, "PRIVATE_PORT[/PROTO]");
}

// container prune.
void addContainerPruneVerb(CLI::App& parent, CliContext& ctx) {
    auto force = std::make_shared<bool>(false);
    auto* sub = addVerb(parent, "prune", "Remove all stopped containers", ctx, [&ctx, force] {
        if (!*force && !confirmRemoval("all stopped containers")) return;
        auto report = ctx.check(ctx.engine().containers().prune());
        if (!report.removedIds.empty()) {
            fmt::print("Deleted Containers:\n");
            for (auto& id : report.removedIds) fmt::print("{}\n", id);
            fmt::print("\n");
        }
        fmt::print("Total reclaimed space: {}\n", humanSize(report.reclaimedBytes));
    });
    sub->add_flag("-f,--force", *force, "Do not prompt for confirmation");
}

} // namespace

void addInfoVerbs(CLI::App& parent, CliContext& ctx, bool containerGroup) {
    addPsVerbs(parent, ctx, containerGroup);
    addLogsVerb(parent, ctx);
    // `berth inspect` belongs to the image commands when they define it (they call
    // inspectContainerIfAny first); `berth container inspect` is containers only.
    if (containerGroup || !hasSubcommand(parent, "inspect")) addContainerInspectVerb(parent, ctx);
    addStatsVerb(parent, ctx);
    addTopVerb(parent, ctx);
    addPortVerb(parent, ctx);
    if (!containerGroup) addEventsVerb(parent, ctx);  // events_command.cpp
    if (containerGroup) addContainerPruneVerb(parent, ctx);
}

} // namespace berth::cli
