#include "support/counting_new.h"

#include <cstdlib>
#include <new>

namespace rcu_test {

thread_local bool counting = false;
thread_local long allocations = 0;
thread_local std::size_t allocated_bytes = 0;
thread_local bool fail_nothrow = false;

namespace {

void* allocate(std::size_t size) {
  if (counting) {
    ++allocations;
    allocated_bytes += size;
  }
  return std::malloc(size == 0 ? 1 : size);
}

}  // namespace
}  // namespace rcu_test

void* operator new(std::size_t size) {
  if (void* p = rcu_test::allocate(size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  if (rcu_test::fail_nothrow) return nullptr;
  return rcu_test::allocate(size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
