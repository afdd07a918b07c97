// Per-thread records that a rare scanner reads: hazard slots (hazptr.h), read indicators
// (left_right_perthread.h). Records are prepended to a lock-free list, never unlinked,
// and reused by later holders, so a scanner walks the list without a lock; the list
// frees them when it dies. Each record has its own cache line: holders write theirs on
// every read.
#pragma once

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace rcubench::detail {

template <class Slot>
struct alignas(64) ThreadRecord {
  static constexpr std::uint32_t kIdle = 0;
  static constexpr std::uint32_t kActive = 1;
  Slot slot{};
  // A word, not a bool: riscv64 has no byte-sized compare-and-swap (GCC 12 would call
  // libatomic for it).
  std::atomic<std::uint32_t> active{kActive};
  ThreadRecord* next = nullptr;  // set before the record is published, never changed after
};

template <class Slot>
class ThreadRecords {
 public:
  using Record = ThreadRecord<Slot>;

  ThreadRecords() = default;
  ThreadRecords(const ThreadRecords&) = delete;
  ThreadRecords& operator=(const ThreadRecords&) = delete;
  // No holder may remain.
  ~ThreadRecords() {
    // Relaxed, pairs with nothing: destruction has exclusive access.
    for (Record* r = head_.load(std::memory_order_relaxed); r != nullptr;) {
      assert(r->active.load(std::memory_order_relaxed) == Record::kIdle);  // Relaxed: as above.
      delete std::exchange(r, r->next);
    }
  }

  // A record for a new holder: a released one if any (its slot as the last holder left
  // it), else a new one.
  Record* acquire() {
    // Acquire: paired with the release CAS that published each record (P below), so
    // `next` and the record's initial state are seen.
    for (Record* r = head_.load(std::memory_order_acquire); r != nullptr; r = r->next) {
      std::uint32_t idle = Record::kIdle;
      // Relaxed pre-check, pairs with nothing: a stale value only costs a CAS or a skip.
      // Acquire on success: paired with the release store in release(), so the last
      // holder's writes to the slot happen before ours.
      if (r->active.load(std::memory_order_relaxed) == Record::kIdle &&
          r->active.compare_exchange_strong(idle, Record::kActive, std::memory_order_acquire,
                                            std::memory_order_relaxed)) {
        return r;
      }
    }
    auto* fresh = new Record;
    // Relaxed: only the expected value for the CAS below, which re-reads it on failure.
    Record* head = head_.load(std::memory_order_relaxed);
    do {
      fresh->next = head;
      // P. Release: paired with the acquire loads of head_ in acquire() and for_each():
      // whoever finds the record sees it initialised. Relaxed on failure: just a re-read.
    } while (!head_.compare_exchange_weak(head, fresh, std::memory_order_release,
                                          std::memory_order_relaxed));
    // Relaxed: a count that only sizes thresholds.
    count_.fetch_add(1, std::memory_order_relaxed);
    return fresh;
  }

  // The holder is done with `r`; its slot must be in the state a scanner ignores.
  void release(Record* r) noexcept {
    // Release: paired with the acquire CAS in acquire() (see there).
    r->active.store(Record::kIdle, std::memory_order_release);
  }

  // fn(Slot&) for every record ever published, held or not.
  template <class Fn>
  void for_each(Fn&& fn) {
    // Acquire: paired with P (records published initialised).
    for (Record* r = head_.load(std::memory_order_acquire); r != nullptr; r = r->next) fn(r->slot);
  }

  // Records ever published (held or idle).
  std::size_t size() const noexcept {
    // Relaxed: see acquire().
    return count_.load(std::memory_order_relaxed);
  }

 private:
  std::atomic<Record*> head_{nullptr};
  std::atomic<std::size_t> count_{0};
};

}  // namespace rcubench::detail
