// The thread helpers: every index visited exactly once, ranges contiguous, errors rethrown on the caller.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "roadsafe/core/parallel.hpp"

using roadsafe::for_each_index;
using roadsafe::for_each_range;

TEST(Parallel, RangesCoverEveryIndexOnceForAnyThreadCount) {
    for (unsigned threads : {0u, 1u, 2u, 3u, 7u, 64u}) {
        for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{5}, std::size_t{100}}) {
            std::vector<std::atomic<int>> seen(n);
            std::atomic<int> calls{0};
            for_each_range(n, threads, [&](std::size_t begin, std::size_t end) {
                ASSERT_LT(begin, end);  // no empty ranges are handed out
                ++calls;
                for (std::size_t i = begin; i < end; ++i) ++seen[i];
            });
            for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(seen[i].load(), 1) << "n " << n << " threads " << threads;
            EXPECT_LE(calls.load(), static_cast<int>(std::max(1u, threads)));
        }
    }
}

TEST(Parallel, ErrorsAreRethrownAfterEveryThreadFinished) {
    std::atomic<int> finished{0};
    EXPECT_THROW(for_each_range(4, 4,
                                [&](std::size_t begin, std::size_t) {
                                    if (begin == 2) throw std::runtime_error("range 2");
                                    ++finished;
                                }),
                 std::runtime_error);
    EXPECT_EQ(finished.load(), 3);
    EXPECT_THROW(for_each_index(10, 3, [](std::size_t i) { if (i == 7) throw std::runtime_error("7"); }),
                 std::runtime_error);
}
