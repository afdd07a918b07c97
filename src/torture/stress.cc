#include "torture/stress.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace rcubench::torture {

namespace {

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t state = seed ^ (stream * 0xd1b54a32d192ed03ULL);
  for (std::uint64_t& s : s_) s = splitmix(state);
}

std::uint64_t Rng::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

Stall stall_inside_critical_section(Rng& rng) {
  const std::uint64_t roll = rng.below(1024);
  if (roll < 16) {  // 1 in 64: a stalled reader, 20 to 300 us with the object in hand.
    std::this_thread::sleep_for(std::chrono::microseconds(20 + rng.below(281)));
    return Stall::kSleep;
  }
  if (roll < 48) {  // 1 in 32: give the CPU away.
    sched_yield();
    return Stall::kYield;
  }
  if (roll < 112) {  // 1 in 16: a slow reader.
    for (std::uint64_t i = rng.below(2000); i > 0; --i) asm volatile("" ::: "memory");
    return Stall::kSpin;
  }
  return Stall::kNone;
}

AffinityChurn AffinityChurn::probe() {
  AffinityChurn churn;
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) {
    churn.status_ = fmt::format("skipped: sched_getaffinity: {}", std::strerror(errno));
    return churn;
  }
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) cpus.push_back(cpu);
  }
  if (cpus.size() < 2) {
    churn.status_ = fmt::format("skipped: {} CPU allowed, nothing to move between", cpus.size());
    return churn;
  }
  // Try it on this thread: pin to the first CPU, then give the whole set back.
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpus.front(), &one);
  if (sched_setaffinity(0, sizeof one, &one) != 0) {
    churn.status_ = fmt::format("skipped: sched_setaffinity: {}", std::strerror(errno));
    return churn;
  }
  if (sched_setaffinity(0, sizeof allowed, &allowed) != 0) {
    churn.status_ = fmt::format("skipped: sched_setaffinity (restore): {}", std::strerror(errno));
    return churn;
  }
  churn.status_ = fmt::format("on ({} CPUs)", cpus.size());
  churn.cpus_ = std::move(cpus);
  churn.allowed_ = allowed;
  return churn;
}

bool AffinityChurn::move(Rng& rng) const {
  if (cpus_.empty()) return false;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpus_[rng.below(cpus_.size())], &one);
  return sched_setaffinity(0, sizeof one, &one) == 0;
}

void AffinityChurn::release() const {
  if (!cpus_.empty()) (void)sched_setaffinity(0, sizeof allowed_, &allowed_);
}

}  // namespace rcubench::torture
