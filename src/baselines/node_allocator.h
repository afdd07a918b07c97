// Where primitives get the memory of the nodes that hold a T: a counted node, a shared_ptr
// control block, a retired object. Every primitive that frees objects on its own allocates
// and frees them through NodeAllocator<T>, so a checker can own those frees: the torture
// checker (torture/object.h) specialises it for its object and sends every such free to its
// quarantine, where a too-early free shows up as poison instead of as a crash in malloc.
//
// NodeAllocator<T>::type is a stateless allocator (std::allocator<T> unless specialised);
// new_node, new_node_from and delete_node rebind it to the node type. The nodes are
// constructed with placement new, not the allocator's construct: an allocator given here
// must not need its own construct or destroy.
#pragma once

#include <memory>
#include <new>
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

namespace detail {

// One Node's memory from NodeAllocator<T>, handed to build(where) to construct the node
// there; given back if build throws. No allocator here defines construct, so placement
// new is what allocator_traits::construct would do.
template <class T, class Node, class Build>
Node* allocate_node(Build&& build) {
  using Alloc = NodeAllocatorFor<T, Node>;
  using Traits = std::allocator_traits<Alloc>;
  Alloc alloc;
  Node* node = Traits::allocate(alloc, 1);
  try {
    std::forward<Build>(build)(static_cast<void*>(node));
  } catch (...) {
    Traits::deallocate(alloc, node, 1);
    throw;
  }
  return node;
}

}  // namespace detail

// new Node(args...), with its memory from NodeAllocator<T>.
template <class T, class Node, class... Args>
Node* new_node(Args&&... args) {
  return detail::allocate_node<T, Node>(
      [&](void* where) { ::new (where) Node(std::forward<Args>(args)...); });
}

// A node that holds a T built from a callable's result takes this tag and the callable,
// and initialises its T as `value(make())`: the result is built in the node (guaranteed
// copy elision). Passed as an argument instead (new_node<T, Node>(make())), the result is
// built first and then moved into the node, a second copy of the object on every
// copy-update that raw liburcu's and bare-update's `new T(make_next(...))` do not make.
struct FromResult {};

// new T(make()), its memory from NodeAllocator<T>: new_node's counterpart for a node that
// is the T itself, built in place from make()'s result.
template <class T, class Make>
T* new_node_from(Make&& make) {
  return detail::allocate_node<T, T>(
      [&](void* where) { ::new (where) T(std::forward<Make>(make)()); });
}

// delete node, for a node from new_node<T, Node> or new_node_from<T>.
template <class T, class Node>
void delete_node(Node* node) noexcept {
  using Alloc = NodeAllocatorFor<T, Node>;
  using Traits = std::allocator_traits<Alloc>;
  Alloc alloc;
  Traits::destroy(alloc, node);
  Traits::deallocate(alloc, node, 1);
}

}  // namespace rcubench
