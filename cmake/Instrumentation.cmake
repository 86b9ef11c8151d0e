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
# BERTH_FUZZ      the fuzz targets of tests/fuzz become libFuzzer programs (clang only), and
#                 everything is compiled with ASan + UBSan and libFuzzer's coverage. With
#                 BERTH_SANITIZE too, one build serves the sanitized tests and the fuzzers
#                 (installer/dev.sh sanitize); installer/dev.sh fuzz builds the fuzz
#                 targets alone (BERTH_BUILD_TESTS and BERTH_BUILD_UI off).
#
# Clang and GCC 12's libstdc++: <expected> is only declared when __cpp_concepts >= 202002L.
# Debian 12's clang-14, -15 and -16 all define 201907L (clang raised it in 19), though clang
# 16 implements what libstdc++'s <expected> needs (P0848, conditionally trivial special
# members). So before clang 19 the macro is raised to 202002L on the command line; clang 14
# then still fails on <expected> ("attempt to use a deleted function"), clang 15 passes a
# small test, and clang 16 (Debian 12: clang-16, libclang-rt-16-dev) builds and runs the
# whole tree, so 16 is the floor here.
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
  # No precompiled headers for clang with ccache: CMake passes clang the header and the PCH
  # behind -Xclang, where ccache does not make paths relative to CCACHE_BASEDIR, so every
  # object's cache key held the checkout's absolute path and a clone elsewhere (each CI
  # run) missed the cache for every object. Without them a second checkout hits it; the
  # cold build costs ~30-50% more CPU per file (layout.cpp 1.8 s -> 2.7 s,
  # manifest.cpp 7.5 s -> 10.2 s). GCC's PCH (-include, -fpch-preprocess) is cached fine.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND CCACHE_PROGRAM)
    set(CMAKE_DISABLE_PRECOMPILE_HEADERS ON)
  endif()
endif()
if(BERTH_SANITIZE)
  add_compile_definitions(_GLIBCXX_ASSERTIONS)
endif()

if(BERTH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "BERTH_FUZZ needs clang (libFuzzer): CC=clang-16 CXX=clang++-16")
  endif()
  # Coverage for libFuzzer in everything; the fuzz targets link libFuzzer itself, other
  # programs get the sanitizer runtime's empty coverage callbacks.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
