// `berth events`: docker's semantics. Prints the journal's events that match (since
// --since, default: only new ones), then streams what is appended until interrupted or
// until --until is reached. `-f` is `--filter`, as in docker.
#include "container_cli.h"

#include "berth/go_template.h"

#include <fmt/format.h>

#include <memory>

namespace berth::cli {

namespace {

// --since/--until as logs takes them; a numeric "0" is the epoch here, not "no bound".
int64_t parseEventTime(const std::string& text) {
    int64_t ns = parseTimeBound(text);
    return !text.empty() && ns <= 0 ? 1 : ns;
}

struct EventsFlags {
    std::string since, until, format;
    std::vector<std::string> filters;
};

} // namespace

void addEventsVerb(CLI::App& parent, CliContext& ctx) {
    auto f = std::make_shared<EventsFlags>();
    auto* sub = addVerb(parent, "events", "Get real time events from the store", ctx, [&ctx, f] {
        auto filter = parseEventFilters(f->filters);
        if (!filter) throw CliError{filter.error().message(), 1};
        filter->sinceNano = parseEventTime(f->since);
        filter->untilNano = parseEventTime(f->until);
        std::string tmpl = f->format == "json" ? "{{json .}}" : f->format;
        auto print = [&](const Event& e) {
            if (!tmpl.empty()) {
                // docker's event message: field names in either case, a missing attribute is
                // "<no value>" (berth/go_template.h).
                auto line = renderGoTemplate(tmpl, dockerEventJson(e), {.missingFieldIsError = false, .caseInsensitiveFields = true});
                if (!line) throw CliError{line.error().message(), 1};
                fmt::print("{}\n", *line);
            } else {
                std::string attrs;
                for (auto& [k, v] : e.attributes) attrs += (attrs.empty() ? "" : ", ") + k + "=" + v;
                fmt::print("{} {} {} {} ({})\n", formatTimeNano(e.timeNano), e.type, e.action, e.id, attrs);
            }
            std::fflush(stdout);
            return true;
        };
        // Streams until interrupted (the default SIGINT ends the program) or --until.
        ctx.check(ctx.engine().system().followEvents(*filter, print));
    });
    sub->add_option("-f,--filter", f->filters, "Filter output based on conditions provided (type, container, event, image, label)")
        ->allow_extra_args(false);
    sub->add_option("--since", f->since, "Show all events created since timestamp or relative (e.g. 42m)");
    sub->add_option("--until", f->until, "Stream events until this timestamp or relative (e.g. 0s = now)");
    sub->add_option("--format", f->format, "Format the output using a Go-like template ('{{json .}}')");
}

} // namespace berth::cli
