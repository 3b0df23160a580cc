# `mote bench`, its profiling hook and bench/compare: quick smoke tests. Speed is never
# asserted, only that the reports hold what they promise (bench/test_bench.py) and that the
# profiling API counts what ran (bench/test_profile.c). bench.compare leaves the node peers
# out and runs one small model once. Skipped (77) when ../shared is absent.
add_executable(test_bench_profile ${PROJECT_SOURCE_DIR}/bench/test_profile.c)
target_link_libraries(test_bench_profile PRIVATE mote_internal)
target_include_directories(test_bench_profile PRIVATE ${CMAKE_CURRENT_LIST_DIR}/..)
target_compile_definitions(test_bench_profile PRIVATE MOTE_SHARED_DIR="${MOTE_SHARED_DIR}")
add_test(NAME bench.profile COMMAND test_bench_profile)
set_tests_properties(bench.profile PROPERTIES LABELS bench SKIP_RETURN_CODE 77)

if(TARGET mote_cli)
  add_test(NAME bench.cli
           COMMAND ${MOTE_PYTHON} ${PROJECT_SOURCE_DIR}/bench/test_bench.py
                   --mote ${MOTE_CLI_FOR_TESTS} --shared ${MOTE_SHARED_DIR})
  set_tests_properties(bench.cli PROPERTIES LABELS bench SKIP_RETURN_CODE 77 TIMEOUT 600)
  # The FMA peak program is built for and run on the host: not in a cross build.
  if(NOT CMAKE_CROSSCOMPILING)
    add_test(NAME bench.compare
             COMMAND ${MOTE_PYTHON} ${PROJECT_SOURCE_DIR}/bench/test_bench.py --compare
                     --mote $<TARGET_FILE:mote_cli> --shared ${MOTE_SHARED_DIR})
    set_tests_properties(bench.compare PROPERTIES LABELS bench SKIP_RETURN_CODE 77 TIMEOUT 600)
  endif()
endif()
