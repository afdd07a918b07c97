# FindURCU: liburcu's flavors as imported targets (liburcu ships pkg-config files only).
#
#   URCU::memb URCU::qsbr URCU::bp URCU::mb URCU::signal   one per flavor
#   URCU::common                                           wait-free queues, call_rcu helpers
#
# Headers come in as system headers: liburcu's volatile compound assignments would
# otherwise warn in C++20.
#
# Opt-in, with URCU_INLINE_FAST_PATHS set ON before find_package (rcubench itself does;
# a consumer of the installed rcubench package decides for itself): each flavor target
# then compiles its users with
#   _LGPL_SOURCE           the read-side fast paths are inlined from liburcu's static/
#                          headers instead of called through the library (LGPL: inlining
#                          liburcu's code is what that macro licenses; check it suits you);
#   -fno-extern-tls-init   (C++) liburcu's per-thread reader state is a C TLS variable (no
#                          dynamic initialisation), but C++ sees an extern thread_local and
#                          would route every read-side access through a TLS wrapper that
#                          tests for an init function first. Only correct while no extern
#                          thread_local the program reads needs dynamic initialisation.
# Without it, everything works, at a library call per read lock and unlock.
include(FindPackageHandleStandardArgs)
find_package(Threads REQUIRED)

find_path(URCU_INCLUDE_DIR urcu/urcu-memb.h)
find_library(URCU_COMMON_LIBRARY NAMES urcu-common)
set(_urcu_flavors memb qsbr bp mb signal)
set(_urcu_libvars URCU_COMMON_LIBRARY)
foreach(_f IN LISTS _urcu_flavors)
  string(TOUPPER ${_f} _F)
  find_library(URCU_${_F}_LIBRARY NAMES urcu-${_f})
  list(APPEND _urcu_libvars URCU_${_F}_LIBRARY)
endforeach()

if(URCU_INCLUDE_DIR AND EXISTS "${URCU_INCLUDE_DIR}/urcu/config.h")
  file(STRINGS "${URCU_INCLUDE_DIR}/../lib/pkgconfig/liburcu.pc" _urcu_version_line
       REGEX "^Version:" LIMIT_COUNT 1)
  string(REGEX REPLACE "^Version: *" "" URCU_VERSION "${_urcu_version_line}")
endif()

find_package_handle_standard_args(URCU
  REQUIRED_VARS URCU_INCLUDE_DIR ${_urcu_libvars}
  VERSION_VAR URCU_VERSION)

if(URCU_FOUND AND NOT TARGET URCU::common)
  add_library(URCU::common UNKNOWN IMPORTED)
  set_target_properties(URCU::common PROPERTIES
    IMPORTED_LOCATION "${URCU_COMMON_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${URCU_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES Threads::Threads)
  foreach(_f IN LISTS _urcu_flavors)
    string(TOUPPER ${_f} _F)
    add_library(URCU::${_f} UNKNOWN IMPORTED)
    set_target_properties(URCU::${_f} PROPERTIES
      IMPORTED_LOCATION "${URCU_${_F}_LIBRARY}"
      INTERFACE_LINK_LIBRARIES URCU::common)
    if(URCU_INLINE_FAST_PATHS)
      set_target_properties(URCU::${_f} PROPERTIES
        INTERFACE_COMPILE_DEFINITIONS _LGPL_SOURCE
        INTERFACE_COMPILE_OPTIONS "$<$<COMPILE_LANGUAGE:CXX>:-fno-extern-tls-init>")
    endif()
  endforeach()
endif()
mark_as_advanced(URCU_INCLUDE_DIR ${_urcu_libvars})
