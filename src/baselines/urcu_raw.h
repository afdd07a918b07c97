// Raw liburcu, written directly: the zero-abstraction reference the Rcu<P> adapters are
// compared with. rcu_dereference / rcu_assign_pointer on a plain pointer, a mutex
// between updaters, synchronize_rcu and delete for the old value.
#pragma once

#include <mutex>
#include <string_view>
#include <type_traits>
#include <utility>

#include "baselines/detail/fixed_string.h"
#include "baselines/detail/updater_role.h"
#include "baselines/primitive.h"
#include "rcu/detail/tsan.h"
#include "rcu/flavor/all.h"

#ifdef RCUBENCH_PLANTED_READ_INSNS
// Test builds only (bench/CMakeLists.txt, scripts/gate-selftest): RCUBENCH_PLANTED_READ_INSNS
// dependent single-cycle adds of zero on the pointer urcu-memb's read is about to
// dereference: exactly that many more instructions and about that many more cycles, for
// checking that the regression gates find a known change.
#define RCUBENCH_STRINGIFY_(x) #x
#define RCUBENCH_STRINGIFY(x) RCUBENCH_STRINGIFY_(x)
#if defined(__x86_64__)
#define RCUBENCH_ADD_ZERO "add $0, %0"
#elif defined(__aarch64__)
#define RCUBENCH_ADD_ZERO "add %0, %0, #0"
#else
#define RCUBENCH_ADD_ZERO "addi %0, %0, 0"
#endif
#endif

namespace rcubench {

template <rcu::Flavor F, class T>
class UrcuPrimitive {
 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kSerialized;

  explicit UrcuPrimitive(T initial) : current_(new T(std::move(initial))) {}
  ~UrcuPrimitive() {
    F::synchronize();
    rcu::detail::tsan_grace_period_end<F>();  // ThreadSanitizer only: rcu/detail/tsan.h.
    delete current_;
  }
  UrcuPrimitive(const UrcuPrimitive&) = delete;
  UrcuPrimitive& operator=(const UrcuPrimitive&) = delete;

  class ThreadScope {
   public:
    explicit ThreadScope(UrcuPrimitive&) { F::register_thread(); }
    // The run's only updater holds update_mutex_ for the scope (primitive.h).
    ThreadScope(UrcuPrimitive& primitive, SoleUpdater) : role_(primitive.update_mutex_) {
      F::register_thread();
    }
    ~ThreadScope() { F::unregister_thread(); }
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;
    void quiescent_state() { F::quiescent_state(); }

   private:
    friend class UrcuPrimitive;
    detail::UpdaterRole role_;
  };

  template <class Fn>
  auto read(ThreadScope&, Fn&& fn) const {
    F::read_lock();
    // Paired with rcu_assign_pointer in update(). liburcu 0.13's rcu_dereference in C++
    // is a consume load, which compilers promote to acquire: stronger than the relaxed,
    // dependency-ordered load of Rcu<P> on AArch64 and RISC-V (the same on x86-64).
    // bench/rcu_pointer_benchmark.cc also measures the like-for-like form.
    T* p = rcu_dereference(current_);
#ifdef RCUBENCH_PLANTED_READ_INSNS
    if constexpr (std::is_same_v<F, rcu::Memb>) {
      asm volatile(".rept " RCUBENCH_STRINGIFY(RCUBENCH_PLANTED_READ_INSNS) "\n\t" RCUBENCH_ADD_ZERO
                   "\n\t.endr"
                   : "+r"(p));
    }
#endif
    auto result = fn(*p);
    rcu::detail::tsan_read_section_end<F>();
    F::read_unlock();
    return result;
  }

  // One grace period, for the grace-period latency benchmarks.
  void grace_period() { F::synchronize(); }

  template <class Fn>
  unsigned update(ThreadScope& scope, Fn&& make_next) {
    T* old;
    {
      auto lock = scope.role_.lock_for_update(update_mutex_);
      old = current_;  // Only updaters store current_, and they hold update_mutex_.
      T* next = new T(make_next(*old));
      if constexpr (rcu::detail::kTsan) {
        // Release, paired with rcu_dereference in read(), as below: liburcu's store is a
        // volatile one after a barrier, which ThreadSanitizer takes for a plain write.
        __atomic_store_n(&current_, next, __ATOMIC_RELEASE);
      } else {
        // Release store; paired with rcu_dereference in read().
        rcu_assign_pointer(current_, next);
      }
    }
    F::synchronize();
    rcu::detail::tsan_grace_period_end<F>();
    delete old;
    return 0;
  }

 private:
  T* current_;
  std::mutex update_mutex_;
};

template <rcu::Flavor F>
struct UrcuDescriptor {
  static constexpr auto kName = detail::concat("urcu-", F::name);
  static constexpr auto kDescription = detail::concat(
      "raw liburcu (", F::name, "): rcu_dereference/rcu_assign_pointer, synchronize_rcu + delete");
  static constexpr std::string_view name = kName.view();
  static constexpr std::string_view description = kDescription.view();
  static constexpr std::string_view updaters =
      "serialised by a mutex, held for the run by a sole updater";
  static constexpr contract::Family family = contract::Family::urcu;
  static constexpr std::string_view flavor = F::name;
  template <class T>
  using Impl = UrcuPrimitive<F, T>;
};

}  // namespace rcubench
