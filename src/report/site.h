// A run as a static site (docs/site.md): RUN/site/index.html and the pages it links,
// opened from disk with no server; nothing is fetched from the network and no script runs.
//
//   index.html                    the machine per arch, the verdict per arch, the headline
//                                 plots, links to every other page
//   workload-<arch>[-<exec>]-<workload>.html  its plots, its table (median and IQR over processes,
//                                 process count), the summary's table with crossovers and
//                                 starved threads
//   instructions.html             instruction counts, primitive x arch, and Rcu<P>/raw
//   gate.html                     the regression gate's verdict, when given one
//
// Plot images are the run's own (RUN/plots/*.svg, plots/render.sh), linked, not copied.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "report/csv.h"
#include "report/memory_series.h"
#include "report/trend.h"

namespace rcubench::report {

struct SiteInputs {
  std::filesystem::path run;                    // the run directory (its plots/ are linked)
  std::optional<std::filesystem::path> gate;    // a directory `compare --write` wrote
  // Every primitive the bench had (its JSON context): those not in the rows are named
  // as registered but not measured in this run.
  std::vector<contract::PrimitiveMeta> registered;
  // The run's memory series (rcubench --memory-series): the stalls plots over time.
  std::vector<MemoryTrace> memory = {};
};

// The pages, by file name, in link order (index.html first). Only files that exist are
// linked; an image that is not rendered is named in the page instead.
struct SitePage {
  std::string file, title, html;
};
std::vector<SitePage> make_site(const std::vector<Row>& rows, const SiteInputs& in);

// Writes the pages into RUN/site, replacing an earlier site only once the new one is
// complete. Returns the path of index.html.
std::filesystem::path write_site(const std::vector<Row>& rows, const SiteInputs& in);

// Histories as a site (docs/site.md): `out`/index.html lists them; per history,
// `out`/<name>/index.html holds its runs and a primitive x arch matrix of the last run's
// change (geometric mean over the primitive's gated series, coloured by it), and
// `out`/<name>/<trend plot name>.html per series its trend plot (`out`/plots-<name>/
// <trend plot name>.svg, plots/render.sh --trend) and per run its median, band, change,
// verdict and rebaseline. Each history's pages are written like write_site: whole, or not
// at all. Returns the path of index.html.
struct HistorySiteInput {
  std::string name;  // the directory of its pages under `out`
  HistoryTrends trends;
};
std::filesystem::path write_history_site(const std::filesystem::path& out,
                                         const std::vector<HistorySiteInput>& histories);

// `s` with &, <, >, " and ' escaped for HTML text and attribute values.
std::string html_escape(std::string_view s);

}  // namespace rcubench::report
