// berth inspect: a JSON array of the named objects, like `docker inspect`. Each name is
// looked up by the lookups below in turn; containers add theirs here when they land.
#include "container_cli.h"
#include "image_verbs.h"

#include "berth/go_template.h"

#include <fmt/format.h>

namespace berth::cli {

nlohmann::json inspectImageJson(CliContext& ctx, const std::string& nameOrId) {
    return nlohmann::json::parse(ctx.check(ctx.engine().images().inspect(nameOrId)).json);
}

namespace {

struct Lookup {
    const char* type;  // value of --type that selects it
    // The object's JSON, or nullopt when it has no object of that name.
    std::function<std::optional<nlohmann::json>(CliContext&, const std::string&)> find;
};

std::vector<Lookup> lookups() {
    return {
        {"container",
         [](CliContext& ctx, const std::string& name) -> std::optional<nlohmann::json> {
             auto text = inspectContainerIfAny(ctx, name);
             if (!text) return std::nullopt;
             return nlohmann::json::parse(*text);
         }},
        {"image",
         [](CliContext& ctx, const std::string& name) -> std::optional<nlohmann::json> {
             auto d = ctx.engine().images().inspect(name);
             if (!d) {
                 if (d.error().code() == Errc::NotFound) return std::nullopt;
                 throw CliError{d.error().message()};
             }
             return nlohmann::json::parse(d->json);
         }},
    };
}

void runInspect(CliContext& ctx, const std::vector<std::string>& names, const std::string& type,
                const std::string& format) {
    nlohmann::json out = nlohmann::json::array();
    std::vector<std::string> missing;
    for (auto& name : names) {
        std::optional<nlohmann::json> found;
        for (auto& l : lookups()) {
            if (!type.empty() && type != l.type) continue;
            if ((found = l.find(ctx, name))) break;
        }
        if (found)
            out.push_back(std::move(*found));
        else
            missing.push_back(name);
    }
    if (format == "json" || format.empty()) {
        fmt::print("{}\n", out.dump(4));
    } else {
        for (auto& object : out) {  // docker's -f: one line per object (berth/go_template.h)
            auto line = renderGoTemplate(format, object.dump());
            if (!line) throw CliError{line.error().message(), 1};
            fmt::print("{}\n", *line);
        }
    }
    if (!missing.empty()) {
        for (auto& m : missing) fmt::print(stderr, "Error: No such object: {}\n", m);
        ctx.exitCode = 1;
    }
}

} // namespace

void addInspectCommand(CLI::App& app, CliContext& ctx) {
    auto names = std::make_shared<std::vector<std::string>>();
    auto type = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>();
    auto* cmd = addVerb(app, "inspect", "Return low-level information on objects", ctx,
                        [&ctx, names, type, format] { runInspect(ctx, *names, *type, *format); });
    cmd->add_option("NAME", *names, "Image (or other object) names or ids")->required();
    cmd->add_option("--type", *type, "Only objects of this type (image)");
    cmd->add_option("-f,--format", *format, "Format the output using a Go template ('{{.Id}}'), or json");
}

void addImageInspect(CLI::App& image, CliContext& ctx) {
    auto names = std::make_shared<std::vector<std::string>>();
    auto format = std::make_shared<std::string>();
    auto* cmd = addVerb(image, "inspect", "Display detailed information on one or more images", ctx,
                        [&ctx, names, format] { runInspect(ctx, *names, "image", *format); });
    cmd->add_option("IMAGE", *names, "Image names or ids")->required();
    cmd->add_option("-f,--format", *format, "Format the output using a Go template ('{{.Id}}'), or json");
}

} // namespace berth::cli
