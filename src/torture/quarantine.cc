#include "torture/quarantine.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <new>
#include <stdexcept>

#include "torture/words.h"

namespace rcubench::torture {

namespace {
constexpr std::align_val_t kBlockAlignment{64};
}  // namespace

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
      if (queue_.size() > limits_.max_depth || (deep && old)) {
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
  queue_.push_back({block, now});
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
  // longer than any reader stays in a critical section in a torture run. At most 2^18
  // blocks wait per size.
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
