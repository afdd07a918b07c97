// Keeping the compiler from breaking an address dependency.
#pragma once

namespace rcu::detail {

// Hides a loaded pointer's value from the optimizer: after this, the compiler cannot know
// the pointer equals some other pointer it has seen, so it cannot substitute that one
// (value speculation), which is the transformation that would turn an address dependency
// into a control dependency the CPU may speculate past. Emits no instruction. (The Linux
// kernel's OPTIMIZER_HIDE_VAR plays the same role.)
template <class T>
inline T* hide_from_optimizer(T* pointer) noexcept {
  asm("" : "+r"(pointer));
  return pointer;
}

}  // namespace rcu::detail
