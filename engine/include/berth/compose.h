#pragma once
// Compose: a project of services read from compose files (the Compose Specification, the
// subset Berth runs), and docker compose's verbs over it. The loader turns files, .env and
// the caller's environment into a Project of plain values; the operations run it through
// the engine's own front door (Containers, Networks, Volumes): a service becomes docker run's
// flags (berth::RunFlags) and goes through parseRunFlags like `berth run` and the Run…
// dialog. Containers carry docker compose's labels, so what docker-compose made through the
// REST API and what `berth compose` made are the same thing to both.
//
//   auto project = berth::compose::loadProject({.workingDir = "/srv/app"});
//   if (!project) return fail(project.error());   // "compose.yaml: line 4, column 5: ..."
//   berth::compose::up(engine, *project, {.detach = true}, print);

#include "berth/error.h"
#include "berth/run_flags.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace berth {
class Engine;
}

namespace berth::compose {

// docker compose's labels, exactly.
inline constexpr const char* kProjectLabel = "com.docker.compose.project";
inline constexpr const char* kServiceLabel = "com.docker.compose.service";
inline constexpr const char* kNumberLabel = "com.docker.compose.container-number";
inline constexpr const char* kOneoffLabel = "com.docker.compose.oneoff";
inline constexpr const char* kConfigHashLabel = "com.docker.compose.config-hash";
inline constexpr const char* kConfigFilesLabel = "com.docker.compose.project.config_files";
inline constexpr const char* kWorkingDirLabel = "com.docker.compose.project.working_dir";
inline constexpr const char* kVersionLabel = "com.docker.compose.version";
inline constexpr const char* kNetworkLabel = "com.docker.compose.network";
inline constexpr const char* kVolumeLabel = "com.docker.compose.volume";
// The docker compose version the labels say (what the format of these labels follows).
inline constexpr const char* kComposeVersion = "2.20.0";

struct LoadOptions {
    std::vector<std::string> files;     // -f, in order; empty = compose.yaml... in workingDir
    std::string projectName;            // -p; "" = COMPOSE_PROJECT_NAME, else the folder's name
    std::string workingDir;             // --project-directory; "" = the first file's folder (or cwd)
    std::vector<std::string> envFiles;  // --env-file; empty = <workingDir>/.env when it exists
    std::vector<std::string> profiles;  // --profile; also COMPOSE_PROFILES
    // The caller's environment ("K=V"); empty = this process's.
    std::vector<std::string> environment;
};

struct BuildSpec {
    std::string context;     // absolute
    std::string dockerfile;  // relative to the context; "" = Dockerfile
    std::string target;
    std::map<std::string, std::string> args;
    bool operator==(const BuildSpec&) const = default;
};

struct ServicePort {
    std::string hostIp;
    std::string published;  // "8080", "8080-8081", "" = ephemeral / none
    std::string target;     // "80", "80-81"
    std::string protocol = "tcp";
    bool operator==(const ServicePort&) const = default;
};

struct ServiceVolume {
    std::string type = "volume";  // "volume", "bind", "tmpfs"
    std::string source;           // volume: the project's key ("" = anonymous); bind: absolute path
    std::string target;
    bool readOnly = false;
    int64_t tmpfsSize = 0;        // tmpfs.size in bytes; 0 = default
    bool operator==(const ServiceVolume&) const = default;
};

struct Healthcheck {
    std::vector<std::string> test;  // ["CMD", ...] / ["CMD-SHELL", "..."] / ["NONE"]
    std::string interval, timeout, startPeriod, startInterval;  // Go durations as written
    std::string retries;
    bool disable = false;
    bool operator==(const Healthcheck&) const = default;
};

struct Dependency {
    std::string condition = "service_started";  // service_healthy, service_completed_successfully
    bool required = true;
    bool operator==(const Dependency&) const = default;
};

struct Service {
    std::string name;
    std::string image;  // "" with build: <project>-<service>
    std::optional<BuildSpec> build;
    std::optional<std::vector<std::string>> command, entrypoint;
    std::map<std::string, std::optional<std::string>> environment;  // env_file's included; nullopt = from the caller
    std::vector<ServicePort> ports;
    std::vector<std::string> expose;
    std::vector<ServiceVolume> volumes;
    std::map<std::string, std::vector<std::string>> networks;  // network key -> aliases
    std::map<std::string, Dependency> dependsOn;
    std::optional<Healthcheck> healthcheck;
    std::string restart, memLimit, cpus, pidsLimit;  // deploy.resources.limits folded in
    std::map<std::string, std::string> labels;
    std::string workingDir, user, hostname, stopSignal, stopGracePeriod;
    bool init = false;
    std::vector<std::string> profiles;
    bool operator==(const Service&) const = default;
};

struct NetworkSpec {
    std::string name;  // on the engine: <project>_<key> unless `name:` or external
    bool external = false, internal = false;
    std::map<std::string, std::string> labels;
    bool operator==(const NetworkSpec&) const = default;
};

struct VolumeSpec {
    std::string name;  // on the engine: <project>_<key> unless `name:` or external
    bool external = false;
    std::map<std::string, std::string> labels;
    bool operator==(const VolumeSpec&) const = default;
};

struct Project {
    std::string name;
    std::string workingDir;
    std::vector<std::string> configFiles;           // absolute
    std::map<std::string, Service> services;        // the active ones (profiles applied)
    std::map<std::string, NetworkSpec> networks;    // "default" always present
    std::map<std::string, VolumeSpec> volumes;
    std::vector<std::string> disabledServices;      // left out by their profiles
};

// The files read, merged in order, interpolated, profiles and extends applied, checked. A
// YAML syntax error, an unknown or unsupported key, a wrong type, an undefined required
// variable, an unknown dependency or a dependency cycle is Errc::InvalidArgument naming the
// file, line and column; no file found is Errc::NotFound.
Result<Project> loadProject(const LoadOptions& options);

// docker compose's project-name rule: lowercase, only [a-z0-9_-], starting with a letter or digit.
std::string normalizeProjectName(std::string_view name);

// ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $VAR and $$ over
// `text` with `lookup` (nullopt = unset). An error names the variable.
Result<std::string> interpolate(std::string_view text,
                                const std::function<std::optional<std::string>(const std::string&)>& lookup);

// The resolved model as compose YAML (`berth compose config`).
std::string toYaml(const Project& project);

// The services in start order (dependencies first); `only` with their dependencies unless
// `noDeps`. An unknown service is Errc::NotFound.
Result<std::vector<std::string>> startOrder(const Project& project, const std::vector<std::string>& only = {},
                                            bool noDeps = false);

// A service as `docker run` flags for its container number `number`: the one path from a
// service to a RunRequest (parseRunFlags). Labels include docker compose's and the config hash.
RunFlags runFlags(const Project& project, const Service& service, int number);
// parseRunFlags(runFlags(...)), plus an exec-form healthcheck test (["CMD", ...]), which has
// no run flag. An error names the service.
Result<RunRequest> runRequest(const Project& project, const Service& service, int number);
// The hash of what the service's container is made from (docker compose's config-hash label).
std::string configHash(const Project& project, const Service& service);
// The image a service runs: `image`, else <project>-<service> for a build.
std::string serviceImage(const Project& project, const Service& service);

// What the operations say as they go ("Container app-web-1  Started"), one line at a time.
using Progress = std::function<void(const std::string& line)>;

struct UpOptions {
    std::vector<std::string> services;  // empty = all
    bool forceRecreate = false, noDeps = false;
    bool noStart = false;  // create only
};
// Network, volumes, then each service's container in dependency order, waiting on its
// dependencies' conditions. A container whose config hash matches is left as it is (started
// when stopped); one whose hash differs (or with forceRecreate) is replaced. A failure stops
// there: the failing service's container is removed, the error names the services that are
// up; when none is, the networks and volumes this call made are removed too.
VoidResult up(Engine& engine, const Project& project, const UpOptions& options, const Progress& progress = {});

// `compose run`: a one-off container of `service` (<project>-<service>-run-<12 hex>, labelled
// oneoff), its dependencies brought up first unless noDeps, created and not started.
struct OneoffOptions {
    std::optional<std::vector<std::string>> command;  // replaces the service's
    std::vector<std::string> env;                     // "K=V", added
    bool rm = false, tty = false, interactive = false, noDeps = false;
};
Result<std::string> createOneoff(Engine& engine, const Project& project, const std::string& service,
                                 const OneoffOptions& options, const Progress& progress = {});

struct DownOptions {
    bool volumes = false;        // -v: the project's named volumes too
    bool removeOrphans = false;  // containers of services the project no longer has
};
// Stops and removes the project's containers (reverse dependency order, anonymous volumes
// with them), then its networks (and with -v its named volumes). With no project model
// (nullptr), everything labelled with `projectName`.
VoidResult down(Engine& engine, const std::string& projectName, const Project* project, const DownOptions& options,
                const Progress& progress = {});

struct ContainerRef {
    ContainerSummary summary;
    std::string service;
    int number = 0;
    bool oneoff = false;
};
// The project's containers (oneoff ones too), by service then number.
Result<std::vector<ContainerRef>> projectContainers(Engine& engine, const std::string& projectName);

struct ProjectSummary {
    std::string name;
    std::string status;       // docker compose ls: "running(2), exited(1)"
    std::string configFiles;  // as the label says
};
Result<std::vector<ProjectSummary>> listProjects(Engine& engine, bool all);

} // namespace berth::compose
