#include "roadsafe/io/read_stats19.hpp"

#include <cpl_vsi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <optional>
#include <thread>
#include <unordered_map>

#include "key_index.hpp"
#include "parse_rows.hpp"
#include "date_order.hpp"
#include "read_plan.hpp"
#include "roadsafe/core/error.hpp"
#include "roadsafe/core/parallel.hpp"
#include "roadsafe/geo/bng_transform.hpp"
#include "roadsafe/geo/location_check.hpp"
#include "roadsafe/io/csv_line.hpp"
#include "roadsafe/io/csv_text.hpp"
#include "roadsafe/io/mapping_profile.hpp"
#include "roadsafe/io/virtual_file.hpp"

namespace roadsafe::io {

namespace {

// Chunks are at most this large (each one's parsed tables must fit in memory beside the others)...
constexpr std::size_t kMaxChunkBytes = std::size_t{4} << 20;
// ...and at least this (the per-chunk set-up stays small against the parsing)...
constexpr std::size_t kMinChunkBytes = std::size_t{256} << 10;
// ...and a file is cut into at least this many a thread, so no thread is left with a long last chunk.
constexpr std::size_t kChunksPerThread = 8;

// Adds the seconds spent in each stage to the report's timings (summed over files).
class StageTimer {
public:
    explicit StageTimer(LoadReport& report) : report_(report), start_(std::chrono::steady_clock::now()) {}
    void lap(const char* stage) {
        const auto now = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(now - start_).count();
        start_ = now;
        for (auto& [name, total] : report_.timings)
            if (name == stage) {
                total += seconds;
                return;
            }
        report_.timings.emplace_back(stage, seconds);
    }

private:
    LoadReport& report_;
    std::chrono::steady_clock::time_point start_;
};

// What strict mode raises on: problems with the input's content. Unused columns and duplicates
// (expected when the 1979-latest file is loaded beside single years) are only reported.
bool is_problem(Outcome o) { return o != Outcome::ColumnNotLoaded && o != Outcome::DuplicateSkipped; }

[[noreturn]] void raise_entry(const ReportEntry& e) {
    const ErrorCode code = e.reason.find("UTF-8") != std::string::npos ? ErrorCode::Encoding : ErrorCode::InvalidInput;
    throw Error(code, e.reason, {e.file, e.line, e.column, e.value});
}

// Splits `body` into chunks that end at line ends, small enough to share among `threads` evenly.
std::vector<std::string_view> split_chunks(std::string_view body, unsigned threads) {
    const std::size_t chunk_bytes = std::clamp(body.size() / (std::size_t{threads} * kChunksPerThread), kMinChunkBytes, kMaxChunkBytes);
    std::vector<std::string_view> chunks;
    while (!body.empty()) {
        std::size_t end = std::min(body.size(), chunk_bytes);
        if (end < body.size()) {
            const std::size_t nl = body.find('\n', end);
            end = nl == std::string_view::npos ? body.size() : nl + 1;
        }
        chunks.push_back(body.substr(0, end));
        body.remove_prefix(end);
    }
    return chunks;
}

struct ProgressTracker {
    const ProgressCallback& callback;
    std::size_t total_bytes;
    std::atomic<std::size_t> done{0};
    std::atomic<bool> cancelled{false};
    std::size_t finished_files_bytes = 0;

    void report(std::string_view stage) {
        if (!callback) return;
        const double f = total_bytes ? double(finished_files_bytes + done.load()) / double(total_bytes) : 1.0;
        if (!callback(std::min(f, 1.0), stage)) cancelled = true;
    }
};

unsigned worker_count(const ReadOptions& options) {
    return options.threads > 0 ? unsigned(options.threads) : std::max(1u, std::thread::hardware_concurrency());
}

std::vector<ChunkResult> parse_parallel(const FilePlan& plan, const std::vector<std::string_view>& chunks,
                                        const std::vector<ChunkOutput>& outputs, const ReadOptions& options,
                                        ProgressTracker& progress) {
    std::vector<ChunkResult> results(chunks.size());
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    auto worker = [&] {
        try {
            for (std::size_t i; !progress.cancelled && !failed && (i = next++) < chunks.size();) {
                results[i] = parse_rows(plan, chunks[i], outputs[i], options.strict);
                progress.done += chunks[i].size();
                if (options.strict && !results[i].entries.empty()) failed = true;
                if (results[i].unclosed_quote) failed = true;  // parsed again in order; the rest is wasted work
            }
        } catch (...) {
            failed = true;
            error = std::current_exception();
        }
    };
    const unsigned threads = std::min<unsigned>(worker_count(options), unsigned(chunks.size()));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    if (threads <= 1 || !progress.callback) {
        worker();
    } else {
        // The calling thread reports progress (the callback may need the caller's interpreter lock).
        while (next.load() < chunks.size() && !failed && !progress.cancelled) {
            progress.report("reading " + plan.file);
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        worker();
    }
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
    if (progress.cancelled) throw Error(ErrorCode::Cancelled, "reading cancelled", {plan.file, 0, "", ""});
    return results;
}

// Sets the day/month order of each D/M/Y date column of the file from its values (a part above 12
// decides; none does: DfT's day-first order, said); a file written month first is read so, and says so.
void decide_date_orders(FilePlan& plan, std::string_view body) {
    for (RowPlan& row : plan.rows)
        for (Binding& b : row.bindings) {
            if (b.kind != ParseKind::Date || b.source < 0) continue;
            const DateOrderDecision d = decide_date_order(body, b.source, plan.separator);
            if (d.seen && !d.decided) {  // nothing tells: DfT's order, and the report says it was assumed
                plan.column_entries.push_back({plan.file, 1, stats19_table_name(row.table), b.header, "",
                                               "no date has a part above 12 to show whether the day or the month "
                                               "comes first: read day first (DD/MM/YYYY), as DfT writes",
                                               Outcome::RowFlagged});
                continue;
            }
            if (!d.decided || d.order != DateOrder::MonthFirst) continue;
            b.month_first = true;
            plan.column_entries.push_back({plan.file, d.line, stats19_table_name(row.table), b.header, d.value,
                                           "dates are written month first (MM/DD/YYYY), as this value shows: all "
                                           "are read so",
                                           Outcome::RowFlagged});
        }
}

// Where a file's chunks write their rows in the output tables: each chunk a region of its own, with a
// row for each of its lines and each row plan of the table (what a well-formed file fills exactly).
struct FileRegions {
    std::array<std::size_t, 3> before{};                // each table's rows from the earlier files
    std::vector<std::array<std::size_t, 3>> first_row;  // by chunk: its region's first row in each table
    std::vector<std::int64_t> line_base;                // by chunk: the file's line before its first
    std::vector<ChunkOutput> outputs;                   // by chunk: where parse_rows writes
    std::array<std::vector<int>, 3> template_of;        // output column -> the plan's template column, or -1
};

bool holds_numbers(const Column& c) { return c.type != ColumnType::Text; }

// Adds the plan's columns (and `source_line`, `source_file`) to the output tables, sizes the numeric
// ones for every chunk's region, and points each chunk at its own.
FileRegions prepare_regions(const FilePlan& plan, const std::vector<std::string_view>& chunks,
                            std::array<Table, 3>& tables, unsigned threads) {
    FileRegions regions;
    std::vector<std::size_t> lines(chunks.size());
    for_each_index(chunks.size(), threads, [&](std::size_t i) {
        const std::string_view c = chunks[i];
        lines[i] = count_line_breaks(c) + (c.empty() || c.back() == '\n' ? 0 : 1);
    });
    std::array<std::size_t, 3> plans_per_table{};
    for (const RowPlan& row : plan.rows) ++plans_per_table[table_slot(row.table)];
    regions.first_row.resize(chunks.size());
    regions.outputs.resize(chunks.size());
    std::int64_t line_base = 1;  // the header
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        regions.line_base.push_back(line_base);
        regions.outputs[i].line_base = line_base;
        regions.outputs[i].lines = lines[i];
        line_base += std::int64_t(lines[i]);
    }
    for (std::size_t t = 0; t < 3; ++t) {
        const Table& layout = plan.templates[t];
        if (layout.column_count() == 0) continue;
        Table& out = tables[t];
        regions.before[t] = out.rows();
        for (const Column& c : layout.columns()) {
            const Column* existing = out.find(c.name);
            if (existing && existing->type != c.type)
                throw Error(ErrorCode::SchemaMismatch, "column '" + c.name + "' is " + column_type_name(existing->type) +
                                                           " in one input and " + column_type_name(c.type) + " in another");
            if (!existing) out.add(c.name, c.type).categories = c.categories;
        }
        out.add("source_line", ColumnType::Int);
        out.add("source_file", ColumnType::Category);
        std::vector<Column*> output(layout.column_count());  // each template column's output column
        auto& template_of = regions.template_of[t];
        template_of.assign(out.column_count(), -1);
        for (std::size_t c = 0; c < layout.column_count(); ++c) {
            output[c] = out.find(layout.columns()[c].name);
            template_of[std::size_t(output[c] - out.columns().data())] = int(c);
        }
        std::size_t row = regions.before[t];
        for (std::size_t i = 0; i < chunks.size(); ++i) {
            regions.first_row[i][t] = row;
            row += lines[i] * plans_per_table[t];
        }
        // Sized, not reserved: the chunks write their regions concurrently.
        Column* source_line = out.find("source_line");
        for_each_index(out.column_count(), threads, [&](std::size_t c) {
            Column& column = out.columns()[c];
            if (template_of[c] < 0 && &column != source_line) return;
            if (column.type == ColumnType::Float) column.floats.resize(row);
            else if (holds_numbers(column)) column.ints.resize(row);
        });
        for (std::size_t i = 0; i < chunks.size(); ++i) {
            TableRegion& region = regions.outputs[i].tables[t];
            region.ints.assign(layout.column_count(), nullptr);
            region.floats.assign(layout.column_count(), nullptr);
            for (std::size_t c = 0; c < layout.column_count(); ++c) {
                Column& column = *output[c];
                if (column.type == ColumnType::Float) region.floats[c] = column.floats.data() + regions.first_row[i][t];
                else if (holds_numbers(column)) region.ints[c] = column.ints.data() + regions.first_row[i][t];
            }
            region.source_line = source_line->ints.data() + regions.first_row[i][t];
        }
    }
    return regions;
}

// Closes the gaps between a file's chunk regions (rows a chunk did not fill: blank or rejected lines),
// appends the chunks' text in order, fills the columns the file does not have, and adds the report.
void merge_file(const FilePlan& plan, std::vector<ChunkResult>& results, const FileRegions& regions,
                std::int32_t file_id, std::array<Table, 3>& tables, LoadReport& report, const ReadOptions& options) {
    FileSummary summary{plan.file, stats19_table_name(plan.main_table), plan.generation};
    for (const auto& e : plan.column_entries) report.entries.push_back(e);
    std::size_t entries = 0, value_bytes = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const ChunkResult& r = results[i];
        entries += r.entries.size();
        value_bytes += r.entries.columns().value_chars.size();
        if (options.strict)
            for (std::size_t k = 0; k < r.entries.size(); ++k)
                if (is_problem(r.entries.outcome(k))) {
                    ReportEntry e = r.entries[k];
                    e.line += regions.line_base[i];
                    raise_entry(e);
                }
        summary.rows_read += r.rows_read;
        summary.rows_loaded += r.rows_loaded;
        summary.rows_rejected += r.rows_rejected;
    }
    report.entries.reserve_more(entries, value_bytes);
    const unsigned threads = worker_count(options);
    auto close_gaps = [&] {
        for (std::size_t t = 0; t < 3; ++t) {
            if (plan.templates[t].column_count() == 0) continue;
            Table& out = tables[t];
            const std::size_t before = regions.before[t];
            std::size_t rows = before;
            for (const ChunkResult& r : results) rows += r.rows[t];
            const auto& template_of = regions.template_of[t];
            for_each_index(out.column_count(), threads, [&](std::size_t c) {
                Column& column = out.columns()[c];
                const bool written = template_of[c] >= 0 || column.name == "source_line";
                if (column.name == "source_file") {
                    column.ints.resize(rows, file_id);
                } else if (written && holds_numbers(column)) {
                    const std::size_t width = column.type == ColumnType::Float ? sizeof(double) : sizeof(std::int32_t);
                    char* data = column.type == ColumnType::Float ? reinterpret_cast<char*>(column.floats.data())
                                                                  : reinterpret_cast<char*>(column.ints.data());
                    std::size_t to = before;
                    for (std::size_t i = 0; i < results.size(); ++i) {
                        const std::size_t from = regions.first_row[i][t], n = results[i].rows[t];
                        if (from != to) std::memmove(data + to * width, data + from * width, n * width);
                        to += n;
                    }
                    if (column.type == ColumnType::Float) column.floats.resize(rows);
                    else column.ints.resize(rows);
                } else if (written) {  // text, kept by each chunk
                    std::size_t bytes = column.text.chars().size();
                    for (const ChunkResult& r : results)
                        if (r.text[t].column_count()) bytes += r.text[t].columns()[std::size_t(template_of[c])].text.chars().size();
                    column.text.reserve(rows, bytes);
                    for (const ChunkResult& r : results)
                        if (r.text[t].column_count()) column.text.append_buffer(r.text[t].columns()[std::size_t(template_of[c])].text);
                } else {  // a column of earlier files only
                    while (column.size() < rows) column.append_missing();
                }
            });
        }
    };
    // The entries (millions in files with many unlisted codes) are appended beside the tables, not before them
    // (unless one thread was asked for).
    auto append_entries = [&] {
        for (std::size_t i = 0; i < results.size(); ++i) report.entries.append(results[i].entries, regions.line_base[i]);
    };
    if (entries == 0 || threads == 1) {
        append_entries();
        close_gaps();
    } else {
        run_concurrently(append_entries, close_gaps);
    }
    report.files.push_back(std::move(summary));
}

// A file that cannot be read at all, and why (the error strict mode or a single input raises).
struct UnreadableFile {
    Error error;
    std::string reason;
};

UnreadableFile unreadable_file(ErrorCode code, std::string reason, SourceLocation where) {
    Error error(code, reason, where);
    return {std::move(error), std::move(reason)};
}

// A file that is not read still gets its summary (report.files has one per input file, in order)
// and one entry with the reason (line 0 = the file as a whole).
void skip_unreadable_file(const UnreadableFile& u, LoadReport& report) {
    const SourceLocation& w = u.error.where();
    report.files.push_back({w.file, "", "", 0, 0, 0, 0});
    report.entries.push_back({w.file, w.line, "", w.column, w.value, u.reason, Outcome::RowRejected});
}

// No input could be read: a single file's error is raised as it is; with several, the first
// one's, naming the others and their reasons.
[[noreturn]] void raise_no_file_read(const std::vector<UnreadableFile>& unreadable) {
    const UnreadableFile& first = unreadable.front();
    if (unreadable.size() == 1) throw first.error;
    std::string message = first.reason + " (and no other input file could be read:";
    for (std::size_t i = 1; i < unreadable.size(); ++i)
        message += (i > 1 ? "; " : " ") + unreadable[i].error.where().file + ": " + unreadable[i].reason;
    throw Error(first.error.code(), message + ")", first.error.where());
}

std::vector<RowKey> row_keys(const Table& t, Stats19Table which) {
    std::vector<RowKey> keys(t.rows());
    const Column* index = t.find("collision_index");
    const Column* vref = which == Stats19Table::Collision ? nullptr : t.find("vehicle_reference");
    const Column* cref = which == Stats19Table::Casualty ? t.find("casualty_reference") : nullptr;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        keys[i].index = index->text.at(i);
        if (vref) keys[i].a = vref->ints[i];
        if (cref) keys[i].b = cref->ints[i];
    }
    return keys;
}

// For each row, the first earlier row with the same key, or -1. In files sorted by collision_index (or
// in a few sorted stretches that share no index, as DfT writes vehicles and casualties) equal keys
// are within one run of an index, so the runs are searched on their own; else, or when a run is
// long, through a hash index.
// `index` is left holding the hash index, when one was made.
std::vector<std::int64_t> first_rows_of_keys(const std::vector<RowKey>& keys, std::unique_ptr<KeyIndex>& index) {
    constexpr std::size_t kLongestRun = 64;  // searched pairwise; a longer run costs more than hashing
    std::vector<std::int64_t> earlier(keys.size(), -1);
    const auto stretches = sorted_stretches(keys);
    bool runs_apart = stretches.size() - 1 <= kMostSortedStretches && stretches_apart(keys, stretches);
    for (std::size_t start = 0, end = 0; runs_apart && start < keys.size(); start = end) {
        for (end = start + 1; end < keys.size() && keys[end].index == keys[start].index; ++end) {}
        if (end - start > kLongestRun) runs_apart = false;
        for (std::size_t i = start + 1; i < end && runs_apart; ++i)
            for (std::size_t j = start; j < i; ++j)
                if (keys[j] == keys[i]) {
                    earlier[i] = std::int64_t(j);
                    break;
                }
    }
    if (runs_apart) return earlier;
    std::fill(earlier.begin(), earlier.end(), -1);
    index = std::make_unique<KeyIndex>(keys);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i + kPrefetchAhead < keys.size()) index->prefetch(keys[i + kPrefetchAhead]);
        earlier[i] = index->insert(static_cast<std::uint32_t>(i));
    }
    return earlier;
}

// Loads each key once: later rows with a key already seen are reported and dropped.
// Entries are returned (not added to the report) so the three tables can be done concurrently;
// `keys` is left holding the kept rows' keys, for the joins, and `index` the hash index of them when one was
// made and no row dropped (the joins look rows up in it rather than make another).
ReportEntries drop_duplicates(Table& t, Stats19Table which, const std::vector<std::string>& files,
                              std::vector<FileSummary>& summaries, std::vector<RowKey>& keys,
                              std::unique_ptr<KeyIndex>& index) {
    ReportEntries entries;
    keys.clear();
    if (t.rows() == 0) return entries;
    keys = row_keys(t, which);
    // Keys in strictly ascending order cannot repeat: one pass proves it, and no hash table is needed.
    if (std::adjacent_find(keys.begin(), keys.end(), [](const RowKey& x, const RowKey& y) { return !(x < y); }) ==
        keys.end())
        return entries;
    const auto earlier_rows = first_rows_of_keys(keys, index);
    std::vector<char> keep(keys.size(), 1);
    bool any = false;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::int64_t earlier = earlier_rows[i];
        if (earlier < 0) continue;
        keep[i] = 0;
        any = true;
        const auto file_id = std::size_t(t.at("source_file").ints[i]);
        const auto first_row = std::size_t(earlier);
        entries.add({.file = files[file_id],
                     .line = t.at("source_line").ints[i],
                     .table = stats19_table_name(which),
                     .column = "collision_index",
                     .value = keys[i].index,
                     .reason = "already loaded from",
                     .outcome = Outcome::DuplicateSkipped,
                     .related_file = files[std::size_t(t.at("source_file").ints[first_row])],
                     .related_line = t.at("source_line").ints[first_row]});
        // report.files holds one summary per input file, in file order (the same path may be given twice).
        FileSummary& f = summaries[file_id];
        if (f.table == stats19_table_name(which)) {
            ++f.rows_duplicate;
            --f.rows_loaded;
        }
    }
    if (any) {
        t.filter(keep);
        keys = row_keys(t, which);  // the old keys view the text before filtering
        index.reset();
    }
    return entries;
}

void add_orphan(ReportEntries& entries, const Table& t, Stats19Table which, std::size_t row,
                const std::vector<std::string>& files, std::string_view reason) {
    entries.add({files[std::size_t(t.at("source_file").ints[row])], t.at("source_line").ints[row],
                 stats19_table_name(which), "collision_index", t.at("collision_index").text.at(row), reason,
                 Outcome::RowFlagged});
}

// vehicles and casualties get the row of their collision (and casualties of their vehicle).
// The two tables are linked concurrently; each returns its own report entries. `keys`: each
// table's row keys (by table_slot), as drop_duplicates left them.
void join_rows(Dataset& ds, const std::vector<std::string>& files, const std::array<std::vector<RowKey>, 3>& keys_of,
               std::array<std::unique_ptr<KeyIndex>, 3>& indexes) {
    if (ds.vehicles.rows() == 0 && ds.casualties.rows() == 0) return;
    const auto& collision_keys = keys_of[table_slot(Stats19Table::Collision)];
    const auto& vehicle_keys = keys_of[table_slot(Stats19Table::Vehicle)];
    // Both tables look collisions up: the index of them, when one is needed, is built once for both.
    SharedKeyIndex collision_index(collision_keys, std::move(indexes[table_slot(Stats19Table::Collision)])),
        vehicle_index(vehicle_keys, std::move(indexes[table_slot(Stats19Table::Vehicle)]));
    auto link = [&](Table& t, Stats19Table which, const std::vector<RowKey>& keys) {
        ReportEntries orphans;
        NearbyLookup collisions(collision_index), vehicles(vehicle_index);
        std::vector<std::int32_t> collision(keys.size(), kMissingInt), vehicle;
        if (which == Stats19Table::Casualty) vehicle.assign(keys.size(), kMissingInt);
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (const auto row = collisions.find({keys[i].index, 0, 0}); row >= 0) collision[i] = static_cast<std::int32_t>(row);
            else if (!collision_keys.empty())
                add_orphan(orphans, t, which, i, files, "no collision with this collision_index was loaded");
            if (which == Stats19Table::Casualty) {
                if (const auto row = vehicles.find({keys[i].index, keys[i].a, 0}); row >= 0) vehicle[i] = static_cast<std::int32_t>(row);
                else if (!vehicle_keys.empty())
                    add_orphan(orphans, t, which, i, files,
                               "no vehicle with this collision_index and vehicle_reference was loaded");
            }
        }
        t.add("collision_row", ColumnType::Int).ints = std::move(collision);
        if (which == Stats19Table::Casualty) t.add("vehicle_row", ColumnType::Int).ints = std::move(vehicle);
        return orphans;
    };
    ReportEntries vehicle_orphans, casualty_orphans;
    run_concurrently(
        [&] {
            if (ds.vehicles.rows()) vehicle_orphans = link(ds.vehicles, Stats19Table::Vehicle, vehicle_keys);
        },
        [&] {
            if (ds.casualties.rows())
                casualty_orphans = link(ds.casualties, Stats19Table::Casualty, keys_of[table_slot(Stats19Table::Casualty)]);
        });
    for (auto* orphans : {&vehicle_orphans, &casualty_orphans}) ds.report.entries.append(*orphans);
}

void check_locations(Dataset& ds, const std::optional<MappingProfile>& profile, const std::vector<std::string>& files) {
    Table& t = ds.collisions;
    if (t.rows() == 0) return;
    const bool bng_columns = t.find("location_easting_osgr") && t.find("location_northing_osgr");
    const bool wgs_columns = t.find("longitude") && t.find("latitude");
    if (!bng_columns && !wgs_columns) return;
    // Add every column first (a file may have either pair): add() may move the columns, so
    // references are taken afterwards.
    t.add("location_easting_osgr", ColumnType::Float);
    t.add("location_northing_osgr", ColumnType::Float);
    t.add("longitude", ColumnType::Float);
    t.add("latitude", ColumnType::Float);
    t.add("location_status", ColumnType::Category);
    Column* e = t.find("location_easting_osgr");
    Column* n = t.find("location_northing_osgr");
    Column& lon = *t.find("longitude");
    Column& lat = *t.find("latitude");
    Column& status = *t.find("location_status");
    status.categories = geo::location_status_categories();
    const std::size_t rows = t.rows();
    std::optional<double> placeholder_e, placeholder_n;
    if (profile) {
        if (auto it = profile->placeholders.find("location_easting_osgr"); it != profile->placeholders.end()) placeholder_e = it->second;
        if (auto it = profile->placeholders.find("location_northing_osgr"); it != profile->placeholders.end()) placeholder_n = it->second;
    }
    auto is_placeholder = [](std::optional<double> p, double v) { return p && std::abs(v - *p) < 1e-6; };

    // Fill whichever coordinate pair is missing from the other.
    std::vector<std::size_t> need_wgs, need_bng;
    std::vector<char> bad_wgs(rows, 0);  // a longitude/latitude no projection takes: reported, never converted
    for (std::size_t i = 0; i < rows; ++i) {
        const bool has_bng = !std::isnan(e->floats[i]) && !std::isnan(n->floats[i]);
        const bool has_wgs = !std::isnan(lon.floats[i]) && !std::isnan(lat.floats[i]);
        if (has_bng && !has_wgs) need_wgs.push_back(i);
        if (!has_bng && has_wgs) {
            if (std::abs(lat.floats[i]) <= 90.0 && std::abs(lon.floats[i]) <= 180.0) need_bng.push_back(i);
            else bad_wgs[i] = 1;
        }
    }
    auto gather_transform = [&](const std::vector<std::size_t>& rows_in, Column& x_in, Column& y_in, Column& x_out,
                                Column& y_out, bool to_wgs) {
        if (rows_in.empty()) return;
        std::vector<double> xi, yi, xo(rows_in.size()), yo(rows_in.size());
        for (auto i : rows_in) {
            xi.push_back(x_in.floats[i]);
            yi.push_back(y_in.floats[i]);
        }
        const std::string op = to_wgs ? geo::bng_to_wgs84(xi.data(), yi.data(), xo.data(), yo.data(), xi.size())
                                      : geo::wgs84_to_bng(xi.data(), yi.data(), xo.data(), yo.data(), xi.size());
        for (std::size_t k = 0; k < rows_in.size(); ++k) {
            x_out.floats[rows_in[k]] = xo[k];
            y_out.floats[rows_in[k]] = yo[k];
        }
        if (!op.empty()) ds.report.coordinate_transformation = op;
    };
    gather_transform(need_wgs, *e, *n, lon, lat, true);
    gather_transform(need_bng, lon, lat, *e, *n, false);

    for (std::size_t i = 0; i < rows; ++i) {
        const double ev = e->floats[i], nv = n->floats[i];
        geo::LocationStatus s = geo::LocationStatus::Ok;
        std::string reason;
        if (bad_wgs[i]) {
            s = geo::LocationStatus::OutsideGb;
            reason = "longitude/latitude out of range (latitude -90 to 90, longitude -180 to 180); the location is "
                     "not plotted";
        } else if (std::isnan(ev) || std::isnan(nv)) s = geo::LocationStatus::Missing;
        else if (is_placeholder(placeholder_e, ev) || is_placeholder(placeholder_n, nv)) {
            s = geo::LocationStatus::Placeholder;
            reason = "placeholder coordinates of this export; the location is unknown and not plotted";
        } else if (!geo::GbWindow::contains(ev, nv)) {
            s = geo::LocationStatus::OutsideGb;
            reason = "coordinates outside Great Britain; the location is not plotted";
        }
        status.ints[i] = static_cast<std::int32_t>(s);
        if (!reason.empty()) {
            char value[64];
            if (bad_wgs[i]) std::snprintf(value, sizeof value, "%.6g %.6g", lon.floats[i], lat.floats[i]);
            else std::snprintf(value, sizeof value, "%.4f %.4f", ev, nv);
            ds.report.entries.add({files[std::size_t(t.at("source_file").ints[i])], t.at("source_line").ints[i],
                                   "collision",
                                   bad_wgs[i] ? "longitude latitude" : "location_easting_osgr location_northing_osgr",
                                   value, reason, Outcome::RowFlagged});
            e->floats[i] = n->floats[i] = lon.floats[i] = lat.floats[i] = kMissingFloat;
        }
    }
}

}  // namespace

Dataset read_stats19(const std::vector<std::string>& paths, const ReadOptions& options) {
    if (paths.empty()) throw Error(ErrorCode::InvalidInput, "no input files given");
    std::optional<MappingProfile> profile;
    if (!options.profile.empty()) profile = load_mapping_profile(options.profile);

    std::vector<std::string> files;
    for (const auto& p : paths)
        for (auto& f : expand_input_path(p)) files.push_back(std::move(f));

    Dataset ds;
    std::array<Table, 3> tables;
    std::vector<UnreadableFile> unreadable_files;  // files skipped, in order
    ProgressTracker progress{options.progress, 0};
    for (const auto& f : files) {
        VSIStatBufL st;
        if (VSIStatL(f.c_str(), &st) == 0) progress.total_bytes += std::size_t(st.st_size);
    }
    for (std::size_t fi = 0; fi < files.size(); ++fi) {
        const std::string& file = files[fi];
        StageTimer timer(ds.report);
        const InputBytes input(file);
        const std::string_view content = input.view();
        const CsvText csv(file, content, options.sheet, {"collision_index", "accident_index"});
        timer.lap("read file");
        const std::string_view text = csv.text();
        // A file that cannot be read as a STATS19 text file at all (empty, binary, a header in the
        // wrong encoding) is reported and skipped; the other files are still read.
        std::optional<UnreadableFile> unreadable;
        if (!csv.problem().empty())
            unreadable = unreadable_file(ErrorCode::SchemaMismatch, csv.problem(), {file, 0, "", ""});
        else if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
            unreadable = unreadable_file(ErrorCode::InvalidInput, "the file is empty", {file, 0, "", ""});
        else if (const std::string why = not_text_reason(text.substr(0, 65536)); !why.empty())
            unreadable = unreadable_file(ErrorCode::SchemaMismatch, why, {file, 0, "", ""});
        const std::size_t nl = text.find('\n');
        std::string_view header_line = text.substr(0, nl);
        if (!header_line.empty() && header_line.back() == '\r') header_line.remove_suffix(1);
        std::vector<std::string_view> header;
        std::string scratch;
        std::string header_utf8;
        const bool latin1 = profile && profile->encoding == TextEncoding::Latin1;
        if (!unreadable && !latin1 && !is_valid_utf8(header_line))
            unreadable = unreadable_file(ErrorCode::Encoding, "the header is not valid UTF-8 (the declared encoding)",
                                         {file, 1, "", escape_bytes(header_line.substr(0, 80))});
        if (unreadable) {
            if (options.strict) throw unreadable->error;
            skip_unreadable_file(*unreadable, ds.report);
            unreadable_files.push_back(std::move(*unreadable));
            progress.finished_files_bytes += content.size();
            continue;
        }
        if (latin1) {
            append_latin1_as_utf8(header_line, header_utf8);
            header_line = header_utf8;
        }
        if (!split_csv_line(header_line, header, scratch, csv.separator()))
            throw Error(ErrorCode::SchemaMismatch, "the header has an unclosed quote", {file, 1, "", escape_bytes(header_line.substr(0, 80))});
        FilePlan plan = profile ? plan_profile_file(file, header, *profile) : plan_dft_file(file, header);
        plan.separator = csv.separator();
        plan.header_line = std::string(header_line);
        if (!csv.origin().empty()) plan.generation += ", " + csv.origin();  // shown beside the file in the report
        const std::string_view body = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        decide_date_orders(plan, body);
        const auto chunks = split_chunks(body, worker_count(options));
        FileRegions regions = prepare_regions(plan, chunks, tables, worker_count(options));
        auto results = parse_parallel(plan, chunks, regions.outputs, options, progress);
        if (std::any_of(results.begin(), results.end(), [](const ChunkResult& r) { return r.unclosed_quote; })) {
            // A quoted field holds a line break (or a quote is never closed). Chunks are cut at line
            // ends, which may fall inside such a record, so the file is parsed again as a whole, in order,
            // into the regions of all its chunks from the first one's start.
            results.clear();
            results.push_back(parse_rows(plan, body, regions.outputs[0], options.strict, true, 1));  // after the header
            regions.first_row.resize(1);
            regions.line_base.resize(1);
        }
        timer.lap("parse");
        merge_file(plan, results, regions, static_cast<std::int32_t>(fi), tables, ds.report, options);
        timer.lap("merge");
        progress.finished_files_bytes += content.size();
        progress.done = 0;
        progress.report("read " + file);
        if (progress.cancelled) throw Error(ErrorCode::Cancelled, "reading cancelled", {file, 0, "", ""});
    }
    if (unreadable_files.size() == files.size()) raise_no_file_read(unreadable_files);
    ds.collisions = std::move(tables[table_slot(Stats19Table::Collision)]);
    ds.vehicles = std::move(tables[table_slot(Stats19Table::Vehicle)]);
    ds.casualties = std::move(tables[table_slot(Stats19Table::Casualty)]);

    auto file_categories = std::make_shared<Categories>();
    for (std::size_t i = 0; i < files.size(); ++i) {
        // A path given twice gets "#2" so each input keeps its own label.
        const auto repeats = std::count(files.begin(), files.begin() + std::ptrdiff_t(i), files[i]);
        file_categories->labels.emplace_back(std::int32_t(i), repeats ? files[i] + " #" + std::to_string(repeats + 1) : files[i]);
    }
    for (Table* t : {&ds.collisions, &ds.vehicles, &ds.casualties})
        if (Column* c = t->find("source_file")) c->categories = file_categories;

    StageTimer timer(ds.report);
    std::array<std::vector<RowKey>, 3> keys;  // by table_slot: what deduplication leaves, what the joins use
    std::array<std::unique_ptr<KeyIndex>, 3> indexes;  // by table_slot: deduplication's hash index, when the joins can use it
    {
        // Each table touches only its own rows and its own files' summaries.
        std::array<ReportEntries, 3> duplicates;
        run_concurrently([&] { duplicates[1] = drop_duplicates(ds.vehicles, Stats19Table::Vehicle, files, ds.report.files, keys[1], indexes[1]); },
                         [&] {
                             duplicates[0] = drop_duplicates(ds.collisions, Stats19Table::Collision, files, ds.report.files, keys[0], indexes[0]);
                             duplicates[2] = drop_duplicates(ds.casualties, Stats19Table::Casualty, files, ds.report.files, keys[2], indexes[2]);
                         });
        for (const auto& d : duplicates) ds.report.entries.append(d);
    }
    timer.lap("deduplicate");
    join_rows(ds, files, keys, indexes);
    timer.lap("join");
    check_locations(ds, profile, files);
    timer.lap("locations");
    if (options.strict)
        for (std::size_t i = 0; i < ds.report.entries.size(); ++i)
            if (is_problem(ds.report.entries.outcome(i))) raise_entry(ds.report.entries[i]);
    return ds;
}

}  // namespace roadsafe::io
