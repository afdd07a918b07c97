// arc-swap internals: the lists of debt nodes, per-thread ownership, and the writer's walk
// that pays every debt on a retired pointer.
//
// Each thread owns one Node (8 fast slots + the helping slot) per list. Only the owner
// writes debts into its node; writers walk every node of their list to pay them. Nodes are
// only ever prepended and are never freed while the program runs: a thread that stops gives
// its node back, and a later thread claims it. List heads are globals (one per value type,
// arc_swap.h), so the nodes stay reachable for leak checkers.
//
// One list per value type, not one for all (the crate has one): a reader's debt may be
// stale (its object freed, the address reused by another object before the reader's
// confirmation fails), and the writer that retires the new object at that address pays the
// stale debt. With one list, a writer of ArcSwap<U> could pay a reader of ArcSwap<T>, which
// would then own a counted reference to a U it takes for a T.
//
// A returned node goes through a cooldown before it can be claimed again: it becomes claimable
// only once no writer is inside it. A writer that read a generation from the helping slot
// (helping.h) may try to answer it much later; the new owner starts its own generation count,
// so without the cooldown that writer could hit a reused generation (ABA). The same cooldown
// retires a node whose generation counter wrapped around.
#pragma once

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>

#include "baselines/detail/arc_swap_debt.h"
#include "baselines/detail/arc_swap_fast.h"
#include "baselines/detail/arc_swap_helping.h"

namespace rcubench::detail::arc_swap {

inline constexpr std::uintptr_t kNodeUnused = 0;
inline constexpr std::uintptr_t kNodeUsed = 1;
inline constexpr std::uintptr_t kNodeCooldown = 2;

struct Node;
// The head of one list of nodes.
using NodeList = std::atomic<Node*>;

struct alignas(64) Node {
  FastSlots fast;
  HelpingSlots helping;
  std::atomic<std::uintptr_t> in_use{kNodeUsed};
  Node* next = nullptr;  // written before the node is published, never changed after
  std::atomic<std::size_t> active_writers{0};

  // Claims an unused node of `list`, or allocates and prepends a new one.
  static Node* acquire(NodeList& list);

  // The owner gives the node back; it becomes claimable after its cooldown.
  void start_cooldown() noexcept;

  // Makes the node claimable if it is in cooldown and no writer is inside.
  void check_cooldown() noexcept;
};


// Counts a writer into a node for the cooldown check. An acquire/release pair as in the crate:
// each reservation's decrement is released (R) to whoever acquires the count after it.
class WriterReservation {
 public:
  explicit WriterReservation(Node& node) noexcept : node_(node) {
    // Acquire. Matches R (earlier reservations' decrements): a lock-style hand-off, as in
    // the crate.
    node_.active_writers.fetch_add(1, std::memory_order_acquire);
  }
  ~WriterReservation() {
    // R: release, matched by the acquire load in check_cooldown() (and by later
    // reservations): everything this writer read in the node happens before the node is
    // handed to a new owner.
    node_.active_writers.fetch_sub(1, std::memory_order_release);
  }
  WriterReservation(const WriterReservation&) = delete;
  WriterReservation& operator=(const WriterReservation&) = delete;

 private:
  Node& node_;
};

// The first node of the list; walk on through `next`.
inline Node* first_node(const NodeList& list) noexcept {
  // seq_cst, store-buffering, as in the crate: a reader publishes its node (the push CAS in
  // acquire()) before it writes debts and loads the storage; a writer swaps the storage
  // before it reads the head here. With both in S, a writer that misses a just-added node
  // swapped before that node's reader loaded, so the reader's confirmation sees the new
  // pointer. It also acquires the nodes' contents (`next` included).
  return list.load(std::memory_order_seq_cst);
}

inline Node* Node::acquire(NodeList& list) {
  for (Node* node = first_node(list); node != nullptr; node = node->next) {
    node->check_cooldown();
    std::uintptr_t expected = kNodeUnused;
    // seq_cst as in the crate (list operations run only when a thread starts or stops).
    // Acquire is the load-bearing part. Matches U and, since U extends C's release
    // sequence, C: the previous owner and every writer that was inside happen before our
    // use of the node.
    if (node->in_use.compare_exchange_strong(expected, kNodeUsed, std::memory_order_seq_cst,
                                             std::memory_order_seq_cst)) {
      return node;
    }
  }

  Node* node = new Node;  // in_use starts as kNodeUsed: ours before anyone can see it
  // seq_cst as in the crate; the CAS below validates it.
  Node* head = list.load(std::memory_order_seq_cst);
  do {
    node->next = head;
    // seq_cst as in the crate, and for the store-buffering argument in first_node(): the
    // node must be in S before the owner's first debt. Release publishes `next` and the
    // node's initial state; acquire takes in the chain we link to.
  } while (!list.compare_exchange_weak(head, node, std::memory_order_seq_cst,
                                       std::memory_order_seq_cst));
  return node;
}

inline void Node::start_cooldown() noexcept {
  // An RMW on active_writers in this thread, sequenced before C: whoever acquires C then
  // reads a value of active_writers no older than this one, so a 0 it sees means every
  // writer inside at this point has left (as in the crate).
  WriterReservation trick(*this);
  // C: release, matched by the acquire load in check_cooldown() and (through the release
  // sequence that U extends) by the claim CAS in acquire(): the owner's uses of the node
  // happen before the next owner's.
  [[maybe_unused]] std::uintptr_t previous =
      in_use.exchange(kNodeCooldown, std::memory_order_release);
  assert(previous == kNodeUsed);
}

inline void Node::check_cooldown() noexcept {
  // Acquire. Matches C: brings in the active_writers value described in start_cooldown().
  if (in_use.load(std::memory_order_acquire) != kNodeCooldown) return;
  // Acquire. Matches R (the crate has relaxed here; acquire makes "the writers have left"
  // a happens-before fact instead of only a value seen, on a path that runs once per thread).
  if (active_writers.load(std::memory_order_acquire) != 0) return;
  std::uintptr_t expected = kNodeCooldown;
  // U: release on success, matched by the claim CAS in acquire(), which may run on another
  // thread; passes on what we acquired from C and R. Relaxed on failure, pairs with
  // nothing: someone else moved the node on, and we only retry by scanning.
  in_use.compare_exchange_strong(expected, kNodeUnused, std::memory_order_release,
                                 std::memory_order_relaxed);
}

// One thread's handle on its node in one list, with the thread-private state of both slot
// kinds. The node is claimed on first use and given back (into cooldown) by release() or
// destruction.
class LocalNode {
 public:
  explicit LocalNode(NodeList& list) noexcept : list_(list) {}
  LocalNode(const LocalNode&) = delete;
  LocalNode& operator=(const LocalNode&) = delete;
  ~LocalNode() { release(); }

  NodeList& list() const noexcept { return list_; }

  Node& node() {
    if (node_ == nullptr) [[unlikely]] node_ = Node::acquire(list_);
    return *node_;
  }
  bool has_node() const noexcept { return node_ != nullptr; }

  void release() noexcept {
    if (node_ != nullptr) {
      node_->start_cooldown();
      node_ = nullptr;
    }
  }

  Debt* claim_fast(std::uintptr_t ptr) { return node().fast.claim(ptr, fast_offset_); }

  HelpingSlots::Transaction begin_helping(std::uintptr_t storage_addr) {
    return node().helping.begin(storage_addr, generation_);
  }

 private:
  NodeList& list_;
  Node* node_ = nullptr;
  std::size_t fast_offset_ = 0;    // fast-slot rotation
  std::uintptr_t generation_ = 0;  // helping-slot generations
};

// Pays every debt on `old` in the list of `local`, which the caller has just swapped out of
// the storage at `storage_addr` and still holds a reference to, and answers readers caught
// mid-transaction on that storage. `inc(p)`/`dec(p)` count a reference on p; `load_full()` loads the
// storage with a counted reference (for the helping answers).
template <class Inc, class Dec, class LoadFull>
void pay_all(LocalNode& local, std::uintptr_t old, std::uintptr_t storage_addr, const Inc& inc,
             const Dec& dec, const LoadFull& load_full) {
  // One count paid in advance: a reader may give up its reference the moment our CAS
  // clears its slot, so the count must be there before the CAS.
  inc(old);
  for (Node* node = first_node(local.list()); node != nullptr; node = node->next) {
    WriterReservation reservation(*node);
    local.node().helping.help(node->helping, storage_addr, load_full, dec);
    for (Debt& slot : node->fast.slots) {
      if (slot.pay(old)) inc(old);  // that count went to the reader; prepay the next one
    }
    if (node->helping.slot.pay(old)) inc(old);
  }
  dec(old);  // the unused advance; the caller's reference keeps this from being the last
}

}  // namespace rcubench::detail::arc_swap
