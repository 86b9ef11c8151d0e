// Compose files to a Project: found, read, interpolated, checked one by one (so that an
// error names its file), merged in order, extends and profiles applied, dependencies checked.
#include "compose/compose_internal.h"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

extern char** environ;

namespace berth::compose {

namespace fs = std::filesystem;
using detail::failAt;
using detail::LoadError;

std::string normalizeProjectName(std::string_view name) {
    std::string out;
    for (char c : name) {
        char l = char(std::tolower(static_cast<unsigned char>(c)));
        if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_' || l == '-') out += l;
    }
    auto first = out.find_first_not_of("_-");
    return first == std::string::npos ? "" : out.substr(first);
}

Result<std::string> interpolate(std::string_view text,
                                const std::function<std::optional<std::string>(const std::string&)>& lookup) {
    std::string out;
    auto isName = [](char c, bool first) {
        return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (!first && std::isdigit(static_cast<unsigned char>(c)));
    };
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '$') {
            out += text[i];
            continue;
        }
        if (i + 1 < text.size() && text[i + 1] == '$') {
            out += '$';
            ++i;
            continue;
        }
        if (i + 1 < text.size() && text[i + 1] == '{') {
            // ${NAME[:-|-|:?|?|:+|+ word]}, the word itself interpolated; braces nest.
            size_t depth = 1, j = i + 2;
            for (; j < text.size() && depth; ++j) {
                if (text[j] == '{') ++depth;
                else if (text[j] == '}') --depth;
            }
            if (depth) return fail(Errc::InvalidArgument, fmt::format("invalid interpolation format for \"{}\": missing }}", text));
            std::string_view body = text.substr(i + 2, j - 1 - (i + 2));
            size_t n = 0;
            while (n < body.size() && isName(body[n], n == 0)) ++n;
            std::string name(body.substr(0, n));
            std::string_view op = body.substr(n);
            if (name.empty()) return fail(Errc::InvalidArgument, fmt::format("invalid interpolation format for \"{}\"", text));
            auto value = lookup(name);
            bool colon = op.starts_with(":");
            std::string_view rest = colon ? op.substr(1) : op;
            bool unset = !value || (colon && value->empty());
            if (op.empty()) {
                out += value.value_or("");
            } else if (rest.starts_with("-") || rest.starts_with("?") || rest.starts_with("+")) {
                auto word = interpolate(rest.substr(1), lookup);
                if (!word) return word;
                if (rest[0] == '-') out += unset ? *word : *value;
                else if (rest[0] == '+') out += unset ? "" : *word;
                else if (unset)
                    return fail(Errc::InvalidArgument,
                                fmt::format("required variable {} is missing a value: {}", name, *word));
                else out += *value;
            } else {
                return fail(Errc::InvalidArgument, fmt::format("invalid interpolation format for \"{}\"", text));
            }
            i = j - 1;
            continue;
        }
        size_t n = i + 1;
        while (n < text.size() && isName(text[n], n == i + 1)) ++n;
        if (n == i + 1) {
            out += '$';  // a lone '$' stays
            continue;
        }
        out += lookup(std::string(text.substr(i + 1, n - i - 1))).value_or("");
        i = n - 1;
    }
    return out;
}

namespace {

using Lookup = std::function<std::optional<std::string>(const std::string&)>;

// A .env file: KEY=VALUE lines, "export " allowed, values quoted '...' (as is) or "..."
// (\n, \", \\), # comments; no interpolation.
VoidResult readDotEnv(const std::string& path, std::map<std::string, std::string>& vars) {
    std::ifstream in(path);
    if (!in) return fail(Errc::NotFound, fmt::format("env file {} not found", path));
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        auto start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line[start] == '#') continue;
        line = line.substr(start);
        if (line.starts_with("export ")) line = line.substr(7);
        auto eq = line.find('=');
        if (eq == std::string::npos || eq == 0)
            return fail(Errc::InvalidArgument, fmt::format("{}: line {}: expected KEY=VALUE", path, number));
        std::string key = line.substr(0, eq), value = line.substr(eq + 1);
        while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.pop_back();
        if (!value.empty() && (value[0] == '\'' || value[0] == '"')) {
            char q = value[0];
            auto end = value.find(q, 1);
            while (q == '"' && end != std::string::npos && value[end - 1] == '\\') end = value.find(q, end + 1);
            if (end == std::string::npos)
                return fail(Errc::InvalidArgument, fmt::format("{}: line {}: unterminated quote", path, number));
            std::string raw = value.substr(1, end - 1), cooked;
            for (size_t i = 0; i < raw.size(); ++i) {
                if (q == '"' && raw[i] == '\\' && i + 1 < raw.size()) {
                    char c = raw[++i];
                    cooked += c == 'n' ? '\n' : c;
                } else {
                    cooked += raw[i];
                }
            }
            value = cooked;
        } else {
            if (auto hash = value.find(" #"); hash != std::string::npos) value.resize(hash);
            while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r')) value.pop_back();
        }
        vars[key] = value;
    }
    return {};
}

// Every scalar under `node` (values, not keys) interpolated in place.
void interpolateTree(YAML::Node node, const Lookup& lookup) {
    if (node.IsScalar()) {
        auto r = interpolate(node.Scalar(), lookup);
        if (!r) failAt(node, r.error().message());
        if (*r != node.Scalar()) node = *r;
    } else if (node.IsSequence()) {
        for (auto item : node) interpolateTree(item, lookup);
    } else if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it) interpolateTree(it->second, lookup);
    }
}

// environment, labels, depends_on, networks as lists become mappings, so that files merge
// key by key.
YAML::Node asMap(const YAML::Node& node, bool keyValue) {
    if (!node.IsSequence()) return node;
    YAML::Node map(YAML::NodeType::Map);
    for (const auto& item : node) {
        auto s = detail::scalar(item, "list item");
        auto eq = keyValue ? s.find('=') : std::string::npos;
        if (eq == std::string::npos) map[s] = YAML::Node(YAML::NodeType::Null);
        else map[s.substr(0, eq)] = s.substr(eq + 1);
    }
    return map;
}

YAML::Node normalizedService(const YAML::Node& service) {
    if (!service.IsMap()) return service;
    YAML::Node out(YAML::NodeType::Map);
    for (auto it = service.begin(); it != service.end(); ++it) {
        auto key = it->first.Scalar();
        if (key == "environment" || key == "labels") out[key] = asMap(it->second, true);
        else if (key == "depends_on" || key == "networks") out[key] = asMap(it->second, false);
        else out[key] = it->second;
    }
    return out;
}

// docker compose's override rules: mappings merge key by key, these lists are replaced,
// other lists appended; anything else is replaced. Inputs are not changed.
YAML::Node merged(const YAML::Node& base, const YAML::Node& over, const std::string& key = "") {
    static const std::set<std::string> kReplaced = {"command", "entrypoint", "test", "profiles", "aliases"};
    if (base.IsMap() && over.IsMap()) {
        YAML::Node out(YAML::NodeType::Map);
        for (auto it = base.begin(); it != base.end(); ++it) out[it->first.Scalar()] = it->second;
        for (auto it = over.begin(); it != over.end(); ++it) {
            auto k = it->first.Scalar();
            out[k] = base[k] ? merged(base[k], it->second, k) : it->second;
        }
        return out;
    }
    if (base.IsSequence() && over.IsSequence() && !kReplaced.contains(key)) {
        YAML::Node out(YAML::NodeType::Sequence);
        for (const auto& item : base) out.push_back(item);
        for (const auto& item : over) out.push_back(item);
        return out;
    }
    return over;
}

struct FileModel {
    std::string path;
    YAML::Node root;
};

FileModel readFile(const std::string& path, const Lookup& lookup, const detail::ModelContext& ctx) {
    FileModel f{path, {}};
    try {
        f.root = YAML::LoadFile(path);
    } catch (const YAML::BadFile&) {
        throw LoadError{fmt::format("cannot read {}", path)};
    } catch (const YAML::ParserException& e) {
        throw LoadError{fmt::format("YAML syntax error: {}", e.msg), e.mark};
    }
    if (f.root.IsNull()) f.root = YAML::Node(YAML::NodeType::Map);
    if (!f.root.IsMap()) failAt(f.root, "a compose file must be a mapping at the top level");
    for (auto it = f.root.begin(); it != f.root.end(); ++it) {
        auto key = it->first.Scalar();
        if (key == "secrets" || key == "configs" || key == "include" || key == "models")
            throw LoadError{fmt::format("top-level key \"{}\" is not supported by berth compose", key), it->first.Mark()};
        if (key != "version" && key != "name" && key != "services" && key != "networks" && key != "volumes" &&
            !key.starts_with("x-"))
            throw LoadError{fmt::format("unknown top-level key \"{}\"", key), it->first.Mark()};
    }
    interpolateTree(f.root, lookup);
    for (const char* section : {"services", "networks", "volumes"}) {
        auto node = f.root[section];
        if (node && !node.IsMap() && !node.IsNull()) failAt(node, fmt::format("\"{}\" must be a mapping", section));
    }
    if (auto services = f.root["services"]; services && services.IsMap()) {
        YAML::Node normal(YAML::NodeType::Map);
        for (auto it = services.begin(); it != services.end(); ++it) {
            auto name = it->first.Scalar();
            detail::buildService(name, it->second, ctx);  // keys and types checked here, with this file's lines
            normal[name] = normalizedService(it->second);
        }
        f.root["services"] = normal;
    }
    return f;
}

std::vector<std::string> composeFiles(const LoadOptions& o, std::string& workingDir) {
    std::vector<std::string> files;
    std::error_code ec;
    auto cwd = fs::current_path(ec).string();
    for (auto& f : o.files) files.push_back(fs::absolute(fs::path(cwd) / f).lexically_normal().string());
    if (workingDir.empty()) workingDir = files.empty() ? cwd : fs::path(files[0]).parent_path().string();
    workingDir = fs::absolute(fs::path(cwd) / workingDir).lexically_normal().string();
    if (!workingDir.empty() && workingDir.size() > 1 && workingDir.back() == '/') workingDir.pop_back();
    if (files.empty()) {
        for (const char* name : {"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}) {
            auto p = fs::path(workingDir) / name;
            if (fs::exists(p, ec)) {
                files.push_back(p.string());
                break;
            }
        }
    }
    return files;
}

// extends: base's node merged under the service's own, recursively, cycles refused.
YAML::Node extended(const std::string& name, const YAML::Node& services, std::vector<std::string>& chain) {
    YAML::Node node = services[name];
    auto ext = node.IsMap() ? node["extends"] : YAML::Node();
    if (!ext) return node;
    std::string base;
    if (ext.IsScalar()) {
        base = ext.Scalar();
    } else if (ext.IsMap()) {
        if (ext["file"]) failAt(ext["file"], "extends.file is not supported: extends works within the project's files");
        base = detail::scalar(ext["service"], "extends.service");
    } else {
        failAt(ext, "extends must be a service name or a mapping with \"service\"");
    }
    if (!services[base]) failAt(ext, fmt::format("service \"{}\" extends \"{}\", which is not a service", name, base));
    if (std::find(chain.begin(), chain.end(), base) != chain.end())
        failAt(ext, fmt::format("extends cycle: {} -> {}", fmt::join(chain, " -> "), base));
    chain.push_back(base);
    YAML::Node own(YAML::NodeType::Map);
    for (auto it = node.begin(); it != node.end(); ++it)
        if (it->first.Scalar() != "extends") own[it->first.Scalar()] = it->second;
    YAML::Node baseNode(YAML::NodeType::Map);
    YAML::Node resolvedBase = extended(base, services, chain);
    for (auto it = resolvedBase.begin(); it != resolvedBase.end(); ++it)
        if (it->first.Scalar() != "depends_on") baseNode[it->first.Scalar()] = it->second;  // as docker compose: not inherited
    return merged(baseNode, own);
}

void checkDependencies(const Project& p) {
    for (auto& [name, s] : p.services)
        for (auto& [dep, d] : s.dependsOn)
            if (!p.services.contains(dep)) {
                bool disabled = std::find(p.disabledServices.begin(), p.disabledServices.end(), dep) != p.disabledServices.end();
                if (!d.required) continue;
                throw LoadError{disabled ? fmt::format("service \"{}\" depends on \"{}\", which its profiles leave out", name, dep)
                                         : fmt::format("service \"{}\" depends on undefined service \"{}\"", name, dep)};
            }
    auto order = startOrder(p);
    if (!order) throw LoadError{order.error().message()};
    // What `run` would refuse (a bad size, restart policy...) is refused before anything is made.
    for (auto& [name, s] : p.services)
        if (auto request = runRequest(p, s, 1); !request) throw LoadError{request.error().message()};
}

Project buildProject(const std::vector<FileModel>& files, const LoadOptions& o, const std::string& workingDir,
                     const Lookup& lookup, const std::map<std::string, std::string>& vars) {
    YAML::Node root(YAML::NodeType::Map);
    for (auto& f : files) root = merged(root, f.root);
    Project p;
    p.workingDir = workingDir;
    for (auto& f : files) p.configFiles.push_back(f.path);
    std::string name = o.projectName;
    if (name.empty() && vars.contains("COMPOSE_PROJECT_NAME")) name = vars.at("COMPOSE_PROJECT_NAME");
    if (name.empty() && root["name"]) name = detail::scalar(root["name"], "name");
    if (name.empty()) name = fs::path(workingDir).filename().string();
    p.name = normalizeProjectName(name);
    if (p.name.empty())
        throw LoadError{fmt::format("project name \"{}\" has no letter or digit; give one with -p", name)};
    if (!o.projectName.empty() && p.name != o.projectName)
        throw LoadError{fmt::format("invalid project name \"{}\": only lowercase letters, digits, '-' and '_', "
                                    "starting with a letter or digit", o.projectName)};

    std::set<std::string> profiles(o.profiles.begin(), o.profiles.end());
    if (vars.contains("COMPOSE_PROFILES"))
        for (auto& part : detail::shellWords(YAML::Node(std::string(vars.at("COMPOSE_PROFILES"))), "COMPOSE_PROFILES"))
            for (size_t s = 0;;) {
                auto c = part.find(',', s);
                if (auto w = part.substr(s, c - s); !w.empty()) profiles.insert(w);
                if (c == std::string::npos) break;
                s = c + 1;
            }
    detail::ModelContext ctx{workingDir, lookup, false};
    auto services = root["services"];
    if (services && services.IsMap())
        for (auto it = services.begin(); it != services.end(); ++it) {
            auto sname = it->first.Scalar();
            std::vector<std::string> chain{sname};
            auto service = detail::buildService(sname, extended(sname, services, chain), ctx);
            bool active = service.profiles.empty() || profiles.contains("*") ||
                          std::any_of(service.profiles.begin(), service.profiles.end(),
                                      [&](auto& pr) { return profiles.contains(pr); });
            if (active) p.services[sname] = std::move(service);
            else p.disabledServices.push_back(sname);
        }
    if (p.services.empty() && p.disabledServices.empty()) throw LoadError{"no service is defined"};
    p.networks["default"] = detail::buildNetwork("default", YAML::Node(), p.name);
    if (auto nets = root["networks"])
        for (auto it = nets.begin(); it != nets.end(); ++it)
            p.networks[it->first.Scalar()] = detail::buildNetwork(it->first.Scalar(), it->second, p.name);
    if (auto vols = root["volumes"])
        for (auto it = vols.begin(); it != vols.end(); ++it)
            p.volumes[it->first.Scalar()] = detail::buildVolume(it->first.Scalar(), it->second, p.name);
    for (auto& [sname, s] : p.services) {
        for (auto& [net, aliases] : s.networks)
            if (!p.networks.contains(net))
                throw LoadError{fmt::format("service \"{}\" refers to undefined network \"{}\"", sname, net)};
        for (auto& v : s.volumes)
            if (v.type == "volume" && !v.source.empty() && !p.volumes.contains(v.source))
                throw LoadError{fmt::format("service \"{}\" refers to undefined volume \"{}\"", sname, v.source)};
        if (s.networks.empty()) s.networks["default"] = {};
    }
    checkDependencies(p);
    return p;
}

} // namespace

Result<Project> loadProject(const LoadOptions& o) {
    std::string workingDir = o.workingDir;
    auto files = composeFiles(o, workingDir);
    if (files.empty())
        return fail(Errc::NotFound, fmt::format("no configuration file provided: not found (compose.yaml, compose.yml, "
                                                "docker-compose.yml or docker-compose.yaml in {})", workingDir));
    // The caller's environment wins over the .env file's.
    std::map<std::string, std::string> vars;
    std::vector<std::string> envFiles = o.envFiles;
    if (envFiles.empty() && fs::exists(fs::path(workingDir) / ".env")) envFiles.push_back(workingDir + "/.env");
    for (auto& f : envFiles) BERTH_TRYV(readDotEnv(fs::absolute(f).string(), vars));
    std::vector<std::string> env = o.environment;
    if (env.empty())
        for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
    for (auto& kv : env)
        if (auto eq = kv.find('='); eq != std::string::npos) vars[kv.substr(0, eq)] = kv.substr(eq + 1);
    Lookup lookup = [&vars](const std::string& k) -> std::optional<std::string> {
        auto it = vars.find(k);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
    std::vector<FileModel> models;
    std::string current;
    try {
        detail::ModelContext ctx{workingDir, lookup, true};
        for (auto& f : files) {
            current = fs::path(f).filename().string();
            models.push_back(readFile(f, lookup, ctx));
        }
        // Past the merge a line is only told when there is one file it can be in.
        current = files.size() == 1 ? current : "";
        return buildProject(models, o, workingDir, lookup, vars);
    } catch (LoadError& e) {
        if (current.empty()) e.mark = YAML::Mark::null_mark();
        return fail(Errc::InvalidArgument, detail::placed(current, e));
    } catch (const YAML::Exception& e) {
        return fail(Errc::InvalidArgument, detail::placed(current, LoadError{e.msg, e.mark}));
    }
}

} // namespace berth::compose
