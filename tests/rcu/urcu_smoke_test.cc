// liburcu itself, as built by scripts/setup for this arch: thread registration, read-side
// critical sections, publication, synchronize_rcu, call_rcu and rcu_barrier (memb flavor).
#include <gtest/gtest.h>
#include <urcu/urcu-memb.h>

#include <atomic>
#include <thread>

namespace {

struct Node {
  int value;
  rcu_head head;
};

std::atomic<int> freed_by_callback{0};

void free_node(rcu_head* head) {
  delete caa_container_of(head, Node, head);
  freed_by_callback.fetch_add(1, std::memory_order_relaxed);  // Read after rcu_barrier().
}

TEST(UrcuSmoke, PublishReadSynchronizeCallRcuBarrier) {
  urcu_memb_register_thread();
  Node* shared = nullptr;

  auto* first = new Node{1, {}};
  rcu_assign_pointer(shared, first);  // Release store; paired with rcu_dereference below.

  urcu_memb_read_lock();
  Node* seen = rcu_dereference(shared);
  ASSERT_NE(seen, nullptr);
  EXPECT_EQ(seen->value, 1);
  urcu_memb_read_unlock();

  // A reader on another thread, registered on its own.
  int other_thread_saw = 0;
  std::thread reader([&] {
    urcu_memb_register_thread();
    urcu_memb_read_lock();
    other_thread_saw = rcu_dereference(shared)->value;
    urcu_memb_read_unlock();
    urcu_memb_unregister_thread();
  });
  reader.join();
  EXPECT_EQ(other_thread_saw, 1);

  // Replace and free synchronously.
  auto* second = new Node{2, {}};
  Node* old = rcu_xchg_pointer(&shared, second);
  EXPECT_EQ(old, first);
  urcu_memb_synchronize_rcu();
  delete old;

  // Replace and free through call_rcu; rcu_barrier waits for the callback.
  auto* third = new Node{3, {}};
  old = rcu_xchg_pointer(&shared, third);
  urcu_memb_call_rcu(&old->head, free_node);
  urcu_memb_barrier();
  EXPECT_EQ(freed_by_callback.load(std::memory_order_relaxed), 1);

  urcu_memb_read_lock();
  EXPECT_EQ(rcu_dereference(shared)->value, 3);
  urcu_memb_read_unlock();

  urcu_memb_synchronize_rcu();
  delete shared;
  urcu_memb_unregister_thread();
}

}  // namespace
