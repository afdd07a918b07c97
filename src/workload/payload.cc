#include "workload/payload.h"

#include <algorithm>
#include <atomic>
#include <utility>

#include "baselines/detail/thread_records.h"

namespace rcubench {

namespace {

// Live objects, counted per thread: each thread adds its constructions and subtracts its
// destructions in a record of its own (a cache line only it writes), and live_objects()
// sums them. A record outlives its thread and is reused by a later one with its count as
// it was left, so the sum over all records stays the number of live objects.
using LiveRecords = detail::ThreadRecords<std::atomic<long>>;

// Never destroyed: objects may still be destroyed on other threads (liburcu's call_rcu
// worker) while the process exits.
LiveRecords& live_records() {
  static LiveRecords* records = new LiveRecords;
  return *records;
}

// The calling thread's count. A plain thread-local pointer, so the hot path has no TLS
// guard; the holder below hands the record back when the thread exits.
thread_local std::atomic<long>* tls_live = nullptr;
thread_local bool tls_exited = false;

struct LiveHolder {
  LiveRecords::Record* record = nullptr;
  ~LiveHolder() {
    if (record == nullptr) return;
    tls_live = nullptr;
    tls_exited = true;
    live_records().release(record);
  }
};
thread_local LiveHolder tls_holder;

[[gnu::noinline]] std::atomic<long>& claim_live_record() {
  LiveRecords::Record* record = live_records().acquire();
  // A thread that still makes or destroys objects after its holder is gone (in its own
  // thread-local destructors) keeps this record for good: still counted, never reused.
  if (!tls_exited) tls_holder.record = record;
  tls_live = &record->slot;
  return record->slot;
}

void count_live(long delta) {
  std::atomic<long>* live = tls_live;
  if (live == nullptr) [[unlikely]]
    live = &claim_live_record();
  // Relaxed: this thread is the record's only writer (a load and a store, no locked
  // instruction); live_objects() reads it relaxed, a statistic. Handing the record to the
  // next thread is ordered by ThreadRecords' release and acquire.
  live->store(live->load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
}

}  // namespace

long Payload::live_objects() {
  long live = 0;
  // Relaxed: see count_live().
  live_records().for_each(
      [&](std::atomic<long>& count) { live += count.load(std::memory_order_relaxed); });
  return live;
}

void Payload::allocate(std::size_t size) {
  size_ = size;
  words_ = size <= kInlineWords ? inline_words_ : new std::uint64_t[size];
}

void Payload::release() {
  if (!is_inline()) delete[] words_;
  words_ = inline_words_;
  size_ = 0;
}

Payload::Payload(std::size_t bytes, std::uint64_t generation) : generation_(generation) {
  allocate(bytes < sizeof(std::uint64_t) ? 1 : bytes / sizeof(std::uint64_t));
  for (std::size_t i = 0; i < size_; ++i) words_[i] = generation * 0x9e3779b97f4a7c15ULL + i;
  checksum_ = checksum_of(words_, size_, generation_);
  count_live(+1);
}

Payload::Payload(const Payload& other)
    : generation_(other.generation_), checksum_(other.checksum_) {
  allocate(other.size_);
  std::copy_n(other.words_, size_, words_);
  count_live(+1);
}

Payload::Payload(Payload&& other) noexcept
    : generation_(other.generation_), checksum_(other.checksum_) {
  if (other.is_inline()) {
    allocate(other.size_);
    std::copy_n(other.words_, size_, words_);
  } else {
    words_ = std::exchange(other.words_, other.inline_words_);
    size_ = std::exchange(other.size_, 0);
  }
  count_live(+1);
}

Payload& Payload::operator=(const Payload& other) {
  if (this == &other) return *this;
  if (size_ != other.size_) {
    release();
    allocate(other.size_);
  }
  std::copy_n(other.words_, size_, words_);
  generation_ = other.generation_;
  checksum_ = other.checksum_;
  return *this;
}

Payload::~Payload() {
  release();
  count_live(-1);
}

bool Payload::operator==(const Payload& other) const {
  return size_ == other.size_ && std::equal(words_, words_ + size_, other.words_) &&
         generation_ == other.generation_ && checksum_ == other.checksum_;
}

void Payload::advance() {
  ++generation_;
  words_[0] ^= generation_;
  checksum_ = checksum_of(words_, size_, generation_);
}

Payload Payload::next() const {
  Payload copy(*this);
  copy.advance();
  return copy;
}

std::uint64_t Payload::checksum_of(const std::uint64_t* words, std::size_t size,
                                   std::uint64_t gen) {
  std::uint64_t sum = gen;
  for (std::size_t i = 0; i < size; ++i) sum = (sum ^ words[i]) * 0x100000001b3ULL;
  return sum;
}

}  // namespace rcubench
