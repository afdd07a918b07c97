// How primitives are drawn (docs/plots.md): the panel group each belongs to, its place in a
// legend, its line style and label, its bar colour and whether the headline shows it, all
// from what rcubench's registry says it is (Row::meta), never from its name.
#pragma once

#include <compare>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contract/primitive_meta.h"
#include "report/csv.h"

namespace rcubench::report {

// The primitives drawn together in one panel, in panel order; the references (floors and
// yardsticks) are drawn in every panel.
enum class PanelGroup { rcu_sync, rcu_deferred, locks, others, reference };
std::string_view group_title(PanelGroup group);

struct Style {
  std::string color;
  int dash = 1;  // gnuplot dash type: 1 solid, 2 dashed, 3 dotted, 4 dash-dot, 5 dash-dot-dot
  int point = 7;
  double width = 2;
  double point_size = 0.9;
  auto operator<=>(const Style&) const = default;
};

struct Look {
  PanelGroup group = PanelGroup::others;
  int order = 0;     // within the group: the legend's order
  int flavor = -1;   // the flavor's colour for Rcu<P> and raw liburcu, -1 for the rest
  int bar_kind = 0;  // index into kBarKinds (references have no bars)
  bool headline = false;
  Style style;
  std::string label;
};

// Bar colours by kind of primitive (the legend's entries), in contract::Family order; its
// order is also the order of one flavor's bars.
inline constexpr std::pair<const char*, const char*> kBarKinds[] = {
    {"Rcu<P>, synchronous free", "#0072B2"},
    {"Rcu<P>, deferred free (-defer)", "#56B4E9"},
    {"Rcu<P>, batched free (-batch)", "#009E73"},
    {"raw liburcu (urcu-)", "#999999"},
    {"locks", "#D55E00"},
    {"reference counting, hazard pointers, left-right", "#CC79A7"}};

Look look_of(const contract::PrimitiveMeta& meta);

using Looks = std::map<std::string, Look, std::less<>>;
// The looks of the primitives in `rows`, by name. A primitive whose rows have no meta
// (results of an older rcubench) is drawn as one of the others, after the described ones,
// in name order, with a style of its own.
Looks looks_of(const std::vector<Row>& rows);

// The pairs of primitives that a reader could not tell apart: drawn alike (colour, dash and
// point) or labelled alike. None, for every set of primitives the registry gives.
std::vector<std::pair<std::string, std::string>> look_clashes(const Looks& looks);

}  // namespace rcubench::report
