/* What an instruction is, for the counting plugin (qemu_insn_count.c): atomic, a fence,
 * an acquire or a release, decoded from its encoding for x86-64, AArch64 and RISC-V.
 * Header-only C with no QEMU dependency, so the decoders are unit-tested on known
 * encodings (tests/insn_count/insn_classes_test.cc). docs/instruction-counts.md says what
 * each class counts on each ISA. */
#ifndef RCUBENCH_INSN_CLASSES_H
#define RCUBENCH_INSN_CLASSES_H

#include <stddef.h>
#include <stdint.h>

/* What an instruction is, from its encoding. */
enum {
  IS_RMW = 1 << 0,    /* an atomic read-modify-write instruction */
  IS_LL = 1 << 1,     /* a load-linked / load-exclusive */
  IS_SC = 1 << 2,     /* a store-conditional / store-exclusive */
  IS_FENCE = 1 << 3,  /* a fence of any kind */
  IS_FULL = 1 << 4,   /* ... that orders earlier stores before later loads */
  IS_ACQ = 1 << 5,    /* acquire: a load, an RMW or (RISC-V, AArch64 `ld`) a fence */
  IS_REL = 1 << 6,    /* release: a store, an RMW or (RISC-V) a fence */
  /* RISC-V fences, for their neighbours (riscv_fence_roles): */
  ORDERS_LOADS_BEFORE = 1 << 7, /* the predecessor set has reads */
  ORDERS_STORES_AFTER = 1 << 8, /* the successor set has writes */
  /* ... and whose neighbour is in another translation block, for the plugin to look at
   * as it runs (riscv_fence_roles): */
  ACQ_IF_AFTER_LOAD = 1 << 9,   /* first in its block: an acquire if a load ran just before */
  REL_IF_BEFORE_STORE = 1 << 10, /* last in its block: a release if a store runs just after */
  SIZE_2 = 1 << 11,             /* a 2-byte (compressed) instruction */
  CLASS_BITS = 12,
  COUNTED_CLASSES = IS_RMW | IS_LL | IS_SC | IS_FENCE | IS_FULL | IS_ACQ | IS_REL,
};

/* x86-64: a `lock`-prefixed instruction or an `xchg` with memory is an RMW (no ISA
 * instruction is an acquire or release: every load and store already is), except
 * `lock or/add $0` to the thread's own stack top, the full-fence idiom GCC emits for
 * atomic_thread_fence(seq_cst): an RMW of a line no other thread uses; `mfence` is a full
 * fence, `lfence` and `sfence` fences (without a 66, F2 or F3 prefix, which make other
 * instructions of 0F AE: tpause, umwait, incssp). */
static inline unsigned classify_x86(const uint8_t *b, size_t n) {
  size_t i = 0;
  int lock = 0, mandatory = 0;
  for (; i < n; ++i) {
    uint8_t p = b[i];
    if (p == 0xF0)
      lock = 1;
    else if (p == 0x66 || p == 0xF2 || p == 0xF3)
      mandatory = 1;
    else if (!(p == 0x2E || p == 0x36 || p == 0x3E || p == 0x26 || p == 0x64 || p == 0x65 ||
               p == 0x67))
      break;
  }
  if (i < n && (b[i] & 0xF0) == 0x40) ++i; /* REX */
  if (lock) {
    /* 83 /0 (add) or /1 (or), ib 0, to (%rsp) or disp8(%rsp): modrm mod 00 or 01, rm 100
     * (a SIB byte), SIB 0x24 (base rsp, no index). */
    if (i + 3 < n && b[i] == 0x83 && ((b[i + 1] >> 3) & 7) <= 1 && b[i + 2] == 0x24) {
      uint8_t modrm = b[i + 1];
      if ((modrm & 0xC7) == 0x04 && b[i + 3] == 0) return IS_FENCE | IS_FULL;
      if ((modrm & 0xC7) == 0x44 && i + 4 < n && b[i + 4] == 0) return IS_FENCE | IS_FULL;
    }
    return IS_RMW;
  }
  if (i + 1 < n && (b[i] == 0x86 || b[i] == 0x87) && (b[i + 1] >> 6) != 3) return IS_RMW;
  if (!mandatory && i + 2 < n && b[i] == 0x0F && b[i + 1] == 0xAE) {
    uint8_t modrm = b[i + 2];
    if ((modrm & 0xF8) == 0xF0) return IS_FENCE | IS_FULL; /* mfence */
    if ((modrm & 0xF8) == 0xE8 || (modrm & 0xF8) == 0xF8) return IS_FENCE; /* lfence, sfence */
  }
  return 0;
}

/* AArch64 (Arm ARM, "Barriers", "Load/store exclusive", "Atomic memory operations"). */
static inline unsigned classify_aarch64(uint32_t i) {
  unsigned crm = (i >> 8) & 0xF;
  if ((i & 0xFFFFF0FF) == 0xD50330BF || (i & 0xFFFFF0FF) == 0xD503309F) { /* dmb, dsb */
    if ((crm & 3) == 3) return IS_FENCE | IS_FULL; /* sy, ish, osh, nsh */
    if ((crm & 3) == 1) return IS_FENCE | IS_ACQ;  /* ...ld: loads before everything */
    return IS_FENCE;                               /* ...st: stores before stores */
  }
  if ((i & 0xFFFFF0FF) == 0xD50330DF) return IS_FENCE; /* isb */
  if ((i & 0x3F000000) == 0x08000000) { /* exclusives, load-acquire/store-release, CAS */
    unsigned o2 = (i >> 23) & 1, l = (i >> 22) & 1, o1 = (i >> 21) & 1, o0 = (i >> 15) & 1;
    if (o2 == 0 && (o1 == 0 || (i >> 31))) /* ld[a]x[p]r, st[l]x[p]r */
      return l ? IS_LL | (o0 ? IS_ACQ : 0) : IS_SC | (o0 ? IS_REL : 0);
    if (o2 == 0) return IS_RMW | (l ? IS_ACQ : 0) | (o0 ? IS_REL : 0); /* casp */
    if (o1 == 0) return l ? IS_ACQ : IS_REL;                            /* ld[l]ar, st[l]lr */
    return IS_RMW | (l ? IS_ACQ : 0) | (o0 ? IS_REL : 0);              /* cas */
  }
  if ((i & 0x3F200C00) == 0x38200000) { /* LSE atomics: ldadd, ldclr, ..., swp; ldapr */
    unsigned a = (i >> 23) & 1, r = (i >> 22) & 1, o3 = (i >> 15) & 1, opc = (i >> 12) & 7;
    if (o3 && opc == 4) return IS_ACQ; /* ldapr */
    if (o3 && opc != 0) return 0;
    return IS_RMW | (a ? IS_ACQ : 0) | (r ? IS_REL : 0);
  }
  if ((i & 0x3F200C00) == 0x19000000) /* stlur, ldapur */
    return ((i >> 22) & 3) == 0 ? IS_REL : IS_ACQ;
  return 0;
}

/* RISC-V (unprivileged ISA, "A" and "Zifencei"). RISC-V has no acquire load or release
 * store instruction: compilers make them of an access and a fence: `l{w,d}; fence r,rw`
 * and `fence rw,w; s{w,d}` in the psABI's mapping; `l{w,d}; fence iorw,iorw` and
 * `fence iorw,ow; amoswap` in GCC 12's. So `fence r,rw` counts as an acquire and
 * `fence rw,w` (`fence iorw,ow` too) as a release, and so does a fence right after a load
 * that it orders before what follows, or right before a store that it orders after what
 * precedes (riscv_fence_roles). */
static inline unsigned classify_riscv(uint32_t i) {
  if ((i & 3) != 3) return 0; /* compressed: no atomics, no fences */
  unsigned opcode = i & 0x7F, funct3 = (i >> 12) & 7;
  if (opcode == 0x0F && funct3 == 1) return IS_FENCE; /* fence.i */
  if (opcode == 0x0F && funct3 == 0) {
    unsigned fm = i >> 28, pred = (i >> 24) & 0xF, succ = (i >> 20) & 0xF;
    unsigned pred_rw = pred & 3, succ_rw = succ & 3; /* bit 1: reads, bit 0: writes */
    if (pred == 0 || succ == 0) return 0; /* a hint (pause), orders nothing */
    if (fm == 8) return IS_FENCE;          /* fence.tso */
    unsigned c = IS_FENCE | (pred_rw & 2 ? ORDERS_LOADS_BEFORE : 0) |
                 (succ_rw & 1 ? ORDERS_STORES_AFTER : 0);
    if ((pred_rw & 1) && (succ_rw & 2)) c |= IS_FULL;
    if (pred_rw == 2 && succ_rw != 0) c |= IS_ACQ;
    if (pred_rw == 3 && succ_rw == 1) c |= IS_REL;
    return c;
  }
  if (opcode == 0x2F && (funct3 == 2 || funct3 == 3)) {
    unsigned funct5 = i >> 27, ord = (i >> 26 & 1 ? IS_ACQ : 0) | (i >> 25 & 1 ? IS_REL : 0);
    if (funct5 == 2) return IS_LL | ord;
    if (funct5 == 3) return IS_SC | ord;
    return IS_RMW | ord;
  }
  return 0;
}

/* 1: a load, 2: a store, 0: neither (RISC-V, compressed or not; atomics are neither). */
static inline int riscv_access(uint32_t i) {
  if ((i & 3) == 3) {
    unsigned opcode = i & 0x7F;
    return opcode == 0x03 || opcode == 0x07 ? 1 : opcode == 0x23 || opcode == 0x27 ? 2 : 0;
  }
  unsigned quadrant = i & 3, funct3 = (i >> 13) & 7;
  if (quadrant == 1) return 0;
  if (funct3 >= 1 && funct3 <= 3) return 1; /* c.fld c.lw c.ld, c.fldsp c.lwsp c.ldsp */
  if (funct3 >= 5) return 2;                /* c.fsd c.sw c.sd, c.fsdsp c.swsp c.sdsp */
  return 0;
}

/* A fence right after a load that it orders before what follows is that load's acquire;
 * one right before a store that it orders after what precedes, that store's release. For
 * the `n` instructions of one translation block; a neighbour across the block's edge (QEMU
 * ends a block at a page boundary, so a layout can split a pair) is left to the plugin,
 * which sees what ran before and after (ACQ_IF_AFTER_LOAD, REL_IF_BEFORE_STORE). */
static inline void riscv_fence_roles(const uint32_t *words, unsigned *classes, size_t n) {
  for (size_t k = 0; k < n; ++k) {
    unsigned c = classes[k];
    if (!(c & IS_FENCE)) continue;
    if ((c & ORDERS_LOADS_BEFORE) && !(c & IS_ACQ)) {
      if (k == 0)
        classes[k] |= ACQ_IF_AFTER_LOAD;
      else if (riscv_access(words[k - 1]) == 1)
        classes[k] |= IS_ACQ;
    }
    if ((c & ORDERS_STORES_AFTER) && !(c & IS_REL)) {
      if (k + 1 == n)
        classes[k] |= REL_IF_BEFORE_STORE;
      else if (riscv_access(words[k + 1]) == 2)
        classes[k] |= IS_REL;
    }
  }
}

#endif
