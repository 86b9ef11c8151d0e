// A container's file system made into something else: `export` (a tar of the flattened
// root) and `commit` (a new image: the container's image plus a layer of its changes).
// Both compose the container service with the image store and the builder's pieces (the
// overlay view, the image writer, the config instructions), so they live at the front door.
#include "container_root.h"
#include "sys/json_read.h"
#include "engine_impl.h"

#include "build/config_instructions.h"
#include "build/image_writer.h"
#include "build/instruction_parse.h"
#include "container/container_archive.h"
#include "image/image_commit.h"
#include "image/image_index.h"
#include "sys/fs.h"
#include "sys/scope_guard.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

namespace berth::api {

namespace {

using nlohmann::json;

// The instructions docker's commit --change takes, ONBUILD aside (refused below).
bool isChangeInstruction(std::string_view k) {
    static const char* const kAllowed[] = {"CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "USER", "WORKDIR", "VOLUME"};
    return std::find(std::begin(kAllowed), std::end(kAllowed), k) != std::end(kAllowed);
}

// Each --change applied to the image config blob, in order, as a Dockerfile would.
VoidResult applyChanges(json& image, const std::vector<std::string>& changes) {
    build::ShellLex lex('\\');
    bool cmdSet = true;  // the container's CMD is the image's now: an ENTRYPOINT keeps it
    for (const auto& text : changes) {
        auto ins = build::parseInstruction(text, 1, '\\', "--change");
        if (!ins) return fail(Errc::InvalidArgument, "invalid --change `" + text + "`: " + ins.error().message());
        const std::string& k = ins->keyword;
        if (k == "ONBUILD")
            return fail(Errc::InvalidArgument, "--change `" + text +
                                                   "`: ONBUILD is not supported by commit (it only takes effect in a build "
                                                   "FROM the image: add it in a Dockerfile)");
        if (!isChangeInstruction(k))
            return fail(Errc::InvalidArgument, "--change `" + text + "`: " + k +
                                                   " is not a valid change command (use CMD, ENTRYPOINT, ENV, EXPOSE, "
                                                   "LABEL, USER, WORKDIR or VOLUME)");
        const json* envField = sys::jsonField(sys::jsonObject(image, "config"), "Env");
        const json env = envField && envField->is_array() ? *envField : json::array();
        auto lookup = [&env](std::string_view name) -> std::optional<std::string> {
            for (auto it = env.rbegin(); it != env.rend(); ++it) {
                if (!it->is_string()) continue;
                const auto& kv = it->get_ref<const std::string&>();
                if (kv.size() > name.size() && kv.compare(0, name.size(), name) == 0 && kv[name.size()] == '=')
                    return kv.substr(name.size() + 1);
            }
            return std::nullopt;
        };
        auto applied = build::applyConfigInstruction(image, *ins, lex, lookup, cmdSet);
        if (!applied) return fail(Errc::InvalidArgument, "--change `" + text + "`: " + applied.error().message());
    }
    return {};
}

// docker commit: the new image's config is the container's (its command, environment,
// working directory, user, labels and ports as created), then the --change edits.
json committedConfig(json image, const container::ContainerRecord& rec, const CommitRequest& request) {
    const auto& c = rec.config;
    json& cfg = image["config"];
    if (!cfg.is_object()) cfg = json::object();
    cfg["Env"] = c.env;
    cfg["Cmd"] = c.cmd.empty() ? json(nullptr) : json(c.cmd);
    cfg["Entrypoint"] = c.entrypoint.empty() ? json(nullptr) : json(c.entrypoint);
    cfg["WorkingDir"] = c.workingDir == "/" ? std::string() : c.workingDir;
    cfg["User"] = c.user;
    for (const auto& [k, v] : c.options.labels) cfg["Labels"][k] = v;
    for (const auto& p : c.options.ports) cfg["ExposedPorts"][std::to_string(p.containerPort) + "/" + p.protocol] = json::object();
    const std::string now = image::nowRfc3339();
    image["created"] = now;
    image["container"] = c.id;
    if (!request.author.empty()) image["author"] = request.author;
    std::string createdBy;
    for (const auto& a : c.args()) createdBy += (createdBy.empty() ? "" : " ") + a;
    json step{{"created", now}, {"created_by", createdBy}};
    if (!request.author.empty()) step["author"] = request.author;
    if (!request.comment.empty()) step["comment"] = request.comment;
    if (!image["history"].is_array()) image["history"] = json::array();
    image["history"].push_back(std::move(step));
    return image;
}

} // namespace

VoidResult ContainersApi::exportFileSystem(std::string_view ref, int outFd) {
    auto rec = BERTH_TRY(m_s.containers().get(ref));
    // The read-only view: the container's files without its mounts (volumes, /proc, /dev).
    auto written = withContainerFileSystem(m_s, rec, false,
                                           [outFd](int root) { return container::writePathTar(root, "/", ".", outFd); });
    if (!written) return std::unexpected(written.error().withContext("export container " + rec.config.name));
    return {};
}

Result<std::string> ContainersApi::commit(std::string_view ref, const CommitRequest& request) {
    auto& svc = m_s.containers();
    auto rec = BERTH_TRY(svc.get(ref));
    std::vector<std::string> names;
    if (!request.reference.empty()) names.push_back(BERTH_TRY(image::canonicalName(request.reference)));
    auto imageId = BERTH_TRY(image::Digest::parse(rec.config.imageId));
    auto base = BERTH_TRY_CTX(build::loadImageState(m_s.images(), imageId), "the image of container " + rec.config.name);
    json config = committedConfig(base.config, rec, request);
    BERTH_TRYV(applyChanges(config, request.changes));

    // The upper directory must not change while its layer is written: a running container is
    // frozen meanwhile (and thawed after, unless it was paused before), or refused.
    if (rec.state.status == container::Status::Restarting)
        return fail(Errc::Conflict, "container " + rec.config.name + " is restarting: commit it once it runs or stopped");
    bool thaw = false;
    if (rec.state.status == container::Status::Running) {
        if (!request.pause)
            return fail(Errc::Conflict, "container " + rec.config.name +
                                            " is running and --pause=false: its writable layer could change during "
                                            "the commit (commit with --pause, or stop it first)");
        BERTH_TRYV_CTX(svc.pause(rec.config.id), "pause container " + rec.config.name + " for the commit");
        thaw = true;
    }
    sys::ScopeGuard unpause([&] {
        if (thaw) (void)svc.unpause(rec.config.id);
    });
    auto committed = BERTH_TRY_CTX(build::commitImageState(m_s.images(), std::move(config), base.layers,
                                                           rec.dir / "upper", names, imageId, /*adoptLayerDir=*/false),
                                   "commit container " + rec.config.name);
    return committed.id.str();
}

} // namespace berth::api
