#include "contract/primitive_meta.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "contract/run_name.h"

namespace rcubench::contract {

std::string_view family_name(Family family) {
  switch (family) {
    case Family::rcu:
      return "rcu";
    case Family::rcu_defer:
      return "rcu-defer";
    case Family::rcu_batch:
      return "rcu-batch";
    case Family::urcu:
      return "urcu";
    case Family::lock:
      return "lock";
    case Family::other:
      return "other";
    case Family::reference:
      return "reference";
  }
  return "?";
}

std::optional<Family> parse_family(std::string_view name) {
  for (Family f : kFamilies)
    if (family_name(f) == name) return f;
  return std::nullopt;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::none:
      return "-";
    case Role::update_floor:
      return "update-floor";
  }
  return "?";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role r : kRoles)
    if (role_name(r) == name) return r;
  return std::nullopt;
}

std::string primitive_context_key(std::string_view name) {
  return std::string(kPrimitiveContextPrefix) + std::string(name);
}

namespace {

constexpr std::string_view kFields[] = {"family", "flavor", "raw",  "headline",
                                        "rank",   "role",   "label"};

std::string field(std::string_view key, std::string_view value) {
  if (value.empty() || value.find_first_of(";=,\"\r\n") != std::string_view::npos)
    throw std::invalid_argument("primitive field " + std::string(key) + " '" + std::string(value) +
                                "' is empty or holds ';', '=', ',', '\"' or a line break");
  return std::string(key) + "=" + std::string(value);
}

}  // namespace

std::string encode_primitive(const PrimitiveMeta& m) {
  const std::string values[] = {std::string(family_name(m.family)),
                                m.flavor,
                                m.raw,
                                m.headline ? "yes" : "no",
                                std::to_string(m.rank),
                                std::string(role_name(m.role)),
                                m.label};
  static_assert(std::size(values) == std::size(kFields));
  std::string out;
  for (std::size_t i = 0; i < std::size(kFields); ++i) {
    if (!out.empty()) out += ';';
    out += field(kFields[i], values[i]);
  }
  return out;
}

PrimitiveMeta decode_primitive(std::string_view name, std::string_view value) {
  const std::string where = std::string(kPrimitiveContextPrefix) + std::string(name);
  auto fail = [&](const std::string& what) {
    throw std::invalid_argument(
        where + ": " + what +
        " (want family=..;flavor=..;raw=..;headline=yes|no;rank=N;role=..;label=..)");
  };
  if (name.empty()) fail("no primitive name");
  // The fields in kFields order, each key=value, separated by ';'.
  std::vector<std::string_view> values;
  for (std::size_t start = 0; start <= value.size();) {
    const std::size_t end = std::min(value.find(';', start), value.size());
    const std::string_view item = value.substr(start, end - start);
    const std::size_t i = values.size();
    if (i >= std::size(kFields))
      fail("more than " + std::to_string(std::size(kFields)) + " fields");
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos || item.substr(0, eq) != kFields[i])
      fail("field " + std::to_string(i + 1) + " '" + std::string(item) + "' is not " +
           std::string(kFields[i]) + "=...");
    if (eq + 1 == item.size()) fail(std::string(kFields[i]) + " is empty");
    values.push_back(item.substr(eq + 1));
    start = end + 1;
  }
  if (values.size() != std::size(kFields))
    fail(std::to_string(values.size()) + " fields, want " + std::to_string(std::size(kFields)));
  PrimitiveMeta m;
  m.name = std::string(name);
  const auto family = parse_family(values[0]);
  if (!family) fail("unknown family '" + std::string(values[0]) + "'");
  m.family = *family;
  m.flavor = std::string(values[1]);
  m.raw = std::string(values[2]);
  if (values[3] != "yes" && values[3] != "no")
    fail("headline '" + std::string(values[3]) + "' is not yes or no");
  m.headline = values[3] == "yes";
  const std::optional<long> rank = parse_count(values[4]);
  if (!rank) fail("rank '" + std::string(values[4]) + "' is not a non-negative integer");
  m.rank = *rank;
  const auto role = parse_role(values[5]);
  if (!role) fail("unknown role '" + std::string(values[5]) + "'");
  m.role = *role;
  m.label = std::string(values[6]);
  try {
    (void)encode_primitive(m);  // the same rules on every value as when writing
  } catch (const std::invalid_argument& e) {
    fail(e.what());
  }
  return m;
}

}  // namespace rcubench::contract
