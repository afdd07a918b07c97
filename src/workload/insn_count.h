// Counting mode: an exact profile per operation of a primitive's read path and update path
// (instructions, loads, stores, RMWs, fences, acquires, releases), on one thread, and the
// shared-line writes of its read path with two readers at once, under the counting QEMU
// plugin (insn_count/insn_counter.h). A value per operation = (count of 2N operations -
// count of N operations) / N, each count taken between two markers around a loop on a
// fresh primitive: construction, registration, warm-up, the markers themselves and
// teardown are the same in both and cancel. The counts are the measuring thread's alone:
// helper threads (liburcu's call_rcu worker) are other vCPUs and never enter them.
#pragma once

#include <benchmark/benchmark.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "baselines/primitive.h"
#include "insn_count/insn_counter.h"
#include "workload/payload.h"

namespace rcubench {

enum class CountedPath {
  kRead,    // read(): one read-side critical section reading one word of the object
  kUpdate,  // update_payload(), then quiescent_state(), as the engine's updater
};

// Per operation, one value per rcubench_insn_field (insn_count/protocol.h).
using PathProfile = std::array<double, RCUBENCH_INSN_FIELDS>;

// The read path with two readers counting at once, per read and averaged over the two.
struct SharedReadProfile {
  double shared_writes = 0;  // stores and RMWs to lines the other reader also touched
  double insns = 0;          // instructions; more than one reader's where they contend
  double retries = 0;        // LL/SC retries
};

namespace detail {

// Operations run before the first marker: first-use work (thread-local set-up, lazily
// bound paths, allocator caches) stays out of both counts.
inline constexpr std::uint64_t kWarmUpOps = 16;

// Two threads meeting, again and again (std::barrier would need libatomic on riscv64). A
// thread that fails drops out: the other then passes every later meeting alone.
class Rendezvous {
 public:
  void arrive_and_wait() {
    // A: acquire, paired with the release of B or C, so what the other thread did before
    // its last meeting happens before what this one does after this one.
    const std::uint32_t phase = phase_.load(std::memory_order_acquire);
    if (dropped_.load(std::memory_order_acquire)) return;  // Paired with D.
    // Acq_rel, paired with the other thread's fetch_add here: the second to arrive sees
    // all the first did before arriving.
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) == 1) {
      arrived_.store(0, std::memory_order_relaxed);    // Published by B.
      phase_.fetch_add(1, std::memory_order_release);  // B: matches A and the wait below.
      phase_.notify_all();
      return;
    }
    while (phase_.load(std::memory_order_acquire) == phase)  // Paired with B and C.
      phase_.wait(phase, std::memory_order_acquire);         // Paired with B and C.
  }
  void drop() {
    dropped_.store(true, std::memory_order_release);  // D: matches the load of dropped_.
    phase_.fetch_add(1, std::memory_order_release);   // C: wakes a waiter; matches A.
    phase_.notify_all();
  }

 private:
  std::atomic<std::uint32_t> phase_{0}, arrived_{0};
  std::atomic<bool> dropped_{false};
};

// One reader's loop of `ops` reads between markers of `session` (0: no line recording),
// after meeting `partner` if there is one. Never inlined: the one reader of count_ops and
// both readers of count_shared_reads run this same code, so that a difference between
// their counts is the other reader's doing, not the compiler's.
template <class P>
[[gnu::noinline]] InsnCounter::Profile count_reads(P& primitive, typename P::ThreadScope& scope,
                                                   InsnCounter& counter, std::uint64_t ops,
                                                   std::uint64_t session, Rendezvous* partner) {
  std::uint64_t sink = 0;
  auto read_once = [&] {
    return primitive.read(scope, [](const Payload& object) { return object.consume(0); });
  };
  for (std::uint64_t i = 0; i < kWarmUpOps; ++i) sink += read_once();
  if (partner) partner->arrive_and_wait();
  counter.start(session);
  for (std::uint64_t i = 0; i < ops; ++i) sink += read_once();
  InsnCounter::Profile profile = counter.stop();
  benchmark::DoNotOptimize(sink);
  return profile;
}

template <class P>
InsnCounter::Profile count_ops(InsnCounter& counter, CountedPath path, std::uint64_t ops,
                               std::size_t payload_bytes) {
  auto primitive = std::make_unique<P>(Payload(payload_bytes, 0));
  InsnCounter::Profile profile{};
  {
    // The update path is a run's only updater's (readers:0/updaters:1): its scope is the
    // sole updater's where P takes it, as in a workload run with one updater (engine.h).
    std::optional<typename P::ThreadScope> scope_storage;
    typename P::ThreadScope& scope =
        emplace_scope(scope_storage, *primitive, path != CountedPath::kRead);
    if (path == CountedPath::kRead) {
      profile = count_reads(*primitive, scope, counter, ops, 0, nullptr);
    } else {
      std::uint64_t sink = 0;
      auto update_once = [&] {
        std::uint64_t retries = update_payload(*primitive, scope);
        scope.quiescent_state();
        return retries;
      };
      for (std::uint64_t i = 0; i < kWarmUpOps; ++i) sink += update_once();
      counter.start();
      for (std::uint64_t i = 0; i < ops; ++i) sink += update_once();
      profile = counter.stop();
      benchmark::DoNotOptimize(sink);
    }
  }  // Deregistration, then the primitive's teardown drains deferred frees: uncounted.
  return profile;
}

// Session numbers, one per two-reader count in the process: the plugin matches the two
// readers of a count by it, never one of an earlier count.
inline std::atomic<std::uint64_t> shared_read_sessions{0};

// Two readers of one fresh primitive, each counting `ops` reads at once with its lines
// recorded: {shared writes, instructions, retries} summed over both readers.
template <class P>
std::array<std::uint64_t, 3> count_shared_reads(InsnCounter& counter, std::uint64_t ops,
                                                std::size_t payload_bytes) {
  const std::uint64_t session = ++shared_read_sessions;
  auto primitive = std::make_unique<P>(Payload(payload_bytes, 0));
  Rendezvous sync;
  std::array<std::uint64_t, 3> sums{};
  // The first failure is the cause: a reader left alone may fail after it, for want of a
  // partner (the plugin's "had not stopped").
  std::mutex failure_lock;
  std::exception_ptr failure;
  auto fail = [&] {
    {
      std::lock_guard lock(failure_lock);
      if (!failure) failure = std::current_exception();
    }
    sync.drop();
  };
  auto reader = [&](InsnCounter& own) {
    try {
      typename P::ThreadScope scope(*primitive);
      InsnCounter::Profile profile =
          count_reads(*primitive, scope, own, ops, session, &sync);
      sync.arrive_and_wait();  // Both have stopped: each one's lines are complete.
      std::uint64_t writes = own.shared_writes(session);
      sync.arrive_and_wait();
      std::atomic_ref(sums[0]).fetch_add(writes);
      std::atomic_ref(sums[1]).fetch_add(profile[RCUBENCH_FIELD_INSNS]);
      std::atomic_ref(sums[2]).fetch_add(profile[RCUBENCH_FIELD_RETRIES]);
    } catch (...) {
      fail();
    }
  };
  std::thread other([&] {
    try {
      InsnCounter own;  // Its own pipe: the plugin answers each thread on the one it names.
      reader(own);
    } catch (...) {
      fail();
    }
  });
  reader(counter);
  other.join();
  if (failure) std::rethrow_exception(failure);
  return sums;
}

}  // namespace detail

// The profile per operation of `path` on primitive P, from regions of `ops` and 2 * `ops`
// operations.
template <class P>
PathProfile profile_per_op(InsnCounter& counter, CountedPath path, std::uint64_t ops,
                           std::size_t payload_bytes) {
  const InsnCounter::Profile once = detail::count_ops<P>(counter, path, ops, payload_bytes);
  const InsnCounter::Profile twice = detail::count_ops<P>(counter, path, 2 * ops, payload_bytes);
  PathProfile per_op;
  for (std::size_t f = 0; f < per_op.size(); ++f)
    per_op[f] = (static_cast<double>(twice[f]) - static_cast<double>(once[f])) /
                static_cast<double>(ops);
  return per_op;
}

// The read path of P with two readers at once, the same way.
template <class P>
SharedReadProfile shared_read_profile(InsnCounter& counter, std::uint64_t ops,
                                      std::size_t payload_bytes) {
  const auto once = detail::count_shared_reads<P>(counter, ops, payload_bytes);
  const auto twice = detail::count_shared_reads<P>(counter, 2 * ops, payload_bytes);
  auto per_read = [&](int k) {  // both readers made `ops` more reads
    return (static_cast<double>(twice[k]) - static_cast<double>(once[k])) /
           static_cast<double>(2 * ops);
  };
  return {per_read(0), per_read(1), per_read(2)};
}

// profile_per_op and shared_read_profile of the registered primitive called `primitive`
// (registry.h); nullopt if there is none. Compiled in a translation unit of its own
// (insn_count.cc): the compiler's inlining budget is per unit, so a change to a program
// that counts must not change the code of the paths it counts.
std::optional<PathProfile> count_profile_per_op(std::string_view primitive, InsnCounter& counter,
                                                CountedPath path, std::uint64_t ops,
                                                std::size_t payload_bytes);
std::optional<SharedReadProfile> count_shared_read_profile(std::string_view primitive,
                                                           InsnCounter& counter,
                                                           std::uint64_t ops,
                                                           std::size_t payload_bytes);

}  // namespace rcubench
