// Read-side cost of the other answers to "how do I share a read-mostly pointer" against
// liburcu's memb flavor, one reader thread and no updater, in one run: each primitive's
// read() through the suite's interface, reading one field of a small payload. After the
// results it prints each one's median time per read as a ratio to urcu-memb's, with the
// target where there is one (hazptr with asymmetric fences and left-right-perthread:
// <= 2x; xenium's left-right counts readers on a shared counter and cannot: reported). The
// payload is two plain words, so seqlock (trivially copyable objects only) runs too.
#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include <optional>
#include <string>
#include <string_view>

#include "baselines/registry.h"
#include "workload/collecting_reporter.h"
#include "workload/run_context.h"

namespace {

struct Payload {
  long field = 1;
  long other = 2;
};

template <class D>
void BM_Read(benchmark::State& state) {
  using Impl = typename D::template Impl<Payload>;
  static Impl primitive{Payload{}};
  typename Impl::ThreadScope scope(primitive);
  for (auto _ : state) {
    benchmark::DoNotOptimize(primitive.read(scope, [](const Payload& p) { return p.field; }));
    scope.quiescent_state();
  }
  state.SetItemsProcessed(state.iterations());
}

using Baseline = rcubench::UrcuDescriptor<rcu::Memb>;

// What is compared with the baseline, and the ratio each must stay under (none: reported
// only).
struct Contender {
  std::string_view name;
  std::optional<double> target;
};

template <class... Ds>
void register_reads(rcubench::DescriptorList<Ds...>) {
  (benchmark::RegisterBenchmark(("read/" + std::string(Ds::name)).c_str(), BM_Read<Ds>)
       ->Repetitions(5),
   ...);
}

}  // namespace

int main(int argc, char** argv) {
  rcubench::CollectingReporter reporter(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  rcubench::add_benchmark_context();

  register_reads(
      rcubench::DescriptorList<Baseline, rcubench::HazptrDescriptor,
                               rcubench::HazptrSymmetricDescriptor, rcubench::LeftRightDescriptor,
                               rcubench::LeftRightPerThreadDescriptor,
                               rcubench::SeqlockDescriptor>{});
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const Contender contenders[] = {
      {rcubench::HazptrDescriptor::name, 2.0},
      {rcubench::HazptrSymmetricDescriptor::name, std::nullopt},
      {rcubench::LeftRightDescriptor::name, std::nullopt},
      {rcubench::LeftRightPerThreadDescriptor::name, 2.0},
      {rcubench::SeqlockDescriptor::name, std::nullopt},
  };
  std::FILE* out = reporter.summary_stream();
  fmt::print(out, "\nOne reader, read cost / {} ({} {}, medians of 5 repetitions):\n",
             Baseline::name, rcubench::compiled_arch(),
             rcubench::exec_mode() == "native" ? "native"
                                               : "emulated: ratios only, not hardware speed");
  const auto base = reporter.median_ns("read/" + std::string(Baseline::name));
  for (const Contender& c : contenders) {
    const auto ns = reporter.median_ns("read/" + std::string(c.name));
    if (!ns || !base) {
      fmt::print(out, "{:<22} -\n", c.name);
      continue;
    }
    const double ratio = *ns / *base;
    std::string verdict = "(no target)";
    if (c.target) {
      verdict = ratio <= *c.target ? fmt::format("ok (target <= {:.0f}x)", *c.target)
                                   : fmt::format("OVER {:.0f}x", *c.target);
    }
    fmt::print(out, "{:<22} {:5.2f}x  ({:.2f} vs {:.2f} ns)  {}\n", c.name, ratio, *ns, *base,
               verdict);
  }
  return 0;
}
