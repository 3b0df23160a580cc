# The optimized int8 paths against the reference kernels (tests/unit/test_opt_i8.c). ctest
# runs it as unit.test_opt_i8 with the CPU's own features; on x86-64 also with
# MOTE_CPU_MASK=1 (AVX2 only) and MOTE_CPU_MASK=0 (portable C), so every instruction set's
# path is compared on one machine.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64|amd64")
  foreach(variant "avx2;1" "portable;0")
    list(GET variant 0 name)
    list(GET variant 1 mask)
    add_test(NAME unit.test_opt_i8.${name} COMMAND test_opt_i8)
    set_tests_properties(unit.test_opt_i8.${name} PROPERTIES LABELS unit ENVIRONMENT "MOTE_CPU_MASK=${mask}")
  endforeach()
endif()
