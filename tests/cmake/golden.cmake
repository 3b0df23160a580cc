# Golden suites: `mote run` on every reference folder in ../shared (real models, then the
# single-operator opsuite), judged by the shared compare-outputs.py. Unsupported operators
# are SKIP rows inside a suite; the suite itself fails on any FAIL and is skipped (77)
# when ../shared is absent. Scripts in tests/golden/.
#
# Under an emulator (a cross build, cmake/toolchain-aarch64.cmake) the largest models take
# minutes each, so golden.goldens leaves out those in MOTE_EMULATED_GOLDEN_SKIP (set it
# empty to run them all); the rest still cover convolution, depthwise convolution and fully
# connected layers in float32, int8 and uint8, and the opsuite runs in full.
set(MOTE_EMULATED_GOLDEN_SKIP
    "deeplabv3,coco_ssd_mobilenet_v1_1.0_quant_2018_06_29,torchaudio_conformer,peer/mobilenet_v2_1.0_224,mobilenet_v2_quantized_1x3x224x224,face_detection_full_range_sparse,tf2_mobilenet_v2_1.0_224_ptq,peer/mlp_encoder"
    CACHE STRING "Golden models left out when the tests run under an emulator (comma-separated)")
if(TARGET mote_cli)
  foreach(suite goldens opsuite)
    set(extra "")
    if(suite STREQUAL "goldens" AND CMAKE_CROSSCOMPILING AND NOT MOTE_EMULATED_GOLDEN_SKIP STREQUAL "")
      set(extra --skip ${MOTE_EMULATED_GOLDEN_SKIP})
    endif()
    add_test(NAME golden.${suite}
             COMMAND ${MOTE_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/../golden/run_${suite}.py
                     --mote ${MOTE_CLI_FOR_TESTS} --shared ${MOTE_SHARED_DIR} --jobs 2 ${extra})
    set_tests_properties(golden.${suite} PROPERTIES LABELS golden SKIP_RETURN_CODE 77 TIMEOUT 3600)
  endforeach()
endif()
