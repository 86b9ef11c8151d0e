# The CTest functions every test goes through (tests/CMakeLists.txt includes this file; so
# does the top-level CMakeLists.txt for a BERTH_FUZZ build without the tests, whose
# fuzz_replay_<target> tests are script tests too).
#
# The properties every test gets (also tests that are scripts: berth_add_script_test).
function(berth_test_properties name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "LABELS;ENV" ${ARGN})
  set(env "QT_QPA_PLATFORM=offscreen"
          "BERTH_BUILD_DIR=${PROJECT_BINARY_DIR}"
          "BERTH_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
          "BERTH_MONITOR=$<TARGET_FILE_DIR:berth>/berth-monitor"
          "BERTH_CLI=$<TARGET_FILE:berth>"
          ${ARG_ENV})
  set(timeout 300)
  if(ARG_TIMEOUT)
    set(timeout ${ARG_TIMEOUT})
  endif()
  # Under ASan + UBSan (installer/dev.sh sanitize) our programs run several times slower and
  # every process checks for leaks at exit: cli_verbs (hundreds of runs of berth) took 98 s plain
  # and timed out at 300 s sanitized (load 8). A timeout only stops a hung test; 3x keeps that.
  if(BERTH_SANITIZE)
    math(EXPR timeout "${timeout} * 3")
  endif()
  set_tests_properties(${name} PROPERTIES
    SKIP_RETURN_CODE 77
    TIMEOUT ${timeout}
    ENVIRONMENT "${env}"
    LABELS "${ARG_LABELS}")
endfunction()

# berth_add_script_test(<name> COMMAND ... [LABELS ...] [ENV ...] [SERIAL] [TIMEOUT s])
# A test that is a script: it follows the same contract (exit 77 with a `BERTH-SKIP:` line
# to skip; under CI=true it must fail instead, tests/support/skip.sh does both).
function(berth_add_script_test name)
  cmake_parse_arguments(ARG "SERIAL" "TIMEOUT" "COMMAND;LABELS;ENV" ${ARGN})
  add_test(NAME ${name} COMMAND ${ARG_COMMAND})
  berth_test_properties(${name} TIMEOUT "${ARG_TIMEOUT}" LABELS "${ARG_LABELS}" ENV "${ARG_ENV}")
  if(ARG_SERIAL)
    set_tests_properties(${name} PROPERTIES RUN_SERIAL ON)
  endif()
endfunction()
