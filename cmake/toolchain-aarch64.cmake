# toolchain-aarch64.cmake — cross build for 64-bit Arm Linux with Debian's cross compiler,
# tests run under qemu-user.
#
#   apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
#   cmake -S . -B build-arm -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake
#   cmake --build build-arm -j && (cd build-arm && ctest)
#
# ctest runs every target executable through CMAKE_CROSSCOMPILING_EMULATOR; scripted tests
# get a wrapper that does the same for `mote` (tests/CMakeLists.txt). qemu's CPU can be
# chosen with QEMU_CPU (its default, "max", has NEON, dot product and i8mm; cortex-a53 has
# plain NEON only). MOTE_AARCH64_SYSROOT overrides the target's libraries (default: where
# libc6-dev-arm64-cross puts them).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(MOTE_AARCH64_TRIPLE aarch64-linux-gnu)
if(DEFINED ENV{MOTE_AARCH64_SYSROOT})
  set(MOTE_AARCH64_SYSROOT "$ENV{MOTE_AARCH64_SYSROOT}")
else()
  set(MOTE_AARCH64_SYSROOT /usr/${MOTE_AARCH64_TRIPLE})
endif()

find_program(MOTE_AARCH64_CC ${MOTE_AARCH64_TRIPLE}-gcc)
if(NOT MOTE_AARCH64_CC)
  message(FATAL_ERROR "${MOTE_AARCH64_TRIPLE}-gcc not found: apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross")
endif()
set(CMAKE_C_COMPILER ${MOTE_AARCH64_CC})

# Libraries and headers of the target only; programs (python3, cmake) of the host.
set(CMAKE_FIND_ROOT_PATH ${MOTE_AARCH64_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

find_program(MOTE_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)
if(MOTE_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${MOTE_QEMU_AARCH64} -L ${MOTE_AARCH64_SYSROOT})
else()
  message(WARNING "qemu-aarch64 not found (apt-get install qemu-user): the build works, the tests cannot run")
endif()
