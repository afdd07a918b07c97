// Two-sided Mann-Whitney U test (Wilcoxon rank-sum) for two independent samples.
#pragma once

#include <span>
#include <vector>

namespace rcubench::report {

struct MannWhitney {
  // U of the first sample: pairs (x, y) with x > y, plus half the pairs with x == y.
  double u = 0;
  // Standardised statistic of the normal approximation (continuity-corrected towards 0);
  // 0 when the exact distribution was used.
  double z = 0;
  double p_value = 1;  // two-sided
  bool exact = false;  // exact null distribution rather than the normal approximation
  bool ties = false;   // the pooled sample has tied values
};

// Exact distribution whenever there are no ties and both samples have fewer than
// kExactLimit values; otherwise the normal approximation with tie and continuity
// corrections. An empty sample gives p = 1.
inline constexpr std::size_t kExactLimit = 50;
MannWhitney mann_whitney_u(std::span<const double> x, std::span<const double> y);

// Number of arrangements of m + n distinct values giving each U = 0..m*n under the null
// hypothesis (they sum to C(m+n, m)).
std::vector<double> u_frequencies(int m, int n);

// Median of a sample (the mean of the middle two for even sizes); NaN when empty.
double median(std::vector<double> values);

}  // namespace rcubench::report
