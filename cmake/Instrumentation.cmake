# Instrumented builds, each in its own build directory (installer/dev.sh sanitize|fuzz);
# with both options off (the default) nothing here changes the build.
#
# BERTH_SANITIZE  AddressSanitizer + UndefinedBehaviorSanitizer on every target (GCC or
#                 clang), any finding fatal, and libstdc++'s own checks (_GLIBCXX_ASSERTIONS:
#                 an index past size() aborts even inside a vector's capacity, where ASan
#                 sees nothing). Optimised lightly (-O1) with line tables only (-g1), which
#                 keeps the build short and the reports readable. berth-monitor
#                 is linked dynamically here: the sanitizer runtimes are shared libraries and
#                 a static-pie cannot carry them (app/CMakeLists.txt).
# BERTH_FUZZ      the libFuzzer targets of tests/fuzz (clang only), with ASan + UBSan; only
#                 the engine and the fuzz targets are built.
#
# Clang and GCC 12's libstdc++: <expected> is only declared when __cpp_concepts >= 202002L.
# Clang sets 201907L up to clang 18 although clang 16 implements what libstdc++ needs
# there (P0848, conditionally trivial special members); clang 14 does not (its build of
# <expected> fails: "attempt to use a deleted function"). So clang 16 is the clang we take
# (Debian 12: clang-16, libclang-rt-16-dev), and before clang 19 the macro is raised to
# what the compiler supports in fact.
option(BERTH_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(BERTH_FUZZ "Build the libFuzzer targets (clang 16 or later) instead of the programs" OFF)

if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 19)
  if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 16)
    message(FATAL_ERROR "clang ${CMAKE_CXX_COMPILER_VERSION} cannot compile GCC 12's <expected> "
                        "(no P0848): use clang-16 (CXX=clang++-16) or GCC")
  endif()
  add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-D__cpp_concepts=202002L>
                      $<$<COMPILE_LANGUAGE:CXX>:-Wno-macro-redefined>)
endif()

if(BERTH_SANITIZE OR BERTH_FUZZ)
  set(berth_san_flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    set(berth_debug_flag -gline-tables-only)
  else()
    set(berth_debug_flag -g1)
  endif()
  # After CMAKE_CXX_FLAGS_<CONFIG> on the command line, so these win over -O2 -g.
  add_compile_options(${berth_san_flags} -O1 ${berth_debug_flag})
  add_link_options(${berth_san_flags})
  set(BERTH_STATIC_MONITOR OFF CACHE BOOL "" FORCE)
endif()

if(BERTH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "BERTH_FUZZ needs clang (libFuzzer): CC=clang-16 CXX=clang++-16")
  endif()
  # Coverage for libFuzzer in every library; the fuzz targets link libFuzzer itself.
  add_compile_options(-fsanitize=fuzzer-no-link)
  set(BERTH_BUILD_UI OFF CACHE BOOL "" FORCE)
  set(BERTH_BUILD_TESTS OFF CACHE BOOL "" FORCE)
endif()
