#include "report/primitive_style.h"

#include <algorithm>
#include <iterator>
#include <set>

namespace rcubench::report {
namespace {

using contract::Family;

// A colour per liburcu flavor, shared by Rcu<P>'s variants and raw liburcu of the flavor,
// which tell themselves apart by dash and point.
constexpr std::string_view kFlavors[] = {"memb", "qsbr", "bp", "mb", "signal"};
constexpr std::string_view kFlavorColors[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                              "#E69F00", "#56B4E9", "#8C564B"};

// Colour, dash and point by rank in the locks and the others families. The colours are
// none of the flavors' and differ from each other, so that families can share a panel; the
// dashes tell the lines apart in grey. Ranks beyond a palette take its colours again with
// dashes of their own.
struct Palette {
  std::vector<std::string_view> colors;
  std::vector<int> dashes, points;
};
const Palette kLockPalette = {
    {"#117733", "#882255", "#332288", "#999933", "#44AA99", "#E7298A", "#66A61E"},
    {2, 4, 5, 3, 1, 1, 5},
    {4, 8, 10, 12, 6, 14, 1}};
const Palette kOtherPalette = {
    {"#AA4499", "#CC6677", "#6699CC", "#661100", "#DDAA33", "#B15928", "#FB9A99"},
    {4, 5, 2, 3, 1, 2, 4},
    {5, 9, 11, 13, 7, 15, 3}};

Style from_palette(const Palette& p, long rank) {
  const std::size_t n = p.colors.size(), c = static_cast<std::size_t>(rank) % n,
                    round = static_cast<std::size_t>(rank) / n;
  return {std::string(p.colors[c]), round == 0 ? p.dashes[c] : static_cast<int>(5 + round),
          p.points[c], 2};
}

// The references by rank: the floors black, the yardsticks grey and thinner.
const Style kReferenceStyles[] = {{"#000000", 2, 7, 2, 0.5},
                                  {"#000000", 4, 7, 2, 0.5},
                                  {"#808080", 3, 7, 1.5, 0.4},
                                  {"#808080", 1, 7, 1, 0.4}};

}  // namespace

std::string_view group_title(PanelGroup group) {
  switch (group) {
    case PanelGroup::rcu_sync:
      return "Rcu<P> flavors, synchronous free; raw liburcu (urcu-)";
    case PanelGroup::rcu_deferred:
      return "Rcu<P> flavors, deferred (-defer) and batched (-batch) free";
    case PanelGroup::locks:
      return "locks";
    case PanelGroup::others:
      return "reference counting, hazard pointers, left-right";
    case PanelGroup::reference:
      return "references";
  }
  return "?";
}

Look look_of(const contract::PrimitiveMeta& meta) {
  Look l;
  l.label = meta.label;
  l.headline = meta.headline;
  l.order = static_cast<int>(meta.rank);
  l.bar_kind = static_cast<int>(meta.family);
  const auto flavor_index = [&] {
    const auto* f = std::find(std::begin(kFlavors), std::end(kFlavors), meta.flavor);
    return static_cast<int>(f - std::begin(kFlavors));  // an unknown flavor: the next colour
  };
  switch (meta.family) {
    case Family::rcu:
    case Family::urcu:
    case Family::rcu_defer:
    case Family::rcu_batch: {
      l.flavor = flavor_index();
      const std::string color(
          kFlavorColors[std::min<std::size_t>(l.flavor, std::size(kFlavorColors) - 1)]);
      if (meta.family == Family::rcu) {
        l.group = PanelGroup::rcu_sync, l.order = 2 * l.flavor, l.style = {color, 1, 7, 2};
      } else if (meta.family == Family::urcu) {
        l.group = PanelGroup::rcu_sync, l.order = 2 * l.flavor + 1, l.style = {color, 4, 6, 2};
      } else if (meta.family == Family::rcu_defer) {
        l.group = PanelGroup::rcu_deferred, l.order = 3 * l.flavor, l.style = {color, 2, 5, 2};
      } else {
        l.group = PanelGroup::rcu_deferred, l.order = 3 * l.flavor + 1;
        l.style = {color, 3, 9, 2};
      }
      break;
    }
    case Family::lock:
      l.group = PanelGroup::locks, l.style = from_palette(kLockPalette, meta.rank);
      break;
    case Family::other:
      l.group = PanelGroup::others, l.style = from_palette(kOtherPalette, meta.rank);
      break;
    case Family::reference: {
      l.group = PanelGroup::reference;
      const std::size_t r = static_cast<std::size_t>(meta.rank);
      l.style =
          r < std::size(kReferenceStyles)
              ? kReferenceStyles[r]
              : Style{"#808080", static_cast<int>(5 + r - std::size(kReferenceStyles)), 7, 1, 0.4};
      break;
    }
  }
  return l;
}

Looks looks_of(const std::vector<Row>& rows) {
  Looks looks;
  std::set<std::string> undescribed;
  long next_other = 0;
  for (const Row& r : rows) {
    if (!r.meta) {
      undescribed.insert(r.primitive);
      continue;
    }
    if (r.meta->family == Family::other) next_other = std::max(next_other, r.meta->rank + 1);
    looks.try_emplace(r.primitive, look_of(*r.meta));
  }
  for (const std::string& p : undescribed) {
    if (looks.contains(p)) continue;  // described in some rows: drawn as described
    contract::PrimitiveMeta m;
    m.name = p, m.family = Family::other, m.label = p, m.rank = next_other++;
    looks.emplace(p, look_of(m));
  }
  return looks;
}

std::vector<std::pair<std::string, std::string>> look_clashes(const Looks& looks) {
  std::vector<std::pair<std::string, std::string>> clashes;
  for (auto a = looks.begin(); a != looks.end(); ++a)
    for (auto b = std::next(a); b != looks.end(); ++b) {
      const Style &sa = a->second.style, &sb = b->second.style;
      if (std::tie(sa.color, sa.dash, sa.point) == std::tie(sb.color, sb.dash, sb.point) ||
          a->second.label == b->second.label)
        clashes.emplace_back(a->first, b->first);
    }
  return clashes;
}

}  // namespace rcubench::report
