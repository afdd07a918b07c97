// Every primitive rcubench reports is described by the registry and drawn in a style of its
// own, decided by what it is, not by its name; and the clash check that says so can fail.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "baselines/registry.h"
#include "report/primitive_style.h"

namespace rcubench::report {
namespace {

std::vector<Row> rows_of(const std::vector<contract::PrimitiveMeta>& metas) {
  std::vector<Row> rows;
  for (const contract::PrimitiveMeta& m : metas) {
    Row r;
    r.primitive = m.name, r.flavor = m.flavor, r.meta = m;
    rows.push_back(r);
  }
  return rows;
}

TEST(PrimitiveStyle, EveryReportedPrimitiveHasAFamilyAndADistinctLook) {
  const std::vector<contract::PrimitiveMeta> metas = reported_primitive_metas();
  ASSERT_EQ(metas.size(), primitive_list().size() + 1);  // and the yardstick
  std::set<std::string> names;
  for (const contract::PrimitiveMeta& m : metas) {
    EXPECT_TRUE(names.insert(m.name).second) << m.name;
    EXPECT_TRUE(contract::parse_family(contract::family_name(m.family))) << m.name;
    EXPECT_FALSE(m.label.empty()) << m.name;
    // What rcubench writes reads back the same.
    EXPECT_EQ(contract::decode_primitive(m.name, contract::encode_primitive(m)), m);
    // A raw counterpart is a registered raw liburcu primitive of the same flavor.
    if (m.raw != "-") {
      EXPECT_TRUE(contract::is_rcu_pointer(m.family)) << m.name;
      auto raw = std::find_if(metas.begin(), metas.end(),
                              [&](const contract::PrimitiveMeta& r) { return r.name == m.raw; });
      ASSERT_NE(raw, metas.end()) << m.name << " -> " << m.raw;
      EXPECT_EQ(raw->family, contract::Family::urcu) << m.raw;
      EXPECT_EQ(raw->flavor, m.flavor) << m.raw;
    }
  }
  const Looks looks = looks_of(rows_of(metas));
  ASSERT_EQ(looks.size(), metas.size());
  EXPECT_TRUE(look_clashes(looks).empty())
      << look_clashes(looks).front().first << " and " << look_clashes(looks).front().second;
  // Each family in the panel group it belongs to; the headline has Rcu<P>, a lock, a
  // reference and something else to compare with.
  std::set<PanelGroup> headline_groups;
  for (const contract::PrimitiveMeta& m : metas) {
    const Look& look = looks.at(m.name);
    if (m.headline) headline_groups.insert(look.group);
    EXPECT_EQ(look.group == PanelGroup::reference, m.family == contract::Family::reference)
        << m.name;
    EXPECT_EQ(look.flavor >= 0, m.flavor != "-") << m.name;
  }
  EXPECT_EQ(headline_groups, (std::set<PanelGroup>{PanelGroup::rcu_sync, PanelGroup::locks,
                                                    PanelGroup::others, PanelGroup::reference}));
}

// The negative controls: two primitives of one family and rank, or of one label, are
// reported; so is a primitive described in no row, and it is told apart from the rest.
TEST(PrimitiveStyle, ClashesAreFoundAndUndescribedPrimitivesGetLooksOfTheirOwn) {
  std::vector<contract::PrimitiveMeta> metas = reported_primitive_metas();
  contract::PrimitiveMeta twin = metas.front();
  twin.name += "-twin";
  twin.label += " twin";
  metas.push_back(twin);
  auto clashes = look_clashes(looks_of(rows_of(metas)));
  ASSERT_EQ(clashes.size(), 1u);
  EXPECT_EQ(clashes[0], (std::pair{metas.front().name, twin.name}));

  metas.back().family = contract::Family::lock;  // a style of its own,
  metas.back().rank = 99;                        // the label of another
  metas.back().label = metas[1].label;
  clashes = look_clashes(looks_of(rows_of(metas)));
  ASSERT_EQ(clashes.size(), 1u);

  metas.pop_back();
  std::vector<Row> rows = rows_of(metas);
  for (const char* name : {"new-primitive", "another-new-one"}) {
    Row r;
    r.primitive = name;
    rows.push_back(r);
  }
  const Looks looks = looks_of(rows);
  EXPECT_TRUE(look_clashes(looks).empty());
  EXPECT_EQ(looks.at("new-primitive").group, PanelGroup::others);
  EXPECT_EQ(looks.at("new-primitive").label, "new-primitive");
  EXPECT_FALSE(looks.at("new-primitive").headline);
}

}  // namespace
}  // namespace rcubench::report
