#include "report/mann_whitney.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace rcubench::report {

std::vector<double> u_frequencies(int m, int n) {
  // f(i, j) is the distribution for sizes (i, j): f(i, j)[u] = f(i-1, j)[u-j] + f(i, j-1)[u],
  // depending on whether the largest of the i + j values belongs to the first sample (it
  // then exceeds all j values of the second) or to the second. Two rows of j suffice.
  std::vector<std::vector<double>> prev(n + 1), cur(n + 1);
  for (int j = 0; j <= n; ++j) prev[j] = {1.0};  // f(0, j): U = 0 only
  for (int i = 1; i <= m; ++i) {
    cur[0] = {1.0};
    for (int j = 1; j <= n; ++j) {
      std::vector<double> f(static_cast<std::size_t>(i) * j + 1, 0.0);
      for (std::size_t u = 0; u < prev[j].size(); ++u) f[u + j] += prev[j][u];
      for (std::size_t u = 0; u < cur[j - 1].size(); ++u) f[u] += cur[j - 1][u];
      cur[j] = std::move(f);
    }
    std::swap(prev, cur);
  }
  return prev[n];
}

std::vector<double> rank_sum_frequencies(std::span<const TieGroup> groups, int m) {
  // f[k][s]: ways to pick k values of the groups seen so far with doubled rank sum s;
  // a group of size t adds j of its values in C(t, j) ways.
  long max_sum = 0;
  for (const TieGroup& g : groups) max_sum += g.size * g.doubled_rank;
  const auto width = static_cast<std::size_t>(max_sum) + 1;
  std::vector<std::vector<double>> f(m + 1, std::vector<double>(width, 0.0));
  f[0][0] = 1;
  int seen = 0;
  for (const TieGroup& g : groups) {
    std::vector<double> choose(g.size + 1, 1.0);  // C(t, j)
    for (int j = 1; j <= g.size; ++j) choose[j] = choose[j - 1] * (g.size - j + 1) / j;
    for (int k = std::min(m, seen + g.size); k >= 0; --k) {
      std::vector<double>& row = f[k];
      for (std::size_t s = width; s-- > 0;) {
        double ways = 0;
        for (int j = 1; j <= std::min(k, g.size); ++j) {
          const long from = static_cast<long>(s) - j * g.doubled_rank;
          if (from < 0) break;
          ways += f[k - j][static_cast<std::size_t>(from)] * choose[j];
        }
        row[s] += ways;
      }
    }
    seen += g.size;
  }
  return f[m];
}

double median(std::vector<double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  std::size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

namespace {

MannWhitney normal_approximation(MannWhitney r, double dm, double dn, double tie_term) {
  const double dt = dm + dn;
  const double variance = dm * dn / 12 * ((dt + 1) - tie_term / (dt * (dt - 1)));
  if (!(variance > 0)) return r;  // every value tied: no evidence of a difference
  // Continuity correction: move |U - mean| half a step towards 0, but not past it (a
  // difference under half a step is no evidence at all, so p = 1 there).
  const double distance = std::max(0.0, std::abs(r.u - dm * dn / 2) - 0.5);
  r.z = std::copysign(distance / std::sqrt(variance), r.u - dm * dn / 2);
  r.p_value = std::min(1.0, std::erfc(distance / std::sqrt(variance) / std::sqrt(2.0)));
  return r;
}

}  // namespace

MannWhitney mann_whitney_u(std::span<const double> x, std::span<const double> y,
                           MannWhitneyMethod method) {
  MannWhitney r;
  const std::size_t m = x.size(), n = y.size(), total = m + n;
  if (m == 0 || n == 0) return r;

  // Mid-ranks of the pooled sample; tie groups feed the variance correction.
  std::vector<std::pair<double, bool>> pooled;  // value, from x
  pooled.reserve(total);
  for (double v : x) pooled.emplace_back(v, true);
  for (double v : y) pooled.emplace_back(v, false);
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  long doubled_rank_sum_x = 0;  // doubled mean ranks are integers
  double tie_term = 0;
  std::vector<TieGroup> groups;
  for (std::size_t i = 0; i < total;) {
    std::size_t j = i;
    while (j < total && pooled[j].first == pooled[i].first) ++j;
    const double t = static_cast<double>(j - i);
    const long doubled_rank = static_cast<long>(i + 1 + j);
    for (std::size_t k = i; k < j; ++k)
      if (pooled[k].second) doubled_rank_sum_x += doubled_rank;
    if (t > 1) {
      r.ties = true;
      tie_term += t * t * t - t;
    }
    groups.push_back({static_cast<int>(j - i), doubled_rank});
    i = j;
  }
  const double dm = static_cast<double>(m), dn = static_cast<double>(n);
  r.u = static_cast<double>(doubled_rank_sum_x) / 2 - dm * (dm + 1) / 2;

  if (method == MannWhitneyMethod::automatic && m < kExactLimit && n < kExactLimit) {
    const std::vector<double> f = rank_sum_frequencies(groups, static_cast<int>(m));
    const double all = std::accumulate(f.begin(), f.end(), 0.0);
    double lower = 0, upper = 0;
    for (std::size_t s = 0; s < f.size(); ++s) {
      if (static_cast<long>(s) <= doubled_rank_sum_x) lower += f[s];
      if (static_cast<long>(s) >= doubled_rank_sum_x) upper += f[s];
    }
    r.exact = true;
    r.p_value = std::min(1.0, 2 * std::min(lower, upper) / all);
    return r;
  }
  return normal_approximation(r, dm, dn, tie_term);
}

}  // namespace rcubench::report
