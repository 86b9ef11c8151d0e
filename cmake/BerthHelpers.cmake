# berth_engine_library(<name> SOURCES ... [DEPS ...])
# One static library per engine layer. Headers are included as "<layer>/<file>.h" relative
# to engine/. Engine libraries never link Qt.
set(BERTH_ENGINE_PCH
  <string> <string_view> <vector> <map> <memory> <optional> <filesystem> <expected>
  <functional> <nlohmann/json.hpp> <fmt/format.h>)

function(berth_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-missing-field-initializers)
endfunction()

function(berth_engine_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/engine ${PROJECT_SOURCE_DIR}/engine/include)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  target_precompile_headers(${name} PRIVATE ${BERTH_ENGINE_PCH})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  berth_warnings(${name})
endfunction()
