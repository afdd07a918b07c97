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

// The exact distribution whenever both samples have fewer than kExactLimit values, ties
// or not: conditional on the tied (mean) ranks of the pooled sample, every choice of
// which m of the N values belong to x is equally likely, and each is counted. Otherwise
// (or when asked) the normal approximation with tie and continuity corrections. An empty
// sample gives p = 1.
inline constexpr std::size_t kExactLimit = 50;
enum class MannWhitneyMethod { automatic, normal };
MannWhitney mann_whitney_u(std::span<const double> x, std::span<const double> y,
                           MannWhitneyMethod method = MannWhitneyMethod::automatic);

// Number of arrangements of m + n distinct values giving each U = 0..m*n under the null
// hypothesis (they sum to C(m+n, m)).
std::vector<double> u_frequencies(int m, int n);

// Number of ways to choose m of the pooled values giving each doubled rank sum
// s = 0 .. sum of size * doubled_rank, for values in tie groups of `size` values sharing
// the mean rank doubled_rank / 2 (doubled, it is an integer). Without ties every group
// has size 1 and this is the distribution of U shifted by m(m+1)/2.
struct TieGroup {
  int size = 1;
  long doubled_rank = 0;
};
std::vector<double> rank_sum_frequencies(std::span<const TieGroup> groups, int m);

// Median of a sample (the mean of the middle two for even sizes); NaN when empty.
double median(std::vector<double> values);

}  // namespace rcubench::report
