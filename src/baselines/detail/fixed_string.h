// Compile-time string concatenation, for names built from a flavor's name.
#pragma once

#include <cstddef>
#include <string_view>

namespace rcubench::detail {

template <std::size_t N>
struct FixedString {
  char data[N] = {};
  std::size_t size = 0;
  constexpr std::string_view view() const { return {data, size}; }
};

template <std::size_t N = 128, class... Parts>
constexpr FixedString<N> concat(const Parts&... parts) {
  FixedString<N> out;
  auto append = [&out](std::string_view part) {
    for (char c : part) out.data[out.size++] = c;  // Past N fails constant evaluation.
  };
  (append(std::string_view(parts)), ...);
  return out;
}

}  // namespace rcubench::detail
