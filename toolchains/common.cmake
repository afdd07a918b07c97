# Shared by toolchains/<arch>-linux-gnu.cmake, which set RCUBENCH_ARCH first.
#
# Compilers: the host's g++ for the host arch, Debian's cross g++ otherwise. Cross builds
# link fully static so that `qemu-<arch> ./binary` runs them with no sysroot (-L), and so
# that they run on a board as they are. ctest runs every test of every arch through
# CMAKE_CROSSCOMPILING_EMULATOR, scripts/lib/target_exec: directly on the host's arch,
# under qemu-<arch> on the others, on a board when RCUBENCH_REMOTE_<ARCH> names one
# (scripts/test --remote).
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
  set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
  set(CMAKE_FIND_ROOT_PATH /usr/${RCUBENCH_TRIPLE})
  set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
  set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
  set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
  set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
endif()

# One path, not a list: the tests hand it on as -DEMULATOR=... to cmake -P scripts. A
# wrapper in the build tree gives target_exec this build's arch and qemu.
if(RCUBENCH_QEMU)
  set(_rcubench_qemu "${RCUBENCH_QEMU}")
else()
  set(_rcubench_qemu "-")
endif()
get_filename_component(_rcubench_target_exec "${CMAKE_CURRENT_LIST_DIR}/../scripts/lib/target_exec"
                       ABSOLUTE)
file(WRITE "${CMAKE_BINARY_DIR}/target_exec"
     "#!/bin/sh\nexec '${_rcubench_target_exec}' ${RCUBENCH_ARCH} '${_rcubench_qemu}' \"$@\"\n")
file(CHMOD "${CMAKE_BINARY_DIR}/target_exec" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
     GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_BINARY_DIR}/target_exec")

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
set(RCUBENCH_INSN_PLUGIN_API "${_rcubench_deps}/qemu-plugin-api")
find_program(RCUBENCH_INSN_QEMU qemu-${RCUBENCH_ARCH})
