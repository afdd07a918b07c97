// Rows built by hand in tests, described as rcubench describes them: each primitive's meta
// (family, raw counterpart, headline, label) from the registry, as rcubench writes it into
// its results (baselines/registry.h, reported_primitive_metas).
#pragma once

#include <string>
#include <vector>

#include "baselines/registry.h"
#include "report/csv.h"

namespace rcubench::report::testing {

// Sets r.meta and r.flavor for a registered primitive (or the yardstick); leaves a name the
// registry does not know undescribed, as an older rcubench's results are.
inline Row& describe(Row& r) {
  for (const contract::PrimitiveMeta& m : reported_primitive_metas())
    if (m.name == r.primitive) {
      r.meta = m;
      r.flavor = m.flavor;
    }
  return r;
}

inline std::vector<Row> described(std::vector<Row> rows) {
  for (Row& r : rows) describe(r);
  return rows;
}

}  // namespace rcubench::report::testing
