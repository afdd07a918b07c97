#include "contract/run_name.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace rcubench::contract {

std::optional<long> parse_count(std::string_view s) {
  long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

namespace {

std::optional<long> count_value(std::string_view part, std::string_view key) {
  if (!part.starts_with(key) || part.size() <= key.size() || part[key.size()] != ':')
    return std::nullopt;
  return parse_count(part.substr(key.size() + 1));
}

}  // namespace

std::string format_number(double v) {
  // Plain from 1e-4 up to below 1e16, as fmt's "{}" writes a double (the form names had
  // when the bench formatted them itself), scientific beyond.
  const double magnitude = std::abs(v);
  const bool plain = magnitude == 0 || !std::isfinite(v) || (magnitude >= 1e-4 && magnitude < 1e16);
  char buffer[400];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v,
                                 plain ? std::chars_format::fixed : std::chars_format::scientific);
  return std::string(buffer, end);
}

bool is_params_hash(std::string_view s) {
  return s.size() == 8 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string format_run_name(const RunName& n) {
  std::string s = n.workload + "/" + n.primitive + "/readers:" + std::to_string(n.readers) +
                  "/updaters:" + std::to_string(n.updaters);
  if (n.updater_delay_us) s += "/updater_delay_us:" + format_number(*n.updater_delay_us);
  if (n.read_work) s += "/read_work:" + std::to_string(*n.read_work);
  if (n.payload_bytes) s += "/payload_bytes:" + std::to_string(*n.payload_bytes);
  if (n.stall_us) s += "/stall_us:" + format_number(*n.stall_us);
  if (n.params != "-") s += "/params:" + n.params;
  return s;
}

std::optional<RunName> parse_run_name(std::string_view name) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    std::size_t slash = name.find('/', start);
    parts.push_back(name.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.size() < 4) return std::nullopt;
  RunName r;
  r.workload = parts[0];
  r.primitive = parts[1];
  if (r.workload.empty() || r.primitive.empty() || r.workload.find(':') != std::string::npos ||
      r.primitive.find(':') != std::string::npos)
    return std::nullopt;
  auto readers = count_value(parts[2], "readers");
  auto updaters = count_value(parts[3], "updaters");
  if (!readers || !updaters) return std::nullopt;
  r.readers = *readers;
  r.updaters = *updaters;
  for (std::size_t k = 4; k < parts.size(); ++k) {
    std::string_view p = parts[k];
    if (p == "manual_time" || p == "real_time") continue;
    std::size_t colon = p.find(':');
    if (colon == 0 || colon == std::string_view::npos) return std::nullopt;
    const std::string_view key = p.substr(0, colon), value = p.substr(colon + 1);
    if (key == "params") {
      if (!is_params_hash(value) || r.params != "-") return std::nullopt;
      r.params = std::string(value);
    } else if (key == "updater_delay_us" || key == "stall_us") {
      std::optional<double>& field = key == "stall_us" ? r.stall_us : r.updater_delay_us;
      double us = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), us);
      if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(us) ||
          us < 0 || field)
        return std::nullopt;
      field = us;
    } else if (key == "read_work" || key == "payload_bytes") {
      std::optional<long>& field = key == "read_work" ? r.read_work : r.payload_bytes;
      if (field) return std::nullopt;
      field = parse_count(value);
      if (!field) return std::nullopt;
    }
  }
  return r;
}

}  // namespace rcubench::contract
