// Branch merge: merge base, outcome, per-entity truth table, validated two-parent commit.
#include "engine/vc/merge.h"

#include <deque>
#include <map>
#include <set>
#include <span>
#include <tuple>
#include <unordered_map>

#include "common/error.h"
#include "engine/column_mapping.h"
#include "engine/vc/branch_ops.h"
#include "engine/write_txn.h"

namespace omnigraph::engine::vc {

namespace {

std::unordered_map<std::string, uint32_t> distances(storage::ObjectStore& store, const std::string& from,
                                                    std::unordered_map<std::string, uint64_t>& sequences) {
  std::unordered_map<std::string, uint32_t> dist{{from, 0}};
  std::deque<std::string> queue{from};
  while (!queue.empty()) {
    auto id = queue.front();
    queue.pop_front();
    auto c = storage::read_commit(store, id);
    sequences[id] = c.sequence;
    for (const auto& p : c.parents)
      if (dist.emplace(p, dist[id] + 1).second) queue.push_back(p);
  }
  return dist;
}

// Throws the 409 merge_conflicts error: the records (at most kMaxMergeConflicts; `truncated`
// says more exist) and the §7.5 summary of the first three.
[[noreturn]] void throw_conflicts(std::vector<MergeConflict> conflicts, bool truncated) {
  if (conflicts.size() > kMaxMergeConflicts) {
    conflicts.resize(kMaxMergeConflicts);
    truncated = true;
  }
  std::string summary = "merge conflicts: ";
  for (size_t i = 0; i < conflicts.size() && i < 3; ++i) {
    const auto& c = conflicts[i];
    if (i) summary += "; ";
    summary += std::string(entity_kind_name(c.entity_kind)) + " type '" + c.type_name + "'";
    if (c.entity_id) summary += ", entity id '" + *c.entity_id + "'";
    summary += " (" + std::string(merge_conflict_kind_name(c.kind)) + ")";
  }
  if (conflicts.size() > 3) summary += "; and " + std::to_string(conflicts.size() - 3) + " more";
  if (truncated)
    summary += " (listing stopped at the first " + std::to_string(kMaxMergeConflicts) + " conflicts)";
  throw Error(ErrorCode::kConflict, std::move(summary), MergeConflictsDetail{std::move(conflicts)});
}

struct TypeMerge {
  const compiler::TypeDef* type = nullptr;
  std::vector<Entity> puts;
  std::vector<std::string> removes;
};

}  // namespace

std::string_view merge_outcome_name(MergeOutcome outcome) {
  switch (outcome) {
    case MergeOutcome::kAlreadyUpToDate:
      return "already_up_to_date";
    case MergeOutcome::kFastForward:
      return "fast_forward";
    case MergeOutcome::kMerged:
      return "merged";
  }
  return "merged";
}

std::optional<std::string> merge_base(storage::ObjectStore& store, const std::string& a,
                                      const std::string& b) {
  std::unordered_map<std::string, uint64_t> seq;
  auto da = distances(store, a, seq);
  auto db = distances(store, b, seq);
  std::optional<std::string> best;
  uint64_t best_sum = UINT64_MAX, best_seq = 0;
  for (const auto& [id, d] : da) {
    auto it = db.find(id);
    if (it == db.end()) continue;
    uint64_t sum = uint64_t{d} + it->second;
    uint64_t s = seq[id];
    if (!best || sum < best_sum || (sum == best_sum && (s > best_seq || (s == best_seq && id > *best)))) {
      best = id;
      best_sum = sum;
      best_seq = s;
    }
  }
  return best;
}

MergeResult merge_branches(Graph& graph, std::string_view raw_source, std::string_view raw_target,
                           std::optional<std::string> actor) {
  auto trim_copy = [](std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return std::string();
    return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
  };
  MergeResult result;
  result.source = trim_copy(raw_source);
  result.target = trim_copy(raw_target.empty() ? "main" : raw_target);
  if (is_internal_ref(result.source) || is_internal_ref(result.target))
    throw Error::bad_request("branch_merge does not allow internal system refs ('" + result.source +
                             "' -> '" + result.target + "')");
  if (result.source == result.target)
    throw Error::bad_request("branch_merge requires distinct source and target branches");
  auto& store = graph.store();
  auto s_head = graph.refs().head(result.source);
  auto t_head = graph.refs().head(result.target);
  if (s_head.commit_id == t_head.commit_id) return result;
  auto base_id = merge_base(store, s_head.commit_id, t_head.commit_id);
  if (!base_id)
    throw Error::bad_request("branches '" + result.source + "' and '" + result.target + "' share no history");
  if (*base_id == s_head.commit_id) return result;
  result.outcome = *base_id == t_head.commit_id ? MergeOutcome::kFastForward : MergeOutcome::kMerged;

  auto S = storage::read_commit(store, s_head.commit_id);
  auto T = storage::read_commit(store, t_head.commit_id);
  auto B = storage::read_commit(store, *base_id);
  if (S.schema_identity != T.schema_identity)
    throw Error::bad_request("branch_merge: '" + result.source + "' (schema " +
                             S.schema_identity.substr(0, 12) + ") and '" + result.target + "' (schema " +
                             T.schema_identity.substr(0, 12) +
                             ") are on different schemas; merging across a schema change is not supported: "
                             "create the branch again "
                             "from '" +
                             result.target + "' and re-apply its changes");
  auto target_snap = graph.snapshot({.snapshot = T.id});
  const auto& catalog = target_snap->catalog();
  auto key_of = [](const storage::GraphCommit& c, const std::string& tid) {
    auto it = c.tables.find(tid);
    return it == c.tables.end() ? std::string() : it->second;
  };

  std::vector<MergeConflict> conflicts;
  std::vector<TypeMerge> merges;
  std::vector<const compiler::TypeDef*> types;
  for (const auto& t : catalog.nodes) types.push_back(&t);
  for (const auto& t : catalog.edges) types.push_back(&t);
  for (const auto* type : types) {
    auto tid = table_id(*type);
    auto kb = key_of(B, tid), ks = key_of(S, tid), kt = key_of(T, tid);
    if (ks == kb) continue;  // the source did not touch this type
    auto ds = table_delta(store, *type, kb, ks, &result.reads);
    if (ds.empty()) continue;
    std::map<std::string, EntityChange> dt;
    if (kt != kb) dt = table_delta(store, *type, kb, kt, &result.reads);
    TypeMerge tm;
    tm.type = type;
    EntityKind kind = type->kind == compiler::DeclKind::kEdge ? EntityKind::kEdge : EntityKind::kNode;
    for (auto& [id, cs] : ds) {
      auto it = dt.find(id);
      if (it == dt.end()) {  // target unchanged: take the source's side
        if (cs.after)
          tm.puts.push_back(*cs.after);
        else
          tm.removes.push_back(id);
        continue;
      }
      const auto& ct = it->second;
      auto record = [&](MergeConflictKind k, const std::string& what) {
        conflicts.push_back({kind, type->name, id, k, what + " for id '" + id + "'"});
      };
      if (!cs.before) {  // both inserted
        if (!same_entity(*cs.after, *ct.after))
          record(MergeConflictKind::kDivergentInsert, "divergent insert");
      } else if (cs.after && ct.after) {
        if (!same_entity(*cs.after, *ct.after))
          record(MergeConflictKind::kDivergentUpdate, "divergent update");
      } else if (cs.after || ct.after) {
        record(MergeConflictKind::kDeleteVsUpdate, "delete/update conflict");
      }  // both deleted: convergent
    }
    if (!tm.puts.empty() || !tm.removes.empty()) merges.push_back(std::move(tm));
  }
  if (!conflicts.empty()) {
    std::stable_sort(conflicts.begin(), conflicts.end(), [](const MergeConflict& a, const MergeConflict& b) {
      return std::tie(a.entity_kind, a.type_name, a.entity_id) <
             std::tie(b.entity_kind, b.type_name, b.entity_id);
    });
    throw_conflicts(std::move(conflicts), false);
  }

  Graph::WriteOptions options;
  options.branch = result.target;
  options.actor = std::move(actor);
  options.reprepare = false;
  options.commit_if_empty = true;
  options.merged_parent = S.id;
  options.validated_in_prepare = true;
  result.commit = graph.write(options, [&](const GraphSnapshot& base, WriteTxn& txn) {
    // Optimize commits on the target change no entity: the computed merge still applies.
    if (base.commit().id != T.id && !storage::moved_only_by_maintenance(store, T.id, base.commit().id))
      throw Error(ErrorCode::kConflict,
                  "branch '" + result.target + "' moved during the merge (expected head " + T.id + ", now " +
                      base.commit().id + "); retry",
                  ReadSetConflictDetail{"graph_head:" + result.target, T.id, base.commit().id});
    for (auto& tm : merges) {
      for (const auto& id : tm.removes) txn.remove(*tm.type, id);
      for (const auto& e : tm.puts) txn.put(*tm.type, e);
    }
    // §7.4 orphan edges, each with its edge id: edges the source added or changed whose
    // endpoint is gone, and surviving target edges of nodes the source deleted.
    const auto& cat = base.catalog();
    std::vector<MergeConflict> orphans;
    std::set<std::pair<std::string, std::string>> seen;
    auto node_exists = [&](const std::string& type_name, const std::string& id) {
      const auto* t = cat.find_node(type_name);
      return t && txn.get(*t, id).has_value();
    };
    auto orphan = [&](const compiler::TypeDef& edge, const std::string& id, const std::string& why) {
      if (seen.emplace(edge.name, id).second)
        orphans.push_back({EntityKind::kEdge, edge.name, id, MergeConflictKind::kOrphanEdge,
                           "orphan edge '" + id + "' of type '" + edge.name + "': " + why});
    };
    for (const auto& tm : merges) {
      if (tm.type->kind == compiler::DeclKind::kEdge) {
        for (const auto& e : tm.puts) {
          if (!node_exists(tm.type->source, e.src))
            orphan(*tm.type, e.id, "src '" + e.src + "' not found in " + tm.type->source);
          else if (!node_exists(tm.type->target, e.dst))
            orphan(*tm.type, e.id, "dst '" + e.dst + "' not found in " + tm.type->target);
        }
        continue;
      }
      if (tm.removes.empty()) continue;
      const auto& nodes = base.table(*tm.type);
      for (const auto& edge : cat.edges) {
        if (edge.source != tm.type->name && edge.target != tm.type->name) continue;
        const auto& adj = base.adjacency(edge);  // built only when the source deleted nodes
        const auto& edges = base.table(edge);
        for (const auto& id : tm.removes) {
          if (txn.get(*tm.type, id)) continue;
          auto row = nodes.find(id);
          if (!row) continue;
          auto check = [&](std::span<const uint32_t> rows) {
            for (uint32_t r : rows) {
              auto eid = std::get<std::string>(edges.value(r, "id").v);
              if (txn.get(edge, eid)) orphan(edge, eid, "endpoint '" + id + "' was deleted on the source");
            }
          };
          if (edge.source == tm.type->name) check(adj.out_edges(*row));
          if (edge.target == tm.type->name) check(adj.in_edges(*row));
        }
      }
    }
    // §7.4: every violation of the merged delta, in §2.7 evaluation order (value checks →
    // node key/unique groups → per edge type: unique, referential, cardinality). The merge's
    // own orphan records (each naming its edge) stand for the validator's referential ones.
    std::sort(orphans.begin(), orphans.end(), [](const MergeConflict& a, const MergeConflict& b) {
      return std::tie(a.type_name, a.entity_id) < std::tie(b.type_name, b.entity_id);
    });
    auto found = txn.violations(kMaxMergeConflicts);
    if (orphans.empty() && found.items.empty()) return;
    std::map<std::string, size_t> edge_rank;
    for (size_t i = 0; i < cat.edges.size(); ++i) edge_rank[cat.edges[i].name] = i;
    auto rank = [&](const std::string& type_name, Violation::Kind kind) -> size_t {
      auto it = edge_rank.find(type_name);
      if (kind == Violation::Kind::kValue) return 0;
      if (it == edge_rank.end()) return 1;  // node key/unique groups
      size_t sub = kind == Violation::Kind::kUnique ? 0 : kind == Violation::Kind::kReferential ? 1 : 2;
      return 2 + 3 * it->second + sub;
    };
    std::vector<std::pair<size_t, MergeConflict>> ranked;
    for (auto& o : orphans)
      ranked.emplace_back(rank(o.type_name, Violation::Kind::kReferential), std::move(o));
    for (auto& v : found.items) {
      MergeConflict c;
      c.type_name = v.type->name;
      c.entity_kind = v.type->kind == compiler::DeclKind::kEdge ? EntityKind::kEdge : EntityKind::kNode;
      c.message = std::move(v.message);
      switch (v.kind) {
        case Violation::Kind::kValue:
          c.kind = MergeConflictKind::kValueConstraintViolation;
          break;
        case Violation::Kind::kUnique:
          c.kind = MergeConflictKind::kUniqueViolation;
          c.entity_id = std::move(v.entity_id);
          break;
        case Violation::Kind::kReferential:
          if (!v.entity_id || seen.count({c.type_name, *v.entity_id})) continue;
          c.kind = MergeConflictKind::kOrphanEdge;
          c.message = "orphan edge '" + *v.entity_id + "' of type '" + c.type_name + "': " + c.message;
          c.entity_id = std::move(v.entity_id);
          break;
        case Violation::Kind::kCardinality:
          c.kind = MergeConflictKind::kCardinalityViolation;
          break;
      }
      ranked.emplace_back(rank(c.type_name, v.kind), std::move(c));
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<MergeConflict> all;
    for (auto& rc : ranked) all.push_back(std::move(rc.second));
    throw_conflicts(std::move(all), found.truncated);
  });
  return result;
}

}  // namespace omnigraph::engine::vc
