#pragma once
// A stage's root file system, mounted for the builder's own file work (COPY, ADD, reading
// /etc/passwd for --chown): an overlay of the stage's layers, writable into a step's upper
// directory, or a read-only view of another stage for COPY --from. Unmounted (lazily, so a
// busy mount never leaks) when the object dies. Needs CAP_SYS_ADMIN.

#include "sys/error.h"

#include <filesystem>
#include <vector>

namespace berth::build {

class OverlayMount {
public:
    // `lowers` bottom first (may be empty: scratch). With `upper` empty the view is
    // read-only. `target`, `upper` and `work` must exist (work on upper's file system).
    static Result<OverlayMount> mount(const std::vector<std::filesystem::path>& lowers,
                                      const std::filesystem::path& upper, const std::filesystem::path& work,
                                      const std::filesystem::path& target);
    OverlayMount(OverlayMount&& o) noexcept : m_target(std::move(o.m_target)) { o.m_target.clear(); }
    OverlayMount& operator=(OverlayMount&&) = delete;
    ~OverlayMount();

    const std::filesystem::path& path() const { return m_target; }
    void unmount();

private:
    OverlayMount() = default;
    std::filesystem::path m_target;
};

} // namespace berth::build
