// The builder's driver: stages, ARG scoping, the cache, and the final commit (see
// builder.h); the instructions that only change the image config are config_instructions.cpp.
#include "build/builder.h"
#include "sys/json_read.h"

#include "build/build_run.h"
#include "build/config_instructions.h"
#include "image/image_commit.h"
#include "image/image_index.h"
#include "image/reference.h"
#include "store/events.h"
#include "sys/fs.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace berth::build {

using nlohmann::json;

namespace {

double secondsSince(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

const json& configOf(const StageState& st) {
    static const json empty = json::object();
    auto it = st.image.config.find("config");
    return it != st.image.config.end() && it->is_object() ? *it : empty;
}

} // namespace

std::string formatPlainEvent(const BuildEvent& e) {
    switch (e.kind) {
    case BuildEvent::Kind::StepStarted: return fmt::format("#{} {}\n", e.vertex, e.name);
    case BuildEvent::Kind::Output: return fmt::format("#{} {:.3f} {}\n", e.vertex, e.seconds, e.text);
    case BuildEvent::Kind::Cached: return fmt::format("#{} CACHED\n\n", e.vertex);
    case BuildEvent::Kind::StepDone: return fmt::format("#{} DONE {:.1f}s\n\n", e.vertex, e.seconds);
    case BuildEvent::Kind::StepFailed: return fmt::format("#{} ERROR: {}\n\n", e.vertex, e.text);
    case BuildEvent::Kind::Warning: return fmt::format("WARNING: {}\n", e.text);
    }
    return {};
}

Result<BuildResult> Builder::build(const BuildContext& context, const BuildOptions& options,
                                   const BuildProgress& progress, std::stop_token stop) {
    BuildRun run(m_images, m_containers, context, options, progress, std::move(stop));
    return run.run();
}

void BuildRun::emit(BuildEvent e) const {
    if (m_progress) m_progress(e);
}

std::string BuildRun::stepError(const Instruction& ins, const std::string& message) const {
    std::string text = ins.original;
    if (text.size() > 80) text = text.substr(0, 77) + "...";
    return fmt::format("{}:{}: {}: {}", m_df.name, ins.line, text, message);
}

EnvLookup BuildRun::lookup(const StageState& st) const {
    return [this, &st](std::string_view name) -> std::optional<std::string> {
        std::string key(name);
        const json& cfg = configOf(st);
        if (auto env = cfg.find("Env"); env != cfg.end() && env->is_array())
            for (auto it = env->rbegin(); it != env->rend(); ++it) {
                if (!it->is_string()) continue;
                const auto& kv = it->get_ref<const std::string&>();
                if (kv.size() > key.size() && kv.compare(0, key.size(), key) == 0 && kv[key.size()] == '=')
                    return kv.substr(key.size() + 1);
            }
        if (auto a = st.args.find(key); a != st.args.end()) return a->second;
        return std::nullopt;
    };
}

std::vector<std::string> BuildRun::envList(const StageState& st) const {
    std::vector<std::string> out;
    const json& cfg = configOf(st);
    if (auto env = cfg.find("Env"); env != cfg.end() && env->is_array())
        for (auto& e : *env)
            if (e.is_string()) out.push_back(e.get<std::string>());
    return out;
}

std::vector<std::string> BuildRun::runEnv(const StageState& st) const {
    // ARG values are in RUN's environment (not in the image); ENV wins over ARG.
    auto env = envList(st);
    for (auto& [k, v] : st.args) {
        if (!v) continue;
        bool shadowed = false;
        for (auto& e : env) shadowed = shadowed || e.compare(0, k.size() + 1, k + "=") == 0;
        if (!shadowed) env.push_back(k + "=" + *v);
    }
    return env;
}

void BuildRun::addHistory(StageState& st, const std::string& createdBy, bool emptyLayer) const {
    json h{{"created", sys::jsonString(st.image.config, "created", image::nowRfc3339())},
           {"created_by", createdBy},
           {"comment", "berth build"}};
    if (emptyLayer) h["empty_layer"] = true;
    if (!st.image.config["history"].is_array()) st.image.config["history"] = json::array();
    st.image.config["history"].push_back(std::move(h));
}

std::string BuildRun::stepName(const Stage& stage, const StageState& st, const Instruction& ins) const {
    std::string text = ins.original;
    if (auto nl = text.find('\n'); nl != std::string::npos) text = text.substr(0, nl);
    if (m_multiStage) {
        std::string name = stage.name.empty() ? fmt::format("stage-{}", stage.index) : stage.name;
        return fmt::format("[{} {}/{}] {}", name, st.step, st.steps, text);
    }
    return fmt::format("[{}/{}] {}", st.step, st.steps, text);
}

Result<int> BuildRun::stageIndexFor(std::string_view ref, int before) const {
    std::string lower(ref);
    for (auto& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
    for (int i = 0; i < before; ++i)
        if (!m_stages[size_t(i)].name.empty() && m_stages[size_t(i)].name == lower) return i;
    bool numeric = !ref.empty() && std::all_of(ref.begin(), ref.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (numeric) {
        int n = std::atoi(std::string(ref).c_str());
        if (n < before) return n;
        return fail(Errc::InvalidArgument, fmt::format("stage {} is not before this one", n));
    }
    return fail(Errc::NotFound, "");
}

Result<ImageState> BuildRun::sourceState(std::string_view from, int before, std::string& key) {
    auto idx = stageIndexFor(from, before);
    if (idx) {
        if (!m_states[size_t(*idx)].built) BERTH_TRYV(runStage(*idx));
        key = m_states[size_t(*idx)].cacheKey;
        return m_states[size_t(*idx)].image;
    }
    if (idx.error().code() != Errc::NotFound) return fail(idx.error());
    if (from == "scratch") {
        key = BuildCache::chain("", "scratch");
        return scratchState();
    }
    std::string ref(from);
    if (auto p = m_pulled.find(ref); p != m_pulled.end()) {
        key = BuildCache::chain("", "FROM " + p->second.str());
        return loadImageState(m_images, p->second);
    }
    auto summary = m_images.resolve(from);
    image::Digest id;
    if (summary && m_options.pull != PullPolicy::Always) {
        id = summary->id;
    } else if (!summary && summary.error().code() != Errc::NotFound) {
        return fail(summary.error());
    } else if (m_options.pull == PullPolicy::Never) {
        return fail(Errc::NotFound, fmt::format("image `{}` not found in the store, and --pull=never forbids pulling it", from));
    } else {
        id = BERTH_TRY(pullImage(ref));
    }
    key = BuildCache::chain("", "FROM " + id.str());
    return loadImageState(m_images, id);
}

Result<image::Digest> BuildRun::pullImage(const std::string& ref) {
    int vertex = m_vertex;
    auto started = std::chrono::steady_clock::now();
    emit({BuildEvent::Kind::Output, vertex, "", "pulling " + ref, 0});
    // One line per layer state change (not per byte): the plain log stays readable.
    std::map<std::string, registry::LayerState> states;
    auto onProgress = [&](const registry::PullProgress& p) {
        using K = registry::PullProgress::Kind;
        if (p.kind == K::Layer) {
            auto [it, fresh] = states.try_emplace(p.layerId, p.state);
            if (!fresh && it->second == p.state) return;
            it->second = p.state;
            emit({BuildEvent::Kind::Output, vertex, "", fmt::format("{}: {}", p.layerId, registry::layerStateText(p.state)),
                  secondsSince(started)});
        } else if (!p.message.empty()) {
            emit({BuildEvent::Kind::Output, vertex, "", p.message, secondsSince(started)});
        }
    };
    auto pulled = registry::pullImage(m_images, ref, m_options.pullOptions, onProgress, m_stop);
    if (!pulled) {
        if (m_stop.stop_requested()) return fail(Errc::Cancelled, "build cancelled");
        return fail(pulled.error().withContext(fmt::format("pull image `{}`", ref)));
    }
    emit({BuildEvent::Kind::Output, vertex, "",
          fmt::format("Status: {} {}", pulled->downloaded ? "Downloaded newer image for" : "Image is up to date for",
                      pulled->familiar),
          secondsSince(started)});
    m_pulled[ref] = pulled->id;
    return pulled->id;
}

Result<BuildResult> BuildRun::run() {
    m_df = BERTH_TRY(parseDockerfile(m_context.dockerfileText(), m_context.dockerfileName()));
    m_lex = ShellLex(m_df.escape);
    if (!m_options.noCache) m_cache = BuildCache(m_images.layout());
    m_work.emplace(BERTH_TRY_CTX(image::WorkDir::create(m_images.layout(), "build"), "build scratch directory"));

    // Global ARGs (before the first FROM) and the automatic platform ones.
    std::string arch = scratchState().config["architecture"];
    m_globalArgs = {{"TARGETPLATFORM", "linux/" + arch}, {"TARGETOS", "linux"}, {"TARGETARCH", arch},
                    {"TARGETVARIANT", ""}, {"BUILDPLATFORM", "linux/" + arch}, {"BUILDOS", "linux"},
                    {"BUILDARCH", arch}, {"BUILDVARIANT", ""}};
    StageState global;
    size_t i = 0;
    for (; i < m_df.instructions.size() && m_df.instructions[i].keyword == "ARG"; ++i) {
        for (auto& kv : m_df.instructions[i].pairs) {
            m_consumedArgs.insert(kv.key);
            std::optional<std::string> value;
            if (auto b = m_options.buildArgs.find(kv.key); b != m_options.buildArgs.end()) value = b->second;
            else if (kv.hasValue) {
                global.args = m_globalArgs;
                auto v = m_lex.processWord(kv.value, lookup(global));
                if (!v) return fail(Errc::InvalidArgument, stepError(m_df.instructions[i], v.error().message()));
                value = *v;
            }
            m_globalArgs[kv.key] = value;
        }
    }
    for (; i < m_df.instructions.size(); ++i) {
        const auto& ins = m_df.instructions[i];
        if (ins.keyword == "FROM") {
            Stage s;
            s.index = int(m_stages.size());
            s.name = ins.stageName;
            s.from = &ins;
            m_stages.push_back(std::move(s));
        } else {
            m_stages.back().body.push_back(&ins);
        }
    }
    m_multiStage = m_stages.size() > 1;
    m_states.resize(m_stages.size());

    int target = int(m_stages.size()) - 1;
    if (!m_options.target.empty()) {
        auto t = stageIndexFor(m_options.target, int(m_stages.size()));
        if (!t) return fail(Errc::NotFound, fmt::format("target stage \"{}\" could not be found", m_options.target));
        target = *t;
    }
    BERTH_TRYV(runStage(target));

    for (auto& [k, _] : m_options.buildArgs)
        if (!m_consumedArgs.contains(k))
            emit({BuildEvent::Kind::Warning, 0, "", fmt::format("build-arg [{}] was not consumed", k), 0});

    // The final image: --label added, names given only now that every step succeeded.
    auto& fin = m_states[size_t(target)];
    json config = fin.image.config;
    for (auto& [k, v] : m_options.labels) config["config"]["Labels"][k] = v;
    std::vector<std::string> names;
    for (auto& t : m_options.tags) {
        auto ref = BERTH_TRY_CTX(image::Reference::parse(t), "tag `" + t + "`");
        if (ref.digest) return fail(Errc::InvalidArgument, "tag `" + t + "`: a tag cannot carry a digest");
        names.push_back(ref.str());
    }
    int vertex = ++m_vertex;
    auto started = std::chrono::steady_clock::now();
    emit({BuildEvent::Kind::StepStarted, vertex, "exporting to image", "", 0});
    // Unchanged since the last step (no --label, all cached): the image exists; only name it.
    ImageState committed;
    if (!fin.image.id.empty() && image::Digest::ofBytes(config.dump()) == fin.image.id) {
        committed = fin.image;
        for (auto& n : names) BERTH_TRYV_CTX(m_images.tag(committed.id.str(), n), "name the image " + n);
    } else {
        committed = BERTH_TRY_CTX(commitImageState(m_images, config, fin.image.layers, std::nullopt, names, fin.image.id), "export the image");
    }
    emit({BuildEvent::Kind::Output, vertex, "", "writing image " + committed.id.str(), secondsSince(started)});
    for (auto& n : names)
        emit({BuildEvent::Kind::Output, vertex, "", "naming to " + n, secondsSince(started)});
    emit({BuildEvent::Kind::StepDone, vertex, "", "", secondsSince(started)});

    store::Event e;
    e.type = "image";
    e.action = "build";
    e.id = committed.id.str();
    e.name = names.empty() ? "" : image::familiarName(names.front());
    (void)store::appendEvent(m_images.layout(), std::move(e));

    BuildResult r;
    r.imageId = committed.id;
    r.tags = names;
    r.steps = m_steps;
    r.cachedSteps = m_cached;
    return r;
}

Result<void> BuildRun::runStage(int index) {
    auto& stage = m_stages[size_t(index)];
    auto& st = m_states[size_t(index)];
    if (st.built) return {};
    if (m_stop.stop_requested()) return fail(Errc::Cancelled, "build cancelled");

    st.steps = 1;
    for (auto* ins : stage.body)
        if (ins->keyword == "RUN" || ins->keyword == "COPY" || ins->keyword == "ADD") ++st.steps;
    st.step = 1;

    // FROM: the base, with global ARGs substituted.
    StageState globalScope;
    globalScope.args = m_globalArgs;
    auto baseRef = m_lex.processWord(stage.from->args[0], lookup(globalScope));
    if (!baseRef) return fail(Errc::InvalidArgument, stepError(*stage.from, baseRef.error().message()));
    if (baseRef->empty()) return fail(Errc::InvalidArgument, stepError(*stage.from, "base name (" + stage.from->args[0] + ") should not be blank"));
    int vertex = ++m_vertex;
    auto started = std::chrono::steady_clock::now();
    emit({BuildEvent::Kind::StepStarted, vertex, stepName(stage, st, *stage.from), "", 0});
    auto base = sourceState(*baseRef, index, st.cacheKey);
    if (!base) {
        auto msg = stepError(*stage.from, base.error().message());
        emit({BuildEvent::Kind::StepFailed, vertex, "", msg, secondsSince(started)});
        return fail(base.error().code(), msg);
    }
    st.image = std::move(*base);
    emit({BuildEvent::Kind::StepDone, vertex, "", "", secondsSince(started)});

    // ONBUILD triggers of the base run first, then are cleared from the child image.
    std::vector<Instruction> triggers;
    if (auto ob = st.image.config["config"].find("OnBuild"); ob != st.image.config["config"].end() && ob->is_array()) {
        for (auto& t : *ob) {
            if (!t.is_string()) continue;
            auto parsed = parseDockerfile("FROM scratch\n" + t.get<std::string>(), "ONBUILD");
            if (!parsed) return fail(Errc::InvalidArgument, stepError(*stage.from, "base image ONBUILD trigger: " + parsed.error().message()));
            Instruction trig = parsed->instructions[1];
            trig.line = stage.from->line;
            triggers.push_back(std::move(trig));
        }
        st.image.config["config"].erase("OnBuild");
    }
    for (auto& trig : triggers) {
        if (trig.keyword == "RUN" || trig.keyword == "COPY" || trig.keyword == "ADD") ++st.steps;
        BERTH_TRYV(dispatch(stage, st, trig));
    }
    for (auto* ins : stage.body) {
        if (m_stop.stop_requested()) return fail(Errc::Cancelled, "build cancelled");
        BERTH_TRYV(dispatch(stage, st, *ins));
    }
    st.built = true;
    return {};
}

Result<void> BuildRun::dispatch(Stage& stage, StageState& st, const Instruction& ins) {
    const auto& k = ins.keyword;
    if (k == "RUN") return doRun(st, ins, stage);
    if (k == "COPY" || k == "ADD") return doCopy(st, ins, stage);
    auto r = applyConfig(st, ins);
    if (!r) return fail(r.error().code(), stepError(ins, r.error().message()));
    return {};
}

// Instructions that change only the config: no layer, no container, never "run".
Result<void> BuildRun::applyConfig(StageState& st, const Instruction& ins) {
    auto env = lookup(st);
    if (ins.keyword == "ARG") {
        std::string text = "ARG";
        for (auto& kv : ins.pairs) {
            m_consumedArgs.insert(kv.key);
            std::optional<std::string> value;
            if (auto b = m_options.buildArgs.find(kv.key); b != m_options.buildArgs.end()) value = b->second;
            else if (kv.hasValue) value = BERTH_TRY(m_lex.processWord(kv.value, env));
            else if (auto g = m_globalArgs.find(kv.key); g != m_globalArgs.end()) value = g->second;
            st.args[kv.key] = value;
            text += " " + kv.key + (value ? "=" + *value : "");
        }
        // The values decide what later RUNs see: part of the cache key, not of the image.
        st.cacheKey = BuildCache::chain(st.cacheKey, text);
        return {};
    }
    auto history = BERTH_TRY(applyConfigInstruction(st.image.config, ins, m_lex, env, st.cmdSet));
    addHistory(st, history, true);
    st.cacheKey = BuildCache::chain(st.cacheKey, history);
    return {};
}

Result<void> BuildRun::layerStep(Stage& stage, StageState& st, const Instruction& ins, const std::string& keyText,
                                 const StepWork& work, const std::string& historyText) {
    ++st.step;
    ++m_steps;
    int vertex = ++m_vertex;
    auto started = std::chrono::steady_clock::now();
    emit({BuildEvent::Kind::StepStarted, vertex, stepName(stage, st, ins), "", 0});
    std::string key = BuildCache::chain(st.cacheKey, keyText);
    if (auto hit = m_cache.lookup(key)) {
        auto id = image::Digest::parse(*hit);
        if (id) {
            if (auto cached = loadImageState(m_images, *id)) {
                st.image = std::move(*cached);
                st.cacheKey = key;
                ++m_cached;
                emit({BuildEvent::Kind::Cached, vertex, "", "", secondsSince(started)});
                return {};
            }
        }
    }
    auto stepDir = m_work->path() / fmt::format("step-{}", vertex);
    BERTH_TRYV(sys::makeDirs(stepDir / "upper"));
    auto failStep = [&](const Error& e) -> Result<void> {
        std::string msg = e.message().starts_with(m_df.name + ":") ? e.message() : stepError(ins, e.message());
        emit({BuildEvent::Kind::StepFailed, vertex, "", msg, secondsSince(started), std::exchange(m_runExit, 0)});
        (void)sys::removeAll(stepDir);
        return fail(e.code(), msg);
    };
    auto done = work(stepDir / "upper", vertex);
    if (!done) return failStep(done.error());
    std::filesystem::path changes = *done;
    addHistory(st, historyText.empty() ? keyText : historyText, false);
    st.image.config["history"].back()["created"] = image::nowRfc3339();
    st.image.config["created"] = st.image.config["history"].back()["created"];
    auto committed = commitImageState(m_images, st.image.config, st.image.layers, changes, {}, st.image.id);
    (void)sys::removeAll(stepDir);
    if (!committed) return failStep(committed.error());
    st.image = std::move(*committed);
    st.cacheKey = key;
    if (auto r = m_cache.store(key, st.image.id.str()); !r)
        emit({BuildEvent::Kind::Warning, vertex, "", "build cache: " + r.error().message(), 0});
    emit({BuildEvent::Kind::StepDone, vertex, "", "", secondsSince(started)});
    return {};
}

} // namespace berth::build
