#pragma once
// Progress and cancellation for long work: the callback gets the fraction done and returns
// false to ask the engine to stop (the engine then throws Error(Cancelled)).
#include <functional>
#include <string_view>

namespace roadsafe {

using ProgressCallback = std::function<bool(double fraction, std::string_view stage)>;

}  // namespace roadsafe
