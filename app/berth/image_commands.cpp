#include "cli_context.h"

namespace berth::cli {

void addImageCommands(CLI::App& app, CliContext& ctx) {
    addVerb(app, "images", "List images", ctx, [&ctx] {
        auto list = ctx.check(ctx.engine().images().list());
        Table t({"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"});
        for (auto& img : list) t.addRow({"<none>", "<none>", img.id.shortId(), timeAgo(img.created), humanSize(img.size)});
        fmt::print("{}", t.render());
    });
}

} // namespace berth::cli
