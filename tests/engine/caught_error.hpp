#pragma once
// Catching the roadsafe::Error a test expects, so each test asserts its exact code and message.
#include <gtest/gtest.h>

#include "roadsafe/core/error.hpp"

namespace roadsafe::test {

// Runs `f`, which must throw roadsafe::Error, and returns the error for the test's assertions.
template <typename F>
Error caught_error(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "expected a roadsafe::Error";
    return Error(ErrorCode::InvalidInput, "(no error was thrown)");
}

}  // namespace roadsafe::test
