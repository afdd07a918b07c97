// The updater role of a primitive whose updaters are serialised by a mutex of their own
// (readers never take it): a plain ThreadScope takes the mutex once per update, the sole
// updater's scope (primitive.h, SoleUpdater) holds it from its construction to its end.
#pragma once

#include <mutex>

namespace rcubench::detail {

class UpdaterRole {
 public:
  // A plain scope's: holds nothing.
  UpdaterRole() = default;
  // The sole updater's: holds `mutex` until the scope ends.
  explicit UpdaterRole(std::mutex& mutex) : held_(mutex) {}

  // For one update of the primitive whose updaters `mutex` serialises: that mutex, locked
  // for the update, or nothing where this scope holds it already.
  std::unique_lock<std::mutex> lock_for_update(std::mutex& mutex) {
    if (held_.owns_lock()) return {};
    return std::unique_lock<std::mutex>(mutex);
  }

 private:
  std::unique_lock<std::mutex> held_;
};

}  // namespace rcubench::detail
