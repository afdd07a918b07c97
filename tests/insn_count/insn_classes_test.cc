// The counting plugin's decoders: what each ISA's atomics, fences, acquires and releases
// are classified as. Encodings as GNU as assembles them (-march=armv8.4-a,
// rv64gc_zihintpause).
#include "insn_classes.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace {

unsigned x86(std::vector<std::uint8_t> bytes) { return classify_x86(bytes.data(), bytes.size()); }

TEST(InsnClasses, X86LockedAndImplicitlyLockedInstructionsAreRmws) {
  EXPECT_EQ(x86({0xF0, 0x48, 0x0F, 0xC1, 0x07}), unsigned(IS_RMW));        // lock xadd %rax,(%rdi)
  EXPECT_EQ(x86({0x66, 0xF0, 0x0F, 0xB1, 0x17}), unsigned(IS_RMW));        // lock cmpxchg %dx,(%rdi)
  EXPECT_EQ(x86({0x48, 0x87, 0x07}), unsigned(IS_RMW));                    // xchg %rax,(%rdi)
  EXPECT_EQ(x86({0x48, 0x87, 0xC7}), 0u);                                  // xchg %rax,%rdi
  EXPECT_EQ(x86({0x48, 0x8B, 0x07}), 0u);                                  // mov (%rdi),%rax
  EXPECT_EQ(x86({0x48, 0x0F, 0xC1, 0x07}), 0u);                            // xadd without lock
}

TEST(InsnClasses, X86Fences) {
  EXPECT_EQ(x86({0x0F, 0xAE, 0xF0}), unsigned(IS_FENCE | IS_FULL));  // mfence
  EXPECT_EQ(x86({0x0F, 0xAE, 0xE8}), unsigned(IS_FENCE));            // lfence
  EXPECT_EQ(x86({0x0F, 0xAE, 0xF8}), unsigned(IS_FENCE));            // sfence
  EXPECT_EQ(x86({0x0F, 0xAE, 0x38}), 0u);                            // clflush (%rax)
  EXPECT_EQ(x86({0x0F, 0xAE}), 0u);                                  // cut short
  EXPECT_EQ(x86({0x66, 0x0F, 0xAE, 0xF0}), 0u);                      // tpause %eax
  EXPECT_EQ(x86({0xF2, 0x0F, 0xAE, 0xF0}), 0u);                      // umwait %eax
  EXPECT_EQ(x86({0xF3, 0x48, 0x0F, 0xAE, 0xE8}), 0u);                // incsspq %rax
}

// GCC's atomic_thread_fence(seq_cst): a locked no-op on the stack top, a full fence.
TEST(InsnClasses, X86LockedNoOpOnTheStackIsAFullFence) {
  const unsigned fence = IS_FENCE | IS_FULL;
  EXPECT_EQ(x86({0xF0, 0x48, 0x83, 0x0C, 0x24, 0x00}), fence);        // lock orq $0,(%rsp)
  EXPECT_EQ(x86({0xF0, 0x83, 0x04, 0x24, 0x00}), fence);              // lock addl $0,(%rsp)
  EXPECT_EQ(x86({0xF0, 0x48, 0x83, 0x4C, 0x24, 0xF8, 0x00}), fence);  // lock orq $0,-8(%rsp)
  EXPECT_EQ(x86({0xF0, 0x48, 0x83, 0x0C, 0x24, 0x01}), unsigned(IS_RMW));  // lock orq $1,(%rsp)
  EXPECT_EQ(x86({0xF0, 0x48, 0x83, 0x08, 0x00}), unsigned(IS_RMW));        // lock orq $0,(%rax)
}

TEST(InsnClasses, Aarch64OrderedAndExclusiveAccesses) {
  EXPECT_EQ(classify_aarch64(0xC8DFFC20), unsigned(IS_ACQ));            // ldar x0, [x1]
  EXPECT_EQ(classify_aarch64(0xF8BFC020), unsigned(IS_ACQ));            // ldapr x0, [x1]
  EXPECT_EQ(classify_aarch64(0xC89FFC20), unsigned(IS_REL));            // stlr x0, [x1]
  EXPECT_EQ(classify_aarch64(0xC85FFC20), unsigned(IS_LL | IS_ACQ));    // ldaxr x0, [x1]
  EXPECT_EQ(classify_aarch64(0xC85F7C20), unsigned(IS_LL));             // ldxr x0, [x1]
  EXPECT_EQ(classify_aarch64(0xC802FC20), unsigned(IS_SC | IS_REL));    // stlxr w2, x0, [x1]
  EXPECT_EQ(classify_aarch64(0xC8027C20), unsigned(IS_SC));             // stxr w2, x0, [x1]
  EXPECT_EQ(classify_aarch64(0xF9400020), 0u);                          // ldr x0, [x1]
  EXPECT_EQ(classify_aarch64(0xD503201F), 0u);                          // nop
}

TEST(InsnClasses, Aarch64AtomicsAreRmwsWithTheirOrdering) {
  const unsigned both = IS_RMW | IS_ACQ | IS_REL;
  EXPECT_EQ(classify_aarch64(0xC8E0FC22), both);             // casal x0, x2, [x1]
  EXPECT_EQ(classify_aarch64(0xF8E00022), both);             // ldaddal x0, x2, [x1]
  EXPECT_EQ(classify_aarch64(0xF8E08022), both);             // swpal x0, x2, [x1]
  EXPECT_EQ(classify_aarch64(0xF8200022), unsigned(IS_RMW));  // ldadd x0, x2, [x1]
}

TEST(InsnClasses, Aarch64BarriersByKind) {
  EXPECT_EQ(classify_aarch64(0xD5033BBF), unsigned(IS_FENCE | IS_FULL));  // dmb ish
  EXPECT_EQ(classify_aarch64(0xD50339BF), unsigned(IS_FENCE | IS_ACQ));   // dmb ishld
  EXPECT_EQ(classify_aarch64(0xD5033ABF), unsigned(IS_FENCE));            // dmb ishst
  EXPECT_EQ(classify_aarch64(0xD5033F9F), unsigned(IS_FENCE | IS_FULL));  // dsb sy
  EXPECT_EQ(classify_aarch64(0xD5033FDF), unsigned(IS_FENCE));            // isb
}

unsigned riscv(std::uint32_t word) { return classify_riscv(word) & COUNTED_CLASSES; }

TEST(InsnClasses, RiscvFencesBySets) {
  EXPECT_EQ(riscv(0x0330000F), unsigned(IS_FENCE | IS_FULL));  // fence rw,rw
  EXPECT_EQ(riscv(0x0FF0000F), unsigned(IS_FENCE | IS_FULL));  // fence iorw,iorw
  EXPECT_EQ(riscv(0x0230000F), unsigned(IS_FENCE | IS_ACQ));   // fence r,rw
  EXPECT_EQ(riscv(0x0310000F), unsigned(IS_FENCE | IS_REL));   // fence rw,w
  EXPECT_EQ(riscv(0x0110000F), unsigned(IS_FENCE));            // fence w,w
  EXPECT_EQ(riscv(0x8330000F), unsigned(IS_FENCE));            // fence.tso
  EXPECT_EQ(riscv(0x0000100F), unsigned(IS_FENCE));            // fence.i
  EXPECT_EQ(riscv(0x0100000F), 0u);                            // pause: a hint
}

TEST(InsnClasses, RiscvAtomics) {
  EXPECT_EQ(riscv(0x1405A52F), unsigned(IS_LL | IS_ACQ));            // lr.w.aq a0,(a1)
  EXPECT_EQ(riscv(0x1AA5A62F), unsigned(IS_SC | IS_REL));            // sc.w.rl a2,a0,(a1)
  EXPECT_EQ(riscv(0x06B6352F), unsigned(IS_RMW | IS_ACQ | IS_REL));  // amoadd.d.aqrl a0,a1,(a2)
  EXPECT_EQ(riscv(0x0005B503), 0u);                                  // ld a0,0(a1)
  EXPECT_EQ(riscv(0x6188), 0u);                                      // c.ld a0,0(a1)
}

TEST(InsnClasses, RiscvLoadsAndStores) {
  EXPECT_EQ(riscv_access(0x0005B503), 1);  // ld a0,0(a1)
  EXPECT_EQ(riscv_access(0x00A5B023), 2);  // sd a0,0(a1)
  EXPECT_EQ(riscv_access(0x6188), 1);      // c.ld a0,0(a1)
  EXPECT_EQ(riscv_access(0xE188), 2);      // c.sd a0,0(a1)
  EXPECT_EQ(riscv_access(0x0505), 0);      // c.addi a0,1
  EXPECT_EQ(riscv_access(0x0330000F), 0);  // fence rw,rw
}

// GCC 12's acquire load is `ld; fence iorw,iorw`; the psABI's release store is
// `fence rw,w; sd`, and a fence before a plain store may make one of it too.
unsigned fence_role(std::vector<std::uint32_t> words, std::size_t fence_at,
                    unsigned mask = COUNTED_CLASSES) {
  std::vector<unsigned> classes;
  for (std::uint32_t w : words) classes.push_back(classify_riscv(w));
  riscv_fence_roles(words.data(), classes.data(), words.size());
  return classes[fence_at] & mask;
}

TEST(InsnClasses, RiscvFencesThatMakeAnAccessAcquireOrRelease) {
  const std::uint32_t ld = 0x0005B503, sd = 0x00A5B023, full = 0x0FF0000F, ww = 0x0110000F;
  EXPECT_EQ(fence_role({ld, full}, 1), unsigned(IS_FENCE | IS_FULL | IS_ACQ));
  EXPECT_EQ(fence_role({full, sd}, 0), unsigned(IS_FENCE | IS_FULL | IS_REL));
  EXPECT_EQ(fence_role({full, ld}, 0), unsigned(IS_FENCE | IS_FULL));  // before a load
  EXPECT_EQ(fence_role({sd, full}, 1), unsigned(IS_FENCE | IS_FULL));  // after a store
  EXPECT_EQ(fence_role({ld, ww}, 1), unsigned(IS_FENCE));              // orders no load
  EXPECT_EQ(fence_role({0x6188, full}, 1), unsigned(IS_FENCE | IS_FULL | IS_ACQ));  // c.ld
  // A neighbour in another block (a page boundary between them) is the plugin's to see
  // as the code runs.
  const unsigned edges = ACQ_IF_AFTER_LOAD | REL_IF_BEFORE_STORE;
  EXPECT_EQ(fence_role({full, ld}, 0, edges), unsigned(ACQ_IF_AFTER_LOAD));
  EXPECT_EQ(fence_role({ld, full}, 1, edges), unsigned(REL_IF_BEFORE_STORE));
  EXPECT_EQ(fence_role({full}, 0, edges), edges);
  EXPECT_EQ(fence_role({0x0230000F}, 0, edges), unsigned(REL_IF_BEFORE_STORE));  // r,rw: acquire
  EXPECT_EQ(fence_role({ww}, 0, edges), unsigned(REL_IF_BEFORE_STORE));          // orders no load
}

}  // namespace
