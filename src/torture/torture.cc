#include "torture/torture.h"

#include <fmt/format.h>

#include <algorithm>

#include "baselines/registry.h"
#include "torture/negative_controls.h"
#include "workload/run_context.h"

namespace rcubench::torture {

namespace {

template <class... Ds>
void add_targets(std::vector<TortureTarget>& out, DescriptorList<Ds...>, bool negative) {
  (out.push_back(TortureTarget{Ds::name, Ds::description,
                               to_string(Ds::template Impl<TortureObject>::kUpdatePolicy),
                               negative}),
   ...);
}

template <class... Ds>
bool run_control(std::string_view name, const Config& config, Result& result,
                 DescriptorList<Ds...>) {
  return (
      (Ds::name == name
           ? (result = Checker<typename Ds::template Impl<TortureObject>>(Ds::name, config).run(),
              true)
           : false) ||
      ...);
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

const char* json_bool(bool b) { return b ? "true" : "false"; }

std::string_view verdict(const Result& r) {
  if (r.skipped) return "skipped";
  return r.passed() ? "pass" : "fail";
}

}  // namespace

std::string_view to_string(Mode mode) { return mode == Mode::kSmoke ? "smoke" : "soak"; }

Config config_for(Mode mode) {
  Config config;
  config.mode = mode;
  if (mode == Mode::kSoak) {
    config.duration = std::chrono::minutes(10);
    config.stutter_run = std::chrono::seconds(5);
    config.stutter_pause = std::chrono::milliseconds(500);
    config.progress_interval = std::chrono::seconds(10);
  }
  return config;
}

std::vector<TortureTarget> torture_targets() {
  std::vector<TortureTarget> targets;
  add_targets(targets, Registered{}, false);
  add_targets(targets, NegativeControls{}, true);
  return targets;
}

bool is_torture_target(std::string_view name) {
  const auto targets = torture_targets();
  return std::any_of(targets.begin(), targets.end(),
                     [&](const TortureTarget& t) { return t.name == name; });
}

std::vector<std::string> registered_targets() {
  std::vector<std::string> names;
  for (const TortureTarget& t : torture_targets()) {
    if (!t.negative_control) names.emplace_back(t.name);
  }
  return names;
}

Result run_torture(std::string_view name, const Config& config) {
  Result result;
  auto visitor = [&]<class D, class Impl>() { result = Checker<Impl>(D::name, config).run(); };
  if (!visit_primitive<TortureObject>(name, visitor) &&
      !run_control(name, config, result, NegativeControls{})) {
    result.primitive = std::string(name);
    result.skipped = true;
    result.skip_reason = "unknown primitive";
  }
  return result;
}

void print_header(std::FILE* out, std::string_view name, const Config& config) {
  fmt::print(out, "rcutorture: {} on {} ({}): {} for {:.1f} s, {} readers, {} updaters, seed {}\n",
             name, compiled_arch(), exec_mode(), to_string(config.mode), config.duration.count(),
             config.readers, config.updaters, config.seed);
  std::fflush(out);
}

void print_report(std::FILE* out, const Result& r, const Config& config) {
  const std::string& n = r.primitive;
  if (r.skipped) {
    fmt::print(out, "{}: SKIPPED: {}\n", n, r.skip_reason);
    fmt::print(out, "{}\n", json_summary(r, config));
    std::fflush(out);
    return;
  }
  fmt::print(out, "{}: {}\n", n, r.histogram.format());
  fmt::print(out,
             "{}: reads {}, updates {} (retries {}), final generation {}, stalls in critical "
             "sections {}, churned threads {}\n",
             n, r.reads, r.updates, r.retries, r.final_generation, r.stalls, r.churned_threads);
  fmt::print(out,
             "{}: faults: reader stalls, stutter {}/{} ms, updater bursts, thread churn, "
             "affinity churn {}{}\n",
             n, config.stutter_run.count(), config.stutter_pause.count(), r.affinity,
             r.affinity_moves > 0 ? fmt::format(" ({} moves)", r.affinity_moves) : "");
  if (r.read_only) {
    fmt::print(out,
               "{}: read-only primitive: no updater runs; read checks only (stage, poison, "
               "publish ordering, torn objects, generation)\n",
               n);
  }
  if (r.in_place) {
    fmt::print(out,
               "{}: pipeline: updates in place (nothing replaced or freed; a reader that "
               "sees a write fails the checksum or stability check); {} objects freed "
               "through the quarantine\n",
               n, r.quarantine.retired);
  } else if (r.grace_periods) {
    fmt::print(out,
               "{}: pipeline: grace periods checked; {} objects freed through the quarantine "
               "({} recycled)\n",
               n, r.quarantine.retired, r.quarantine.recycled);
  } else {
    fmt::print(out,
               "{}: pipeline: no grace periods (objects are reference counted, "
               "hazard-protected or copied out by readers); stage >= 2 would still mean an object "
               "destroyed under a reader; {} objects freed through the quarantine ({} "
               "recycled)\n",
               n, r.quarantine.retired, r.quarantine.recycled);
  }
  for (std::size_t i = 0; i < kErrorKinds; ++i) {
    if (r.errors[i] != 0) {
      fmt::print(out, "!!! FAILURE {}: {}: {}\n", n, describe(static_cast<ErrorKind>(i)),
                 r.errors[i]);
    }
  }
  if (r.passed()) {
    fmt::print(out, "{}: PASS ({} reads, {} updates in {:.1f} s)\n", n, r.reads, r.updates,
               r.elapsed_s);
  } else {
    fmt::print(out, "{}: FAIL ({} errors)\n", n, r.total_errors());
  }
  fmt::print(out, "{}\n", json_summary(r, config));
  std::fflush(out);
}

std::string json_summary(const Result& r, const Config& config) {
  std::string kinds;
  for (std::size_t i = 0; i < kErrorKinds; ++i) {
    kinds += fmt::format("{}\"{}\":{}", i == 0 ? "" : ",", json_key(static_cast<ErrorKind>(i)),
                         r.errors[i]);
  }
  std::string json = fmt::format(
      "{{\"primitive\":{},\"arch\":{},\"exec\":{},\"mode\":{},\"duration_s\":{:.3f},"
      "\"elapsed_s\":{:.3f},\"seed\":{},\"readers\":{},\"updaters\":{},\"policy\":{},"
      "\"read_only\":{},\"grace_periods\":{},\"in_place\":{},\"reads\":{},\"updates\":{},"
      "\"retries\":{},"
      "\"final_generation\":{},\"histogram\":{},\"errors\":{},\"error_kinds\":{{{}}},"
      "\"stalls\":{},\"churned_threads\":{},\"affinity\":{},\"affinity_moves\":{},"
      "\"quarantine\":{{\"retired\":{},\"recycled\":{},\"fresh\":{}}},\"verdict\":{}",
      json_string(r.primitive), json_string(compiled_arch()), json_string(exec_mode()),
      json_string(to_string(config.mode)), config.duration.count(), r.elapsed_s, config.seed,
      r.readers, r.updaters, json_string(r.policy), json_bool(r.read_only),
      json_bool(r.grace_periods), json_bool(r.in_place), r.reads, r.updates, r.retries,
      r.final_generation, r.histogram.json(), r.total_errors(), kinds, r.stalls, r.churned_threads,
      json_string(r.affinity), r.affinity_moves, r.quarantine.retired, r.quarantine.recycled,
      r.quarantine.fresh, json_string(verdict(r)));
  if (r.skipped) json += fmt::format(",\"skip_reason\":{}", json_string(r.skip_reason));
  return json + "}";
}

}  // namespace rcubench::torture
