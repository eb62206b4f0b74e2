#pragma once
// Internal: finding rows by key — an open-addressing hash index from row keys to the first row holding
// each key, or bisection when the rows are in a few sorted stretches. Used to deduplicate and join
// millions of rows without a node allocation per key.
#include <algorithm>
#include <bit>
#include <memory>
#include <mutex>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace roadsafe::io {

// The key of a STATS19 row: collision_index plus, for vehicles and casualties, their references.
struct RowKey {
    std::string_view index;
    std::int32_t a = 0, b = 0;
    bool operator==(const RowKey& o) const { return a == o.a && b == o.b && index == o.index; }
    bool operator<(const RowKey& o) const {
        if (index != o.index) return index < o.index;
        return a != o.a ? a < o.a : b < o.b;
    }
    std::uint64_t hash() const {
        // The index read 8 bytes at a time (a byte at a time cost a fifth of deduplicating), each word
        // mixed in by multiplication, then the references; the last mix spreads every bit to the low
        // bits (the slot) and the high bits (the tag).
        constexpr std::uint64_t k1 = 0xBF58476D1CE4E5B9ULL, k2 = 0x94D049BB133111EBULL;
        std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ index.size();
        const char* p = index.data();
        std::size_t n = index.size();
        for (; n >= 8; p += 8, n -= 8) {
            std::uint64_t word;
            std::memcpy(&word, p, 8);
            h = (h ^ word) * k1;
            h ^= h >> 31;
        }
        if (n) {  // the last 8 bytes (overlapping the word before), else the few there are
            std::uint64_t word = 0;
            if (index.size() >= 8) std::memcpy(&word, index.data() + index.size() - 8, 8);
            else std::memcpy(&word, p, n);
            h = (h ^ word) * k1;
            h ^= h >> 31;
        }
        h = (h ^ (std::uint64_t(std::uint32_t(a)) << 32 | std::uint32_t(b))) * k2;
        return h ^ (h >> 32);
    }
};

// How far ahead a loop over keys prefetches their index slots.
inline constexpr std::size_t kPrefetchAhead = 16;

class KeyIndex {
public:
    explicit KeyIndex(const std::vector<RowKey>& keys) : keys_(keys) {
        const std::size_t size = std::bit_ceil(std::max<std::size_t>(16, keys.size() * 2));
        slots_.assign(size, Slot{kEmpty, 0});
        mask_ = size - 1;
    }
    // The first row with key keys[row] if one was inserted before, else inserts `row` and returns -1.
    std::int64_t insert(std::uint32_t row) {
        const RowKey& key = keys_[row];
        const std::uint64_t h = key.hash();
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
            if (slots_[s].row == kEmpty) {
                slots_[s] = Slot{row, tag};
                return -1;
            }
            if (slots_[s].tag == tag && keys_[slots_[s].row] == key) return slots_[s].row;
        }
    }
    // Starts loading the slot where `key` is looked for: keys in random order miss the cache on nearly
    // every slot, so loops over keys ask for the slot of a key kPrefetchAhead rows on.
    void prefetch(const RowKey& key) const { __builtin_prefetch(&slots_[key.hash() & mask_]); }
    // The row holding `key`, or -1.
    std::int64_t find(const RowKey& key) const {
        const std::uint64_t h = key.hash();
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
            if (slots_[s].row == kEmpty) return -1;
            if (slots_[s].tag == tag && keys_[slots_[s].row] == key) return slots_[s].row;
        }
    }

private:
    // The hash's high bits are kept beside the row, so most mismatches cost no key comparison.
    struct Slot {
        std::uint32_t row;
        std::uint32_t tag;
    };
    static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
    const std::vector<RowKey>& keys_;
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
};

// Where the keys' collision_index never decreases: the starts of such stretches, then keys.size().
// A file sorted by collision_index is one stretch; files written in a few sorted pieces (the DfT 2015
// vehicles and casualties are two) are a few, and are searched by bisection, with no hash table.
inline std::vector<std::size_t> sorted_stretches(const std::vector<RowKey>& keys) {
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 1; i < keys.size(); ++i)
        if (keys[i].index < keys[i - 1].index) starts.push_back(i);
    starts.push_back(keys.size());
    return starts;
}

// Few enough stretches to search each by bisection rather than hashing every key.
inline constexpr std::size_t kMostSortedStretches = 8;

// Whether no collision_index is in two of the stretches (so equal keys are next to each other).
inline bool stretches_apart(const std::vector<RowKey>& keys, const std::vector<std::size_t>& starts) {
    for (std::size_t s = 0; s + 1 < starts.size(); ++s)
        for (std::size_t t = s + 1; t + 1 < starts.size(); ++t) {
            std::size_t i = starts[s], j = starts[t];  // merge-walk two sorted stretches for an index in both
            while (i < starts[s + 1] && j < starts[t + 1]) {
                if (keys[i].index < keys[j].index) ++i;
                else if (keys[j].index < keys[i].index) ++j;
                else return false;
            }
        }
    return true;
}

// The row with `key` among sorted stretches, by bisection on collision_index in each; -1 if none.
inline std::int64_t find_in_stretches(const std::vector<RowKey>& keys, const std::vector<std::size_t>& starts,
                                      const RowKey& key) {
    for (std::size_t s = 0; s + 1 < starts.size(); ++s) {
        const auto end = keys.begin() + std::ptrdiff_t(starts[s + 1]);
        auto it = std::lower_bound(keys.begin() + std::ptrdiff_t(starts[s]), end, key.index,
                                   [](const RowKey& k, std::string_view index) { return k.index < index; });
        for (; it != end && it->index == key.index; ++it)
            if (*it == key) return it - keys.begin();
    }
    return -1;
}

// Finds rows by key from several threads: through `index` when given (a KeyIndex of `keys`), else by
// bisection when the keys are in a few sorted stretches, else through a KeyIndex of every row made
// once, by whichever thread first needs it.
class SharedKeyIndex {
public:
    explicit SharedKeyIndex(const std::vector<RowKey>& keys, std::unique_ptr<KeyIndex> index = nullptr)
        : keys_(keys), index_(std::move(index)) {}
    const std::vector<RowKey>& keys() const { return keys_; }
    std::int64_t find(const RowKey& key) {
        std::call_once(built_, [this] {
            if (index_) return;
            stretches_ = sorted_stretches(keys_);
            if (stretches_.size() - 1 <= kMostSortedStretches) return;
            index_ = std::make_unique<KeyIndex>(keys_);
            for (std::size_t i = 0; i < keys_.size(); ++i) {
                if (i + kPrefetchAhead < keys_.size()) index_->prefetch(keys_[i + kPrefetchAhead]);
                index_->insert(static_cast<std::uint32_t>(i));
            }
        });
        return index_ ? index_->find(key) : find_in_stretches(keys_, stretches_, key);
    }

private:
    const std::vector<RowKey>& keys_;
    std::unique_ptr<KeyIndex> index_;
    std::once_flag built_;
    std::vector<std::size_t> stretches_;
};

// Finds rows by key: first near the previous match (vehicles and casualties usually follow their
// parents' order), else through the shared index, built the first time any thread needs it.
class NearbyLookup {
public:
    explicit NearbyLookup(SharedKeyIndex& shared) : shared_(shared), keys_(shared.keys()) {}
    std::int64_t find(const RowKey& key) {
        const auto n = static_cast<std::int64_t>(keys_.size());
        for (std::int64_t d : {0, 1, -1, 2, -2, 3, -3, 4, -4}) {  // the likeliest rows first
            const std::int64_t c = previous_ + d;
            if (c >= 0 && c < n && keys_[std::size_t(c)] == key) return previous_ = c;
        }
        const std::int64_t row = shared_.find(key);
        if (row >= 0) previous_ = row;
        return row;
    }

private:
    SharedKeyIndex& shared_;
    const std::vector<RowKey>& keys_;
    std::int64_t previous_ = 0;
};

}  // namespace roadsafe::io
