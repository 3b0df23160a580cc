# Fuzzing, replayed on every run: every file in tests/fuzz/regressions (each a model that
# once crashed, hung or tripped a sanitizer, named after what broke) goes through the fuzz
# targets' replay programs and through `mote inspect` and `mote run`; the seed corpora
# (made at test time by fuzz_make_seeds) go through all three targets. The targets
# themselves, and the libFuzzer build, are in tests/fuzz/.
add_subdirectory(${CMAKE_CURRENT_LIST_DIR}/../fuzz ${CMAKE_CURRENT_BINARY_DIR}/fuzz)

set(MOTE_FUZZ_REGRESSIONS ${CMAKE_CURRENT_LIST_DIR}/../fuzz/regressions)
foreach(t fuzz_load fuzz_run)
  add_test(NAME fuzz.regressions.${t} COMMAND ${t}_replay ${MOTE_FUZZ_REGRESSIONS})
  set_tests_properties(fuzz.regressions.${t} PROPERTIES LABELS fuzz TIMEOUT 600)
endforeach()
if(TARGET mote_cli)
  add_test(NAME fuzz.regressions.cli
           COMMAND ${MOTE_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/../fuzz/check_models.py regressions
                   --mote ${MOTE_CLI_FOR_TESTS} --dir ${MOTE_FUZZ_REGRESSIONS})
  set_tests_properties(fuzz.regressions.cli PROPERTIES LABELS fuzz TIMEOUT 600)
endif()

set(MOTE_FUZZ_SEEDS ${CMAKE_CURRENT_BINARY_DIR}/fuzz/seeds)
add_test(NAME fuzz.seeds.make COMMAND fuzz_make_seeds ${MOTE_FUZZ_SEEDS})
set_tests_properties(fuzz.seeds.make PROPERTIES LABELS fuzz FIXTURES_SETUP mote_fuzz_seeds TIMEOUT 600)
foreach(t fuzz_load fuzz_run)
  add_test(NAME fuzz.seeds.${t} COMMAND ${t}_replay ${MOTE_FUZZ_SEEDS}/models)
  set_tests_properties(fuzz.seeds.${t} PROPERTIES LABELS fuzz FIXTURES_REQUIRED mote_fuzz_seeds TIMEOUT 600)
endforeach()
add_test(NAME fuzz.seeds.fuzz_structured COMMAND fuzz_structured_replay ${MOTE_FUZZ_SEEDS}/structured)
set_tests_properties(fuzz.seeds.fuzz_structured PROPERTIES LABELS fuzz FIXTURES_REQUIRED mote_fuzz_seeds
                     TIMEOUT 600)

# Malformed models made at test time from every shared model (cuts, byte flips, and
# corruptions aimed at vtables, offsets, vector lengths, indices and shapes): `mote inspect`
# and `mote run` must end with an error status or a correct run, never a signal, a
# sanitizer report or a timeout. Skipped (77) when ../shared is absent. Under an emulator
# (a cross build) each model gets 4 variants instead of 24: every run starts an emulator.
if(TARGET mote_cli)
  set(per_model "")
  if(CMAKE_CROSSCOMPILING)
    set(per_model --per-model 4)
  endif()
  add_test(NAME fuzz.malformed
           COMMAND ${MOTE_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/../fuzz/check_models.py malformed
                   --mote ${MOTE_CLI_FOR_TESTS} --shared ${MOTE_SHARED_DIR} --jobs 2 ${per_model})
  set_tests_properties(fuzz.malformed PROPERTIES LABELS fuzz SKIP_RETURN_CODE 77 TIMEOUT 900)
endif()
