// arc-swap internals: the helping slot, the fallback that always succeeds.
//
// Reader (one transaction, on its own node):
//   1. publish the storage address it loads from (active_addr) and a fresh generation,
//      tagged kGenTag, in `control`;
//   2. load the storage (in ArcSwap) and write the result into the helping debt slot;
//   3. exchange `control` back to kIdle. If it still held our generation, nobody interfered
//      and the debt is in place. Otherwise a writer replaced it with a tagged pointer to a
//      Handover that carries a pointer the writer loaded and already counted for us; we use
//      that, give back our own debt, and keep the writer's Handover as our next offer.
//
// Writer (for every node, after swapping the storage and before paying the slots):
//   if `control` holds a generation and active_addr is the storage it just wrote, it loads
//   the storage itself (a full load with a counted reference), puts the result into its own
//   Handover and compare-exchanges `control` from that generation to the tagged Handover,
//   taking the reader's offered Handover in exchange. The writer never waits for the
//   reader: if the reader moved on, the CAS fails and the writer re-examines.
//
// The generation makes the writer's CAS hit only the transaction it inspected. It grows by
// 4 (the low two bits are the tag); on wrap-around the node is put into cooldown (list.h)
// so that no writer can still hold a generation from the previous lap.
//
// Every order here is seq_cst, as in the crate. The ones that carry the proof are marked
// "store-buffering"; each of the others says which weaker order would do. This is the slow
// path: it runs only when the fast slots fail.
#pragma once

#include <atomic>
#include <cassert>
#include <cstdint>

#include "baselines/detail/arc_swap_debt.h"

namespace rcubench::detail::arc_swap {

inline constexpr std::uintptr_t kIdle = 0;
inline constexpr std::uintptr_t kReplacementTag = 0b01;
inline constexpr std::uintptr_t kGenTag = 0b10;
inline constexpr std::uintptr_t kTagMask = 0b11;

// An envelope for a replacement pointer: the object pointer itself need not leave two free
// low bits for the tag, the envelope's address does (checked below).
struct Handover {
  std::atomic<std::uintptr_t> value{0};
};
static_assert(alignof(Handover) > kTagMask, "the tag lives in the envelope's low bits");

struct HelpingSlots {
  // kIdle, a tagged generation (reader mid-transaction) or a tagged Handover* (a writer
  // has answered the transaction).
  std::atomic<std::uintptr_t> control{kIdle};
  // The debt. Unlike a fast slot it is held only within one load(): the reader converts it
  // into a counted reference before load() returns, so the slot is always free here.
  Debt slot;
  // While `control` holds a generation: the address of the storage being loaded.
  std::atomic<std::uintptr_t> active_addr{0};
  // This node's own envelope. Envelopes migrate between nodes as writers and readers trade
  // them; `space_offer` is whichever this node owns now.
  Handover handover;
  std::atomic<Handover*> space_offer{&handover};

  struct Transaction {
    std::uintptr_t gen;  // tagged generation, to pass to confirm()
    bool discard;        // the generation wrapped: retire the node after this transaction
  };

  // Reader step 1. `generation` is the owning thread's counter.
  Transaction begin(std::uintptr_t storage_addr, std::uintptr_t& generation) noexcept {
    std::uintptr_t gen = generation + 4;
    generation = gen;
    bool discard = gen == 0;
    gen |= kGenTag;
    // seq_cst as in the crate; release would do. A writer reads this after seeing our
    // generation in `control` (acquire) and re-reads `control` after it (see help()), so
    // the address it sees belongs to the generation it saw.
    active_addr.store(storage_addr, std::memory_order_seq_cst);
    // seq_cst, store-buffering: we write `control`, then load the storage; a writer writes
    // the storage, then loads `control`. With all four in S, either our load sees the new
    // pointer or the writer sees our generation and helps (or, once we are idle again,
    // pays the debt we left in `slot`).
    [[maybe_unused]] std::uintptr_t previous = control.exchange(gen, std::memory_order_seq_cst);
    assert(previous == kIdle);
    return {gen, discard};
  }

  // Reader step 3. True: the debt on `ptr` in `slot` stands. False: a writer answered;
  // `replacement` is a pointer it counted for us, and the debt on `ptr` is still in `slot`
  // to be paid back (a writer may also have paid it, which is why it is not just dropped).
  bool confirm(std::uintptr_t gen, std::uintptr_t ptr, std::uintptr_t& replacement) noexcept {
    // seq_cst as in the crate. The load-bearing part is that the debt is written before the
    // exchange below (release): a writer that reads kIdle from that exchange then reads
    // this debt when it pays the slots.
    [[maybe_unused]] std::uintptr_t previous = slot.value.exchange(ptr, std::memory_order_seq_cst);
    assert(previous == kNoDebt);
    // seq_cst as in the crate. Ends the transaction: from here on no writer can answer it.
    // Release: publishes the debt above to writers that read kIdle. Acquire: if a writer
    // answered, its writes to the Handover happen before our read of it.
    std::uintptr_t seen = control.exchange(kIdle, std::memory_order_seq_cst);
    if (seen == gen) return true;
    assert((seen & kTagMask) == kReplacementTag);
    Handover* envelope = reinterpret_cast<Handover*>(seen & ~kTagMask);
    // seq_cst as in the crate; relaxed would do, the exchange above acquired it.
    replacement = envelope->value.load(std::memory_order_seq_cst);
    // The writer took our previous offer; this envelope is ours now. seq_cst as in the
    // crate; writers read it after acquiring our next generation, which orders it.
    space_offer.store(envelope, std::memory_order_seq_cst);
    return false;
  }

  // Writer side, on `this` = the writer's own node, for the node `who`. `load_full()` does a
  // full load of the storage at `storage_addr` and returns the pointer with one reference
  // counted; `release(p)` drops such a reference.
  template <class LoadFull, class Release>
  void help(HelpingSlots& who, std::uintptr_t storage_addr, const LoadFull& load_full,
            const Release& release) noexcept {
    // seq_cst, store-buffering: the read half of the pair described in begin(); our caller
    // has just swapped the storage (seq_cst).
    std::uintptr_t seen = who.control.load(std::memory_order_seq_cst);
    for (;;) {
      if (seen == kIdle) return;                         // nothing in progress
      if ((seen & kTagMask) == kReplacementTag) return;  // someone already answered
      assert((seen & kTagMask) == kGenTag);
      assert(&who != this);  // we are not mid-load ourselves
      // seq_cst as in the crate; acquire would do: together with the re-read of `control`
      // below it proves this address belongs to generation `seen`.
      std::uintptr_t addr = who.active_addr.load(std::memory_order_seq_cst);
      if (addr != storage_addr) {
        // seq_cst as in the crate; acquire would do (pairs with the store in begin()).
        std::uintptr_t again = who.control.load(std::memory_order_seq_cst);
        if (again == seen) return;  // that reader loads some other storage
        seen = again;
        continue;
      }
      // The reader loads from our storage. Load it for them, with a counted reference. This
      // is a full load on our own node, which is idle (a writer is not mid-load), and the
      // load never re-enters a writer, so it cannot recurse.
      std::uintptr_t replacement = load_full();
      // seq_cst as in the crate; acquire would do: the reader stored it before publishing
      // the generation we read.
      Handover* theirs = who.space_offer.load(std::memory_order_seq_cst);
      // seq_cst as in the crate; only this thread writes our own space_offer.
      Handover* mine = space_offer.load(std::memory_order_seq_cst);
      // seq_cst as in the crate; the successful CAS below (release) publishes it.
      mine->value.store(replacement, std::memory_order_seq_cst);
      // seq_cst as in the crate. Release on success: the reader's exchange in confirm()
      // reads the tagged envelope and so sees `mine->value`. On failure it is a re-read of
      // `control` and we examine the new value.
      if (who.control.compare_exchange_strong(
              seen, reinterpret_cast<std::uintptr_t>(mine) | kReplacementTag,
              std::memory_order_seq_cst, std::memory_order_seq_cst)) {
        // The reader owns `mine` now; we take their offer. seq_cst as in the crate; only
        // this thread writes it.
        space_offer.store(theirs, std::memory_order_seq_cst);
        return;  // the counted reference went with the envelope
      }
      release(replacement);  // the transaction moved on; `seen` now holds the new control
    }
  }
};

}  // namespace rcubench::detail::arc_swap
