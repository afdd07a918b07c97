// rcutorture: the torture checker for every primitive. See docs/torture.md.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <span>

#include "torture/options.h"
#include "torture/torture.h"

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSkipped = 77;  // ctest's SKIP_RETURN_CODE

}  // namespace

int main(int argc, char** argv) {
  using namespace rcubench::torture;
  const auto parsed =
      parse_options(std::span<const char* const>(argv + 1, static_cast<std::size_t>(argc - 1)));
  if (!parsed.error.empty()) {
    fmt::print(stderr, "{}\n", parsed.error);
    return kExitUsage;
  }
  const Options& o = parsed.options;
  if (o.help) {
    fmt::print("{}", usage());
    return 0;
  }
  if (o.list) {
    for (const TortureTarget& t : torture_targets()) {
      fmt::print("{:<29} {:<18} {}\n", t.name, t.negative_control ? "negative-control" : t.policy,
                 t.description);
    }
    return 0;
  }

  Config config = config_for(o.mode);
  if (o.duration_s) config.duration = std::chrono::duration<double>(*o.duration_s);
  config.readers = o.readers;
  config.updaters = o.updaters;
  config.seed = o.seed ? *o.seed : std::random_device{}();

  int failed = 0;
  int skipped = 0;
  for (const std::string& name : o.primitives) {
    print_header(stdout, name, config);
    const Result result = run_torture(name, config);
    print_report(stdout, result, config);
    if (result.skipped) {
      ++skipped;
    } else if (!result.passed()) {
      ++failed;
    }
  }
  if (failed > 0) {
    fmt::print("rcutorture: {} of {} primitives FAILED\n", failed, o.primitives.size());
    return kExitFailure;
  }
  if (skipped == static_cast<int>(o.primitives.size())) return kExitSkipped;
  return 0;
}
