# Mote's own single-operator cases (tests/opgen/cases, made by tests/opgen/generate.py with
# Mote's writer): `mote run` on each, with the default kernels and with --reference, judged
# by compare-outputs.py's rules. Needs no ../shared, Node.js or oracle.
if(TARGET mote_cli)
  add_test(NAME golden.opgen
           COMMAND ${MOTE_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/../opgen/run_opgen.py
                   --mote ${MOTE_CLI_FOR_TESTS} --shared ${MOTE_SHARED_DIR} --jobs 2)
  set_tests_properties(golden.opgen PROPERTIES LABELS golden SKIP_RETURN_CODE 77 TIMEOUT 900)
endif()
