/* A QEMU TCG plugin that counts the guest instructions each guest thread executes
 * between two markers (protocol.h), for exact, noise-free instructions per operation.
 *
 *   qemu-<arch> -plugin libinsn_count.so ./program
 *
 * At translation, each block registers an execution callback carrying its instruction
 * count; the callback adds it to the executing vCPU's counter. A block is counted whole
 * when it starts, so a marker's block (a system call ends a block) is counted up to and
 * including the system call, the same way every time: the region between two markers is
 * exact and repeats bit for bit. Built by scripts/setup against qemu-plugin.h from
 * Debian's source of the installed QEMU. */
#include <errno.h>
#include <qemu-plugin.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "protocol.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/* vCPU indexes are small and reused in user mode (one per live thread); threads past the
 * table are not counted, and a marker from one of them answers UINT64_MAX. */
#define MAX_VCPUS 4096

/* Each counter is written only by its own vCPU's thread: no atomics needed. Padded to a
 * cache line so that threads do not slow each other down. */
struct vcpu_count {
  uint64_t executed;
  uint64_t at_start;
  char pad[64 - 2 * sizeof(uint64_t)];
};
static struct vcpu_count counts[MAX_VCPUS];

static void block_executed(unsigned int vcpu_index, void *n_insns) {
  if (vcpu_index < MAX_VCPUS) counts[vcpu_index].executed += (uintptr_t)n_insns;
}

static void block_translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  qemu_plugin_register_vcpu_tb_exec_cb(tb, block_executed, QEMU_PLUGIN_CB_NO_REGS,
                                       (void *)(uintptr_t)qemu_plugin_tb_n_insns(tb));
}

static void answer(uint64_t fd, uint64_t value) {
  const char *p = (const char *)&value;
  size_t left = sizeof value;
  while (left > 0) {
    ssize_t n = write((int)fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return; /* The guest sees no answer and reports it. */
    p += n;
    left -= (size_t)n;
  }
}

static void on_syscall(qemu_plugin_id_t id, unsigned int vcpu_index, int64_t num, uint64_t op,
                       uint64_t fd, uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6,
                       uint64_t a7, uint64_t a8) {
  (void)id, (void)a3, (void)a4, (void)a5, (void)a6, (void)a7, (void)a8;
  if (num != RCUBENCH_INSN_SYSCALL) return;
  int known = vcpu_index < MAX_VCPUS;
  switch (op) {
    case RCUBENCH_INSN_PROBE:
      answer(fd, RCUBENCH_INSN_MAGIC);
      break;
    case RCUBENCH_INSN_START:
      if (known) counts[vcpu_index].at_start = counts[vcpu_index].executed;
      break;
    case RCUBENCH_INSN_STOP:
      answer(fd, known ? counts[vcpu_index].executed - counts[vcpu_index].at_start : UINT64_MAX);
      break;
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
  qemu_plugin_register_vcpu_tb_trans_cb(id, block_translated);
  qemu_plugin_register_vcpu_syscall_cb(id, on_syscall);
  return 0;
}
