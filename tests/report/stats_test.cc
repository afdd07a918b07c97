// The paired signed-rank test, Holm's correction, the robust band and the drift scan,
// against hand-worked examples and brute-force enumeration.
#include "report/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace rcubench::report {
namespace {

// Two-sided p of W+ by brute force: all 2^n sign patterns of the ranked |d|, with mean
// ranks for ties worked out here by counting (rank = 1 + #smaller + (#equal - 1) / 2).
double enumerated_signed_rank_p(const std::vector<double>& d) {
  std::vector<double> nonzero;
  for (double v : d)
    if (v != 0) nonzero.push_back(v);
  const std::size_t n = nonzero.size();
  std::vector<double> rank(n);
  for (std::size_t i = 0; i < n; ++i) {
    double smaller = 0, equal = 0;
    for (std::size_t j = 0; j < n; ++j) {
      smaller += std::abs(nonzero[j]) < std::abs(nonzero[i]);
      equal += std::abs(nonzero[j]) == std::abs(nonzero[i]);
    }
    rank[i] = 1 + smaller + (equal - 1) / 2;
  }
  double observed = 0;
  for (std::size_t i = 0; i < n; ++i) observed += nonzero[i] > 0 ? rank[i] : 0;
  double lower = 0, upper = 0;
  for (unsigned mask = 0; mask < (1u << n); ++mask) {
    double w = 0;
    for (std::size_t i = 0; i < n; ++i) w += (mask >> i) & 1 ? rank[i] : 0;
    lower += w <= observed + 1e-9;
    upper += w >= observed - 1e-9;
  }
  return std::min(1.0, 2 * std::min(lower, upper) / std::pow(2.0, static_cast<double>(n)));
}

TEST(CompareSignedRank, AllSixPositiveIsTheSmallestP) {
  // W+ = 21 = 1 + ... + 6 in only one of 64 patterns per tail: p = 2/64.
  SignedRank r = wilcoxon_signed_rank(std::vector<double>{0.1, 0.3, 0.2, 0.5, 0.4, 0.6});
  EXPECT_EQ(r.n, 6u);
  EXPECT_DOUBLE_EQ(r.w_plus, 21);
  EXPECT_DOUBLE_EQ(r.p_value, 2.0 / 64);
  // Five pairs cannot go below 2/32 = 0.0625: never significant at 0.05.
  r = wilcoxon_signed_rank(std::vector<double>{-1, -2, -3, -4, -5});
  EXPECT_DOUBLE_EQ(r.w_plus, 0);
  EXPECT_DOUBLE_EQ(r.p_value, 2.0 / 32);
}

TEST(CompareSignedRank, OneNegativeByHand) {
  // d = 1, -2, 3, 4, 5, 6: W+ = 21 - 2 = 19. P(W+ >= 19) = P(W+ <= 2) (symmetry about
  // 10.5) = #{ {}, {1}, {2} } / 64 = 3/64, so p = 6/64 = 0.09375.
  SignedRank r = wilcoxon_signed_rank(std::vector<double>{1, -2, 3, 4, 5, 6});
  EXPECT_DOUBLE_EQ(r.w_plus, 19);
  EXPECT_FALSE(r.ties);
  EXPECT_DOUBLE_EQ(r.p_value, 6.0 / 64);
}

TEST(CompareSignedRank, TiesByHand) {
  // d = 1, -1, 2, 2, 2, 3: |d| ranks 1.5, 1.5, 4, 4, 4, 6; W+ = 1.5 + 12 + 6 = 19.5 of
  // 21. P(W+ >= 19.5) = P(the ranks left out sum to <= 1.5) = #{ {}, {1.5a}, {1.5b} } /
  // 64 = 3/64; p = 6/64.
  SignedRank r = wilcoxon_signed_rank(std::vector<double>{1, -1, 2, 2, 2, 3});
  EXPECT_TRUE(r.ties);
  EXPECT_DOUBLE_EQ(r.w_plus, 19.5);
  EXPECT_DOUBLE_EQ(r.p_value, 6.0 / 64);
  EXPECT_DOUBLE_EQ(r.p_value, enumerated_signed_rank_p({1, -1, 2, 2, 2, 3}));
}

TEST(CompareSignedRank, ZerosAreDropped) {
  SignedRank r = wilcoxon_signed_rank(std::vector<double>{0, 1, 2, 0, 3, 4, 5, 6});
  EXPECT_EQ(r.zeros, 2u);
  EXPECT_EQ(r.n, 6u);
  EXPECT_DOUBLE_EQ(r.p_value, 2.0 / 64);
  EXPECT_DOUBLE_EQ(wilcoxon_signed_rank(std::vector<double>{0, 0}).p_value, 1);
  EXPECT_DOUBLE_EQ(wilcoxon_signed_rank(std::vector<double>{}).p_value, 1);
}

TEST(CompareSignedRank, MatchesEnumerationWithAndWithoutTies) {
  for (int n = 1; n <= 12; ++n) {
    for (int grid : {3, 1000}) {  // a coarse grid ties often, a fine one never
      std::vector<double> d;
      for (int i = 0; i < n; ++i) d.push_back(((i * 7 + n) % grid) - (i % 3 == 0 ? grid : 0.0));
      EXPECT_NEAR(wilcoxon_signed_rank(d).p_value, enumerated_signed_rank_p(d), 1e-12)
          << "n=" << n << " grid=" << grid;
    }
  }
}

TEST(CompareSignedRank, DistributionOfSmallRanks) {
  // Ranks 1, 2, 3 doubled: 2W+ in {0, 2, 4, 6, 6, 8, 10, 12}, each pattern 1/8.
  const std::vector<long> ranks = {2, 4, 6};
  std::vector<double> p = signed_rank_distribution(ranks);
  ASSERT_EQ(p.size(), 13u);
  EXPECT_DOUBLE_EQ(p[0], 1.0 / 8);
  EXPECT_DOUBLE_EQ(p[6], 2.0 / 8);
  EXPECT_DOUBLE_EQ(p[1], 0);
  EXPECT_DOUBLE_EQ(p[12], 1.0 / 8);
}

TEST(CompareHolm, StepDownByHand) {
  // Sorted 0.005, 0.01, 0.03, 0.04 of m = 4: 4 x 0.005 = 0.02, 3 x 0.01 = 0.03,
  // 2 x 0.03 = 0.06, 1 x 0.04 = 0.04 -> kept at 0.06 (never below an earlier one).
  const double nan = NAN;
  std::vector<double> adjusted = holm_adjust(std::vector<double>{0.01, nan, 0.04, 0.03, 0.005});
  EXPECT_DOUBLE_EQ(adjusted[0], 0.03);
  EXPECT_TRUE(std::isnan(adjusted[1]));  // not a test, not counted in m
  EXPECT_DOUBLE_EQ(adjusted[2], 0.06);
  EXPECT_DOUBLE_EQ(adjusted[3], 0.06);
  EXPECT_DOUBLE_EQ(adjusted[4], 0.02);
  // Capped at 1.
  adjusted = holm_adjust(std::vector<double>{0.5, 0.6});
  EXPECT_DOUBLE_EQ(adjusted[0], 1);
  EXPECT_DOUBLE_EQ(adjusted[1], 1);
  EXPECT_TRUE(holm_adjust(std::vector<double>{}).empty());
}

TEST(HistoryBandStats, MedianAndMadByHand) {
  // 1, 2, 3, 4, 100: median 3, deviations 2, 1, 0, 1, 97 -> MAD 1; the outlier does not
  // widen the band. k = 2: 3 +- 2 x 1.4826.
  const std::vector<double> h = {1, 2, 3, 4, 100};
  EXPECT_DOUBLE_EQ(median_absolute_deviation(h), 1);
  Band b = robust_band(h, 2, 0.01);
  EXPECT_DOUBLE_EQ(b.center, 3);
  EXPECT_DOUBLE_EQ(b.half_width, 2 * 1.4826);
  // A perfectly quiet history: MAD 0, the floor (1 % of 100) keeps the band open.
  b = robust_band(std::vector<double>{100, 100, 100, 100}, 5, 0.01);
  EXPECT_DOUBLE_EQ(b.center, 100);
  EXPECT_DOUBLE_EQ(b.half_width, 5);
  EXPECT_TRUE(std::isnan(median_absolute_deviation(std::vector<double>{})));
}

TEST(HistoryDrift, StepInTheMiddleByHand) {
  // 10, 10.1, 9.9, 10 then 12, 12.1, 11.9, 12: split at 4, medians 10 and 12. Deviations
  // from the own segment's median: 0, .1, .1, 0 twice -> median 0.05, x 1.4826 = 0.074,
  // below the floor 1 % of 10 = 0.1: score 2 / 0.1 = 20, shift +20 %.
  const std::vector<double> x = {10, 10.1, 9.9, 10, 12, 12.1, 11.9, 12};
  ChangePoint cp = median_shift_scan(x, 3, 4, 0.05, 0.01);
  EXPECT_TRUE(cp.found);
  EXPECT_EQ(cp.index, 4u);
  EXPECT_DOUBLE_EQ(cp.before, 10);
  EXPECT_DOUBLE_EQ(cp.after, 12);
  EXPECT_NEAR(cp.shift, 0.2, 1e-12);
  EXPECT_NEAR(cp.score, 20, 1e-9);
  // The same step below the minimum effect is not drift; nor is noise without a step.
  EXPECT_FALSE(median_shift_scan(x, 3, 4, 0.25, 0.01).found);
  EXPECT_FALSE(
      median_shift_scan(std::vector<double>{10, 10.2, 9.8, 10.1, 9.9, 10, 10.1}, 3, 4, 0.05, 0.01)
          .found);
  // Too short for two segments of 3.
  EXPECT_FALSE(median_shift_scan(std::vector<double>{1, 1, 1, 5, 5}, 3, 4, 0.05, 0.01).found);
}

}  // namespace
}  // namespace rcubench::report
