// TortureObject: what every torture run shares through the primitive under test.
//
// Sixteen 64-bit words: its pipeline stage, a magic word, a generation, twelve payload
// words derived from the generation, and a checksum over magic, generation and payload.
// A reader can tell from one look whether the object is live and whole, freed (poison),
// never initialised (zero magic) or torn (payload or checksum disagree), and which
// generation it is; the stage tells how far past its replacement the object is.
//
// Heap copies are allocated from, and freed to, the quarantine (quarantine.h): freed
// memory stays mapped, poisoned, and keeps counting stages, so a reader that touches an
// object after its free sees it instead of crashing. Copies that live inside another
// allocation poison themselves on destruction; when that allocation is a primitive's node
// (a shared_ptr control block, arc-swap's counted node, a hazard-pointer retiree), it
// comes from NodeAllocator<TortureObject>, which this header points at the quarantine
// too, so the checker owns every free of a torture object.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "baselines/node_allocator.h"
#include "baselines/seqlock.h"
#include "torture/quarantine.h"
#include "torture/words.h"

namespace rcubench::torture {

// One look at an object.
struct Sample {
  std::uint64_t stage = 0;
  std::uint64_t magic = 0;
  std::uint64_t generation = 0;
  bool poisoned = false;    // some word holds the poison pattern: freed memory
  bool consistent = false;  // payload and checksum agree with magic and generation

  bool live() const;  // consistent, live magic, no poison: a good object
};

class TortureObject final {
 public:
  static constexpr std::size_t kWords = 16;
  static constexpr std::size_t kStageWord = 0;  // The quarantine relies on it (quarantine.h).
  static constexpr std::size_t kMagicWord = 1;
  static constexpr std::size_t kGenerationWord = 2;
  static constexpr std::size_t kPayloadBegin = 3;
  static constexpr std::size_t kChecksumWord = kWords - 1;
  static constexpr std::uint64_t kLiveMagic = 0x5254'4f52'5455'5245ULL;  // "ERUTROTR"
  // Written over the magic by a destructor that finds the object already destroyed, so
  // its operator delete does not put the block in the quarantine twice.
  static constexpr std::uint64_t kDestroyedTwiceMagic = 0xdead'd0d0'dead'd0d0ULL;

  // Live instances, and destructions of already destroyed objects: a run compares them
  // before and after (relaxed counters, read after the threads are joined).
  static inline std::atomic<long> live{0};
  static inline std::atomic<long> destroyed_twice{0};

  explicit TortureObject(std::uint64_t generation) noexcept;
  // Zero in every word: not initialised. Only the publish-before-init negative control
  // makes these; initialise() finishes them.
  struct Blank {};
  explicit TortureObject(Blank) noexcept;
  // A new object with the other's words (torn ones stay torn), at stage 0.
  TortureObject(const TortureObject& other) noexcept;
  // Every word as it is, stage included, and an object made of such words: for
  // primitives that keep copies as raw words (seqlock, see below).
  using Words = std::array<std::uint64_t, kWords>;
  Words words() const noexcept;
  explicit TortureObject(const Words& words) noexcept;
  // Takes over the other's words, stage included (the publish-before-init control fills
  // in the blank object it published with it).
  TortureObject& operator=(const TortureObject& other) noexcept;
  ~TortureObject();

  // Heap copies live in the quarantine (one block each; the class is final).
  static void* operator new(std::size_t size);
  static void operator delete(void* block) noexcept;

  // Makes every word that of a live object of `generation` (stage untouched): a new
  // object's, or an in-place primitive's update of its current one.
  void initialise(std::uint64_t generation) noexcept;

  // The updater's make_next calls this on the object it replaces: stage 0 becomes 1.
  // Const and thread-safe: readers may be looking at the object.
  void mark_replaced() const noexcept;

  std::uint64_t generation() const noexcept { return load_word(words_[kGenerationWord]); }
  std::uint64_t stage() const noexcept { return load_word(words_[kStageWord]); }
  Sample sample() const noexcept;

  // For tests: overwrite one word.
  void set_word(std::size_t index, std::uint64_t value) noexcept {
    store_word(words_[index], value);
  }

  // The expected payload word `index` (0-based) of a generation, and the checksum of a
  // block of kWords words.
  static std::uint64_t payload_word(std::uint64_t generation, std::size_t index) noexcept;
  static std::uint64_t checksum_of(const std::uint64_t* words) noexcept;

  // The quarantine that heap copies come from (Quarantine::for_words(kWords)).
  static Quarantine& quarantine();

 private:
  void poison_in_place() noexcept;

  alignas(64) mutable std::uint64_t words_[kWords];
};
static_assert(sizeof(TortureObject) == TortureObject::kWords * sizeof(std::uint64_t));
static_assert(alignof(TortureObject) >= kWordAlignment);

}  // namespace rcubench::torture

// Primitives' nodes that hold a torture object come from the quarantine (see above). Nodes
// are built by placement new (baselines/node_allocator.h): no construct here.
template <>
struct rcubench::NodeAllocator<rcubench::torture::TortureObject> {
  using type = torture::QuarantineAllocator<torture::TortureObject>;
};

// The seqlock keeps the object as its raw words (copies of the object itself count
// themselves, so it is not trivially copyable); a reader's snapshot becomes an object
// again, torn words and all, for the checks.
template <>
struct rcubench::SeqlockStorage<rcubench::torture::TortureObject> {
  using type = torture::TortureObject::Words;
  static type encode(const torture::TortureObject& object) noexcept { return object.words(); }
  static torture::TortureObject decode(const type& words) noexcept {
    return torture::TortureObject(words);
  }
};
