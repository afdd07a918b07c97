# Shared by toolchains/<arch>-linux-gnu.cmake, which set RCUBENCH_ARCH first.
#
# Compilers: the host's g++ for the host arch, Debian's cross g++ otherwise. Cross builds
# link fully static so that `qemu-<arch> ./binary` runs them with no sysroot (-L); ctest
# runs every test through CMAKE_CROSSCOMPILING_EMULATOR.
cmake_host_system_information(RESULT _rcubench_host QUERY OS_PLATFORM)
set(RCUBENCH_TRIPLE "${RCUBENCH_ARCH}-linux-gnu")

if(RCUBENCH_ARCH STREQUAL _rcubench_host)
  set(CMAKE_C_COMPILER gcc)
  set(CMAKE_CXX_COMPILER g++)
else()
  set(CMAKE_SYSTEM_NAME Linux)
  set(CMAKE_SYSTEM_PROCESSOR ${RCUBENCH_ARCH})
  set(CMAKE_C_COMPILER ${RCUBENCH_TRIPLE}-gcc)
  set(CMAKE_CXX_COMPILER ${RCUBENCH_TRIPLE}-g++)
  find_program(RCUBENCH_QEMU qemu-${RCUBENCH_ARCH})
  if(NOT RCUBENCH_QEMU)
    message(FATAL_ERROR "qemu-${RCUBENCH_ARCH} not found: run scripts/setup --arch ${RCUBENCH_ARCH}")
  endif()
  set(CMAKE_CROSSCOMPILING_EMULATOR ${RCUBENCH_QEMU})
  set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
  set(CMAKE_FIND_ROOT_PATH /usr/${RCUBENCH_TRIPLE})
  set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
  set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
  set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
  set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
endif()

# The static dependency prefixes that scripts/setup built for this arch (absent while
# setup builds those dependencies themselves).
if(DEFINED ENV{RCUBENCH_DEPS})
  set(_rcubench_deps "$ENV{RCUBENCH_DEPS}")
else()
  get_filename_component(_rcubench_deps "${CMAKE_CURRENT_LIST_DIR}/../.deps" ABSOLUTE)
endif()
# Arch-independent header-only libraries (toml++), kept apart from the host's /usr/include.
set(RCUBENCH_NOARCH_INCLUDE "${_rcubench_deps}/noarch/include")
if(EXISTS "${_rcubench_deps}/${RCUBENCH_ARCH}/deps.cmake")
  include("${_rcubench_deps}/${RCUBENCH_ARCH}/deps.cmake")
  list(APPEND CMAKE_PREFIX_PATH ${RCUBENCH_DEP_PREFIXES})
  # The prefixes live outside the cross sysroot; let find_* look there too.
  list(APPEND CMAKE_FIND_ROOT_PATH ${RCUBENCH_DEP_PREFIXES})
endif()
# Instruction counting (rcubench --count-insns) runs every arch under qemu-<arch> with the
# project's QEMU plugin, which scripts/setup builds for the host; the host arch included.
set(RCUBENCH_INSN_PLUGIN "${_rcubench_deps}/libinsn_count.so")
find_program(RCUBENCH_INSN_QEMU qemu-${RCUBENCH_ARCH})
