# check_install.cmake — one step of the install test, run with cmake -P:
#   -DSTEP=install    install BUILD_DIR into WORK_DIR/prefix and check the files are there
#   -DSTEP=cmake      build and run the consumer project with find_package(mote), linking
#                     mote::mote (shared) and then mote::mote_static
#   -DSTEP=pkgconfig  compile the consumer with the C compiler and `pkg-config --cflags --libs mote`
# Other variables: WORK_DIR, BUILD_DIR, LIBDIR (relative to the prefix), C_COMPILER,
# GENERATOR, SANITIZE_FLAGS (a sanitized library needs sanitized programs), MODEL (optional).
cmake_minimum_required(VERSION 3.16)

set(prefix "${WORK_DIR}/prefix")
set(source "${CMAKE_CURRENT_LIST_DIR}/consumer")
set(model_args)
if(MODEL AND EXISTS "${MODEL}")
  set(model_args "${MODEL}")
endif()

# Runs a command, failing the test with its output when it fails.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${what}: ${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}): ${ARGN}")
  endif()
endfunction()

if(STEP STREQUAL "install")
  file(REMOVE_RECURSE "${WORK_DIR}")
  run("install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")
  foreach(f include/mote.h include/mote_writer.h ${LIBDIR}/libmote.a ${LIBDIR}/libmote.so
            ${LIBDIR}/cmake/mote/moteConfig.cmake ${LIBDIR}/cmake/mote/moteConfigVersion.cmake
            ${LIBDIR}/cmake/mote/moteTargets.cmake ${LIBDIR}/pkgconfig/mote.pc)
    if(NOT EXISTS "${prefix}/${f}")
      message(FATAL_ERROR "not installed: ${f}")
    endif()
  endforeach()
  # Nothing from the source tree's private headers may leak into the prefix.
  file(GLOB private_headers "${prefix}/include/*/*.h")
  if(private_headers)
    message(FATAL_ERROR "private headers installed: ${private_headers}")
  endif()

elseif(STEP STREQUAL "cmake")
  foreach(target mote::mote mote::mote_static)
    string(REPLACE "::" "_" name "${target}")
    set(bin "${WORK_DIR}/${name}")
    file(REMOVE_RECURSE "${bin}")
    run("configure ${target}" "${CMAKE_COMMAND}" -S "${source}" -B "${bin}" -G "${GENERATOR}"
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=${C_COMPILER}
        "-DCMAKE_C_FLAGS=${SANITIZE_FLAGS}" "-DCMAKE_PREFIX_PATH=${prefix}" -DMOTE_TARGET=${target})
    run("build ${target}" "${CMAKE_COMMAND}" --build "${bin}")
    run("run ${target}" "${bin}/app" ${model_args})
  endforeach()

elseif(STEP STREQUAL "pkgconfig")
  find_program(PKG_CONFIG pkg-config)
  if(NOT PKG_CONFIG)
    message("SKIP: pkg-config is not installed")
    return()
  endif()
  set(ENV{PKG_CONFIG_PATH} "${prefix}/${LIBDIR}/pkgconfig")
  execute_process(COMMAND "${PKG_CONFIG}" --modversion mote OUTPUT_VARIABLE version
                  OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT version STREQUAL "${VERSION}")
    message(FATAL_ERROR "pkg-config --modversion mote gave '${version}', expected ${VERSION}")
  endif()
  execute_process(COMMAND "${PKG_CONFIG}" --cflags --libs mote OUTPUT_VARIABLE flags
                  OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config --cflags --libs mote failed")
  endif()
  message("pkg-config --cflags --libs mote: ${flags}")
  separate_arguments(flags UNIX_COMMAND "${flags}")
  separate_arguments(san UNIX_COMMAND "${SANITIZE_FLAGS}")
  set(app "${WORK_DIR}/pkgconfig_app")
  run("compile" "${C_COMPILER}" -Wall -Wextra -Werror ${san} "${source}/app.c" -o "${app}" ${flags})
  # The shared library sits in the prefix, not on the loader's path.
  set(ENV{LD_LIBRARY_PATH} "${prefix}/${LIBDIR}")
  run("run" "${app}" ${model_args})

else()
  message(FATAL_ERROR "unknown STEP '${STEP}'")
endif()
