// An object whose fields are all derived from one counter and covered by a checksum, so
// a reader can tell a fully constructed object from a torn, half-built or freed one. It
// counts live instances, so tests can see leaks and double frees, and every construction
// and copy assignment, so tests can see that an in-place update makes no object.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace rcu_test {

class CheckedObject {
 public:
  static inline std::atomic<long> live{0};
  static inline std::atomic<long> constructions{0};
  static inline std::atomic<long> assignments{0};

  explicit CheckedObject(std::uint64_t counter) {
    fill(counter);
    count_in();
  }
  CheckedObject(const CheckedObject& other)
      : fields_(other.fields_), counter_(other.counter_), checksum_(other.checksum_) {
    count_in();
  }
  CheckedObject& operator=(const CheckedObject& other) {
    fields_ = other.fields_;
    counter_ = other.counter_;
    checksum_ = other.checksum_;
    assignments.fetch_add(1, std::memory_order_relaxed);  // Read after joins.
    return *this;
  }
  ~CheckedObject() {
    fields_.fill(0xdeaddeaddeaddeadULL);  // A reader of freed memory sees garbage.
    checksum_ = 0;
    live.fetch_sub(1, std::memory_order_relaxed);  // Read after joins.
  }

  std::uint64_t counter() const { return counter_; }

  // The in-place update: this object becomes the one CheckedObject(counter() + 1) would be.
  void advance() { fill(counter_ + 1); }

  // Whether every field agrees with the counter and the checksum.
  bool intact() const {
    std::uint64_t sum = counter_;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      if (fields_[i] != field_value(counter_, i)) return false;
      sum = sum * 31 + fields_[i];
    }
    return sum == checksum_;
  }

  // For the negative controls: overwrite the first half of the fields with `next`'s.
  void assign_first_half(const CheckedObject& next) {
    counter_ = next.counter_;
    for (std::size_t i = 0; i < fields_.size() / 2; ++i) fields_[i] = next.fields_[i];
  }

 private:
  static std::uint64_t field_value(std::uint64_t counter, std::size_t i) {
    return (counter + 1) * 0x9e3779b97f4a7c15ULL ^ (i * 0xbf58476d1ce4e5b9ULL);
  }
  void fill(std::uint64_t counter) {
    counter_ = counter;
    std::uint64_t sum = counter;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      fields_[i] = field_value(counter, i);
      sum = sum * 31 + fields_[i];
    }
    checksum_ = sum;
  }
  static void count_in() {
    live.fetch_add(1, std::memory_order_relaxed);  // Both read after joins.
    constructions.fetch_add(1, std::memory_order_relaxed);
  }

  std::array<std::uint64_t, 8> fields_{};
  std::uint64_t counter_ = 0;
  std::uint64_t checksum_ = 0;
};

}  // namespace rcu_test
