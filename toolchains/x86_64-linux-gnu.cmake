# x86_64 Linux (GNU): see common.cmake.
set(RCUBENCH_ARCH x86_64)
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")
