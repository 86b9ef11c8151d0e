#pragma once
// ScopeGuard runs its action on scope exit unless dismissed: the undo step of a
// multi-step create ("remove the half-made directory unless we got to the end").

#include <utility>

namespace berth::sys {

template <class F>
class ScopeGuard {
public:
    explicit ScopeGuard(F f) : m_f(std::move(f)) {}
    ScopeGuard(const ScopeGuard&) = delete;
    ScopeGuard& operator=(const ScopeGuard&) = delete;
    ~ScopeGuard() {
        if (m_active) m_f();
    }
    void dismiss() { m_active = false; }

private:
    F m_f;
    bool m_active = true;
};

} // namespace berth::sys
