#include "torture/errors.h"

namespace rcubench::torture {

std::string_view describe(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kTooShortGracePeriod:
      return "too-short grace period: reads saw their object at stage >= 2 (freed)";
    case ErrorKind::kUseAfterFree:
      return "use after free: reads saw poisoned memory";
    case ErrorKind::kUninitialised:
      return "uninitialised object: reads saw an object published before initialisation";
    case ErrorKind::kTorn:
      return "torn object: reads saw payload or checksum disagree with the generation";
    case ErrorKind::kChangedUnderReader:
      return "object changed under a reader inside one critical section";
    case ErrorKind::kGenerationBackwards:
      return "generation went backwards: a reader saw an older object after a newer one";
    case ErrorKind::kLostUpdates:
      return "lost updates: the final generation differs from the number of updates by";
    case ErrorKind::kLeakOrDoubleFree:
      return "leaked or double-freed objects after the primitive was destroyed";
    case ErrorKind::kCorruptCurrent:
      return "corrupt current object handed to an updater (or left at the end)";
    case ErrorKind::kCount:
      break;
  }
  return "?";
}

std::string_view json_key(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kTooShortGracePeriod:
      return "too_short_grace_period";
    case ErrorKind::kUseAfterFree:
      return "use_after_free";
    case ErrorKind::kUninitialised:
      return "uninitialised";
    case ErrorKind::kTorn:
      return "torn";
    case ErrorKind::kChangedUnderReader:
      return "changed_under_reader";
    case ErrorKind::kGenerationBackwards:
      return "generation_backwards";
    case ErrorKind::kLostUpdates:
      return "lost_updates";
    case ErrorKind::kLeakOrDoubleFree:
      return "leak_or_double_free";
    case ErrorKind::kCorruptCurrent:
      return "corrupt_current";
    case ErrorKind::kCount:
      break;
  }
  return "?";
}

}  // namespace rcubench::torture
