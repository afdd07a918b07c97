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

double median(std::vector<double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  std::size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

MannWhitney mann_whitney_u(std::span<const double> x, std::span<const double> y) {
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
  double rank_sum_x = 0, tie_term = 0;
  for (std::size_t i = 0; i < total;) {
    std::size_t j = i;
    while (j < total && pooled[j].first == pooled[i].first) ++j;
    const double t = static_cast<double>(j - i);
    const double mid_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (std::size_t k = i; k < j; ++k)
      if (pooled[k].second) rank_sum_x += mid_rank;
    if (t > 1) {
      r.ties = true;
      tie_term += t * t * t - t;
    }
    i = j;
  }
  const double dm = static_cast<double>(m), dn = static_cast<double>(n);
  r.u = rank_sum_x - dm * (dm + 1) / 2;

  if (!r.ties && m < kExactLimit && n < kExactLimit) {
    const std::vector<double> f = u_frequencies(static_cast<int>(m), static_cast<int>(n));
    const double all = std::accumulate(f.begin(), f.end(), 0.0);
    const auto u = static_cast<std::size_t>(std::llround(r.u));
    double lower = 0, upper = 0;
    for (std::size_t k = 0; k <= u; ++k) lower += f[k];
    for (std::size_t k = u; k < f.size(); ++k) upper += f[k];
    r.exact = true;
    r.p_value = std::min(1.0, 2 * std::min(lower, upper) / all);
    return r;
  }

  const double dt = static_cast<double>(total);
  const double variance = dm * dn / 12 * ((dt + 1) - tie_term / (dt * (dt - 1)));
  if (!(variance > 0)) return r;  // every value tied: no evidence of a difference
  // Continuity correction: move |U - mean| half a step towards 0, but not past it (a
  // difference under half a step is no evidence at all, so p = 1 there).
  const double distance = std::max(0.0, std::abs(r.u - dm * dn / 2) - 0.5);
  r.z = std::copysign(distance / std::sqrt(variance), r.u - dm * dn / 2);
  r.p_value = std::min(1.0, std::erfc(distance / std::sqrt(variance) / std::sqrt(2.0)));
  return r;
}

}  // namespace rcubench::report
