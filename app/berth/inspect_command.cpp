// berth inspect: a JSON array of the named objects, like `docker inspect`, or one line per
// object with -f. Each name is looked up by the lookups below in turn (container, image,
// volume, network, docker's order); every `inspect` verb prints through printInspected.
#include "container_cli.h"
#include "inspect_output.h"
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
    std::function<std::optional<std::string>(CliContext&, const std::string&)> find;
};

// The JSON of an inspect result, nullopt for NotFound; other errors end the command.
template <class R>
std::optional<std::string> jsonIfFound(const R& r) {
    if (r) return r->json;
    if (r.error().code() == Errc::NotFound) return std::nullopt;
    throw CliError{r.error().message()};
}

std::vector<Lookup> lookups() {
    return {
        {"container", [](CliContext& ctx, const std::string& name) { return inspectContainerIfAny(ctx, name); }},
        {"image", [](CliContext& ctx, const std::string& name) { return jsonIfFound(ctx.engine().images().inspect(name)); }},
        {"volume", [](CliContext& ctx, const std::string& name) { return jsonIfFound(ctx.engine().volumes().inspect(name)); }},
        {"network",
         [](CliContext& ctx, const std::string& name) { return jsonIfFound(ctx.engine().networks().inspect(name)); }},
    };
}

void runInspect(CliContext& ctx, const std::vector<std::string>& names, const std::string& type,
                const std::string& format) {
    std::vector<std::string> out;
    std::vector<std::string> missing;
    for (auto& name : names) {
        std::optional<std::string> found;
        for (auto& l : lookups()) {
            if (!type.empty() && type != l.type) continue;
            if ((found = l.find(ctx, name))) break;
        }
        if (found)
            out.push_back(std::move(*found));
        else
            missing.push_back(name);
    }
    printInspected(out, format);
    if (!missing.empty()) {
        for (auto& m : missing) fmt::print(stderr, "Error: No such object: {}\n", m);
        ctx.exitCode = 1;
    }
}

} // namespace

void printInspected(const std::vector<std::string>& objects, const std::string& format) {
    if (format.empty() || format == "json") {
        nlohmann::json out = nlohmann::json::array();
        for (auto& o : objects) out.push_back(nlohmann::json::parse(o));
        fmt::print("{}\n", out.dump(4));
        return;
    }
    for (auto& o : objects) {  // docker's -f: one line per object (berth/go_template.h)
        auto line = renderGoTemplate(format, o);
        if (!line) throw CliError{line.error().message(), 1};
        fmt::print("{}\n", *line);
    }
}

void addInspectCommand(CLI::App& app, CliContext& ctx) {
    auto names = std::make_shared<std::vector<std::string>>();
    auto type = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>();
    auto* cmd = addVerb(app, "inspect", "Return low-level information on objects", ctx,
                        [&ctx, names, type, format] { runInspect(ctx, *names, *type, *format); });
    cmd->add_option("NAME", *names, "Image (or other object) names or ids")->required();
    cmd->add_option("--type", *type, "Only objects of this type (container, image, volume, network)");
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
