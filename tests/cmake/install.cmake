# Install test: installs this build into a scratch prefix, then builds a consumer outside
# the tree twice (find_package(mote) and pkg-config) and runs it. Steps in tests/install/.
set(MOTE_INSTALL_TEST_ARGS
  -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/install-test
  -DBUILD_DIR=${PROJECT_BINARY_DIR}
  -DLIBDIR=${CMAKE_INSTALL_LIBDIR}
  -DVERSION=${PROJECT_VERSION}
  -DC_COMPILER=${CMAKE_C_COMPILER}
  -DGENERATOR=${CMAKE_GENERATOR}
  -DMODEL=${MOTE_SHARED_DIR}/models/add.tflite)
if(MOTE_SANITIZE)
  list(APPEND MOTE_INSTALL_TEST_ARGS "-DSANITIZE_FLAGS=-fsanitize=address,undefined")
endif()

foreach(step install cmake pkgconfig)
  add_test(NAME install.${step}
           COMMAND ${CMAKE_COMMAND} ${MOTE_INSTALL_TEST_ARGS} -DSTEP=${step}
                   -P ${CMAKE_CURRENT_LIST_DIR}/../install/check_install.cmake)
  set_tests_properties(install.${step} PROPERTIES LABELS install)
endforeach()
# The prefix is made once, then both consumers use it.
set_tests_properties(install.install PROPERTIES FIXTURES_SETUP mote_installed)
set_tests_properties(install.cmake install.pkgconfig PROPERTIES FIXTURES_REQUIRED mote_installed)
set_tests_properties(install.pkgconfig PROPERTIES SKIP_REGULAR_EXPRESSION "SKIP: ")
