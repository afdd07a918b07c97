#include "report/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "report/mann_whitney.h"

namespace rcubench::report {

std::vector<double> signed_rank_distribution(std::span<const long> doubled_ranks) {
  const long total = std::accumulate(doubled_ranks.begin(), doubled_ranks.end(), 0L);
  std::vector<double> p(static_cast<std::size_t>(total) + 1, 0.0);
  p[0] = 1;
  long reach = 0;  // largest sum reachable so far
  for (long r : doubled_ranks) {
    // Each rank is in W+ or not, with probability 1/2 each; probabilities rather than
    // counts, so 2^n never overflows.
    for (long s = reach + r; s >= 0; --s) {
      const double without = p[static_cast<std::size_t>(s)];
      const double with = s >= r ? p[static_cast<std::size_t>(s - r)] : 0.0;
      p[static_cast<std::size_t>(s)] = (without + with) / 2;
    }
    reach += r;
  }
  return p;
}

SignedRank wilcoxon_signed_rank(std::span<const double> d) {
  SignedRank r;
  std::vector<double> nonzero;
  for (double v : d) {
    if (v == 0) ++r.zeros;
    else nonzero.push_back(v);
  }
  r.n = nonzero.size();
  if (r.n == 0) return r;
  std::sort(nonzero.begin(), nonzero.end(),
            [](double a, double b) { return std::abs(a) < std::abs(b); });
  // Doubled mean ranks are integers: positions i+1 .. j share (i + 1 + j) / 2.
  std::vector<long> doubled(r.n);
  long observed = 0;  // 2 W+
  for (std::size_t i = 0; i < r.n;) {
    std::size_t j = i;
    while (j < r.n && std::abs(nonzero[j]) == std::abs(nonzero[i])) ++j;
    if (j - i > 1) r.ties = true;
    const long rank2 = static_cast<long>(i + 1 + j);
    for (std::size_t k = i; k < j; ++k) {
      doubled[k] = rank2;
      if (nonzero[k] > 0) observed += rank2;
    }
    i = j;
  }
  r.w_plus = static_cast<double>(observed) / 2;
  const std::vector<double> dist = signed_rank_distribution(doubled);
  double lower = 0, upper = 0;
  for (std::size_t s = 0; s < dist.size(); ++s) {
    if (static_cast<long>(s) <= observed) lower += dist[s];
    if (static_cast<long>(s) >= observed) upper += dist[s];
  }
  r.p_value = std::min(1.0, 2 * std::min(lower, upper));
  return r;
}

std::vector<double> holm_adjust(std::span<const double> p) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!std::isnan(p[i])) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  std::vector<double> adjusted(p.size(), std::numeric_limits<double>::quiet_NaN());
  const double m = static_cast<double>(order.size());
  double running = 0;  // adjusted p-values never decrease along the order
  for (std::size_t j = 0; j < order.size(); ++j) {
    running = std::max(running, std::min(1.0, (m - static_cast<double>(j)) * p[order[j]]));
    adjusted[order[j]] = running;
  }
  return adjusted;
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

double median_absolute_deviation(std::span<const double> v) {
  const double center = median(std::vector<double>(v.begin(), v.end()));
  std::vector<double> deviations;
  for (double x : v) deviations.push_back(std::abs(x - center));
  return median(std::move(deviations));
}

Band robust_band(std::span<const double> history, double k, double floor_fraction) {
  Band b;
  b.center = median(std::vector<double>(history.begin(), history.end()));
  const double sigma = kMadToSigma * median_absolute_deviation(history);
  b.half_width = k * std::max(sigma, floor_fraction * std::abs(b.center));
  return b;
}

ChangePoint median_shift_scan(std::span<const double> x, std::size_t min_segment, double k,
                              double min_effect, double floor_fraction) {
  ChangePoint best;
  min_segment = std::max<std::size_t>(min_segment, 1);
  if (x.size() < 2 * min_segment) return best;
  bool any = false;
  for (std::size_t t = min_segment; t + min_segment <= x.size(); ++t) {
    const std::vector<double> before(x.begin(), x.begin() + static_cast<long>(t));
    const std::vector<double> after(x.begin() + static_cast<long>(t), x.end());
    const double mb = median(before), ma = median(after);
    std::vector<double> deviations;
    for (double v : before) deviations.push_back(std::abs(v - mb));
    for (double v : after) deviations.push_back(std::abs(v - ma));
    const double noise =
        std::max(kMadToSigma * median(deviations), floor_fraction * std::abs(mb));
    const double diff = std::abs(ma - mb);
    const double score = noise > 0 ? diff / noise : (diff > 0 ? INFINITY : 0.0);
    if (!any || score > best.score) {
      any = true;
      best.index = t;
      best.before = mb;
      best.after = ma;
      best.shift = mb != 0 ? ma / mb - 1 : NAN;
      best.score = score;
    }
  }
  best.found = best.score >= k && !std::isnan(best.shift) && std::abs(best.shift) >= min_effect;
  return best;
}

}  // namespace rcubench::report
