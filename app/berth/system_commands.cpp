// System verbs: df (disk usage), check (store verification and repair) and service
// (the Docker Engine API, service_command.cpp).
#include "cli_context.h"

#include <fmt/format.h>

namespace berth::cli {

namespace {

std::string percentOf(uint64_t part, uint64_t whole) {
    if (whole == 0) return "0%";
    return fmt::format("{}%", part * 100 / whole);
}

} // namespace

void addSystemCommands(CLI::App& app, CliContext& ctx) {
    CLI::App* system = app.add_subcommand("system", "Manage Berth");
    system->require_subcommand(1);

    auto format = std::make_shared<std::string>();
    auto* df = addVerb(*system, "df", "Show disk usage", ctx, [&ctx, format] {
        auto usage = ctx.check(ctx.engine().system().diskUsage());
        auto& du = usage.images;
        auto& cu = usage.containers;
        if (*format == "json") {
            nlohmann::json out = nlohmann::json::array();
            out.push_back({{"Type", "Images"},
                           {"TotalCount", du.images},
                           {"Active", du.activeImages},
                           {"Size", du.size},
                           {"Reclaimable", du.reclaimable}});
            out.push_back({{"Type", "Containers"},
                           {"TotalCount", cu.total},
                           {"Active", cu.active},
                           {"Size", cu.sizeBytes},
                           {"Reclaimable", cu.reclaimableBytes}});
            fmt::print("{}\n", out.dump(2));
            return;
        }
        if (!format->empty() && *format != "table")
            throw CliError{"unsupported format \"" + *format + "\" (use table or json)"};
        Table t({"TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"});
        t.addRow({"Images", std::to_string(du.images), std::to_string(du.activeImages), humanSize(du.size),
                  fmt::format("{} ({})", humanSize(du.reclaimable), percentOf(du.reclaimable, du.size))});
        t.addRow({"Containers", std::to_string(cu.total), std::to_string(cu.active), humanSize(cu.sizeBytes),
                  fmt::format("{} ({})", humanSize(cu.reclaimableBytes),
                              percentOf(cu.reclaimableBytes, cu.sizeBytes))});
        fmt::print("{}", t.render());
    });
    df->add_option("--format", *format, "Output format: table (default) or json");

    auto repair = std::make_shared<bool>(false);
    auto checkFormat = std::make_shared<std::string>();
    auto* check = addVerb(*system, "check", "Verify the store (digests, references, orphans, half layers)", ctx,
                          [&ctx, repair, checkFormat] {
        auto rep = ctx.check(ctx.engine().system().check(*repair));
        size_t unrepaired = 0;
        for (auto& p : rep.problems)
            if (!p.repaired) ++unrepaired;
        if (*checkFormat == "json") {
            nlohmann::json probs = nlohmann::json::array();
            for (auto& p : rep.problems)
                probs.push_back({{"Kind", p.kind}, {"Object", p.what}, {"Detail", p.detail}, {"Repaired", p.repaired}});
            nlohmann::json out{{"Images", rep.images}, {"Blobs", rep.blobs}, {"Layers", rep.layers},
                               {"Recovered", rep.recovered}, {"Problems", probs}, {"Clean", rep.clean()}};
            fmt::print("{}\n", out.dump(2));
        } else {
            if (rep.recovered)
                fmt::print("Rolled back {} interrupted operation(s) first.\n", rep.recovered);
            for (auto& p : rep.problems)
                fmt::print("{}{}: {}: {}\n", p.repaired ? "repaired " : "", p.kind, p.what, p.detail);
            if (rep.clean())
                fmt::print("Store is clean: {} images, {} blobs, {} layers checked.\n", rep.images, rep.blobs,
                           rep.layers);
            else if (unrepaired == 0)
                fmt::print("Repaired {} problem(s).\n", rep.problems.size());
            else
                fmt::print("Found {} problem(s){}.\n", unrepaired,
                           *repair ? "" : "; run `berth system check --repair` to remove what is broken");
        }
        if (unrepaired) ctx.exitCode = 1;
    });
    check->add_flag("--repair", *repair, "Remove what is broken (never what is sound)");
    check->add_option("--format", *checkFormat, "Output format: text (default) or json");

    addServiceCommand(*system, ctx);
}

} // namespace berth::cli
