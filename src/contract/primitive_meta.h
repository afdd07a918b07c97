// What a primitive is, as rcubench's registry says and the report reads it: its family,
// liburcu flavor, raw counterpart, label and whether it is in the headline. The bench writes
// one context entry per primitive into its JSON; the report carries them as CSV columns and
// draws, summarises and compares by them, never by a primitive's name (docs/csv.md).
// Dependency-free: the cross-built bench and the host-only report both compile it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rcubench::contract {

// The families, in the order reports list them.
enum class Family : unsigned char {
  rcu,        // Rcu<P>, the old object freed after a grace period in the update
  rcu_defer,  // Rcu<P>, freed by call_rcu (-defer)
  rcu_batch,  // Rcu<P>, per-thread retire blocks (-batch)
  urcu,       // raw liburcu, what Rcu<P> is measured against
  lock,       // readers and updaters exclude each other (seqlock: readers retry)
  other,      // reference counting, hazard pointers, left-right
  reference,  // floors and yardsticks, no synchronisation to speak of
};
inline constexpr Family kFamilies[] = {Family::rcu,      Family::rcu_defer, Family::rcu_batch,
                                       Family::urcu,     Family::lock,      Family::other,
                                       Family::reference};

// What a report compares others with, beyond its family.
enum class Role : unsigned char {
  none,
  update_floor,  // the update side's floor: every copy-update's updates/s as a share of it
};
inline constexpr Role kRoles[] = {Role::none, Role::update_floor};
// "-", "update-floor".
std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view name);

// "rcu", "rcu-defer", "rcu-batch", "urcu", "lock", "other", "reference".
std::string_view family_name(Family family);
std::optional<Family> parse_family(std::string_view name);
// Whether the family is Rcu<P> (any free mode).
constexpr bool is_rcu_pointer(Family f) {
  return f == Family::rcu || f == Family::rcu_defer || f == Family::rcu_batch;
}

struct PrimitiveMeta {
  std::string name;
  Family family = Family::other;
  std::string flavor = "-";  // liburcu flavor ("memb", ...) or "-"
  std::string raw = "-";     // the primitive Rcu<P> is compared with (rcu-memb: urcu-memb) or "-"
  bool headline = false;     // drawn in the headline plot
  std::string label;         // legend text
  long rank = 0;             // position within its family, in registration order
  Role role = Role::none;

  bool operator==(const PrimitiveMeta&) const = default;
};

// The hand-written read loop rcubench measures beside bare's read-only runs (run_hand_bare,
// workload/engine.h): the yardstick of the engine's overhead. No primitive, but in the
// results like one; running `bare` measures it.
inline constexpr std::string_view kHandBareName = "hand-bare";
// The registered primitive whose run measures `name`: `bare` for the yardstick, else name.
constexpr std::string_view primitive_to_run(std::string_view name) {
  return name == kHandBareName ? std::string_view("bare") : name;
}

// The context key of one primitive's entry: "rcubench_primitive:<name>".
inline constexpr std::string_view kPrimitiveContextPrefix = "rcubench_primitive:";
std::string primitive_context_key(std::string_view name);
// The entry's value: "family=rcu;flavor=memb;raw=urcu-memb;headline=yes;rank=0;role=-;
// label=rcu-memb".
// No value may hold ';', '=', ',', '"' or a line break (encode throws std::invalid_argument
// naming the field): the CSV's columns after the fingerprint are never quoted, which its
// awk readers count on (scripts/lib/history.sh).
std::string encode_primitive(const PrimitiveMeta& meta);
// The entry of primitive `name`; std::invalid_argument naming the field for a malformed one.
PrimitiveMeta decode_primitive(std::string_view name, std::string_view value);

}  // namespace rcubench::contract
