# cmake -DCHECK=<check_test_sources.cmake> -DFIXTURE=<dir> -P check_test_sources_fixture.cmake
# The source rules must fail on the fixture and name each bare QSKIP by its own line.
execute_process(COMMAND ${CMAKE_COMMAND} -DTESTS_DIR=${FIXTURE} -P ${CHECK}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(rc EQUAL 0)
  message(FATAL_ERROR "the source rules passed a tree with two bare QSKIPs:\n${all}")
endif()
foreach(expected "tst_hidden.cpp:7: QSKIP" "tst_hidden.cpp:9: QSKIP")
  string(FIND "${all}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the source rules did not report '${expected}':\n${all}")
  endif()
endforeach()
message(STATUS "both hidden QSKIPs reported with their lines")
