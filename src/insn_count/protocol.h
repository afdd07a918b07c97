/* The marker protocol between a guest program and the instruction-counting QEMU plugin
 * (qemu_insn_count.c). C, so both the plugin (host, C) and the guest (C++) include it.
 *
 * The guest makes a system call with a number no kernel uses; QEMU hands every guest
 * system call to the plugin before it executes it (and then fails this one with ENOSYS,
 * as a kernel would). The plugin answers by writing to a file descriptor the guest names:
 * in QEMU user mode, guest descriptors are the host process's own, so a pipe the guest
 * made carries the answer back.
 *
 *   syscall(RCUBENCH_INSN_SYSCALL, RCUBENCH_INSN_PROBE, fd)  plugin writes RCUBENCH_INSN_MAGIC
 *   syscall(RCUBENCH_INSN_SYSCALL, RCUBENCH_INSN_START, 0)   this thread's count starts at 0
 *   syscall(RCUBENCH_INSN_SYSCALL, RCUBENCH_INSN_STOP, fd)   plugin writes this thread's count
 *
 * Counts are per guest thread (each is its own vCPU in user mode): what other threads run
 * in between (liburcu's call_rcu worker) is never part of them. Each answer is one
 * uint64_t in host byte order. */
#ifndef RCUBENCH_INSN_COUNT_PROTOCOL_H
#define RCUBENCH_INSN_COUNT_PROTOCOL_H

/* Below 2^30 so that x86_64 kernels do not take it for an x32 call; far above every
 * real system call number of the three arches (all below 1024). "RCB" in ASCII. */
#define RCUBENCH_INSN_SYSCALL 0x524342L

#define RCUBENCH_INSN_PROBE 1
#define RCUBENCH_INSN_START 2
#define RCUBENCH_INSN_STOP 3

/* The probe's answer: "rcbinsn" and the protocol version in the low byte. */
#define RCUBENCH_INSN_MAGIC 0x7263626973736e01ULL

#endif
