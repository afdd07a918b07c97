// Every primitive, by stable name. Adding a primitive: one file beside this one, plus one
// line in Registered below.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "baselines/arc_swap.h"
#include "baselines/atomic_shared_ptr.h"
#include "baselines/bare.h"
#include "baselines/locks.h"
#include "baselines/perthread_lock.h"
#include "baselines/primitive.h"
#include "baselines/rcu_pointer.h"
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
    PerThreadLockDescriptor, ArcSwapDescriptor, AtomicSharedPtrDescriptor, BareDescriptor>;

struct PrimitiveInfo {
  std::string_view name;
  std::string_view description;
  std::string_view updaters;
  UpdatePolicy policy;
  bool has_grace_period;
};

namespace detail {
// A payload-free stand-in, only to read each primitive's static policy.
struct PolicyProbe {};

template <class... Ds>
std::vector<PrimitiveInfo> infos(DescriptorList<Ds...>) {
  return {PrimitiveInfo{Ds::name, Ds::description, Ds::updaters,
                        Ds::template Impl<PolicyProbe>::kUpdatePolicy,
                        HasGracePeriod<typename Ds::template Impl<PolicyProbe>>}...};
}

template <class T, class Visitor, class... Ds>
bool visit(std::string_view name, Visitor& visitor, DescriptorList<Ds...>) {
  return ((Ds::name == name
               ? (visitor.template operator()<Ds, typename Ds::template Impl<T>>(), true)
               : false) ||
          ...);
}
}  // namespace detail

// Every registered primitive, in registration order.
inline std::vector<PrimitiveInfo> primitive_list() { return detail::infos(Registered{}); }

// Calls visitor.template operator()<Descriptor, Impl<T>>() for the primitive called
// `name`; returns false if there is none.
template <class T, class Visitor>
bool visit_primitive(std::string_view name, Visitor&& visitor) {
  return detail::visit<T>(name, visitor, Registered{});
}

}  // namespace rcubench
