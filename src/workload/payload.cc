#include "workload/payload.h"

namespace rcubench {

Payload::Payload(std::size_t bytes, std::uint64_t generation)
    : words_(bytes < sizeof(std::uint64_t) ? 1 : bytes / sizeof(std::uint64_t)),
      generation_(generation) {
  for (std::size_t i = 0; i < words_.size(); ++i)
    words_[i] = generation * 0x9e3779b97f4a7c15ULL + i;
  checksum_ = checksum_of(words_, generation_);
  count_in();
}

Payload::Payload(const Payload& other)
    : words_(other.words_), generation_(other.generation_), checksum_(other.checksum_) {
  count_in();
}

Payload& Payload::operator=(const Payload& other) = default;

Payload::~Payload() { live_.fetch_sub(1, std::memory_order_relaxed); }  // See live_.

void Payload::count_in() const { live_.fetch_add(1, std::memory_order_relaxed); }  // See live_.

void Payload::advance() {
  ++generation_;
  words_[0] ^= generation_;
  checksum_ = checksum_of(words_, generation_);
}

Payload Payload::next() const {
  Payload copy(*this);
  copy.advance();
  return copy;
}

std::uint64_t Payload::checksum_of(const std::vector<std::uint64_t>& words, std::uint64_t gen) {
  std::uint64_t sum = gen;
  for (std::uint64_t w : words) sum = (sum ^ w) * 0x100000001b3ULL;
  return sum;
}

}  // namespace rcubench
