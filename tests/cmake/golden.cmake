# Golden suites: `mote run` on every reference folder in ../shared (real models, then the
# single-operator opsuite), judged by the shared compare-outputs.py. Unsupported operators
# are SKIP rows inside a suite; the suite itself fails on any FAIL and is skipped (77)
# when ../shared is absent. Scripts in tests/golden/.
if(TARGET mote_cli)
  foreach(suite goldens opsuite)
    add_test(NAME golden.${suite}
             COMMAND ${MOTE_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/../golden/run_${suite}.py
                     --mote ${MOTE_CLI_FOR_TESTS} --shared ${MOTE_SHARED_DIR} --jobs 2)
    set_tests_properties(golden.${suite} PROPERTIES LABELS golden SKIP_RETURN_CODE 77 TIMEOUT 3600)
  endforeach()
endif()
