# aarch64 Linux (GNU): see common.cmake.
set(RCUBENCH_ARCH aarch64)
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")
