#include "torture/quarantine.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <new>
#include <stdexcept>

#include "torture/words.h"

namespace rcubench::torture {

namespace {

constexpr std::align_val_t kBlockAlignment{64};

// Frees into every quarantine so far: the next free's number. A pin records it when it
// opens; a block whose number is at least that was freed while the pin was open.
std::atomic<std::uint64_t> g_frees{0};

// One slot per thread that has opened a pin, in a list that only grows (a thread's slot is
// reused by a later thread once it exits). `since` is the free number at which the
// thread's outermost pin opened, kNoPin while none is open.
constexpr std::uint64_t kNoPin = UINT64_MAX;
struct PinSlot {
  std::atomic<std::uint64_t> since{kNoPin};
  // A word, not a bool: riscv64 has no byte-sized compare-and-swap (it would call
  // libatomic, which the static cross builds do not link).
  std::atomic<std::uint32_t> taken{1};
  PinSlot* next = nullptr;
};
std::atomic<PinSlot*> g_pin_slots{nullptr};

PinSlot* take_pin_slot() {
  // Acquire: paired with the release CAS below, so a pushed slot's fields are seen.
  PinSlot* head = g_pin_slots.load(std::memory_order_acquire);
  for (PinSlot* slot = head; slot != nullptr; slot = slot->next) {
    std::uint32_t expected = 0;
    // Relaxed, paired with nothing: a slot holds only atomics, which its last owner left at
    // kNoPin; the CAS alone makes it this thread's, nothing else is handed over with it.
    if (slot->taken.compare_exchange_strong(expected, 1, std::memory_order_relaxed)) {
      return slot;
    }
  }
  auto* slot = new PinSlot;
  slot->next = head;
  // Release: paired with the acquire loads of the list head (above, and in oldest_pin()).
  // Relaxed on failure: the retry publishes.
  while (!g_pin_slots.compare_exchange_weak(slot->next, slot, std::memory_order_release,
                                            std::memory_order_relaxed)) {
  }
  return slot;
}

// This thread's slot and pin nesting; the slot is given back when the thread exits.
struct ThreadPin {
  PinSlot* slot = nullptr;
  int depth = 0;
  ~ThreadPin() {
    // Relaxed, paired with nothing: see take_pin_slot(). `since` is already kNoPin (no pin
    // outlives its thread).
    if (slot != nullptr) slot->taken.store(0, std::memory_order_relaxed);
  }
};
thread_local ThreadPin t_pin;

// The free number at which the oldest open pin opened; kNoPin if none is open.
std::uint64_t oldest_pin() {
  std::uint64_t oldest = kNoPin;
  // Acquire: paired with the release CAS in take_pin_slot().
  for (PinSlot* slot = g_pin_slots.load(std::memory_order_acquire); slot != nullptr;
       slot = slot->next) {
    // Relaxed, paired with nothing: see ReaderPin::ReaderPin().
    oldest = std::min(oldest, slot->since.load(std::memory_order_relaxed));
  }
  return oldest;
}

}  // namespace

ReaderPin::ReaderPin() noexcept {
  if (t_pin.depth++ != 0) return;
  if (t_pin.slot == nullptr) t_pin.slot = take_pin_slot();
  // Relaxed, paired with nothing, like the checker's accesses to the objects (words.h): a
  // fence here would order the reader's own accesses and could hide a primitive's missing
  // one. Nothing needs it: allocate() recycles a block only min_age (50 ms) or max_depth
  // frees after its free, long after this store, made before the reader got its pointer,
  // is visible. A stale (lower) count only pins more.
  t_pin.slot->since.store(g_frees.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

ReaderPin::~ReaderPin() {
  if (--t_pin.depth != 0) return;
  // Relaxed, paired with nothing, as in the constructor: the reader's looks before it are
  // long done when a block freed under it is old enough to be recycled.
  t_pin.slot->since.store(kNoPin, std::memory_order_relaxed);
}

Quarantine::Quarantine(Limits limits) : limits_(limits) {}

Quarantine::~Quarantine() {
  for (const Entry& entry : queue_) ::operator delete(entry.block, kBlockAlignment);
}

std::uint64_t* Quarantine::fresh_block() {
  return static_cast<std::uint64_t*>(
      ::operator new(limits_.words * sizeof(std::uint64_t), kBlockAlignment));
}

std::uint64_t* Quarantine::allocate() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!queue_.empty()) {
      const bool deep = queue_.size() > limits_.min_depth;
      const bool old = Clock::now() - queue_.front().retired_at >= limits_.min_age;
      // Last, as the dearest: a walk over the pin slots.
      if ((queue_.size() > limits_.max_depth || (deep && old)) &&
          queue_.front().free_number < oldest_pin()) {
        std::uint64_t* block = queue_.front().block;
        queue_.pop_front();
        ++stats_.recycled;
        return block;
      }
    }
    ++stats_.fresh;
  }
  return fresh_block();
}

void Quarantine::retire(std::uint64_t* block) noexcept {
  // Poison first, outside the lock: a reader that still holds the block sees poison from
  // here on (and a stage of at least kStageFreed).
  for (std::size_t i = 1; i < limits_.words; ++i) store_word(block[i], kPoisonWord);
  store_word(block[0], kStageFreed);
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  // Every block freed before this one is one free older. Only the newest few can still be
  // below kPipeLength: the stage of the k-th newest is kStageFreed + k.
  const std::size_t window = std::min<std::size_t>(queue_.size(), kPipeLength - kStageFreed);
  for (auto it = queue_.end() - static_cast<std::ptrdiff_t>(window); it != queue_.end(); ++it) {
    const std::uint64_t stage = load_word(it->block[0]);
    if (stage < kPipeLength) store_word(it->block[0], stage + 1);
  }
  // Numbered under the lock, so each queue's numbers rise from front to back. Relaxed,
  // paired with nothing: see ReaderPin::ReaderPin() for why pins need no more.
  queue_.push_back({block, now, g_frees.fetch_add(1, std::memory_order_relaxed)});
  ++stats_.retired;
}

Quarantine::Stats Quarantine::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  Stats stats = stats_;
  stats.depth = queue_.size();
  return stats;
}

namespace {
std::array<std::atomic<Quarantine*>, Quarantine::kMaxWords + 1> g_by_words{};
std::mutex g_create_mutex;
}  // namespace

Quarantine& Quarantine::for_words(std::size_t words) {
  if (words < 2 || words > kMaxWords) throw std::invalid_argument("quarantine block size");
  // Acquire: paired with the release store below, so the quarantine is seen constructed.
  if (Quarantine* q = g_by_words[words].load(std::memory_order_acquire)) [[likely]] return *q;
  std::lock_guard<std::mutex> lock(g_create_mutex);
  // Relaxed: the mutex orders it against the store of whoever created it before us.
  if (Quarantine* q = g_by_words[words].load(std::memory_order_relaxed)) return *q;
  // About 50 ms and at least 4096 frees between a free and the reuse of its memory: far
  // longer than a reader stays in a critical section in a torture run unless preempted, and
  // a pinned reader holds back what is freed under it however long it stays. Past 2^18
  // blocks waiting per size, only the pins hold blocks back.
  auto* q = new Quarantine(
      Limits{words, 4096, std::chrono::milliseconds(50), std::size_t{1} << 18});
  // Release: paired with the acquire load above.
  g_by_words[words].store(q, std::memory_order_release);
  return *q;
}

Quarantine::Stats Quarantine::totals() {
  Stats sum;
  for (const auto& slot : g_by_words) {
    // Acquire: paired with the release store in for_words().
    const Quarantine* q = slot.load(std::memory_order_acquire);
    if (q == nullptr) continue;
    const Stats s = q->stats();
    sum.fresh += s.fresh;
    sum.recycled += s.recycled;
    sum.retired += s.retired;
    sum.depth += s.depth;
  }
  return sum;
}

bool Quarantine::poisoned(const std::uint64_t* block, std::size_t words) noexcept {
  for (std::size_t i = 1; i < words; ++i) {
    if (load_word(block[i]) != kPoisonWord) return false;
  }
  return true;
}

}  // namespace rcubench::torture
