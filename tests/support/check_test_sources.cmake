# cmake -DTESTS_DIR=<tests> -P check_test_sources.cmake
# Fails when a test would hide a skip from CTest: a bare QSKIP (use BERTH_SKIP), a
# QTEST_*MAIN or a QTest::qExec of its own (use BERTH_TEST_MAIN and friends, which exit 77
# after a skip), or an add_test outside tests/CMakeLists.txt (berth_add_test and
# berth_add_script_test set SKIP_RETURN_CODE 77). tests/support (where the mechanism
# lives) and tests/bench (never run by CTest) are not checked.
file(GLOB_RECURSE sources LIST_DIRECTORIES false
     "${TESTS_DIR}/*.cpp" "${TESTS_DIR}/*.h" "${TESTS_DIR}/*CMakeLists.txt")
set(problems "")
foreach(f ${sources})
  file(RELATIVE_PATH rel "${TESTS_DIR}" "${f}")
  if(rel MATCHES "^(support|bench)/" OR rel STREQUAL "CMakeLists.txt")
    continue()
  endif()
  # One list element per line: CMake lists would split at every ';' and join the lines
  # after an unbalanced '[' (a shell glob in a string), hiding what follows it, so those
  # characters are neutralised first (no rule below looks at them).
  file(READ "${f}" text)
  string(REPLACE "\\" "%" text "${text}")
  string(REPLACE "[" "<" text "${text}")
  string(REPLACE "]" ">" text "${text}")
  string(REPLACE ";" "," text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(n 0)
  foreach(line IN LISTS lines)
    math(EXPR n "${n} + 1")
    string(REGEX REPLACE "//.*$" "" code "${line}")
    if(rel MATCHES "CMakeLists.txt$")
      string(REGEX REPLACE "#.*$" "" code "${line}")
      if(code MATCHES "(^|[^_a-z])add_test[ \t]*\\(")
        string(APPEND problems "tests/${rel}:${n}: add_test: use berth_add_test or berth_add_script_test\n")
      endif()
    elseif(code MATCHES "(^|[^_A-Za-z])QSKIP[ \t]*\\(")
      string(APPEND problems "tests/${rel}:${n}: QSKIP: use BERTH_SKIP(reason, Kind) (tests/support/skip.h)\n")
    elseif(code MATCHES "QTEST_[A-Z_]*MAIN[ \t]*\\(|QTest::qExec[ \t]*\\(")
      string(APPEND problems "tests/${rel}:${n}: a main of its own: use BERTH_TEST_MAIN and friends (tests/support/skip.h)\n")
    endif()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "Skips must reach CTest (tests/README.md):\n${problems}")
endif()
list(LENGTH sources count)
message(STATUS "checked ${count} files under tests/: every skip goes through BERTH_SKIP")
