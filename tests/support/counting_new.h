// Heap allocations counted per thread, for the tests whose program links
// support/counting_new.cc: it replaces the global operator new and delete with malloc and
// free, counting on the way.
#pragma once

#include <cstddef>

namespace rcu_test {

// Allocations, and their bytes, made on this thread while `counting`; nothrow
// allocations fail while `fail_nothrow`.
extern thread_local bool counting;
extern thread_local long allocations;
extern thread_local std::size_t allocated_bytes;
extern thread_local bool fail_nothrow;

}  // namespace rcu_test
