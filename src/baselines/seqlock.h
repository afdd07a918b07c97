// seqlock: xenium's sequence lock (Debian's libxenium-dev 0.0.2) around the object. A
// reader copies the object out between two reads of the sequence counter and retries if
// a writer ran meanwhile; writers take the counter's spin lock, copy the object, apply the
// update and store it back. Design notes, and a caveat about 0.0.2's orderings:
// seqlock_left_right.md.
//
// Only for objects that can be copied as raw 64-bit words: SeqlockStorage<T> names how a
// T is kept (T itself if T is trivially copyable, default constructible and a whole
// number of words larger than one). A type whose copies do something (count, poison)
// may name a trivially copyable stand-in by specialising SeqlockStorage; the torture
// checker does for its object. Everything else is left out (SeqlockDescriptor::accepts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include "baselines/primitive.h"

#include <xenium/seqlock.hpp>

namespace rcubench {

template <class T>
struct SeqlockStorage {
  using type = T;
  static const T& encode(const T& value) noexcept { return value; }
  static const T& decode(const T& stored) noexcept { return stored; }
};

// What xenium's seqlock<S> needs of S, plus whole words: it copies sizeof(S) /
// sizeof(uintptr_t) words and silently drops any remainder.
template <class S>
concept SeqlockWords = std::is_trivially_copyable_v<S> && std::is_default_constructible_v<S> &&
                       sizeof(S) > sizeof(std::uintptr_t) &&
                       sizeof(S) % sizeof(std::uintptr_t) == 0;

template <class T>
concept SeqlockStorable = SeqlockWords<typename SeqlockStorage<T>::type>;

template <class T>
class SeqlockPrimitive {
  static_assert(SeqlockStorable<T>, "see SeqlockStorage");
  using Storage = SeqlockStorage<T>;
  using Stored = typename Storage::type;

 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kSerialized;

  explicit SeqlockPrimitive(T initial) : lock_(Stored(Storage::encode(initial))) {}

  class ThreadScope {
   public:
    explicit ThreadScope(SeqlockPrimitive&) {}
    void quiescent_state() noexcept {}
  };

  // fn runs on a consistent copy, outside any critical section.
  template <class Fn>
  auto read(ThreadScope&, Fn&& fn) const {
    const Stored snapshot = lock_.load();
    return fn(Storage::decode(snapshot));
  }

  // A copy-update, not an in-place one: xenium's update copies the object out of its
  // slot, lets the functor change the copy and stores it back word by word (readers retry
  // against the stored words), so every seqlock update copies the object whatever the
  // caller hands it.
  template <class Fn>
  unsigned update(ThreadScope&, Fn&& make_next) {
    // Under the spin lock, on a private copy that xenium stores back.
    lock_.update([&](Stored& stored) {
      stored = Stored(Storage::encode(make_next(Storage::decode(std::as_const(stored)))));
    });
    return 0;
  }

 private:
  xenium::seqlock<Stored> lock_;
};

struct SeqlockDescriptor {
  static constexpr std::string_view name = "seqlock";
  static constexpr contract::Family family = contract::Family::lock;
  static constexpr std::string_view description =
      "xenium's seqlock: readers copy the object out and retry if a writer overlapped; "
      "only for trivially copyable payloads of whole 64-bit words, so the workloads "
      "(whose payload holds a std::vector) leave it out; rcutorture checks it";
  static constexpr std::string_view updaters = "serialised by the sequence counter (spin lock)";
  static constexpr std::string_view payload_requirement =
      "trivially copyable, default constructible, a whole number of 64-bit words (>= 2)";
  template <class T>
  static constexpr bool accepts = SeqlockStorable<T>;
  template <class T>
  using Impl = SeqlockPrimitive<T>;
};

static_assert(PrimitiveDescriptor<SeqlockDescriptor>);

}  // namespace rcubench
