/* A QEMU TCG plugin that profiles what each guest thread executes between two markers
 * (protocol.h): instructions, loads and stores, atomic read-modify-writes, fences, acquire
 * and release operations, and the writes to 64-byte lines another thread also touched;
 * exact and noise-free per operation (docs/instruction-counts.md).
 *
 *   qemu-<arch> -plugin libinsn_count.so ./program
 *
 * At translation, each block registers an execution callback carrying its instruction
 * count; the callback adds it to the executing vCPU's counter. A block is counted whole
 * when it starts, so a marker's block (a system call ends a block) is counted up to and
 * including the system call, the same way every time: the region between two markers is
 * exact and repeats bit for bit. Each instruction is classified once, at translation,
 * from its encoding (insn_classes.h): the ones that order or are atomic get an execution
 * callback, and every instruction a memory callback, which QEMU calls once per access it
 * makes. Built by scripts/setup against qemu-plugin.h from Debian's source of the
 * installed QEMU. */
#include <errno.h>
#include <pthread.h>
#include <qemu-plugin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "insn_classes.h"
#include "protocol.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/* vCPU indexes are small and reused in user mode (one per live thread); threads past the
 * table are not counted, and a marker from one of them answers UINT64_MAX. */
#define MAX_VCPUS 4096

enum target { TARGET_X86_64, TARGET_AARCH64, TARGET_RISCV64 };
static enum target target;

/* The instruction's first four bytes, little-endian (AArch64 and RISC-V). */
static uint32_t insn_word(const struct qemu_plugin_insn *insn) {
  const uint8_t *b = qemu_plugin_insn_data(insn);
  size_t n = qemu_plugin_insn_size(insn);
  uint32_t word = 0;
  for (size_t k = 0; k < n && k < 4; ++k) word |= (uint32_t)b[k] << (8 * k);
  return word;
}

static unsigned classify(const struct qemu_plugin_insn *insn) {
  if (target == TARGET_X86_64)
    return classify_x86(qemu_plugin_insn_data(insn), qemu_plugin_insn_size(insn));
  uint32_t word = insn_word(insn);
  return target == TARGET_AARCH64 ? classify_aarch64(word) : classify_riscv(word);
}

/* The lines a thread touched in its recorded region: open addressing on line + 1. */
struct line_entry {
  uint64_t key; /* line + 1; 0: empty */
  uint64_t writes;
};
#define LINE_TABLE_SIZE (1u << 14)
#define LINE_TABLE_LIMIT (LINE_TABLE_SIZE / 2)

/* Each state is written only by its own vCPU's thread, except the recording fields, which
 * the SHARED query of another thread reads under `lines_lock` once this one has stopped.
 * Padded to a cache line so that threads do not slow each other down. */
struct vcpu_state {
  uint64_t now[RCUBENCH_INSN_FIELDS];
  uint64_t at_start[RCUBENCH_INSN_FIELDS];
  uint64_t blocks;         /* blocks executed: which block follows which */
  uint64_t sc_block;       /* the block of the last store-conditional, 0: none */
  uint64_t last_ll_pc;     /* the address of the last load-linked */
  /* RISC-V fences whose neighbour is in another block (riscv_fence_roles): the address
   * after the last load and its block, until a fence runs; the address after a fence
   * that makes the store there a release, and its block. */
  uint64_t load_next_pc, load_block, fence_next_pc, fence_block;
  uint64_t session;        /* recording lines for this session (0: not recording) */
  int recording, overflow; /* recording now; the line table filled up */
  uint64_t used;
  struct line_entry *lines;
} __attribute__((aligned(64)));
static struct vcpu_state vcpus[MAX_VCPUS];
static pthread_mutex_t lines_lock = PTHREAD_MUTEX_INITIALIZER;

static void record_line(struct vcpu_state *s, uint64_t vaddr, int write) {
  uint64_t key = (vaddr >> 6) + 1;
  uint64_t slot = (key * 0x9E3779B97F4A7C15ULL) >> 50; /* 14 bits */
  while (s->lines[slot].key != 0 && s->lines[slot].key != key)
    slot = (slot + 1) & (LINE_TABLE_SIZE - 1);
  if (s->lines[slot].key == 0) {
    if (s->used == LINE_TABLE_LIMIT) {
      s->overflow = 1;
      return;
    }
    s->lines[slot].key = key;
    ++s->used;
  }
  s->lines[slot].writes += write;
}

static int table_has(const struct vcpu_state *s, uint64_t key) {
  uint64_t slot = (key * 0x9E3779B97F4A7C15ULL) >> 50;
  while (s->lines[slot].key != 0) {
    if (s->lines[slot].key == key) return 1;
    slot = (slot + 1) & (LINE_TABLE_SIZE - 1);
  }
  return 0;
}

static void block_executed(unsigned int vcpu_index, void *n_insns) {
  if (vcpu_index >= MAX_VCPUS) return;
  vcpus[vcpu_index].now[RCUBENCH_FIELD_INSNS] += (uintptr_t)n_insns;
  ++vcpus[vcpu_index].blocks;
}

/* Runs before an instruction of interest; `data` is its class and its address. An LL/SC
 * pair is one RMW when its SC succeeds. The plugin API cannot read the SC's result, but a
 * failed SC is what makes the loop run again at once: the same load-linked in the block
 * right after the SC's block. So each SC counts one RMW, and such a load-linked turns the
 * previous SC's RMW into a retry. */
static void insn_executed(unsigned int vcpu_index, void *data) {
  if (vcpu_index >= MAX_VCPUS) return;
  struct vcpu_state *s = &vcpus[vcpu_index];
  uintptr_t v = (uintptr_t)data;
  unsigned c = v & ((1u << CLASS_BITS) - 1);
  uint64_t pc = v >> CLASS_BITS;
  if (c & IS_LL) {
    if (s->sc_block != 0 && s->sc_block + 1 == s->blocks && pc == s->last_ll_pc) {
      --s->now[RCUBENCH_FIELD_RMWS];
      ++s->now[RCUBENCH_FIELD_RETRIES];
    }
    s->last_ll_pc = pc;
  }
  if (c & IS_SC) s->sc_block = s->blocks;
  if (c & (IS_RMW | IS_SC)) ++s->now[RCUBENCH_FIELD_RMWS];
  if (c & IS_FULL) ++s->now[RCUBENCH_FIELD_FULL_FENCES];
  if (c & IS_ACQ) ++s->now[RCUBENCH_FIELD_ACQUIRES];
  if (c & IS_REL) ++s->now[RCUBENCH_FIELD_RELEASES];
  if (c & IS_FENCE) {
    ++s->now[RCUBENCH_FIELD_FENCES];
    /* The load ran last in the block before this one, at the address before this. */
    if ((c & ACQ_IF_AFTER_LOAD) && s->load_next_pc == pc && s->load_block + 1 == s->blocks)
      ++s->now[RCUBENCH_FIELD_ACQUIRES];
    s->load_next_pc = 0; /* a later fence is not after this load */
    s->fence_next_pc = 0;
    if (c & REL_IF_BEFORE_STORE) {
      s->fence_next_pc = pc + 4; /* fences are never compressed */
      s->fence_block = s->blocks;
    }
  }
}

/* Once per access. An RMW's accesses (QEMU reports a read and a write) are its own count,
 * not loads and stores; its write is a write to the line all the same. */
static void memory_accessed(unsigned int vcpu_index, qemu_plugin_meminfo_t info,
                            uint64_t vaddr, void *data) {
  if (vcpu_index >= MAX_VCPUS) return;
  struct vcpu_state *s = &vcpus[vcpu_index];
  uintptr_t v = (uintptr_t)data;
  unsigned c = v & ((1u << CLASS_BITS) - 1);
  int store = qemu_plugin_mem_is_store(info);
  if (!(c & (IS_RMW | IS_SC))) {
    ++s->now[store ? RCUBENCH_FIELD_STORES : RCUBENCH_FIELD_LOADS];
    uint64_t pc = v >> CLASS_BITS;
    if (!store) {
      s->load_next_pc = pc + (c & SIZE_2 ? 2 : 4);
      s->load_block = s->blocks;
    } else if (pc == s->fence_next_pc && s->blocks == s->fence_block + 1) {
      ++s->now[RCUBENCH_FIELD_RELEASES]; /* the first of the block after the fence's */
      s->fence_next_pc = 0;
    }
  }
  if (s->recording) record_line(s, vaddr, store);
}

static void block_translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  qemu_plugin_register_vcpu_tb_exec_cb(tb, block_executed, QEMU_PLUGIN_CB_NO_REGS,
                                       (void *)(uintptr_t)n);
  unsigned classes[n];
  uint32_t words[n];
  for (size_t k = 0; k < n; ++k) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, k);
    classes[k] = classify(insn);
    words[k] = target == TARGET_X86_64 ? 0 : insn_word(insn);
  }
  if (target == TARGET_RISCV64) riscv_fence_roles(words, classes, n);
  for (size_t k = 0; k < n; ++k) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, k);
    unsigned c = classes[k] | (qemu_plugin_insn_size(insn) == 2 ? SIZE_2 : 0);
    uintptr_t data = (uintptr_t)qemu_plugin_insn_vaddr(insn) << CLASS_BITS | c;
    if (c & COUNTED_CLASSES)
      qemu_plugin_register_vcpu_insn_exec_cb(insn, insn_executed, QEMU_PLUGIN_CB_NO_REGS,
                                             (void *)data);
    qemu_plugin_register_vcpu_mem_cb(insn, memory_accessed, QEMU_PLUGIN_CB_NO_REGS,
                                     QEMU_PLUGIN_MEM_RW, (void *)data);
  }
}

static void answer(uint64_t fd, const uint64_t *values, size_t count) {
  const char *p = (const char *)values;
  size_t left = count * sizeof *values;
  while (left > 0) {
    ssize_t n = write((int)fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return; /* The guest sees no answer and reports it. */
    p += n;
    left -= (size_t)n;
  }
}

static void start(struct vcpu_state *s, uint64_t session) {
  pthread_mutex_lock(&lines_lock);
  s->session = session;
  s->recording = session != 0;
  s->overflow = 0;
  s->used = 0;
  if (session != 0) {
    if (s->lines == NULL) s->lines = calloc(LINE_TABLE_SIZE, sizeof *s->lines);
    if (s->lines == NULL)
      s->overflow = 1, s->recording = 0;
    else
      memset(s->lines, 0, LINE_TABLE_SIZE * sizeof *s->lines);
  }
  pthread_mutex_unlock(&lines_lock);
  memcpy(s->at_start, s->now, sizeof s->now);
}

static void stop(struct vcpu_state *s, uint64_t fd) {
  uint64_t profile[RCUBENCH_INSN_FIELDS];
  for (int f = 0; f < RCUBENCH_INSN_FIELDS; ++f) profile[f] = s->now[f] - s->at_start[f];
  pthread_mutex_lock(&lines_lock);
  s->recording = 0;
  pthread_mutex_unlock(&lines_lock);
  answer(fd, profile, RCUBENCH_INSN_FIELDS);
}

/* Writes of `self`'s region to lines that the other thread of its session touched in its
 * region; UINT64_MAX unless there is exactly one other, stopped, with its lines complete. */
static uint64_t shared_writes(const struct vcpu_state *self, uint64_t session) {
  uint64_t writes = 0;
  const struct vcpu_state *partner = NULL;
  pthread_mutex_lock(&lines_lock);
  int ok = self->session == session && !self->recording && !self->overflow && self->lines;
  for (int v = 0; ok && v < MAX_VCPUS; ++v) {
    const struct vcpu_state *other = &vcpus[v];
    if (other == self || other->session != session) continue;
    ok = partner == NULL && !other->recording && !other->overflow && other->lines;
    partner = other;
  }
  ok = ok && partner != NULL;
  for (uint64_t k = 0; ok && k < LINE_TABLE_SIZE; ++k) {
    const struct line_entry *e = &self->lines[k];
    if (e->key != 0 && e->writes != 0 && table_has(partner, e->key)) writes += e->writes;
  }
  pthread_mutex_unlock(&lines_lock);
  return ok ? writes : UINT64_MAX;
}

/* A thread ended: its vCPU index may be reused, with nothing of this one's state. */
static void vcpu_exited(qemu_plugin_id_t id, unsigned int vcpu_index) {
  (void)id;
  if (vcpu_index >= MAX_VCPUS) return;
  pthread_mutex_lock(&lines_lock);
  free(vcpus[vcpu_index].lines);
  memset(&vcpus[vcpu_index], 0, sizeof vcpus[vcpu_index]);
  pthread_mutex_unlock(&lines_lock);
}

static void on_syscall(qemu_plugin_id_t id, unsigned int vcpu_index, int64_t num, uint64_t op,
                       uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
                       uint64_t a6, uint64_t a7) {
  (void)id, (void)a3, (void)a4, (void)a5, (void)a6, (void)a7;
  if (num != RCUBENCH_INSN_SYSCALL) return;
  int known = vcpu_index < MAX_VCPUS;
  uint64_t unknown[RCUBENCH_INSN_FIELDS];
  switch (op) {
    case RCUBENCH_INSN_PROBE: {
      uint64_t magic = RCUBENCH_INSN_MAGIC;
      answer(a1, &magic, 1);
      break;
    }
    case RCUBENCH_INSN_START:
      if (known) start(&vcpus[vcpu_index], a1);
      break;
    case RCUBENCH_INSN_STOP:
      if (known) {
        stop(&vcpus[vcpu_index], a1);
      } else {
        for (int f = 0; f < RCUBENCH_INSN_FIELDS; ++f) unknown[f] = UINT64_MAX;
        answer(a1, unknown, RCUBENCH_INSN_FIELDS);
      }
      break;
    case RCUBENCH_INSN_SHARED: {
      uint64_t writes = known ? shared_writes(&vcpus[vcpu_index], a2) : UINT64_MAX;
      answer(a1, &writes, 1);
      break;
    }
    default:
      break;
  }
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                           int argc, char **argv) {
  (void)argv;
  if (info->system_emulation) {
    fprintf(stderr, "insn_count: QEMU user mode only (one vCPU per guest thread)\n");
    return 1;
  }
  if (argc != 0) {
    fprintf(stderr, "insn_count: takes no arguments\n");
    return 1;
  }
  if (strcmp(info->target_name, "x86_64") == 0) {
    target = TARGET_X86_64;
  } else if (strcmp(info->target_name, "aarch64") == 0) {
    target = TARGET_AARCH64;
  } else if (strcmp(info->target_name, "riscv64") == 0) {
    target = TARGET_RISCV64;
  } else {
    fprintf(stderr, "insn_count: no decoder for target %s (x86_64, aarch64, riscv64)\n",
            info->target_name);
    return 1;
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, block_translated);
  qemu_plugin_register_vcpu_exit_cb(id, vcpu_exited);
  qemu_plugin_register_vcpu_syscall_cb(id, on_syscall);
  return 0;
}
