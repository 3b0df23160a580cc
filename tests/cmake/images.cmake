# Image inputs for `mote run` (--image, --labels, --top): the shared sample images against
# the expectations in the shared MANIFEST.md (classification, person detection, SSD
# detection, segmentation), damaged images and bad options. Script in tests/images/;
# skipped (77) when ../shared is absent. The decoders also have a C test of their own
# (synthetic BMPs, Pillow's resize numbers, truncated and corrupted files).
if(TARGET mote_cli)
  foreach(group classify person detect segment malformed)
    add_test(NAME images.${group}
             COMMAND ${MOTE_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/../images/test_images.py ${group}
                     --mote ${MOTE_CLI_FOR_TESTS} --shared ${MOTE_SHARED_DIR})
    set_tests_properties(images.${group} PROPERTIES LABELS images SKIP_RETURN_CODE 77 TIMEOUT 1800)
  endforeach()

  add_executable(test_image_decode ${CMAKE_CURRENT_LIST_DIR}/../images/test_image_decode.c)
  target_link_libraries(test_image_decode PRIVATE mote_image)
  target_include_directories(test_image_decode PRIVATE ${PROJECT_SOURCE_DIR}/tools ${CMAKE_CURRENT_LIST_DIR}/..)
  target_compile_definitions(test_image_decode PRIVATE MOTE_SHARED_DIR="${MOTE_SHARED_DIR}")
  add_test(NAME images.decode COMMAND test_image_decode)
  set_tests_properties(images.decode PROPERTIES LABELS images)
endif()
