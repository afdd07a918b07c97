/* The marker protocol between a guest program and the counting QEMU plugin
 * (qemu_insn_count.c). C, so both the plugin (host, C) and the guest (C++) include it.
 *
 * The guest makes a system call with a number no kernel uses; QEMU hands every guest
 * system call to the plugin before it executes it (and then fails this one with ENOSYS,
 * as a kernel would). The plugin answers by writing to a file descriptor the guest names:
 * in QEMU user mode, guest descriptors are the host process's own, so a pipe the guest
 * made carries the answer back.
 *
 *   syscall(RCUBENCH_INSN_SYSCALL, RCUBENCH_INSN_PROBE, fd)
 *       plugin writes RCUBENCH_INSN_MAGIC
 *   syscall(RCUBENCH_INSN_SYSCALL, RCUBENCH_INSN_START, session)
 *       this thread's counts start at 0; a session other than 0 also records which 64-byte
 *       lines the thread touches and writes, for RCUBENCH_INSN_SHARED
 *   syscall(RCUBENCH_INSN_SYSCALL, RCUBENCH_INSN_STOP, fd)
 *       plugin writes this thread's profile since its start: RCUBENCH_INSN_FIELDS values
 *   syscall(RCUBENCH_INSN_SYSCALL, RCUBENCH_INSN_SHARED, fd, session)
 *       after every thread of the session has stopped: plugin writes the stores and
 *       read-modify-writes of this thread's region to lines that another thread of the same
 *       session touched in its region (UINT64_MAX: a line table overflowed)
 *
 * Counts are per guest thread (each is its own vCPU in user mode): what other threads run
 * in between (liburcu's call_rcu worker) is never part of them. Each answer is uint64_t
 * values in host byte order. */
#ifndef RCUBENCH_INSN_COUNT_PROTOCOL_H
#define RCUBENCH_INSN_COUNT_PROTOCOL_H

/* Below 2^30 so that x86_64 kernels do not take it for an x32 call; far above every
 * real system call number of the three arches (all below 1024). "RCB" in ASCII. */
#define RCUBENCH_INSN_SYSCALL 0x524342L

#define RCUBENCH_INSN_PROBE 1
#define RCUBENCH_INSN_START 2
#define RCUBENCH_INSN_STOP 3
#define RCUBENCH_INSN_SHARED 4

/* The probe's answer: "rcbinsn" and the protocol version in the low byte. The version
 * changes with any change to what the plugin answers; a plugin built from another version
 * of this file is refused by name (insn_counter.cc). */
#define RCUBENCH_INSN_PROTOCOL 2
#define RCUBENCH_INSN_MAGIC (0x7263626973736e00ULL | RCUBENCH_INSN_PROTOCOL)

/* The fields of STOP's answer, in this order (docs/instruction-counts.md says what each
 * counts on each ISA). */
enum rcubench_insn_field {
  RCUBENCH_FIELD_INSNS,        /* instructions executed */
  RCUBENCH_FIELD_LOADS,        /* memory reads by instructions that are not RMWs */
  RCUBENCH_FIELD_STORES,       /* memory writes by instructions that are not RMWs */
  RCUBENCH_FIELD_RMWS,         /* atomic read-modify-writes; an LL/SC pair once */
  RCUBENCH_FIELD_RETRIES,      /* LL/SC pairs run again after their SC failed */
  RCUBENCH_FIELD_FENCES,       /* fence instructions of every kind */
  RCUBENCH_FIELD_FULL_FENCES,  /* ... of them, those that order stores before later loads */
  RCUBENCH_FIELD_ACQUIRES,     /* acquire loads and RMWs, acquire fences (RISC-V) */
  RCUBENCH_FIELD_RELEASES,     /* release stores and RMWs, release fences (RISC-V) */
  RCUBENCH_INSN_FIELDS
};

#endif
