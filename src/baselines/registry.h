// Every primitive, by stable name. Adding a primitive: one file beside this one (its
// descriptor, primitive.h: name, description, updaters, family), plus one line in
// Registered below (docs/extending.md).
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "baselines/arc_swap.h"
#include "baselines/atomic_shared_ptr.h"
#include "baselines/bare.h"
#include "baselines/bare_update.h"
#include "baselines/hazptr.h"
#include "baselines/left_right.h"
#include "baselines/left_right_perthread.h"
#include "baselines/locks.h"
#include "baselines/perthread_lock.h"
#include "baselines/primitive.h"
#include "baselines/rcu_pointer.h"
#include "baselines/seqlock.h"
#include "baselines/timer.h"
#include "baselines/urcu_raw.h"

namespace rcubench {

template <class... Descriptors>
struct DescriptorList {
  // The list as another variadic template's arguments, e.g. ::testing::Types.
  template <template <class...> class To>
  using apply = To<Descriptors...>;
};

using Registered = DescriptorList<
    RcuDescriptor<rcu::Memb, FreeMode::kSynchronous>,
    RcuDescriptor<rcu::Qsbr, FreeMode::kSynchronous>,
    RcuDescriptor<rcu::Bp, FreeMode::kSynchronous>, RcuDescriptor<rcu::Mb, FreeMode::kSynchronous>,
    RcuDescriptor<rcu::Signal, FreeMode::kSynchronous>,
    RcuDescriptor<rcu::Memb, FreeMode::kDeferred>, RcuDescriptor<rcu::Qsbr, FreeMode::kDeferred>,
    RcuDescriptor<rcu::Bp, FreeMode::kDeferred>, RcuDescriptor<rcu::Mb, FreeMode::kDeferred>,
    RcuDescriptor<rcu::Signal, FreeMode::kDeferred>,
    RcuDescriptor<rcu::Memb, FreeMode::kBatched>,
    RcuDescriptor<rcu::Qsbr, FreeMode::kBatched>,
    RcuDescriptor<rcu::Bp, FreeMode::kBatched>,
    RcuDescriptor<rcu::Mb, FreeMode::kBatched>,
    RcuDescriptor<rcu::Signal, FreeMode::kBatched>,
    UrcuDescriptor<rcu::Memb>,
    UrcuDescriptor<rcu::Qsbr>, RwlockPthreadDescriptor, SharedMutexDescriptor, MutexDescriptor,
    PerThreadLockDescriptor, ArcSwapDescriptor, AtomicSharedPtrDescriptor,
    HazptrDescriptor, HazptrSymmetricDescriptor, SeqlockDescriptor, LeftRightDescriptor,
    LeftRightPerThreadDescriptor, BareDescriptor, BareUpdateDescriptor, TimerDescriptor>;

// The project's main comparison, drawn in the headline plot: Rcu<P> in its two main flavors
// against the classic reader-writer lock and the Rust crate's pointer, over the floor.
using Headline = DescriptorList<RcuDescriptor<rcu::Memb, FreeMode::kSynchronous>,
                                RcuDescriptor<rcu::Qsbr, FreeMode::kSynchronous>,
                                RwlockPthreadDescriptor, ArcSwapDescriptor, BareDescriptor>;

struct PrimitiveInfo {
  std::string_view name;
  std::string_view description;
  std::string_view updaters;
  UpdatePolicy policy;
  bool updates_in_place;  // update_in_place(), not a copy-update (primitive.h)
  bool has_grace_period;
  std::string_view payload_requirement;  // empty: any payload (see accepts_payload)
  bool update_floor;  // the update-side floor: runs with exactly one updater (bare_update.h)
};

// Whether primitive D can share objects of type T. A descriptor restricts it with
// `template <class T> static constexpr bool accepts` and says how in
// `payload_requirement` (seqlock: trivially copyable objects only).
template <class D, class T>
constexpr bool descriptor_accepts() {
  if constexpr (requires { D::template accepts<T>; }) {
    return D::template accepts<T>;
  } else {
    return true;
  }
}
template <class D>
constexpr std::string_view descriptor_payload_requirement() {
  if constexpr (requires { D::payload_requirement; }) {
    return D::payload_requirement;
  } else {
    return {};
  }
}
template <class D>
constexpr std::string_view descriptor_label() {
  if constexpr (requires { D::label; }) {
    return D::label;
  } else {
    return D::name;
  }
}
template <class D>
constexpr std::string_view descriptor_flavor() {
  if constexpr (requires { D::flavor; }) {
    return D::flavor;
  } else {
    return "-";
  }
}
template <class D>
constexpr bool descriptor_update_floor() {
  if constexpr (requires { D::update_floor; }) {
    return D::update_floor;
  } else {
    return false;
  }
}

namespace detail {
// A stand-in payload, only to read each primitive's static policy and kind of update: two
// plain words, so every primitive accepts it.
struct PolicyProbe {
  unsigned long long words[2];
};

template <class... Ds>
std::vector<PrimitiveInfo> infos(DescriptorList<Ds...>) {
  static_assert((descriptor_accepts<Ds, PolicyProbe>() && ...));
  return {PrimitiveInfo{Ds::name, Ds::description, Ds::updaters,
                        Ds::template Impl<PolicyProbe>::kUpdatePolicy,
                        UpdatesInPlace<typename Ds::template Impl<PolicyProbe>, PolicyProbe>,
                        HasGracePeriod<typename Ds::template Impl<PolicyProbe>>,
                        descriptor_payload_requirement<Ds>(), descriptor_update_floor<Ds>()}...};
}

template <class D, class... Ds>
constexpr bool listed(DescriptorList<Ds...>) {
  return (std::is_same_v<D, Ds> || ...);
}

template <class... Hs>
constexpr bool all_registered(DescriptorList<Hs...>) {
  return (listed<Hs>(Registered{}) && ...);
}
static_assert(all_registered(Headline{}), "a Headline primitive that is not Registered");

template <class... Ds>
std::vector<contract::PrimitiveMeta> metas(DescriptorList<Ds...>) {
  std::vector<contract::PrimitiveMeta> out = {contract::PrimitiveMeta{
      std::string(Ds::name), Ds::family, std::string(descriptor_flavor<Ds>()), "-",
      listed<Ds>(Headline{}), std::string(descriptor_label<Ds>()), 0,
      descriptor_update_floor<Ds>() ? contract::Role::update_floor : contract::Role::none}...};
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) out[i].rank += out[j].family == out[i].family;
    // Rcu<P> is compared with raw liburcu of its flavor, where that is registered.
    if (!contract::is_rcu_pointer(out[i].family)) continue;
    for (const contract::PrimitiveMeta& raw : out)
      if (raw.family == contract::Family::urcu && raw.flavor == out[i].flavor) out[i].raw = raw.name;
  }
  return out;
}

template <class T, class D, class Visitor>
bool visit_one(Visitor& visitor) {
  if constexpr (descriptor_accepts<D, T>()) {
    visitor.template operator()<D, typename D::template Impl<T>>();
    return true;
  } else {
    return false;
  }
}

template <class T, class Visitor, class... Ds>
bool visit(std::string_view name, Visitor& visitor, DescriptorList<Ds...>) {
  return ((Ds::name == name ? visit_one<T, Ds>(visitor) : false) || ...);
}

template <class T, class... Ds>
bool accepts(std::string_view name, DescriptorList<Ds...>) {
  return ((Ds::name == name && descriptor_accepts<Ds, T>()) || ...);
}
}  // namespace detail

// Every registered primitive, in registration order.
inline std::vector<PrimitiveInfo> primitive_list() { return detail::infos(Registered{}); }

// What every registered primitive is (contract/primitive_meta.h), in registration order:
// what rcubench writes into its results for the report to group, draw and compare by.
inline std::vector<contract::PrimitiveMeta> primitive_metas() { return detail::metas(Registered{}); }

// The hand-written read loop (contract/primitive_meta.h) is in the results like a primitive.
using contract::kHandBareName;

// What every primitive in rcubench's results is: the registry's and the yardstick's.
inline std::vector<contract::PrimitiveMeta> reported_primitive_metas() {
  std::vector<contract::PrimitiveMeta> metas = primitive_metas();
  long references = 0;
  for (const contract::PrimitiveMeta& m : metas) references += m.family == contract::Family::reference;
  metas.push_back({std::string(kHandBareName), contract::Family::reference, "-", "-", true,
                   "hand-written loop (yardstick)", references});
  return metas;
}

// Whether the primitive called `name` exists and can share objects of type T.
template <class T>
bool accepts_payload(std::string_view name) {
  return detail::accepts<T>(name, Registered{});
}

// Calls visitor.template operator()<Descriptor, Impl<T>>() for the primitive called
// `name`; returns false if there is none, or if it cannot share objects of type T.
template <class T, class Visitor>
bool visit_primitive(std::string_view name, Visitor&& visitor) {
  return detail::visit<T>(name, visitor, Registered{});
}

}  // namespace rcubench
