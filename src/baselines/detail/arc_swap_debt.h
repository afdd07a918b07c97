// arc-swap internals: one debt slot.
//
// A debt is a reference count that a reader owes instead of taking it: the slot holds the
// address of the object the reader uses. Either the reader gives the slot back when it is
// done (no count was ever touched), or a writer that retires the object pays the debt for
// it: it increments the count on the reader's behalf and clears the slot, and the reader,
// finding its slot cleared, knows it now owns a real reference.
//
// Slots hold plain addresses (std::uintptr_t), so one slot list serves ArcSwap<T> of every
// T: a writer only pays debts on the exact address it has just retired, and while it holds
// that object alive no other object can have that address.
#pragma once

#include <atomic>
#include <cstdint>

namespace rcubench::detail::arc_swap {

// "No debt". Odd, so it is never the address of a counted object (those are aligned to at
// least their atomic count), and in the unmapped first page besides.
inline constexpr std::uintptr_t kNoDebt = 0b11;

struct Debt {
  std::atomic<std::uintptr_t> value{kNoDebt};

  // Clears the debt on `ptr` if it is still there. True: this call paid it (the caller's
  // reference was never taken, or the writer's pre-paid count now belongs to the reader).
  // False: someone else paid it first; a writer has already counted a reference for it.
  //
  // Both orders are seq_cst, as in the crate since 1.9.1:
  //  * A writer uses this as the read half of a store-buffering pair: the reader writes the
  //    slot then reads the storage (fast.h, helping.h), the writer writes the storage then
  //    reads the slot here. Only if all four are in the single total order S is it certain
  //    that at least one side sees the other; a failing compare-exchange is a pure load, so
  //    its failure order must be seq_cst too, or it may read a stale kNoDebt and skip a
  //    debt whose object it then frees.
  //  * The reader uses this to give a slot back. Success must be at least release (its uses
  //    of the object happen before the writer's failing CAS here, which reads kNoDebt, and
  //    so before the writer's final decrement); failure must be at least acquire (it read
  //    kNoDebt written by a writer's successful CAS, whose increment must happen before the
  //    reader's later decrement, since the count's own decrement is only release). Reader
  //    and writer share this function and on x86 and AArch64 the instruction is the same,
  //    so both keep the writer's seq_cst.
  bool pay(std::uintptr_t ptr) noexcept {
    return value.compare_exchange_strong(ptr, kNoDebt, std::memory_order_seq_cst,
                                         std::memory_order_seq_cst);
  }
};

}  // namespace rcubench::detail::arc_swap
