// The static berth-monitor (app/CMakeLists.txt) links no libfmt: the engine's only
// out-of-line fmt call is fmt::vformat, so this file instantiates fmt's header-only
// implementation of it. Nothing here in the dynamic build (which links libfmt).
#ifdef BERTH_MONITOR_STATIC
#define FMT_HEADER_ONLY
#include <fmt/format.h>

namespace berth::monitor {
// Taking the address odr-uses vformat, so this translation unit emits its definition.
extern auto (*const kFmtVformat)(fmt::string_view, fmt::format_args) -> std::string;
auto (*const kFmtVformat)(fmt::string_view, fmt::format_args) -> std::string = &fmt::vformat;
} // namespace berth::monitor
#endif
