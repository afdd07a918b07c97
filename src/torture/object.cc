#include "torture/object.h"

#include <chrono>
#include <new>

#include "torture/quarantine.h"

namespace rcubench::torture {

namespace {

// splitmix64's finaliser: every input bit affects every output bit.
constexpr std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

void count_in() {
  TortureObject::live.fetch_add(1, std::memory_order_relaxed);  // A count, read after joins.
}

}  // namespace

bool Sample::live() const { return consistent && !poisoned && magic == TortureObject::kLiveMagic; }

std::uint64_t TortureObject::payload_word(std::uint64_t generation, std::size_t index) noexcept {
  return mix(generation * 0x9e3779b97f4a7c15ULL + index + 1);
}

std::uint64_t TortureObject::checksum_of(const std::uint64_t* words) noexcept {
  std::uint64_t sum = 0x6a09e667f3bcc909ULL;
  for (std::size_t i = kMagicWord; i < kChecksumWord; ++i) sum = mix(sum ^ load_word(words[i]));
  return sum;
}

TortureObject::TortureObject(std::uint64_t generation) noexcept {
  store_word(words_[kStageWord], kStageCurrent);
  initialise(generation);
  count_in();
}

TortureObject::TortureObject(Blank) noexcept {
  for (std::uint64_t& word : words_) store_word(word, 0);
  count_in();
}

TortureObject::TortureObject(const TortureObject& other) noexcept {
  store_word(words_[kStageWord], kStageCurrent);
  for (std::size_t i = kMagicWord; i < kWords; ++i)
    store_word(words_[i], load_word(other.words_[i]));
  count_in();
}

TortureObject::TortureObject(const Words& words) noexcept {
  for (std::size_t i = 0; i < kWords; ++i) store_word(words_[i], words[i]);
  count_in();
}

TortureObject::Words TortureObject::words() const noexcept {
  Words words;
  for (std::size_t i = 0; i < kWords; ++i) words[i] = load_word(words_[i]);
  return words;
}

TortureObject& TortureObject::operator=(const TortureObject& other) noexcept {
  for (std::size_t i = 0; i < kWords; ++i) store_word(words_[i], load_word(other.words_[i]));
  return *this;
}

TortureObject::~TortureObject() {
  if (load_word(words_[kMagicWord]) == kPoisonWord) {
    destroyed_twice.fetch_add(1, std::memory_order_relaxed);  // A count, read after joins.
    store_word(words_[kMagicWord], kDestroyedTwiceMagic);
  } else {
    poison_in_place();
  }
  live.fetch_sub(1, std::memory_order_relaxed);  // A count, read after joins.
}

void TortureObject::poison_in_place() noexcept {
  for (std::size_t i = kMagicWord; i < kWords; ++i) store_word(words_[i], kPoisonWord);
  store_word(words_[kStageWord], kStageFreed);
}

void TortureObject::initialise(std::uint64_t generation) noexcept {
  // Payload and checksum first, magic last: a reader that sees the magic of a
  // half-initialised object (only a broken publisher lets it) still finds a bad checksum.
  for (std::size_t i = kPayloadBegin; i < kChecksumWord; ++i) {
    store_word(words_[i], payload_word(generation, i - kPayloadBegin));
  }
  store_word(words_[kGenerationWord], generation);
  std::uint64_t expected[kWords];
  for (std::size_t i = 0; i < kWords; ++i) expected[i] = load_word(words_[i]);
  expected[kMagicWord] = kLiveMagic;
  store_word(words_[kChecksumWord], checksum_of(expected));
  store_word(words_[kMagicWord], kLiveMagic);
}

void TortureObject::mark_replaced() const noexcept {
  // Only updaters write the stage of a current object, one at a time per object (the
  // primitive serialises them, or a compare-and-swap loser marks an object that is
  // replaced anyway). Never lowers a stage.
  if (load_word(words_[kStageWord]) == kStageCurrent) {
    store_word(words_[kStageWord], kStageReplaced);
  }
}

Sample TortureObject::sample() const noexcept {
  Sample s;
  std::uint64_t words[kWords];
  for (std::size_t i = 0; i < kWords; ++i) {
    words[i] = load_word(words_[i]);
    if (i != kStageWord && words[i] == kPoisonWord) s.poisoned = true;
  }
  s.stage = words[kStageWord];
  s.magic = words[kMagicWord];
  s.generation = words[kGenerationWord];
  bool consistent = words[kChecksumWord] == checksum_of(words);
  for (std::size_t i = kPayloadBegin; consistent && i < kChecksumWord; ++i) {
    consistent = words[i] == payload_word(s.generation, i - kPayloadBegin);
  }
  s.consistent = consistent;
  return s;
}

Quarantine& TortureObject::quarantine() { return Quarantine::for_words(kWords); }

void* TortureObject::operator new(std::size_t size) {
  (void)size;  // Always sizeof(TortureObject): the class is final.
  return quarantine().allocate();
}

void TortureObject::operator delete(void* block) noexcept {
  if (block == nullptr) return;
  auto* words = static_cast<std::uint64_t*>(block);
  // Already in the quarantine if this was a second destruction (see ~TortureObject).
  if (load_word(words[kMagicWord]) == kDestroyedTwiceMagic) return;
  quarantine().retire(words);
}

}  // namespace rcubench::torture
