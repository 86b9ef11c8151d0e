#include "lazy_library.h"

#include <mutex>

namespace berth::cli::lazy {

namespace {
std::mutex g_mutex;
std::string g_failure;
} // namespace

std::string failure() {
    std::lock_guard lock(g_mutex);
    return g_failure;
}

void noteFailure(const char* what, const char* name) {
    const char* why = ::dlerror();
    std::lock_guard lock(g_mutex);
    if (!g_failure.empty()) return;  // the first reason is the one to tell
    g_failure = std::string(what) + " " + name + ": " + (why ? why : "unknown error") + " (is the library installed?)";
}

} // namespace berth::cli::lazy
