#pragma once
// One build in progress (internal to the builder): the stages, their states, the cache,
// and one method per kind of instruction. builder.cpp drives it; build_copy.cpp has
// COPY/ADD and build_exec.cpp has RUN.

#include "build/build_cache.h"
#include "build/builder.h"
#include "build/image_writer.h"
#include "build/shell_lex.h"
#include "image/work_dir.h"

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace berth::build {

struct Stage {
    int index = 0;
    std::string name;  // "AS name", or ""
    const Instruction* from = nullptr;
    std::vector<const Instruction*> body;
};

struct StageState {
    ImageState image;
    std::string cacheKey;  // chains every instruction so far (sha256 hex)
    std::map<std::string, std::optional<std::string>> args;  // ARGs declared in this stage
    bool cmdSet = false;   // CMD given in this stage (ENTRYPOINT then keeps it)
    bool built = false;
    int step = 0, steps = 0;  // for "[name 2/5]"
};

class BuildRun {
public:
    BuildRun(image::ImageStore& images, container::ContainerService& containers, const BuildContext& context,
             const BuildOptions& options, const BuildProgress& progress, std::stop_token stop)
        : m_images(images), m_containers(containers), m_context(context), m_options(options),
          m_progress(progress), m_stop(std::move(stop)) {}

    Result<BuildResult> run();

    // Used by the step implementations.
    std::string stepError(const Instruction& ins, const std::string& message) const;
    EnvLookup lookup(const StageState& st) const;
    std::vector<std::string> envList(const StageState& st) const;
    std::vector<std::string> runEnv(const StageState& st) const;
    void emit(BuildEvent e) const;

private:
    Result<void> runStage(int index);
    Result<void> dispatch(Stage& stage, StageState& st, const Instruction& ins);
    Result<void> applyConfig(StageState& st, const Instruction& ins);
    // A step that makes a layer: cache lookup, `work` on a miss, commit, cache store.
    // `work` gets an empty upper dir (and the step's number) and returns the directory
    // holding the step's changes in overlay form (that upper dir, or a container's).
    using StepWork = std::function<Result<std::filesystem::path>(const std::filesystem::path& upper, int vertex)>;
    Result<void> layerStep(Stage& stage, StageState& st, const Instruction& ins, const std::string& keyText,
                           const StepWork& work, const std::string& historyText = {});
    Result<void> doRun(StageState& st, const Instruction& ins, Stage& stage);
    Result<void> doCopy(StageState& st, const Instruction& ins, Stage& stage);
    Result<int> stageIndexFor(std::string_view ref, int before) const;
    Result<ImageState> sourceState(std::string_view from, int before, std::string& key);
    // Pulls `ref` (FROM or COPY --from) through the registry layer, reporting as output of
    // the current step; returns the image id.
    Result<image::Digest> pullImage(const std::string& ref);
    void addHistory(StageState& st, const std::string& createdBy, bool emptyLayer) const;
    std::string stepName(const Stage& stage, const StageState& st, const Instruction& ins) const;

    image::ImageStore& m_images;
    container::ContainerService& m_containers;
    const BuildContext& m_context;
    const BuildOptions& m_options;
    const BuildProgress& m_progress;
    std::stop_token m_stop;

    Dockerfile m_df;
    ShellLex m_lex;
    std::vector<Stage> m_stages;
    std::vector<StageState> m_states;
    std::map<std::string, std::optional<std::string>> m_globalArgs;
    std::set<std::string> m_consumedArgs;
    std::map<std::string, image::Digest> m_pulled;  // per build, each reference once
    std::optional<image::WorkDir> m_work;
    BuildCache m_cache;
    mutable int m_vertex = 0;
    int m_cached = 0, m_steps = 0;
    int m_runExit = 0;  // the exit status of the RUN that just failed (its StepFailed carries it)
    bool m_multiStage = false;

    friend struct CopyStep;
};

} // namespace berth::build
