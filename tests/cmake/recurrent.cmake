# Recurrent models on meaningful inputs (drawn digits, the shared "yes"/"no" recordings,
# slow sequences), against a float64 reference of the published equations and by the
# models' invariants: the goldens' random inputs saturate several of these models. Script
# in tests/recurrent/; skipped (77) when ../shared is absent.
if(TARGET mote_cli)
  foreach(group float int8 svdf)
    add_test(NAME recurrent.${group}
             COMMAND ${MOTE_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/../recurrent/check_recurrent.py ${group}
                     --mote ${MOTE_CLI_FOR_TESTS} --shared ${MOTE_SHARED_DIR})
    set_tests_properties(recurrent.${group} PROPERTIES LABELS recurrent SKIP_RETURN_CODE 77 TIMEOUT 900)
  endforeach()
endif()
