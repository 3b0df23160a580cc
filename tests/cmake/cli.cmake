# CLI tests: the `mote` command's usage, `ops` (and that docs/OPS.md is its --markdown
# output), `inspect` on every shared model, errors naming unsupported operators, and
# truncated or corrupted models and meta.json files (made at test time in a temp dir).
# Script in tests/cli/; skipped (77) when ../shared is absent (but usage and ops).
if(TARGET mote_cli)
  foreach(group usage ops inspect unsupported run corrupt)
    add_test(NAME cli.${group}
             COMMAND ${MOTE_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/../cli/test_cli.py ${group}
                     --mote ${MOTE_CLI_FOR_TESTS} --shared ${MOTE_SHARED_DIR} --jobs 2)
    set_tests_properties(cli.${group} PROPERTIES LABELS cli SKIP_RETURN_CODE 77 TIMEOUT 900)
  endforeach()

  # The CLI's JSON reader (meta.json is untrusted input), built from the tool's sources.
  add_executable(test_cli_json ${CMAKE_CURRENT_LIST_DIR}/../cli/test_json.c
                               ${PROJECT_SOURCE_DIR}/tools/json.c)
  target_include_directories(test_cli_json PRIVATE ${PROJECT_SOURCE_DIR}/tools ${CMAKE_CURRENT_LIST_DIR}/..)
  if(MATH_LIBRARY)
    target_link_libraries(test_cli_json PRIVATE ${MATH_LIBRARY})
  endif()
  add_test(NAME cli.json COMMAND test_cli_json)
  set_tests_properties(cli.json PROPERTIES LABELS cli)
endif()
