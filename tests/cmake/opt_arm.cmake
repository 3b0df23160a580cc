# The optimized int8 paths on AArch64: ctest runs tests/unit/test_opt_arm.c (the NEON
# microkernels, then quantized operators against the reference kernels) and
# tests/unit/test_opt_i8.c with the CPU's own features as unit.test_opt_arm and
# unit.test_opt_i8, and here again with MOTE_CPU_MASK=256 (NEON without the dot product)
# and MOTE_CPU_MASK=0 (portable C), so every instruction set's path is covered on one
# machine (or one emulated CPU: qemu's default "max" has the dot product).
if(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64|ARM64")
  foreach(test test_opt_arm test_opt_i8)
    if(NOT TARGET ${test})
      continue()
    endif()
    foreach(variant "neon;256" "portable;0")
      list(GET variant 0 name)
      list(GET variant 1 mask)
      add_test(NAME unit.${test}.${name} COMMAND ${test})
      set_tests_properties(unit.${test}.${name} PROPERTIES LABELS unit ENVIRONMENT "MOTE_CPU_MASK=${mask}")
    endforeach()
  endforeach()
endif()
