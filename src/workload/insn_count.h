// Counting mode: exact guest instructions per operation of a primitive's read path and
// update path, on one thread, under the instruction-counting QEMU plugin
// (insn_count/insn_counter.h). Instructions per operation = (count of 2N operations -
// count of N operations) / N, each count taken between two markers around a loop on a
// fresh primitive: construction, registration, warm-up, the markers themselves and
// teardown are the same in both and cancel. The count is the measuring thread's alone:
// helper threads (liburcu's call_rcu worker) are other vCPUs and never enter it.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "baselines/primitive.h"
#include "insn_count/insn_counter.h"
#include "workload/payload.h"

namespace rcubench {

enum class CountedPath {
  kRead,    // read(): one read-side critical section reading one word of the object
  kUpdate,  // update_payload(), then quiescent_state(), as the engine's updater
};

namespace detail {

// Operations run before the first marker: first-use work (thread-local set-up, lazily
// bound paths, allocator caches) stays out of both counts.
inline constexpr std::uint64_t kWarmUpOps = 16;

template <class P>
std::uint64_t count_ops(InsnCounter& counter, CountedPath path, std::uint64_t ops,
                        std::size_t payload_bytes) {
  auto primitive = std::make_unique<P>(Payload(payload_bytes, 0));
  std::uint64_t insns = 0, sink = 0;
  {
    typename P::ThreadScope scope(*primitive);
    auto read_once = [&] {
      return primitive->read(scope, [](const Payload& object) { return object.consume(0); });
    };
    auto update_once = [&] {
      std::uint64_t retries = update_payload(*primitive, scope);
      scope.quiescent_state();
      return retries;
    };
    if (path == CountedPath::kRead) {
      for (std::uint64_t i = 0; i < kWarmUpOps; ++i) sink += read_once();
      counter.start();
      for (std::uint64_t i = 0; i < ops; ++i) sink += read_once();
      insns = counter.stop();
    } else {
      for (std::uint64_t i = 0; i < kWarmUpOps; ++i) sink += update_once();
      counter.start();
      for (std::uint64_t i = 0; i < ops; ++i) sink += update_once();
      insns = counter.stop();
    }
  }  // Deregistration, then the primitive's teardown drains deferred frees: uncounted.
  benchmark::DoNotOptimize(sink);
  return insns;
}

}  // namespace detail

// Instructions per operation of `path` on primitive P, from regions of `ops` and 2 * `ops`
// operations.
template <class P>
double insns_per_op(InsnCounter& counter, CountedPath path, std::uint64_t ops,
                    std::size_t payload_bytes) {
  const std::uint64_t once = detail::count_ops<P>(counter, path, ops, payload_bytes);
  const std::uint64_t twice = detail::count_ops<P>(counter, path, 2 * ops, payload_bytes);
  return (static_cast<double>(twice) - static_cast<double>(once)) / static_cast<double>(ops);
}

// insns_per_op of the registered primitive called `primitive` (registry.h); nullopt if
// there is none. Compiled in a translation unit of its own (insn_count.cc): the compiler's
// inlining budget is per unit, so a change to a program that counts must not change the
// code of the paths it counts.
std::optional<double> count_insns_per_op(std::string_view primitive, InsnCounter& counter,
                                         CountedPath path, std::uint64_t ops,
                                         std::size_t payload_bytes);

}  // namespace rcubench
