// The statistics of the gate beyond the rank-sum test: the paired signed-rank test, Holm's
// correction, robust spread and the drift scan (docs/regression-gate.md).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace rcubench::report {

// Two-sided Wilcoxon signed-rank test of paired differences d (here log(B_k / A_k)).
// Differences of exactly 0 are dropped (Wilcoxon's rule); the others are ranked by |d|,
// tied magnitudes sharing their mean rank. The p-value is exact and conditional on those
// ranks: under the null hypothesis each sign is + or - with probability 1/2, and every
// one of the 2^n sign patterns is counted, whatever the sample size and ties.
struct SignedRank {
  double w_plus = 0;       // sum of the ranks of the positive differences
  std::size_t n = 0;       // non-zero differences ranked
  std::size_t zeros = 0;   // differences of exactly 0, dropped
  bool ties = false;       // tied magnitudes among the ranked differences
  double p_value = 1;      // two-sided: min(1, 2 min(P(W+ <= w), P(W+ >= w)))
};
SignedRank wilcoxon_signed_rank(std::span<const double> d);

// Null distribution of twice W+ for the given doubled ranks (integers): entry s is
// P(2 W+ = s) when each rank enters with probability 1/2.
std::vector<double> signed_rank_distribution(std::span<const long> doubled_ranks);

// Holm's step-down adjusted p-values: sorted ascending, the i-th of m (from 0) becomes
// max over j <= i of min(1, (m - j) p_(j)). Rejecting where adjusted p < alpha keeps the
// family-wise error rate at alpha under any dependence between the tests. NaN entries
// are not tests: they stay NaN and do not count in m.
std::vector<double> holm_adjust(std::span<const double> p);

// The q-quantile (0 <= q <= 1) by linear interpolation between the order statistics
// (Hyndman and Fan type 7, R's default): position q (n - 1) in the sorted sample, so q = 0.5
// is the median and 0 and 1 are the extremes. NaN when empty.
double quantile(std::vector<double> values, double q);

// Median absolute deviation from the median (unscaled); NaN when empty.
double median_absolute_deviation(std::span<const double> v);
// Factor that makes the MAD estimate the standard deviation of normal data.
inline constexpr double kMadToSigma = 1.4826;

// The robust band of a history: median +- k * max(kMadToSigma * MAD, floor * |median|).
struct Band {
  double center = 0, half_width = 0;
  double low() const { return center - half_width; }
  double high() const { return center + half_width; }
};
Band robust_band(std::span<const double> history, double k, double floor_fraction);

// Drift: the single split of a sequence (in time order) into a before and an after,
// each at least `min_segment` long, whose medians differ most against the noise
// (kMadToSigma * the MAD of every point from its own segment's median, at least
// floor_fraction of |median before|). `score` is that difference in units of the noise;
// drift is reported when score >= k and |shift| >= min_effect.
struct ChangePoint {
  bool found = false;
  std::size_t index = 0;  // first point of the after segment
  double before = 0, after = 0;  // medians of the segments
  double shift = 0;       // after / before - 1 (NaN when before is 0)
  double score = 0;
};
ChangePoint median_shift_scan(std::span<const double> x, std::size_t min_segment, double k,
                              double min_effect, double floor_fraction);

}  // namespace rcubench::report
