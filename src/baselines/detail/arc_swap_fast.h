// arc-swap internals: the fast debt slots, a small per-thread hazard-pointer array.
//
// A reader loads the pointer, writes it into a free slot, and confirms by loading the
// pointer again. If the two loads agree, the debt is in place before any writer could have
// retired the object, and such a writer will find and pay it. The slots are fallible: if
// all are taken, or the confirmation fails because a writer swapped in between, the reader
// falls back to the helping slot (helping.h), which always succeeds.
#pragma once

#include <array>
#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>

#include "baselines/detail/arc_swap_debt.h"

namespace rcubench::detail::arc_swap {

inline constexpr std::size_t kFastSlots = 8;
static_assert((kFastSlots & (kFastSlots - 1)) == 0, "rotation masks the index");

struct FastSlots {
  std::array<Debt, kFastSlots> slots;

  // Writes a debt on `ptr` into a free slot, starting the search at `offset` (the slot after
  // the last one taken, so a thread that takes and gives back one at a time hits a free slot
  // first try). Only the owning thread calls this. Null if every slot holds a debt.
  Debt* claim(std::uintptr_t ptr, std::size_t& offset) noexcept {
    for (std::size_t k = 0; k < kFastSlots; ++k) {
      std::size_t i = (offset + k) & (kFastSlots - 1);
      Debt& slot = slots[i];
      // Relaxed, pairs with nothing: only the owning thread (us) moves a slot away from
      // kNoDebt, others only move it back, so a kNoDebt seen here stays free until we write
      // it, and a stale non-empty value only makes us skip a slot. No data is read through
      // this load; the exchange below is the ordering operation.
      if (slot.value.load(std::memory_order_relaxed) == kNoDebt) {
        // seq_cst: the write half of the store-buffering pair with the writer (debt.h): the
        // debt must be in S before the confirming load of the storage, so that either the
        // confirmation sees the writer's swap or the writer's pay sees this debt. An RMW as
        // in the crate; on x86 a seq_cst store is the same xchg.
        [[maybe_unused]] std::uintptr_t previous =
            slot.value.exchange(ptr, std::memory_order_seq_cst);
        assert(previous == kNoDebt);
        offset = i + 1;
        return &slot;
      }
    }
    return nullptr;
  }
};

}  // namespace rcubench::detail::arc_swap
