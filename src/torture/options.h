// rcutorture's command line.
//
//   --primitive NAME[,NAME...]|all   what to torture (default: all registered primitives)
//   --mode smoke|soak                seconds in ctest, or minutes to hours (default: smoke)
//   --duration SECONDS               per primitive (default: 1.5 smoke, 600 soak)
//   --readers N, --updaters N        threads (default 3 and 2)
//   --seed N                         for the random stalls, bursts and moves
//   --list, --help
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "torture/checker.h"

namespace rcubench::torture {

struct Options {
  std::vector<std::string> primitives;  // expanded: "all" is replaced by the names
  Mode mode = Mode::kSmoke;
  std::optional<double> duration_s;
  int readers = 3;
  int updaters = 2;
  std::optional<std::uint64_t> seed;
  bool list = false;
  bool help = false;
};

struct ParsedOptions {
  Options options;
  std::string error;  // non-empty: one line naming the option and the value
};

// `args` without the program name.
ParsedOptions parse_options(std::span<const char* const> args);

std::string usage();

}  // namespace rcubench::torture
