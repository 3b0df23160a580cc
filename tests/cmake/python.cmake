# Python package (python/): python.build compiles the extension mote._mote (Mote's sources
# and python/src/_mote.c, with setuptools) into this build tree; the other tests run the
# pytest suites in python/tests against it. Nothing is installed. Each step is skipped (77)
# with a message when python3-dev, NumPy, setuptools or pytest is missing, and the model
# suites when ../shared is absent. In a MOTE_SANITIZE build the extension is built with
# ASan+UBSan too. Driver: python/tests/run_ctest.py.
set(MOTE_PY_DRIVER ${PROJECT_SOURCE_DIR}/python/tests/run_ctest.py)
set(MOTE_PY_ARGS --build-dir ${CMAKE_CURRENT_BINARY_DIR}/python --shared ${MOTE_SHARED_DIR})
if(MOTE_SANITIZE)
  list(APPEND MOTE_PY_ARGS --sanitize)
endif()

add_test(NAME python.build COMMAND ${MOTE_PYTHON} ${MOTE_PY_DRIVER} build ${MOTE_PY_ARGS})
set_tests_properties(python.build PROPERTIES LABELS python SKIP_RETURN_CODE 77 TIMEOUT 1800
                     FIXTURES_SETUP mote_python)

# name -> pytest files
set(MOTE_PY_SUITES
  "api:test_api.py test_typical.py test_threads.py"
  "goldens:test_goldens.py"
  "label_image:test_label_image.py")
foreach(entry ${MOTE_PY_SUITES})
  string(REPLACE ":" ";" entry "${entry}")
  list(GET entry 0 name)
  list(GET entry 1 files)
  separate_arguments(files)
  add_test(NAME python.${name} COMMAND ${MOTE_PYTHON} ${MOTE_PY_DRIVER} test ${MOTE_PY_ARGS} ${files})
  set_tests_properties(python.${name} PROPERTIES LABELS python SKIP_RETURN_CODE 77 TIMEOUT 3600
                       FIXTURES_REQUIRED mote_python)
endforeach()
