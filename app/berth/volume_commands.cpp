// `berth volume create|ls|inspect|rm|prune`: the store's named volumes, docker's flags and
// output.
#include "cli_context.h"
#include "inspect_output.h"

#include <fmt/format.h>

#include <iostream>
#include <optional>

namespace berth::cli {

namespace {

template <class T>
std::shared_ptr<T> opt() {
    return std::make_shared<T>();
}

// "k=v" items of --label/--opt.
std::map<std::string, std::string> keyValues(const std::vector<std::string>& items, const char* flag) {
    std::map<std::string, std::string> out;
    for (auto& item : items) {
        auto eq = item.find('=');
        if (eq == 0) throw CliError{fmt::format("invalid {} `{}`: the key is empty", flag, item), 125};
        if (eq == std::string::npos && std::string(flag) == "--opt")
            throw CliError{fmt::format("invalid option `{}`: expected key=value", item), 125};
        out[item.substr(0, eq)] = eq == std::string::npos ? "" : item.substr(eq + 1);
    }
    return out;
}


} // namespace

namespace {

void addVolumeCreate(CLI::App* volume, CliContext& ctx) {
    auto name = opt<std::string>();
    auto labels = opt<std::vector<std::string>>(), opts = opt<std::vector<std::string>>();
    auto driver = std::make_shared<std::string>("local");
    auto* cmd = addVerb(*volume, "create", "Create a volume", ctx, [&ctx, name, labels, opts, driver] {
        if (*driver != "local") throw CliError{"volume driver `" + *driver + "` is not supported (only local)", 125};
        VolumeCreateRequest req;
        req.name = *name;
        req.labels = keyValues(*labels, "--label");
        req.options = keyValues(*opts, "--opt");
        auto v = ctx.check(ctx.engine().volumes().create(req), 125);
        fmt::print("{}\n", v.name);
    });
    cmd->add_option("VOLUME", *name, "Volume name (default: a random one)");
    cmd->add_option("--label", *labels, "Set metadata for a volume")->allow_extra_args(false);
    cmd->add_option("-o,--opt", *opts, "Set driver specific options (type, o, device)")->allow_extra_args(false);
    cmd->add_option("-d,--driver", *driver, "Volume driver name (local)");
}

void addVolumeList(CLI::App* volume, CliContext& ctx) {
    auto quiet = opt<bool>();
    auto filters = opt<std::vector<std::string>>();
    auto format = opt<std::string>();
    auto* cmd = addVerb(*volume, "ls", "List volumes", ctx, [&ctx, quiet, filters, format] {
        auto& volumes = ctx.engine().volumes();
        std::optional<bool> dangling;
        std::map<std::string, std::string> labelFilters;
        for (auto& f : *filters) {
            auto eq = f.find('=');
            std::string key = f.substr(0, eq), value = eq == std::string::npos ? "" : f.substr(eq + 1);
            if (key == "dangling") {
                if (value == "true" || value == "1") dangling = true;
                else if (value == "false" || value == "0") dangling = false;
                else throw CliError{"invalid filter 'dangling=" + value + "' (true or false)", 125};
            } else if (key == "label") {
                auto eq2 = value.find('=');
                labelFilters[value.substr(0, eq2)] = eq2 == std::string::npos ? "\x01" : value.substr(eq2 + 1);
            } else {
                throw CliError{"invalid filter '" + key + "' (dangling, label)", 125};
            }
        }
        auto list = ctx.check(volumes.list());
        std::vector<Volume> shown;
        for (auto& [v, usedBy] : list) {
            bool used = !usedBy.empty();
            if (dangling && *dangling == used) continue;
            bool ok = true;
            for (auto& [k, val] : labelFilters) {
                auto it = v.labels.find(k);
                if (it == v.labels.end() || (val != "\x01" && it->second != val)) ok = false;
            }
            if (ok) shown.push_back(v);
        }
        if (*format == "json") {
            auto out = nlohmann::json::array();
            for (auto& v : shown) out.push_back(nlohmann::json::parse(ctx.check(volumes.inspect(v.name)).json));
            fmt::print("{}\n", out.dump(2));
            return;
        }
        if (!format->empty() && *format != "table")
            throw CliError{"unsupported format \"" + *format + "\" (use table or json)"};
        if (*quiet) {
            for (auto& v : shown) fmt::print("{}\n", v.name);
            return;
        }
        Table t({"DRIVER", "VOLUME NAME"});
        for (auto& v : shown) t.addRow({v.driver, v.name});
        fmt::print("{}", t.render());
    });
    cmd->alias("list");
    cmd->add_flag("-q,--quiet", *quiet, "Only display volume names");
    cmd->add_option("-f,--filter", *filters, "Filter output (dangling=true|false, label=key[=value])")
        ->allow_extra_args(false);
    cmd->add_option("--format", *format, "Output format: table (default) or json");
}

void addVolumeInspect(CLI::App* volume, CliContext& ctx) {
    auto names = opt<std::vector<std::string>>();
    auto format = opt<std::string>();
    auto* cmd = addVerb(*volume, "inspect", "Display detailed information on one or more volumes", ctx, [&ctx, names, format] {
        auto& volumes = ctx.engine().volumes();
        std::vector<std::string> out;
        bool failed = false;
        for (auto& n : *names) {
            auto v = volumes.inspect(n);
            if (!v) {
                fmt::print(stderr, "Error: {}\n", v.error().message());
                failed = true;
                continue;
            }
            out.push_back(std::move(v->json));
        }
        printInspected(out, *format);
        if (failed) ctx.exitCode = 1;
    });
    cmd->add_option("-f,--format", *format, "Format the output using a Go template ('{{.Mountpoint}}'), or json");
    cmd->add_option("VOLUME", *names, "Volumes")->required();
}

void addVolumeRemove(CLI::App* volume, CliContext& ctx) {
    auto names = opt<std::vector<std::string>>();
    auto force = opt<bool>();
    auto* cmd = addVerb(*volume, "rm", "Remove one or more volumes", ctx, [&ctx, names, force] {
        auto& volumes = ctx.engine().volumes();
        bool failed = false;
        for (auto& n : *names) {
            if (auto r = volumes.remove(n, *force); !r) {
                fmt::print(stderr, "Error response from daemon: {}\n", r.error().message());
                failed = true;
            } else {
                fmt::print("{}\n", n);
            }
        }
        if (failed) ctx.exitCode = 1;
    });
    cmd->alias("remove");
    cmd->add_flag("-f,--force", *force, "Do not fail for a volume that does not exist (one in use is still refused)");
    cmd->add_option("VOLUME", *names, "Volumes")->required();
}

void addVolumePrune(CLI::App* volume, CliContext& ctx) {
    auto all = opt<bool>(), force = opt<bool>();
    auto* cmd = addVerb(*volume, "prune", "Remove unused anonymous volumes (all unused ones with --all)", ctx,
                        [&ctx, all, force] {
        if (!*force && !confirmRemoval(*all ? "all local volumes not used by at least one container"
                                            : "anonymous local volumes not used by at least one container"))
            return;
        auto rep = ctx.check(ctx.engine().volumes().prune(*all));
        if (!rep.removed.empty()) {
            fmt::print("Deleted Volumes:\n");
            for (auto& n : rep.removed) fmt::print("{}\n", n);
            fmt::print("\n");
        }
        fmt::print("Total reclaimed space: {}\n", humanSize(rep.reclaimedBytes));
    });
    cmd->add_flag("-a,--all", *all, "Remove all unused volumes, not just anonymous ones");
    cmd->add_flag("-f,--force", *force, "Do not prompt for confirmation");
}

} // namespace

void addVolumeCommands(CLI::App& app, CliContext& ctx) {
    CLI::App* volume = app.add_subcommand("volume", "Manage volumes");
    volume->require_subcommand(1);

    addVolumeCreate(volume, ctx);
    addVolumeList(volume, ctx);
    addVolumeInspect(volume, ctx);
    addVolumeRemove(volume, ctx);
    addVolumePrune(volume, ctx);
}

} // namespace berth::cli
