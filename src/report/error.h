// Bad input (files, options, contents): reported on one line, exit status 2.
#pragma once

#include <stdexcept>

namespace rcubench::report {

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace rcubench::report
