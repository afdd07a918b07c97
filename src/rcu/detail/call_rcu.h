// Every flavor's call_rcu and rcu_barrier, declared by their prefixed names.
//
// liburcu declares them in urcu/call-rcu.h under unprefixed names that its flavor header
// maps (call_rcu -> urcu_memb_call_rcu, ...). That header has an include guard, so only
// the first flavor included in a translation unit gets its names declared; these
// declarations, the same C functions liburcu exports, give every flavor its own.
#pragma once

#include <urcu/call-rcu.h>

extern "C" {
void urcu_memb_call_rcu(struct rcu_head* head, void (*func)(struct rcu_head* head));
void urcu_memb_barrier(void);
void urcu_qsbr_call_rcu(struct rcu_head* head, void (*func)(struct rcu_head* head));
void urcu_qsbr_barrier(void);
void urcu_bp_call_rcu(struct rcu_head* head, void (*func)(struct rcu_head* head));
void urcu_bp_barrier(void);
void urcu_mb_call_rcu(struct rcu_head* head, void (*func)(struct rcu_head* head));
void urcu_mb_barrier(void);
void urcu_signal_call_rcu(struct rcu_head* head, void (*func)(struct rcu_head* head));
void urcu_signal_barrier(void);
}
