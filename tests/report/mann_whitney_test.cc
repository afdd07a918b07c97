// The Mann-Whitney U test against values worked out independently: by hand (rank sums,
// tie-corrected variances, normal tail areas from printed tables), from a textbook
// example, and by enumerating every arrangement of the ranks.
#include "report/mann_whitney.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

namespace rcubench::report {
namespace {

// Two-sided exact p-value of U for samples of sizes m and n without ties, by brute force:
// every choice of m ranks out of m + n for the first sample, U = rank sum - m(m+1)/2.
double enumerated_p(int m, int n, double u_observed) {
  const int total = m + n;
  double lower = 0, upper = 0, all = 0;
  for (unsigned mask = 0; mask < (1u << total); ++mask) {
    if (__builtin_popcount(mask) != m) continue;
    int rank_sum = 0;
    for (int i = 0; i < total; ++i)
      if (mask & (1u << i)) rank_sum += i + 1;
    const double u = rank_sum - m * (m + 1) / 2.0;
    all += 1;
    if (u <= u_observed) lower += 1;
    if (u >= u_observed) upper += 1;
  }
  return std::min(1.0, 2 * std::min(lower, upper) / all);
}

TEST(MannWhitney, CompletelySeparatedThreeAgainstThree) {
  // x holds ranks 1..3: U = 6 - 6 = 0; P(U <= 0) = 1 / C(6,3) = 1/20, two-sided 0.1.
  const std::vector<double> x = {1, 2, 3}, y = {4, 5, 6};
  MannWhitney r = mann_whitney_u(x, y);
  EXPECT_TRUE(r.exact);
  EXPECT_FALSE(r.ties);
  EXPECT_DOUBLE_EQ(r.u, 0);
  EXPECT_NEAR(r.p_value, 0.1, 1e-12);
  // The other way round: U = 9 = m*n, the same two-sided p.
  r = mann_whitney_u(y, x);
  EXPECT_DOUBLE_EQ(r.u, 9);
  EXPECT_NEAR(r.p_value, 0.1, 1e-12);
}

TEST(MannWhitney, FiveAgainstFiveIsEnoughToDetectAShift) {
  // 1/C(10,5) = 1/252 per tail: p = 2/252 = 0.0079365..., below 0.05.
  const std::vector<double> x = {10, 11, 12, 13, 14}, y = {20, 21, 22, 23, 24};
  MannWhitney r = mann_whitney_u(x, y);
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 0);
  EXPECT_NEAR(r.p_value, 2.0 / 252, 1e-12);
}

TEST(MannWhitney, InterleavedSamplesAreNotSignificant) {
  // x ranks 1,3,5 and y ranks 2,4,6: U_x = 9 - 6 = 3. The 20 arrangements give U = 0..9
  // 1, 1, 2, 3, 3, 3, 3, 2, 1, 1 times: U <= 3 in 7, U >= 3 in 16, so p = 2 * 7/20 = 0.7.
  const std::vector<double> x = {1, 3, 5}, y = {2, 4, 6};
  MannWhitney r = mann_whitney_u(x, y);
  EXPECT_DOUBLE_EQ(r.u, 3);
  EXPECT_NEAR(r.p_value, 0.7, 1e-12);
}

TEST(MannWhitney, HollanderWolfePermeabilityExample) {
  // Hollander & Wolfe (1973), p. 69: permeability constants of the chorioamnion at term
  // (x) and at 12-26 weeks (y). The rank sum statistic of x is W = U = 35 and the
  // one-sided exact p-value P(U >= 35) = 0.1272, so two-sided 0.2544.
  const std::vector<double> x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
  const std::vector<double> y = {1.15, 0.88, 0.90, 0.74, 1.21};
  MannWhitney r = mann_whitney_u(x, y);
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 35);
  EXPECT_NEAR(r.p_value, 0.2544, 5e-4);
  EXPECT_NEAR(r.p_value, enumerated_p(10, 5, 35), 1e-12);
}

TEST(MannWhitney, NormalApproximationWithTiesByHand) {
  // x = {1,2,2,3,4}, y = {2,3,5,5,6,7}. Pooled ranks: 1 -> 1; the three 2s -> 3; the two
  // 3s -> 5.5; 4 -> 7; the two 5s -> 8.5; 6 -> 10; 7 -> 11. Rank sum of x = 1+3+3+5.5+7 =
  // 19.5, U = 19.5 - 15 = 4.5 (by pairs: each x = 2 ties one y, 0.5 + 0.5; x = 3 beats one
  // and ties one, 1.5; x = 4 beats two, 2). Mean m*n/2 = 15. Tie groups of sizes 3, 2, 2:
  // sum(t^3 - t) = 24 + 6 + 6 = 36.
  // Variance = (5*6/12) * (12 - 36/(11*10)) = 2.5 * 11.672727 = 29.181818, sd 5.402019.
  // z = (|4.5 - 15| - 0.5) / 5.402019 = 1.851158; from the normal table Phi(1.85) =
  // 0.96784, density 0.07206: Phi(1.851158) = 0.967923, p = 2 * 0.032077 = 0.06415.
  const std::vector<double> x = {1, 2, 2, 3, 4}, y = {2, 3, 5, 5, 6, 7};
  MannWhitney r = mann_whitney_u(x, y, MannWhitneyMethod::normal);
  EXPECT_FALSE(r.exact);
  EXPECT_TRUE(r.ties);
  EXPECT_DOUBLE_EQ(r.u, 4.5);
  EXPECT_NEAR(r.z, -1.851158, 1e-5);
  EXPECT_NEAR(r.p_value, 0.06415, 1e-4);
}

TEST(MannWhitney, SmallSampleWithHeavyTiesByHand) {
  // x = {1,1,2}, y = {1,2,2,3}: the three 1s share ranks 1-3 (2), the three 2s ranks 4-6
  // (5), 3 has rank 7. Rank sum of x = 2+2+5 = 9, U = 9 - 6 = 3, mean 6. Ties: two groups
  // of 3: 24 + 24 = 48. Variance = (12/12) * (8 - 48/42) = 6.857143, sd 2.618615.
  // z = (3 - 0.5) / 2.618615 = 0.954703; Phi(0.95) = 0.82894, density 0.25406:
  // Phi(0.954703) = 0.830139, p = 2 * 0.169861 = 0.33972.
  const std::vector<double> x = {1, 1, 2}, y = {1, 2, 2, 3};
  MannWhitney r = mann_whitney_u(x, y, MannWhitneyMethod::normal);
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 3);
  EXPECT_NEAR(r.z, -0.954703, 1e-5);
  EXPECT_NEAR(r.p_value, 0.33972, 2e-4);
}

TEST(MannWhitney, SmallSampleWithHeavyTiesExactByHand) {
  // The same samples, exactly: the pooled mean ranks are 2, 2, 2, 5, 5, 5, 7 and x takes
  // three of them. By how many it takes from the 2s, 5s and the 7 (ways; rank sum):
  // (3,0,0) 1; 6   (2,1,0) 9; 9   (2,0,1) 3; 11   (1,2,0) 9; 12   (1,1,1) 9; 14
  // (0,3,0) 1; 15  (0,2,1) 3; 17  -- 35 = C(7,3) in all. x's rank sum is 9:
  // P(S <= 9) = 10/35, P(S >= 9) = 34/35, so p = 2 * 10/35 = 0.5714 (the normal
  // approximation above says 0.34).
  const std::vector<double> x = {1, 1, 2}, y = {1, 2, 2, 3};
  MannWhitney r = mann_whitney_u(x, y);
  EXPECT_TRUE(r.exact);
  EXPECT_TRUE(r.ties);
  EXPECT_DOUBLE_EQ(r.u, 3);
  EXPECT_NEAR(r.p_value, 20.0 / 35, 1e-12);
  const std::vector<TieGroup> groups = {{3, 4}, {3, 10}, {1, 14}};  // doubled mean ranks
  std::vector<double> f = rank_sum_frequencies(groups, 3);
  EXPECT_EQ(f[12], 1);  // doubled rank sums
  EXPECT_EQ(f[18], 9);
  EXPECT_EQ(f[22], 3);
  EXPECT_EQ(f[24], 9);
  EXPECT_EQ(f[28], 9);
  EXPECT_EQ(f[30], 1);
  EXPECT_EQ(f[34], 3);
  EXPECT_DOUBLE_EQ(std::accumulate(f.begin(), f.end(), 0.0), 35);
}

// Two-sided exact p-value with ties by brute force: every split of the pooled values
// into m for x and the rest for y, U counted pair by pair (x > y: 1, x == y: 1/2).
double enumerated_p_by_pairs(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> pooled = x;
  pooled.insert(pooled.end(), y.begin(), y.end());
  const int total = static_cast<int>(pooled.size()), m = static_cast<int>(x.size());
  auto u_of = [&](unsigned mask) {
    double u = 0;
    for (int i = 0; i < total; ++i)
      for (int j = 0; j < total; ++j)
        if ((mask & (1u << i)) && !(mask & (1u << j)))
          u += pooled[i] > pooled[j] ? 1 : pooled[i] == pooled[j] ? 0.5 : 0;
    return u;
  };
  const double observed = u_of((1u << m) - 1);
  double lower = 0, upper = 0, all = 0;
  for (unsigned mask = 0; mask < (1u << total); ++mask) {
    if (__builtin_popcount(mask) != m) continue;
    const double u = u_of(mask);
    all += 1;
    lower += u <= observed + 1e-9;
    upper += u >= observed - 1e-9;
  }
  return std::min(1.0, 2 * std::min(lower, upper) / all);
}

TEST(MannWhitney, ExactWithTiesMatchesEnumeration) {
  // Values on a coarse grid so that ties are common, sizes 1..6 each.
  for (int m = 1; m <= 6; ++m) {
    for (int n = 1; n <= 6; ++n) {
      std::vector<double> x, y;
      for (int i = 0; i < m; ++i) x.push_back((i * 7 + m) % 4);
      for (int j = 0; j < n; ++j) y.push_back((j * 5 + n + 1) % 5);
      MannWhitney r = mann_whitney_u(x, y);
      ASSERT_TRUE(r.exact);
      EXPECT_NEAR(r.p_value, enumerated_p_by_pairs(x, y), 1e-12) << "m=" << m << " n=" << n;
    }
  }
}

TEST(MannWhitney, ContinuityCorrectionNeverOvershoots) {
  // U = 12.5 = m*n/2 exactly (two tie groups straddling the samples): no evidence, p = 1.
  const std::vector<double> x = {1, 1, 2, 2, 3}, y = {1, 1, 2, 2, 3};
  MannWhitney r = mann_whitney_u(x, y, MannWhitneyMethod::normal);
  EXPECT_DOUBLE_EQ(r.u, 12.5);
  EXPECT_DOUBLE_EQ(r.p_value, 1.0);
  r = mann_whitney_u(x, y);  // exactly: the conditional distribution is symmetric too
  EXPECT_DOUBLE_EQ(r.u, 12.5);
  EXPECT_DOUBLE_EQ(r.p_value, 1.0);
}

TEST(MannWhitney, AllValuesTiedGivesNoEvidence) {
  const std::vector<double> x(5, 7.0), y(6, 7.0);
  MannWhitney r = mann_whitney_u(x, y);
  EXPECT_DOUBLE_EQ(r.u, 15);
  EXPECT_DOUBLE_EQ(r.p_value, 1.0);
}

TEST(MannWhitney, EmptySampleGivesNoEvidence) {
  const std::vector<double> x, y = {1, 2, 3};
  EXPECT_DOUBLE_EQ(mann_whitney_u(x, y).p_value, 1.0);
}

TEST(MannWhitney, ExactMatchesEnumerationForManySizes) {
  // Deterministic, tie-free samples whose interleaving varies with the sizes.
  for (int m = 1; m <= 8; ++m) {
    for (int n = 1; n <= 8; ++n) {
      std::vector<double> x, y;
      for (int i = 0; i < m; ++i) x.push_back(2.0 * i + (m % 3));
      for (int j = 0; j < n; ++j) y.push_back(1.5 * j + 0.25 + (n % 2) * 3);
      MannWhitney r = mann_whitney_u(x, y);
      ASSERT_FALSE(r.ties) << m << " " << n;
      ASSERT_TRUE(r.exact);
      EXPECT_NEAR(r.p_value, enumerated_p(m, n, r.u), 1e-12) << "m=" << m << " n=" << n;
    }
  }
}

TEST(MannWhitney, LargeSamplesUseTheNormalApproximation) {
  // 50 against 50 without ties: beyond the exact limit. x below y except for an overlap
  // of 10: U counts the pairs x > y: the top 10 x's against the bottom 10 y's.
  std::vector<double> x, y;
  for (int i = 0; i < 50; ++i) x.push_back(i);
  for (int j = 0; j < 50; ++j) y.push_back(39.5 + j);
  MannWhitney r = mann_whitney_u(x, y);
  EXPECT_FALSE(r.exact);
  // x = 40..49 each exceed the y's 39.5 .. x-0.5: 1 + 2 + ... + 10 = 55 pairs.
  EXPECT_DOUBLE_EQ(r.u, 55);
  // Mean 1250, sd sqrt(2500 * 101 / 12) = 145.0574: z = (1195 - 0.5) / 145.0574.
  EXPECT_NEAR(r.z, -8.2346, 1e-3);
  EXPECT_LT(r.p_value, 1e-15);
}

TEST(MannWhitney, FrequenciesOfSmallSizes) {
  // m = n = 2: rank pairs {1,2} {1,3} {1,4} {2,3} {2,4} {3,4} give U = 0,1,2,2,3,4.
  EXPECT_EQ(u_frequencies(2, 2), (std::vector<double>{1, 1, 2, 1, 1}));
  // m = 1: U is the rank of the single value minus 1, each once.
  EXPECT_EQ(u_frequencies(1, 4), (std::vector<double>{1, 1, 1, 1, 1}));
  std::vector<double> f = u_frequencies(6, 9);
  EXPECT_DOUBLE_EQ(std::accumulate(f.begin(), f.end(), 0.0), 5005);  // C(15, 6)
  for (std::size_t u = 0; u < f.size(); ++u) EXPECT_EQ(f[u], f[f.size() - 1 - u]);
}

TEST(Median, OddEvenAndEmpty) {
  EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_TRUE(std::isnan(median({})));
}

}  // namespace
}  // namespace rcubench::report
