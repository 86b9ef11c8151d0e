// `berth compose`: docker compose's verbs over berth/compose.h. The loader and the
// operations are the engine's; this file reads the command line and prints.
#include "compose_cli.h"

#include "container_cli.h"
#include "ensure_image.h"
#include "exec_cli.h"
#include "attach_session.h"

#include "berth/compose.h"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <thread>

namespace berth::cli {

namespace {

struct ComposeFlags {
    std::vector<std::string> files, envFiles, profiles;
    std::string projectName, projectDirectory;
};

compose::LoadOptions loadOptions(const ComposeFlags& f) {
    compose::LoadOptions o;
    o.files = f.files;
    o.projectName = f.projectName;
    o.workingDir = f.projectDirectory;
    o.envFiles = f.envFiles;
    o.profiles = f.profiles;
    return o;
}

compose::Project loadProject(const ComposeFlags& f) {
    auto p = compose::loadProject(loadOptions(f));
    if (!p) throw CliError{p.error().message(), 1};
    return std::move(*p);
}

// The project's name: from -p alone when given and no file is there, else from its files.
std::string projectName(const ComposeFlags& f, std::optional<compose::Project>& model) {
    auto p = compose::loadProject(loadOptions(f));
    if (p) {
        model = std::move(*p);
        return model->name;
    }
    if (!f.projectName.empty() && p.error().code() == Errc::NotFound) return compose::normalizeProjectName(f.projectName);
    throw CliError{p.error().message(), 1};
}

void printLine(const std::string& line) {
    fmt::print(stderr, " {}\n", line);
    std::fflush(stderr);
}

std::vector<compose::ContainerRef> containersOf(CliContext& ctx, const std::string& project,
                                                const std::vector<std::string>& services, bool oneoff = false) {
    auto all = ctx.check(compose::projectContainers(ctx.engine(), project));
    std::vector<compose::ContainerRef> out;
    for (auto& c : all)
        if ((oneoff || !c.oneoff) &&
            (services.empty() || std::find(services.begin(), services.end(), c.service) != services.end()))
            out.push_back(c);
    return out;
}

// One stream: each line prefixed with its service (padded), coloured per service on a tty.
void printLogs(CliContext& ctx, const std::vector<compose::ContainerRef>& containers, const LogsOptions& options,
               bool colour) {
    size_t width = 0;
    for (auto& c : containers) width = std::max(width, c.service.size());
    static const int kColours[] = {36, 33, 32, 35, 34, 96, 93, 92, 95, 94};
    std::mutex out;
    std::vector<std::thread> readers;
    auto& engine = ctx.engine();
    for (size_t i = 0; i < containers.size(); ++i) {
        auto prefix = fmt::format("{:<{}} | ", containers[i].service, width);
        if (colour) prefix = fmt::format("\x1b[{}m{}\x1b[0m", kColours[i % std::size(kColours)], prefix);
        readers.emplace_back([&engine, &out, &options, prefix, id = containers[i].summary.id] {
            (void)engine.containers().logs(id, options, [&](const LogLine& line) {
                std::lock_guard lock(out);
                std::string text = line.text;
                if (text.empty() || text.back() != '\n') text += '\n';
                fmt::print("{}{}", prefix, text);
                std::fflush(stdout);
                return true;
            });
        });
    }
    for (auto& t : readers) t.join();
}

void addConfigVerb(CLI::App& compose, CliContext& ctx, const std::shared_ptr<ComposeFlags>& f) {
    auto quiet = std::make_shared<bool>(false);
    auto services = std::make_shared<bool>(false);
    auto* sub = addVerb(compose, "config", "Parse, resolve and render the compose file in canonical format", ctx,
                        [f, quiet, services] {
                            auto p = loadProject(*f);
                            if (*quiet) return;
                            if (*services) {
                                for (auto& [name, s] : p.services) fmt::print("{}\n", name);
                                return;
                            }
                            fmt::print("{}", compose::toYaml(p));
                        });
    sub->add_flag("-q,--quiet", *quiet, "Only validate the configuration, don't print anything");
    sub->add_flag("--services", *services, "Print the service names, one per line");
}

struct UpFlags {
    bool detach = false, forceRecreate = false, noDeps = false, noStart = false;
    std::vector<std::string> services;
};

void addUpDownVerbs(CLI::App& compose, CliContext& ctx, const std::shared_ptr<ComposeFlags>& f) {
    auto up = std::make_shared<UpFlags>();
    auto* upVerb = addVerb(compose, "up", "Create and start containers", ctx, [&ctx, f, up] {
        auto p = loadProject(*f);
        auto order = ctx.check(compose::startOrder(p, up->services, up->noDeps), 1);
        auto& engine = ctx.engine(/*aboutToStart=*/true);
        for (auto& name : order) {
            auto& s = p.services.at(name);
            if (s.image.empty() && s.build)
                if (!engine.images().resolve(compose::serviceImage(p, s)))
                    throw CliError{fmt::format("service \"{}\" has a build and no image: build it first with "
                                               "`berth build -t {} {}` (compose build is not supported yet)",
                                               name, compose::serviceImage(p, s), s.build->context), 1};
            ensureImage(ctx, compose::serviceImage(p, s), ImagePullFlags{});
        }
        compose::UpOptions o{up->services, up->forceRecreate, up->noDeps, up->noStart};
        ctx.check(compose::up(engine, p, o, printLine), 1);
        if (up->detach || up->noStart) return;
        // Attached: the services' logs until every container has stopped.
        auto containers = containersOf(ctx, p.name, order);
        LogsOptions follow;
        follow.follow = true;
        printLogs(ctx, containers, follow, isatty(STDOUT_FILENO));
    });
    upVerb->add_flag("-d,--detach", up->detach, "Detached mode: run containers in the background");
    upVerb->add_flag("--force-recreate", up->forceRecreate, "Recreate containers even if their configuration hasn't changed");
    upVerb->add_flag("--no-deps", up->noDeps, "Don't start linked services");
    upVerb->add_flag("--no-start", up->noStart, "Don't start the services after creating them");
    upVerb->add_option("SERVICE", up->services, "Services to start (default: all)");

    auto down = std::make_shared<compose::DownOptions>();
    auto* downVerb = addVerb(compose, "down", "Stop and remove containers, networks", ctx, [&ctx, f, down] {
        std::optional<compose::Project> model;
        auto name = projectName(*f, model);
        ctx.check(compose::down(ctx.engine(), name, model ? &*model : nullptr, *down, printLine), 1);
    });
    downVerb->add_flag("-v,--volumes", down->volumes, "Remove the named volumes declared in the project's volumes section");
    downVerb->add_flag("--remove-orphans", down->removeOrphans, "Remove containers for services not defined in the compose file");
}

void addListVerbs(CLI::App& compose, CliContext& ctx, const std::shared_ptr<ComposeFlags>& f) {
    struct PsFlags {
        bool all = false, quiet = false, services = false;
        std::vector<std::string> only;
    };
    auto ps = std::make_shared<PsFlags>();
    auto* psVerb = addVerb(compose, "ps", "List containers", ctx, [&ctx, f, ps] {
        std::optional<compose::Project> model;
        auto name = projectName(*f, model);
        Table table({"NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"});
        for (auto& c : containersOf(ctx, name, ps->only)) {
            auto& s = c.summary;
            if (!ps->all && s.state != ContainerStatus::Running && s.state != ContainerStatus::Paused &&
                s.state != ContainerStatus::Restarting)
                continue;
            if (ps->quiet) fmt::print("{}\n", s.id);
            else if (ps->services) fmt::print("{}\n", c.service);
            else
                table.addRow({s.name, s.image, "\"" + truncate(s.command, 20) + "\"", c.service, berth::timeAgo(s.created),
                              s.status, formatPorts(s.ports)});
        }
        if (!ps->quiet && !ps->services) fmt::print("{}", table.render());
    });
    psVerb->add_flag("-a,--all", ps->all, "Show all stopped containers");
    psVerb->add_flag("-q,--quiet", ps->quiet, "Only display IDs");
    psVerb->add_flag("--services", ps->services, "Display services");
    psVerb->add_option("SERVICE", ps->only, "Services");

    auto ls = std::make_shared<std::pair<bool, bool>>();
    auto* lsVerb = addVerb(compose, "ls", "List running compose projects", ctx, [&ctx, ls] {
        auto projects = ctx.check(compose::listProjects(ctx.engine(), ls->first));
        if (ls->second) {
            for (auto& p : projects) fmt::print("{}\n", p.name);
            return;
        }
        Table table({"NAME", "STATUS", "CONFIG FILES"});
        for (auto& p : projects) table.addRow({p.name, p.status, p.configFiles});
        fmt::print("{}", table.render());
    });
    lsVerb->add_flag("-a,--all", ls->first, "Show all stopped Compose projects");
    lsVerb->add_flag("-q,--quiet", ls->second, "Only display project names");
}

struct LogsFlags {
    bool follow = false, noColour = false;
    int64_t tail = -1;
    std::string tailText = "all";
    std::vector<std::string> services;
};

void addLogsVerb(CLI::App& compose, CliContext& ctx, const std::shared_ptr<ComposeFlags>& f) {
    auto logs = std::make_shared<LogsFlags>();
    auto* sub = addVerb(compose, "logs", "View output from containers", ctx, [&ctx, f, logs] {
        std::optional<compose::Project> model;
        auto name = projectName(*f, model);
        LogsOptions o;
        o.follow = logs->follow;
        if (logs->tailText != "all") {
            try {
                o.tail = std::stoll(logs->tailText);
            } catch (...) {
                throw CliError{fmt::format("invalid --tail \"{}\": a number or \"all\"", logs->tailText), 1};
            }
        }
        printLogs(ctx, containersOf(ctx, name, logs->services), o, !logs->noColour && isatty(STDOUT_FILENO));
    });
    sub->add_flag("-f,--follow", logs->follow, "Follow log output");
    sub->add_option("-n,--tail", logs->tailText, "Number of lines to show from the end of the logs for each container");
    sub->add_flag("--no-color", logs->noColour, "Produce monochrome output");
    sub->add_option("SERVICE", logs->services, "Services");
}

// start, stop, restart: the project's existing containers, in dependency order (stop: reversed).
void addStateVerbs(CLI::App& compose, CliContext& ctx, const std::shared_ptr<ComposeFlags>& f) {
    for (const char* verb : {"start", "stop", "restart"}) {
        auto services = std::make_shared<std::vector<std::string>>();
        auto timeout = std::make_shared<int>(-1);
        std::string v = verb;
        auto* sub = addVerb(compose, verb, fmt::format("{} services", v == "start" ? "Start" : v == "stop" ? "Stop" : "Restart"),
                            ctx, [&ctx, f, services, timeout, v] {
            std::optional<compose::Project> model;
            auto name = projectName(*f, model);
            auto containers = containersOf(ctx, name, *services);
            if (model) {
                auto order = ctx.check(compose::startOrder(*model));
                auto rank = [&](const compose::ContainerRef& c) { return std::find(order.begin(), order.end(), c.service) - order.begin(); };
                std::stable_sort(containers.begin(), containers.end(), [&](auto& a, auto& b) {
                    return v == "stop" ? rank(a) > rank(b) : rank(a) < rank(b);
                });
            }
            auto& engine = ctx.engine(v != "stop");
            for (auto& c : containers) {
                VoidResult r = v == "start" ? engine.containers().start(c.summary.id)
                               : v == "stop" ? engine.containers().stop(c.summary.id, *timeout)
                                             : engine.containers().restart(c.summary.id, *timeout);
                if (!r && r.error().code() != Errc::NotModified) throw CliError{r.error().message(), 1};
                printLine(fmt::format("Container {}  {}", c.summary.name,
                                      v == "start" ? "Started" : v == "stop" ? "Stopped" : "Restarted"));
            }
        });
        sub->add_option("SERVICE", *services, "Services");
        if (v != "start") sub->add_option("-t,--timeout", *timeout, "Specify a shutdown timeout in seconds");
    }
}

void addExecAndPullVerbs(CLI::App& compose, CliContext& ctx, const std::shared_ptr<ComposeFlags>& f) {
    auto exec = std::make_shared<ExecFlags>();
    auto index = std::make_shared<int>(1);
    auto* execVerb = addVerb(compose, "exec", "Execute a command in a running container", ctx, [&ctx, f, exec, index, &compose] {
        auto rest = compose.get_subcommand("exec")->remaining();
        if (rest.size() < 2) throw CliError{"\"exec\" requires at least 2 arguments: SERVICE COMMAND [ARG...]", 1};
        std::optional<compose::Project> model;
        auto name = projectName(*f, model);
        for (auto& c : containersOf(ctx, name, {rest[0]})) {
            if (c.number != *index) continue;
            if (c.summary.state != ContainerStatus::Running)
                throw CliError{fmt::format("service \"{}\" is not running", rest[0]), 1};
            auto flags = *exec;
            flags.tty = !flags.noTty && ::isatty(0);
            ctx.exitCode = execIn(ctx, c.summary.id, {rest.begin() + 1, rest.end()}, flags);
            return;
        }
        throw CliError{fmt::format("service \"{}\" is not running", rest[0]), 1};
    });
    addExecFlags(execVerb, *exec, /*composeStyle=*/true);
    execVerb->add_option("--index", *index, "Index of the container if service has multiple replicas");
    execVerb->prefix_command();
    execVerb->fallthrough(false);

    auto services = std::make_shared<std::vector<std::string>>();
    auto* pull = addVerb(compose, "pull", "Pull service images", ctx, [&ctx, f, services] {
        auto p = loadProject(*f);
        auto order = ctx.check(compose::startOrder(p, *services, true), 1);
        ImagePullFlags always;
        always.policy = "always";
        for (auto& name : order)
            if (!p.services.at(name).image.empty()) ensureImage(ctx, p.services.at(name).image, always);
    });
    pull->add_option("SERVICE", *services, "Services");
}

struct RunFlagsOneoff {
    bool detach = false, rm = false, noDeps = false, noTty = false;
    std::vector<std::string> env;
};

// `compose run`: a one-off container of a service, attached (or -d), its dependencies up first.
void addRunVerb(CLI::App& compose, CliContext& ctx, const std::shared_ptr<ComposeFlags>& f) {
    auto run = std::make_shared<RunFlagsOneoff>();
    auto* sub = addVerb(compose, "run", "Run a one-off command on a service", ctx, [&ctx, f, run, &compose] {
        auto rest = compose.get_subcommand("run")->remaining();
        if (rest.empty()) throw CliError{"\"run\" requires at least 1 argument: SERVICE [COMMAND] [ARG...]", 1};
        auto p = loadProject(*f);
        if (!p.services.contains(rest[0])) throw CliError{fmt::format("no such service: {}", rest[0]), 1};
        auto& engine = ctx.engine(/*aboutToStart=*/true);
        auto order = ctx.check(compose::startOrder(p, {rest[0]}, run->noDeps), 1);
        for (auto& name : order) ensureImage(ctx, compose::serviceImage(p, p.services.at(name)), ImagePullFlags{});
        compose::OneoffOptions o;
        if (rest.size() > 1) o.command = std::vector<std::string>(rest.begin() + 1, rest.end());
        o.env = run->env;
        o.rm = run->rm;
        o.noDeps = run->noDeps;
        o.interactive = !run->detach;
        o.tty = !run->detach && !run->noTty && ::isatty(0);
        auto id = ctx.check(compose::createOneoff(engine, p, rest[0], o, printLine), 1);
        if (run->detach) {
            if (auto r = engine.containers().start(id); !r) throw CliError{r.error().message(), startExitCode(r.error())};
            fmt::print("{}\n", id);
            return;
        }
        std::fflush(stdout);
        AttachSession session({o.interactive, o.tty, true, detachKeyBytes("")});
        auto code = engine.containers().startAttached(id, session.io());
        if (!code) throw CliError{code.error().message(), startExitCode(code.error())};
        ctx.exitCode = *code == kDetached ? 0 : *code;
    });
    sub->add_flag("-d,--detach", run->detach, "Run container in background and print container ID");
    sub->add_flag("--rm", run->rm, "Automatically remove the container when it exits");
    sub->add_flag("--no-deps", run->noDeps, "Don't start linked services");
    sub->add_flag("-T,--no-TTY", run->noTty, "Disable pseudo-TTY allocation (default: one when stdin is a terminal)");
    sub->add_option("-e,--env", run->env, "Set environment variables")->allow_extra_args(false);
    sub->prefix_command();
    sub->fallthrough(false);
}

} // namespace

void addComposeCommand(CLI::App& app, CliContext& ctx) {
    auto f = std::make_shared<ComposeFlags>();
    auto* compose = app.add_subcommand("compose", "Define and run multi-container applications (compose files)");
    compose->require_subcommand(1);
    compose->fallthrough();
    compose->add_option("-f,--file", f->files, "Compose configuration files")->allow_extra_args(false);
    compose->add_option("-p,--project-name", f->projectName, "Project name");
    compose->add_option("--project-directory", f->projectDirectory, "Alternate working directory (default: the first file's)");
    compose->add_option("--env-file", f->envFiles, "Alternate environment files")->allow_extra_args(false);
    compose->add_option("--profile", f->profiles, "Profiles to enable")->allow_extra_args(false);
    addConfigVerb(*compose, ctx, f);
    addUpDownVerbs(*compose, ctx, f);
    addListVerbs(*compose, ctx, f);
    addLogsVerb(*compose, ctx, f);
    addStateVerbs(*compose, ctx, f);
    addExecAndPullVerbs(*compose, ctx, f);
    addRunVerb(*compose, ctx, f);
}

} // namespace berth::cli
