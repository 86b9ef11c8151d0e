// Image verbs: images/ls, load, save, import, tag, rmi/rm, history, prune, and the
// `berth image ...` group that offers them under docker's management-command names.
#include "cli_context.h"
#include "image_verbs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fmt/format.h>
#include <iostream>

namespace berth::cli {

using nlohmann::json;

namespace {

bool writeAll(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(size_t(n));
    }
    return true;
}

template <class T>
std::shared_ptr<T> opt() {
    return std::make_shared<T>();
}

std::pair<std::string, std::string> splitRepoTag(const std::string& familiar) {
    auto colon = familiar.rfind(':');
    auto slash = familiar.rfind('/');
    if (colon == std::string::npos || (slash != std::string::npos && colon < slash))
        return {familiar, "<none>"};
    return {familiar.substr(0, colon), familiar.substr(colon + 1)};
}

void addList(CLI::App& parent, const std::string& name, CliContext& ctx) {
    auto all = opt<bool>(), quiet = opt<bool>(), noTrunc = opt<bool>();
    auto format = opt<std::string>();
    auto* cmd = addVerb(parent, name, "List images", ctx, [&ctx, all, quiet, noTrunc, format] {
        auto list = ctx.check(ctx.engine().images().list(*all));
        auto idOf = [&](const ImageSummary& s) { return *noTrunc ? s.id : shortId(s.id); };
        if (*format == "json") {
            json out = json::array();
            for (auto& s : list) {
                json names = json::array();
                for (auto& t : s.repoTags) names.push_back(t);
                out.push_back({{"Id", s.id},
                               {"RepoTags", s.repoTags},
                               {"Digest", s.manifestDigest},
                               {"Created", parseTimeNano(s.created) / 1000000000},
                               {"CreatedAt", s.created},
                               {"Size", s.size},
                               {"Layers", s.layerCount},
                               {"Dangling", s.repoTags.empty() && !s.intermediate}});
            }
            fmt::print("{}\n", out.dump(2));
            return;
        }
        if (!format->empty() && *format != "table")
            throw CliError{"unsupported format \"" + *format + "\" (use table or json)"};
        if (*quiet) {
            std::vector<std::string> seen;
            for (auto& s : list) {
                std::string id = idOf(s);
                if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
                seen.push_back(id);
                fmt::print("{}\n", id);
            }
            return;
        }
        Table t({"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"});
        for (auto& s : list) {
            if (s.repoTags.empty())
                t.addRow({"<none>", "<none>", idOf(s), timeAgo(s.created), humanSize(s.size)});
            for (auto& tag : s.repoTags) {
                auto [repo, tg] = splitRepoTag(tag);
                t.addRow({repo, tg, idOf(s), timeAgo(s.created), humanSize(s.size)});
            }
        }
        fmt::print("{}", t.render());
    });
    cmd->add_flag("-a,--all", *all, "Show all images (intermediate ones too)");
    cmd->add_flag("-q,--quiet", *quiet, "Only show image IDs");
    cmd->add_flag("--no-trunc", *noTrunc, "Don't truncate output");
    cmd->add_option("--format", *format, "Output format: table (default) or json");
}

// A path to read from: the file, or stdin spooled into a temp file when no file was given.
struct InputFile {
    std::string path;
    std::string spooled;
    ~InputFile() {
        if (!spooled.empty()) ::unlink(spooled.c_str());
    }
};

void spoolStdin(InputFile& in) {
    if (::isatty(0)) throw CliError{"requested load from stdin, but stdin is empty (use -i FILE)"};
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base && *base ? base : "/tmp") + "/berth-stdin-XXXXXX";
    int fd = ::mkstemp(templ.data());
    if (fd < 0) throw CliError{fmt::format("create temp file: {}", std::strerror(errno))};
    in.spooled = in.path = templ;
    char buf[1 << 16];
    for (;;) {
        ssize_t n = ::read(0, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (!writeAll(fd, std::string_view(buf, size_t(n)))) {
            ::close(fd);
            throw CliError{"write temp file: " + std::string(std::strerror(errno))};
        }
    }
    ::close(fd);
}

void addLoad(CLI::App& parent, CliContext& ctx) {
    auto input = opt<std::string>();
    auto quiet = opt<bool>();
    auto* cmd = addVerb(parent, "load", "Load an image from a tar archive or STDIN", ctx, [&ctx, input, quiet] {
        InputFile in;
        if (input->empty() || *input == "-")
            spoolStdin(in);
        else
            in.path = *input;
        MessageFn progress;
        if (!*quiet && ::isatty(2)) progress = [](const std::string& m) { fmt::print(stderr, "{}\n", m); };
        auto loaded = ctx.check(ctx.engine().images().load(in.path, progress));
        for (auto& img : loaded) {
            if (img.names.empty()) fmt::print("Loaded image ID: {}\n", img.id);
            for (auto& n : img.names) fmt::print("Loaded image: {}\n", n);
        }
    });
    cmd->add_option("-i,--input", *input, "Read from tar archive file, instead of STDIN");
    cmd->add_flag("-q,--quiet", *quiet, "Suppress the load output");
}

void addSave(CLI::App& parent, CliContext& ctx) {
    auto output = opt<std::string>();
    auto refs = opt<std::vector<std::string>>();
    auto* cmd = addVerb(parent, "save", "Save one or more images to a tar archive", ctx, [&ctx, output, refs] {
        if (output->empty() || *output == "-") {
            if (::isatty(1))
                throw CliError{"cowardly refusing to save to a terminal. Use the -o flag or redirect"};
            // Write to a temp file, then copy to stdout.
            const char* base = std::getenv("TMPDIR");
            std::string templ = std::string(base && *base ? base : "/tmp") + "/berth-save-XXXXXX";
            int fd = ::mkstemp(templ.data());
            if (fd < 0) throw CliError{"create temp file: " + std::string(std::strerror(errno))};
            ::close(fd);
            struct Rm {
                std::string p;
                ~Rm() { ::unlink(p.c_str()); }
            } rm{templ};
            ctx.check(ctx.engine().images().save(*refs, templ));
            int in = ::open(templ.c_str(), O_RDONLY | O_CLOEXEC);
            if (in < 0) throw CliError{"open " + templ + ": " + std::strerror(errno)};
            char buf[1 << 16];
            for (;;) {
                ssize_t n = ::read(in, buf, sizeof buf);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) break;
                if (!writeAll(1, std::string_view(buf, size_t(n)))) {
                    ::close(in);
                    throw CliError{"write to stdout: " + std::string(std::strerror(errno))};
                }
            }
            ::close(in);
            return;
        }
        ctx.check(ctx.engine().images().save(*refs, *output));
    });
    cmd->add_option("-o,--output", *output, "Write to a file, instead of STDOUT");
    cmd->add_option("IMAGE", *refs, "Images to save")->required();
}

void addImport(CLI::App& parent, CliContext& ctx) {
    auto file = opt<std::string>(), name = opt<std::string>(), message = opt<std::string>();
    auto* cmd = addVerb(parent, "import", "Import the contents from a tarball to create a filesystem image", ctx,
                        [&ctx, file, name, message] {
                            InputFile in;
                            if (*file == "-")
                                spoolStdin(in);
                            else
                                in.path = *file;
                            auto id = ctx.check(ctx.engine().images().importRootfs(in.path, *name, *message));
                            fmt::print("{}\n", id);
                        });
    cmd->add_option("FILE", *file, "Root file system tarball (plain, gzip or zstd), or - for STDIN")->required();
    cmd->add_option("REPOSITORY", *name, "NAME[:TAG] for the new image");
    cmd->add_option("-m,--message", *message, "Set commit message for imported image");
}

void addTag(CLI::App& parent, CliContext& ctx) {
    auto src = opt<std::string>(), dst = opt<std::string>();
    auto* cmd = addVerb(parent, "tag", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", ctx,
                        [&ctx, src, dst] { ctx.check(ctx.engine().images().tag(*src, *dst)); });
    cmd->add_option("SOURCE_IMAGE", *src, "Image name or id")->required();
    cmd->add_option("TARGET_IMAGE", *dst, "New name[:tag]")->required();
}

void addRemove(CLI::App& parent, const std::string& name, CliContext& ctx) {
    auto force = opt<bool>();
    auto refs = opt<std::vector<std::string>>();
    auto* cmd = addVerb(parent, name, "Remove one or more images", ctx, [&ctx, force, refs] {
        bool failed = false;
        for (auto& r : *refs) {
            auto rep = ctx.engine().images().remove(r, *force);
            if (!rep) {
                fmt::print(stderr, "Error: {}\n", rep.error().message());
                failed = true;
                continue;
            }
            for (auto& u : rep->untagged) fmt::print("Untagged: {}\n", u);
            for (auto& d : rep->deleted) fmt::print("Deleted: {}\n", d);
        }
        if (failed) ctx.exitCode = 1;
    });
    cmd->add_flag("-f,--force", *force, "Force removal of the image");
    cmd->add_option("IMAGE", *refs, "Images to remove")->required();
}

void addHistory(CLI::App& parent, CliContext& ctx) {
    auto noTrunc = opt<bool>(), quiet = opt<bool>(), human = opt<bool>();
    *human = true;
    auto format = opt<std::string>();
    auto ref = opt<std::string>();
    auto* cmd = addVerb(parent, "history", "Show the history of an image", ctx,
                        [&ctx, noTrunc, quiet, format, ref] {
        auto rows = ctx.check(ctx.engine().images().history(*ref));
        if (*format == "json") {
            json out = json::array();
            for (auto& r : rows)
                out.push_back({{"Id", r.id}, {"Created", r.created}, {"CreatedBy", r.createdBy},
                               {"Size", r.size}, {"Comment", r.comment}});
            fmt::print("{}\n", out.dump(2));
            return;
        }
        if (!format->empty() && *format != "table")
            throw CliError{"unsupported format \"" + *format + "\" (use table or json)"};
        auto idText = [&](const std::string& id) { return *noTrunc || id == "<missing>" ? id : shortId(id); };
        if (*quiet) {
            for (auto& r : rows) fmt::print("{}\n", idText(r.id));
            return;
        }
        Table t({"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"});
        for (auto& r : rows)
            t.addRow({idText(r.id), timeAgo(r.created), *noTrunc ? r.createdBy : truncate(r.createdBy, 45),
                      humanSize(r.size), r.comment});
        fmt::print("{}", t.render());
    });
    cmd->add_flag("--no-trunc", *noTrunc, "Don't truncate output");
    cmd->add_flag("-q,--quiet", *quiet, "Only show image IDs");
    cmd->add_option("--format", *format, "Output format: table (default) or json");
    cmd->add_option("IMAGE", *ref, "Image name or id")->required();
}

void addPrune(CLI::App& parent, CliContext& ctx) {
    auto all = opt<bool>(), force = opt<bool>();
    auto* cmd = addVerb(parent, "prune", "Remove unused images", ctx, [&ctx, all, force] {
        if (!*force && !confirmRemoval(*all ? "all images without at least one container associated to them"
                                            : "all dangling images"))
            return;
        auto rep = ctx.check(ctx.engine().images().prune(*all));
        if (!rep.removed.untagged.empty() || !rep.removed.deleted.empty()) {
            fmt::print("Deleted Images:\n");
            for (auto& u : rep.removed.untagged) fmt::print("untagged: {}\n", u);
            for (auto& d : rep.removed.deleted) fmt::print("deleted: {}\n", d);
            fmt::print("\n");
        }
        fmt::print("Total reclaimed space: {}\n", humanSize(rep.reclaimedBytes));
    });
    cmd->add_flag("-a,--all", *all, "Remove all unused images, not just dangling ones");
    cmd->add_flag("-f,--force", *force, "Do not prompt for confirmation");
}

} // namespace

void addImageCommands(CLI::App& app, CliContext& ctx) {
    addList(app, "images", ctx);
    addLoad(app, ctx);
    addSave(app, ctx);
    addImport(app, ctx);
    addTag(app, ctx);
    addRemove(app, "rmi", ctx);
    addHistory(app, ctx);
    addInspectCommand(app, ctx);

    CLI::App* image = app.add_subcommand("image", "Manage images");
    image->require_subcommand(1);
    addList(*image, "ls", ctx);
    addList(*image, "list", ctx);
    addLoad(*image, ctx);
    addSave(*image, ctx);
    addImport(*image, ctx);
    addTag(*image, ctx);
    addRemove(*image, "rm", ctx);
    addHistory(*image, ctx);
    addPrune(*image, ctx);
    addImageInspect(*image, ctx);
}

} // namespace berth::cli
