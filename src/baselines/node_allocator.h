// Where primitives get the memory of the nodes that hold a T: a counted node, a shared_ptr
// control block, a retired object. Every primitive that frees objects on its own allocates
// and frees them through NodeAllocator<T>, so a checker can own those frees: the torture
// checker (torture/object.h) specialises it for its object and sends every such free to its
// quarantine, where a too-early free shows up as poison instead of as a crash in malloc.
//
// NodeAllocator<T>::type is a stateless allocator (std::allocator<T> unless specialised);
// new_node / delete_node rebind it to the node type.
#pragma once

#include <memory>
#include <utility>

namespace rcubench {

template <class T>
struct NodeAllocator {
  using type = std::allocator<T>;
};

// The allocator for nodes of type Node that hold a T.
template <class T, class Node>
using NodeAllocatorFor =
    typename std::allocator_traits<typename NodeAllocator<T>::type>::template rebind_alloc<Node>;

// new Node(args...), with its memory from NodeAllocator<T>.
template <class T, class Node, class... Args>
Node* new_node(Args&&... args) {
  using Alloc = NodeAllocatorFor<T, Node>;
  using Traits = std::allocator_traits<Alloc>;
  Alloc alloc;
  Node* node = Traits::allocate(alloc, 1);
  try {
    Traits::construct(alloc, node, std::forward<Args>(args)...);
  } catch (...) {
    Traits::deallocate(alloc, node, 1);
    throw;
  }
  return node;
}

// delete node, for a node from new_node<T, Node>.
template <class T, class Node>
void delete_node(Node* node) noexcept {
  using Alloc = NodeAllocatorFor<T, Node>;
  using Traits = std::allocator_traits<Alloc>;
  Alloc alloc;
  Traits::destroy(alloc, node);
  Traits::deallocate(alloc, node, 1);
}

}  // namespace rcubench
