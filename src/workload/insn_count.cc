#include "workload/insn_count.h"

#include "baselines/registry.h"

namespace rcubench {

std::optional<PathProfile> count_profile_per_op(std::string_view primitive, InsnCounter& counter,
                                                CountedPath path, std::uint64_t ops,
                                                std::size_t payload_bytes) {
  std::optional<PathProfile> profile;
  visit_primitive<Payload>(primitive, [&]<class D, class Impl>() {
    profile = profile_per_op<Impl>(counter, path, ops, payload_bytes);
  });
  return profile;
}

std::optional<SharedReadProfile> count_shared_read_profile(std::string_view primitive,
                                                           InsnCounter& counter,
                                                           std::uint64_t ops,
                                                           std::size_t payload_bytes) {
  std::optional<SharedReadProfile> profile;
  visit_primitive<Payload>(primitive, [&]<class D, class Impl>() {
    profile = shared_read_profile<Impl>(counter, ops, payload_bytes);
  });
  return profile;
}

}  // namespace rcubench
