#include "workload/insn_count.h"

#include "baselines/registry.h"

namespace rcubench {

std::optional<double> count_insns_per_op(std::string_view primitive, InsnCounter& counter,
                                         CountedPath path, std::uint64_t ops,
                                         std::size_t payload_bytes) {
  std::optional<double> insns;
  visit_primitive<Payload>(primitive, [&]<class D, class Impl>() {
    insns = insns_per_op<Impl>(counter, path, ops, payload_bytes);
  });
  return insns;
}

}  // namespace rcubench
