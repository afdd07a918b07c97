#include "torture/options.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <string_view>

#include "torture/torture.h"

namespace rcubench::torture {

namespace {

constexpr int kMaxThreads = 256;
constexpr double kMaxDurationS = 7 * 24 * 3600.0;

// The whole of `text` as a T, or nothing.
template <class T>
std::optional<T> parse_number(std::string_view text) {
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::string bad(std::string_view option, std::string_view value, std::string_view want) {
  return fmt::format("rcutorture: {}: '{}' is not {}", option, value, want);
}

std::optional<std::string> parse_count(std::string_view option, std::string_view value, int& out) {
  auto n = parse_number<int>(value);
  if (!n || *n < 1 || *n > kMaxThreads) {
    return bad(option, value, fmt::format("a thread count from 1 to {}", kMaxThreads));
  }
  out = *n;
  return std::nullopt;
}

std::optional<std::string> parse_primitives(std::string_view value, std::vector<std::string>& out) {
  out.clear();
  if (value.empty()) return bad("--primitive", value, "a primitive name (see --list)");
  std::size_t begin = 0;
  for (;;) {
    const std::size_t comma = value.find(',', begin);
    const std::string_view name = value.substr(begin, comma - begin);
    if (name == "all") {
      for (std::string& n : registered_targets()) out.push_back(std::move(n));
    } else if (is_torture_target(name)) {
      out.emplace_back(name);
    } else {
      return fmt::format("rcutorture: --primitive: unknown primitive '{}' (see --list)", name);
    }
    if (comma == std::string_view::npos) break;
    begin = comma + 1;
  }
  return std::nullopt;
}

}  // namespace

ParsedOptions parse_options(std::span<const char* const> args) {
  ParsedOptions parsed;
  Options& o = parsed.options;
  bool primitives_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--list") {
      o.list = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      o.help = true;
      continue;
    }
    // --option VALUE or --option=VALUE
    std::string_view option = arg;
    std::optional<std::string_view> value;
    if (const std::size_t eq = arg.find('='); arg.starts_with("--") && eq != arg.npos) {
      option = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    const bool known = option == "--primitive" || option == "--mode" || option == "--duration" ||
                       option == "--readers" || option == "--updaters" || option == "--seed";
    if (!known) {
      parsed.error = fmt::format("rcutorture: unknown option '{}' (see --help)", arg);
      return parsed;
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        parsed.error = fmt::format("rcutorture: {}: missing value", option);
        return parsed;
      }
      value = args[++i];
    }
    std::optional<std::string> error;
    if (option == "--primitive") {
      error = parse_primitives(*value, o.primitives);
      primitives_given = true;
    } else if (option == "--mode") {
      if (*value == "smoke") {
        o.mode = Mode::kSmoke;
      } else if (*value == "soak") {
        o.mode = Mode::kSoak;
      } else {
        error = bad(option, *value, "smoke or soak");
      }
    } else if (option == "--duration") {
      auto s = parse_number<double>(*value);
      if (!s || !std::isfinite(*s) || *s <= 0 || *s > kMaxDurationS) {
        error = bad(option, *value, "a positive number of seconds (at most a week)");
      } else {
        o.duration_s = *s;
      }
    } else if (option == "--readers") {
      error = parse_count(option, *value, o.readers);
    } else if (option == "--updaters") {
      error = parse_count(option, *value, o.updaters);
    } else if (option == "--seed") {
      auto seed = parse_number<std::uint64_t>(*value);
      if (!seed) {
        error = bad(option, *value, "a non-negative integer");
      } else {
        o.seed = *seed;
      }
    }
    if (error) {
      parsed.error = std::move(*error);
      return parsed;
    }
  }
  if (!primitives_given) o.primitives = registered_targets();
  return parsed;
}

std::string usage() {
  return "usage: rcutorture [--primitive NAME[,NAME...]|all] [--mode smoke|soak]\n"
         "                  [--duration SECONDS] [--readers N] [--updaters N] [--seed N]\n"
         "       rcutorture --list\n"
         "\n"
         "Tortures each primitive in turn: readers check every object they see (pipeline\n"
         "stage, poison, initialisation, checksum, generation) while updaters replace it,\n"
         "with stalls, stutter, bursts and thread churn. Prints the Reader Pipe histogram,\n"
         "a '!!! FAILURE' line per kind of error and one JSON line per primitive.\n"
         "Exit status: 0 all passed, 1 a check failed, 2 bad usage, 77 all skipped.\n"
         "Defaults: all registered primitives, smoke, 1.5 s (soak: 600 s), 3 readers,\n"
         "2 updaters, a random seed.\n";
}

}  // namespace rcubench::torture
