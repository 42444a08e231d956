// optimize: per-table compaction plan and rewrite, index-segment persistence, and one
// maintenance commit on main published with a CAS (re-planned when main moves).
#include "engine/maintenance/optimize.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <unordered_map>

#include "common/error.h"
#include "common/time_util.h"
#include "common/ulid.h"
#include "engine/column_mapping.h"
#include "engine/graph_state.h"
#include "engine/index/fragment_segment.h"
#include "engine/table_data_impl.h"
#include "engine/write_txn_impl.h"
#include "storage/fragment_writer.h"
#include "storage/table_snapshot.h"

namespace omnigraph::engine::maintenance {

namespace {

constexpr int kMaxRounds = 32;
constexpr const char* kNoVectorsReason = "no vectors to index yet (every row of the property is null)";

// Whether any fragment of `snap` stores a non-null value in `column` (of `type`), from the
// fragments' column statistics: no column is read.
bool stores_a_value(const storage::TableSnapshot& snap, const std::string& column, const storage::ColumnType& type) {
  for (const auto& e : snap.fragments)
    for (const auto& c : e.fragment.columns)
      if (c.name == column && c.type == type && c.stats.null_count < e.fragment.row_count) return true;
  return false;
}

// The outcome of optimizing one table snapshot; reusable as long as the table is unchanged.
struct TableResult {
  std::string new_snapshot_key;  // empty = nothing to do
  DatasetOptimize report;
};

// One column of the table snapshot optimize writes: physical name and storage type.
struct PhysicalColumn {
  std::string name;
  storage::ColumnType type;
  const compiler::Property* property = nullptr;  // null for id/src/dst
};

std::vector<PhysicalColumn> physical_columns(const compiler::TypeDef& type) {
  std::vector<PhysicalColumn> cols;
  auto str = storage::ColumnType::scalar(storage::TypeKind::kString);
  cols.push_back({"id", str, nullptr});
  if (type.kind == compiler::DeclKind::kEdge) {
    cols.push_back({"src", str, nullptr});
    cols.push_back({"dst", str, nullptr});
  }
  for (const auto& p : type.properties) cols.push_back({property_column(p), column_type(p.type), &p});
  return cols;
}

// All physical rows of `column` in base fragment `f`, or nullptr when the fragment does not
// store it under `type` (such rows read as null, exactly as TableDataImpl reads them).
std::shared_ptr<const storage::Column> stored_column(storage::TableReader& reader, size_t f,
                                                     const PhysicalColumn& c) {
  if (!reader.has_column(f, c.name)) return nullptr;
  auto col = reader.column(f, c.name);
  if (!(col->type == c.type)) return nullptr;
  return col;
}

// Fragment indexes of the base snapshot to rewrite, as runs of adjacent fragments.
std::vector<std::pair<size_t, size_t>> plan_runs(const storage::TableSnapshot& snap, uint64_t target,
                                                 double ratio) {
  auto heavy_deletions = [&](const storage::FragmentEntry& e) {
    return e.deleted_rows > 0 &&
           static_cast<double>(e.deleted_rows) >= ratio * static_cast<double>(e.fragment.row_count);
  };
  std::vector<std::pair<size_t, size_t>> runs;
  size_t n = snap.fragments.size();
  for (size_t i = 0; i < n;) {
    auto candidate = [&](size_t f) {
      return snap.fragments[f].live_rows() < target || heavy_deletions(snap.fragments[f]);
    };
    if (!candidate(i)) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < n && candidate(j)) ++j;
    if (j - i >= 2 || heavy_deletions(snap.fragments[i])) runs.emplace_back(i, j);
    i = j;
  }
  return runs;
}

// Copies the live rows of base fragments [begin, end) into new fragments of at most `target`
// rows; returns their entries and their in-memory columns (aligned with `cols`).
void rewrite_run(storage::ObjectStore& store, storage::TableReader& reader, const std::string& tid,
                 const std::vector<PhysicalColumn>& cols, size_t begin, size_t end, uint64_t target,
                 std::vector<storage::FragmentEntry>& entries,
                 std::vector<std::vector<std::shared_ptr<const storage::Column>>>& columns) {
  std::vector<std::vector<uint8_t>> keep(end - begin);
  uint64_t live = 0;
  for (size_t f = begin; f < end; ++f) {
    const auto& e = reader.snapshot().fragments[f];
    if (e.deleted_rows > 0) keep[f - begin] = reader.keep_mask(f);
    live += e.live_rows();
  }
  size_t chunks = live == 0 ? 0 : static_cast<size_t>((live + target - 1) / target);
  std::vector<std::vector<std::shared_ptr<storage::Column>>> out(chunks);
  for (auto& chunk : out) chunk.resize(cols.size());
  for (size_t c = 0; c < cols.size(); ++c) {
    size_t chunk = 0;
    uint64_t in_chunk = 0;
    auto current = [&]() -> storage::Column& {
      auto& slot = out[chunk][c];
      if (!slot) {
        slot = std::make_shared<storage::Column>(cols[c].type);
        slot->reserve(std::min<uint64_t>(target, live - chunk * target));
      }
      return *slot;
    };
    // Appends rows [a, b) of `col` (nullptr = null rows), splitting at chunk boundaries.
    auto append = [&](const storage::Column* col, uint64_t a, uint64_t b) {
      while (a < b) {
        uint64_t take = std::min<uint64_t>(b - a, target - in_chunk);
        storage::Column& dst = current();
        if (col) {
          dst.append_rows(*col, a, a + take);
        } else {
          for (uint64_t i = 0; i < take; ++i) dst.append_null();
        }
        a += take;
        in_chunk += take;
        if (in_chunk == target) {
          ++chunk;
          in_chunk = 0;
        }
      }
    };
    for (size_t f = begin; f < end; ++f) {
      const auto& e = reader.snapshot().fragments[f];
      auto col = stored_column(reader, f, cols[c]);
      const auto& mask = keep[f - begin];
      if (mask.empty()) {
        append(col.get(), 0, e.fragment.row_count);
        continue;
      }
      for (uint64_t r = 0; r < e.fragment.row_count;) {  // maximal runs of live rows
        if (!mask[r]) {
          ++r;
          continue;
        }
        uint64_t s = r;
        while (r < e.fragment.row_count && mask[r]) ++r;
        append(col.get(), s, r);
      }
    }
  }
  for (auto& chunk : out) {
    std::vector<storage::NamedColumn> named;
    for (size_t c = 0; c < cols.size(); ++c) named.push_back({cols[c].name, chunk[c].get()});
    storage::FragmentEntry entry;
    entry.fragment = storage::write_fragment(store, storage::fragment_key(tid), named);
    entries.push_back(std::move(entry));
    columns.emplace_back(chunk.begin(), chunk.end());
  }
}

TableResult optimize_table(const SnapshotImpl& snap, const compiler::TypeDef& type,
                           const std::vector<index::SegmentWriter>& writers, const OptimizeOptions& options) {
  TableResult result;
  result.report.type_key = type_key(type);
  const TableDataImpl& table = snap.table_impl(type);
  if (!table.table_snapshot() || table.table_snapshot()->fragments.empty()) return result;
  const storage::TableSnapshot& base = *table.table_snapshot();
  storage::ObjectStore& store = table.store();
  storage::TableReader& reader = *table.reader();
  const std::string tid = table_id(type);
  const uint64_t target = options.target_fragment_rows ? options.target_fragment_rows : kMaxFragmentRows;
  const auto cols = physical_columns(type);

  // 1. Compaction: kept fragments stay in place; a rewritten run's output takes its position.
  storage::TableSnapshot next;
  next.table_id = tid;
  next.version = base.version + 1;
  for (const auto& c : cols) next.columns.push_back({c.name, c.type});
  struct Origin {
    std::optional<size_t> base_fragment;                          // kept fragment
    std::vector<std::shared_ptr<const storage::Column>> columns;  // rewritten: aligned with cols
  };
  std::vector<Origin> origin;
  auto runs = plan_runs(base, target, options.materialize_deletions_ratio);
  size_t next_run = 0;
  for (size_t f = 0; f < base.fragments.size();) {
    if (next_run < runs.size() && runs[next_run].first == f) {
      auto [b, e] = runs[next_run++];
      std::vector<storage::FragmentEntry> entries;
      std::vector<std::vector<std::shared_ptr<const storage::Column>>> columns;
      rewrite_run(store, reader, tid, cols, b, e, target, entries, columns);
      result.report.fragments_removed += e - b;
      result.report.fragments_added += entries.size();
      for (size_t i = 0; i < entries.size(); ++i) {
        next.fragments.push_back(std::move(entries[i]));
        origin.push_back({std::nullopt, std::move(columns[i])});
      }
      f = e;
      continue;
    }
    next.fragments.push_back(base.fragments[f]);
    origin.push_back({f, {}});
    ++f;
  }
  // Segments of kept fragments on columns that still exist are carried; the rest go.
  storage::carry_index_segments(base, next);
  bool changed = !runs.empty() || next.indexes.size() != base.indexes.size();

  // 2. Index segments for declared indexes of node properties that a writer serves.
  if (type.kind == compiler::DeclKind::kNode) {
    for (size_t c = 0; c < cols.size(); ++c) {
      const compiler::Property* p = cols[c].property;
      if (!p || p->index == compiler::IndexKind::kNone) continue;
      for (const auto& writer : writers) {
        if (writer.serves != p->index) continue;
        std::vector<size_t> missing;
        for (size_t f = 0; f < next.fragments.size(); ++f)
          if (!index::find_segment_entry(next, f, writer.kind, cols[c].name)) missing.push_back(f);
        if (missing.empty()) continue;
        if (p->type.scalar == compiler::ScalarKind::kVector && !stores_a_value(next, cols[c].name, cols[c].type)) {
          result.report.pending_indexes.push_back({p->name, kNoVectorsReason});
          continue;
        }
        for (size_t f : missing) {
          std::shared_ptr<const storage::Column> col;
          if (origin[f].base_fragment) {
            col = stored_column(reader, *origin[f].base_fragment, cols[c]);
            if (!col) {
              auto nulls = std::make_shared<storage::Column>(cols[c].type);
              for (uint64_t r = 0; r < next.fragments[f].fragment.row_count; ++r) nulls->append_null();
              col = nulls;
            }
          } else {
            col = origin[f].columns[c];
          }
          std::string bytes = writer.encode(*col);
          std::string key = storage::index_key(tid, writer.kind);
          if (!store.create_if_absent(key, bytes))
            throw Error::internal("index segment '" + key + "' already exists");
          next.indexes.push_back({writer.kind, cols[c].name, key, {next.fragments[f].fragment.key}});
          ++result.report.segments_added;
          changed = true;
        }
      }
    }
  }
  if (!changed) return result;
  result.new_snapshot_key = storage::write_table_snapshot(store, next);
  result.report.committed = true;
  return result;
}

}  // namespace

OptimizeReport optimize(Graph& graph, const std::vector<index::SegmentWriter>& writers,
                        const OptimizeOptions& options) {
  // Work per (schema, base table snapshot), kept across rounds: a table main's new head still
  // shares is not rewritten again.
  std::unordered_map<std::string, TableResult> done;
  OptimizeReport report;
  for (int round = 1; round <= kMaxRounds; ++round) {
    report = OptimizeReport{};
    report.attempts = static_cast<uint32_t>(round);
    auto head = graph.refs().head("main");
    auto pinned = graph.snapshot({.snapshot = head.commit_id});
    const auto& snap = static_cast<const SnapshotImpl&>(*pinned);
    const storage::GraphCommit& base = snap.commit();
    std::map<std::string, std::string> tables = base.tables;
    std::vector<const compiler::TypeDef*> types;
    for (const auto& t : snap.catalog().nodes) types.push_back(&t);
    for (const auto& t : snap.catalog().edges) types.push_back(&t);
    // Tables are independent: optimize the ones not done yet concurrently (bounded by cores).
    auto memo_of = [&](const compiler::TypeDef& type, const std::string& key) {
      return base.schema_identity + "|" + std::to_string(type.id) + "|" + key;
    };
    std::vector<std::pair<const compiler::TypeDef*, std::string>> todo;
    for (const auto* type : types) {
      auto it = tables.find(table_id(*type));
      if (it == tables.end()) continue;  // a type without a table (added by schema apply, no data)
      std::string memo = memo_of(*type, it->second);
      if (!done.count(memo)) todo.emplace_back(type, std::move(memo));
    }
    std::vector<TableResult> results(todo.size());
    std::vector<std::exception_ptr> errors(todo.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next.fetch_add(1)) < todo.size();) {
        try {
          results[i] = optimize_table(snap, *todo[i].first, writers, options);
        } catch (...) {
          errors[i] = std::current_exception();
        }
      }
    };
    size_t workers = std::min<size_t>(todo.size(), std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> threads;
    for (size_t w = 1; w < workers; ++w) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
    for (size_t i = 0; i < todo.size(); ++i) done.emplace(todo[i].second, std::move(results[i]));

    bool changed = false;
    for (const auto* type : types) {
      auto it = tables.find(table_id(*type));
      if (it == tables.end()) continue;
      const TableResult& r = done.at(memo_of(*type, it->second));
      if (!r.new_snapshot_key.empty()) {
        it->second = r.new_snapshot_key;
        changed = true;
      }
      report.datasets.push_back(r.report);
    }
    std::sort(report.datasets.begin(), report.datasets.end(),
              [](const DatasetOptimize& a, const DatasetOptimize& b) { return a.type_key < b.type_key; });
    if (!changed) return report;

    storage::GraphCommit commit;
    commit.id = new_ulid();
    commit.parents = {base.id};
    commit.branch = "main";
    commit.sequence = base.sequence + 1;
    commit.created_at_us = now_epoch_us();
    commit.schema_identity = base.schema_identity;
    commit.tables = std::move(tables);
    commit.maintenance = true;
    storage::write_commit(graph.store(), commit);
    try {
      graph.refs().publish("main", head, commit.id, std::nullopt);
      report.commit = std::move(commit);
      return report;
    } catch (const storage::PublishConflict&) {
      // main moved: re-plan from its new head (the objects written for this round are garbage
      // unless the next round reuses them).
    }
  }
  throw Error(ErrorCode::kConflict, "optimize: branch 'main' kept moving during " +
                                        std::to_string(kMaxRounds) + " planning rounds; retry");
}

}  // namespace omnigraph::engine::maintenance
