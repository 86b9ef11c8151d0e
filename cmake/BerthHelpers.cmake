# berth_engine_library(<name> SOURCES ... [DEPS ...])
# One static library per engine layer. Headers are included as "<layer>/<file>.h" relative
# to engine/. Engine libraries never link Qt.
set(BERTH_ENGINE_PCH
  <string> <string_view> <vector> <map> <memory> <optional> <filesystem> <expected>
  <functional> <nlohmann/json.hpp> <fmt/format.h>)

function(berth_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-missing-field-initializers)
endfunction()

# DEPS other than the engine's own libraries (and header-only nlohmann_json) reach a
# consumer only when it does not set the target property BERTH_ENGINE_ARCHIVES_ONLY: the
# static berth-monitor (app/CMakeLists.txt) links the engine's archives by target and brings
# the static (libseccomp, libnl) or header-only (fmt) forms of the few libraries the parts it
# uses need; the shared ones (libarchive, libcrypto, libfmt...) would not link into it.
function(berth_engine_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/engine ${PROJECT_SOURCE_DIR}/engine/include)
  foreach(dep IN LISTS ARG_DEPS)
    if(dep MATCHES "^berth_" OR dep STREQUAL "nlohmann_json::nlohmann_json")
      target_link_libraries(${name} PUBLIC ${dep})
    else()
      target_link_libraries(${name} PUBLIC "$<$<NOT:$<BOOL:$<TARGET_PROPERTY:BERTH_ENGINE_ARCHIVES_ONLY>>>:${dep}>")
    endif()
  endforeach()
  target_precompile_headers(${name} PRIVATE ${BERTH_ENGINE_PCH})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  berth_warnings(${name})
endfunction()
