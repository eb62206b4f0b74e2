#pragma once
// Small helpers for running engine work on several threads. Exceptions thrown by any part are
// rethrown on the calling thread after every thread has finished.
#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace roadsafe {

// Runs `a` on a new thread and `b` on the calling thread, at the same time.
template <typename A, typename B>
void run_concurrently(A&& a, B&& b) {
    std::exception_ptr error;
    std::thread thread([&] {
        try {
            a();
        } catch (...) {
            error = std::current_exception();
        }
    });
    try {
        b();
    } catch (...) {
        thread.join();
        throw;
    }
    thread.join();
    if (error) std::rethrow_exception(error);
}

// Calls part(t) for t in [0, threads), each on its own thread (the calling thread runs part 0).
template <typename Part>
void run_parts(unsigned threads, Part&& part) {
    std::vector<std::exception_ptr> errors(threads);
    auto run = [&](unsigned t) {
        try {
            part(t);
        } catch (...) {
            errors[t] = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(run, t);
    run(0);
    for (auto& thread : pool) thread.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

inline unsigned usable_threads(std::size_t n, unsigned threads) {
    return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, n)));
}

// Calls work(i) for i in [0, n), item i on thread i % threads (the calling thread is one of them).
template <typename Work>
void for_each_index(std::size_t n, unsigned threads, Work&& work) {
    threads = usable_threads(n, threads);
    run_parts(threads, [&](unsigned t) {
        for (std::size_t i = t; i < n; i += threads) work(i);
    });
}

// Calls work(begin, end) on `threads` contiguous ranges that cover [0, n) (the calling thread takes the
// first). Results that each index writes on its own do not depend on the thread count.
template <typename Work>
void for_each_range(std::size_t n, unsigned threads, Work&& work) {
    threads = usable_threads(n, threads);
    const std::size_t chunk = (n + threads - 1) / threads;
    run_parts(threads, [&](unsigned t) {
        const std::size_t begin = t * chunk, end = std::min(n, begin + chunk);
        if (begin < end) work(begin, end);
    });
}

}  // namespace roadsafe
