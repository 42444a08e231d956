// Deletion vectors, metadata envelopes, table snapshots, commits, branch head logs and the
// graph root's format check.
#include <gtest/gtest.h>

#include "common/error.h"
#include "common/ulid.h"
#include "common/version.h"
#include "storage/branch_refs.h"
#include "storage/deletion_vector.h"
#include "storage/graph_commit.h"
#include "storage/graph_root.h"
#include "storage/local_object_store.h"
#include "storage/meta_object.h"
#include "storage/storage_error.h"
#include "storage/table_snapshot.h"
#include "test_util.h"

namespace omnigraph::storage {
namespace {

using testing::ScratchDir;

TEST(DeletionVector, SetOperationsAndKeepMask) {
  DeletionVector dv;
  dv.add(3);
  dv.add_range(10, 14);
  EXPECT_TRUE(dv.contains(3));
  EXPECT_TRUE(dv.contains(13));
  EXPECT_FALSE(dv.contains(14));
  EXPECT_EQ(dv.cardinality(), 5u);
  DeletionVector more;
  more.add(100);
  more.add(3);
  dv.merge(more);
  EXPECT_EQ(dv.to_vector(), (std::vector<uint32_t>{3, 10, 11, 12, 13, 100}));
  uint8_t keep[8];
  dv.fill_keep_mask(8, 16, keep);
  EXPECT_EQ(std::vector<uint8_t>(keep, keep + 8), (std::vector<uint8_t>{1, 1, 0, 0, 0, 0, 1, 1}));
}

TEST(DeletionVector, StoredRoundTripAndDamageDetected) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  DeletionVector dv;
  for (uint32_t i = 0; i < 100000; i += 3) dv.add(i);
  write_deletion_vector(*store, "tables/t/dv/a.dv", dv);
  EXPECT_EQ(read_deletion_vector(*store, "tables/t/dv/a.dv"), dv);
  EXPECT_THROW(write_deletion_vector(*store, "tables/t/dv/a.dv", dv), Error);
  std::string bytes = store->get("tables/t/dv/a.dv");
  bytes[bytes.size() / 2] ^= 1;
  store->put("tables/t/dv/b.dv", bytes);
  EXPECT_THROW(read_deletion_vector(*store, "tables/t/dv/b.dv"), IntegrityError);
}

TEST(MetaEnvelope, DetectsDamageKindMismatchAndNewerVersion) {
  std::string sealed = seal_meta(MetaKind::kGraphCommit, "{\"x\":1}");
  EXPECT_EQ(open_meta(sealed, MetaKind::kGraphCommit, "obj"), "{\"x\":1}");
  EXPECT_THROW(open_meta(sealed, MetaKind::kTableSnapshot, "obj"), IntegrityError);
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string d = sealed;
    d[i] ^= 0x04;
    EXPECT_THROW(open_meta(d, MetaKind::kGraphCommit, "obj"), Error) << "byte " << i;
  }
  EXPECT_THROW(open_meta(sealed.substr(0, 20), MetaKind::kGraphCommit, "obj"), IntegrityError);
}

TableSnapshot sample_snapshot() {
  TableSnapshot s;
  s.table_id = "t_person";
  s.version = 3;
  s.columns = {{"id", ColumnType::scalar(TypeKind::kString)}, {"emb", ColumnType::vector(8)}};
  FragmentEntry f;
  f.fragment.key = "tables/t_person/frag/A.ogf";
  f.fragment.row_count = 10;
  f.fragment.size_bytes = 999;
  f.fragment.columns = {
      {"id", ColumnType::scalar(TypeKind::kString), {1, std::string("a\0b", 3), std::string("zz")}},
      {"emb", ColumnType::vector(8), {0, {}, {}}}};
  f.deletion_vector_key = "tables/t_person/dv/B.dv";
  f.deleted_rows = 2;
  s.fragments.push_back(f);
  s.indexes.push_back({"key", "id", "tables/t_person/idx/C", {"tables/t_person/frag/A.ogf"}});
  return s;
}

TEST(TableSnapshot, RoundTripsIncludingBinaryStats) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  TableSnapshot s = sample_snapshot();
  std::string key = write_table_snapshot(*store, s);
  EXPECT_TRUE(key.starts_with("tables/t_person/snap/00000000000000000003-")) << key;
  TableSnapshot back = read_table_snapshot(*store, key);
  EXPECT_EQ(back, s);
  EXPECT_EQ(back.live_rows(), 8u);
}

TEST(TableSnapshot, RejectsInvalidSnapshots) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  TableSnapshot s = sample_snapshot();
  s.table_id = "bad/id";
  EXPECT_THROW(write_table_snapshot(*store, s), Error);
  s = sample_snapshot();
  s.fragments[0].deletion_vector_key.reset();
  EXPECT_THROW(write_table_snapshot(*store, s), Error);
  s = sample_snapshot();
  s.fragments[0].deleted_rows = 11;
  EXPECT_THROW(write_table_snapshot(*store, s), Error);
}

GraphCommit make_commit(std::vector<std::string> parents, uint64_t seq) {
  GraphCommit c;
  c.id = new_ulid();
  c.parents = std::move(parents);
  c.branch = "main";
  c.sequence = seq;
  c.actor = "act-andrew";
  c.created_at_us = 1700000000123456;
  c.schema_identity = "sha256:abc";
  c.tables = {{"t_person", "tables/t_person/snap/x"}, {"t_knows", "tables/t_knows/snap/y"}};
  return c;
}

TEST(GraphCommit, RoundTripLineageAndNotFound) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  GraphCommit g = make_commit({}, 1);
  g.actor.reset();
  write_commit(*store, g);
  GraphCommit c2 = make_commit({g.id}, 2);
  write_commit(*store, c2);
  GraphCommit c3 = make_commit({c2.id, g.id}, 3);  // a merge
  write_commit(*store, c3);
  EXPECT_EQ(read_commit(*store, c3.id), c3);
  EXPECT_EQ(read_commit(*store, g.id), g);
  auto lineage = commit_lineage(*store, c3.id);
  ASSERT_EQ(lineage.size(), 3u);
  EXPECT_EQ(lineage[0].id, c3.id);
  EXPECT_EQ(lineage[1].id, c2.id);
  EXPECT_EQ(lineage[2].id, g.id);
  EXPECT_EQ(commit_lineage(*store, c3.id, 2).size(), 2u);
  try {
    read_commit(*store, new_ulid());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(e.message().find("not found"), std::string::npos);
  }
  EXPECT_THROW(read_commit(*store, "../../etc/passwd"), Error);
  EXPECT_THROW(write_commit(*store, c2), Error);  // ids are never reused
  GraphCommit bad = make_commit({}, 0);
  EXPECT_THROW(write_commit(*store, bad), Error);
  bad = make_commit({"nope"}, 2);
  EXPECT_THROW(write_commit(*store, bad), Error);
}

TEST(GraphCommit, CommitStoredUnderWrongIdIsIntegrityError) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  GraphCommit a = make_commit({}, 1);
  write_commit(*store, a);
  std::string other = new_ulid();
  store->put(commit_key(other), store->get(commit_key(a.id)));
  EXPECT_THROW(read_commit(*store, other), IntegrityError);
}

TEST(GraphCommit, MaintenanceFlagIsOptionalAndWalkable) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  GraphCommit a = make_commit({}, 1);
  write_commit(*store, a);
  // Commits written before the field existed carry no "maintenance" key and read as normal.
  EXPECT_EQ(encode_commit(a).find("maintenance"), std::string::npos);
  auto old_payload = encode_commit(a);
  EXPECT_FALSE(decode_commit(old_payload, "old").maintenance);
  GraphCommit m1 = make_commit({a.id}, 2);
  m1.maintenance = true;
  write_commit(*store, m1);
  EXPECT_NE(encode_commit(m1).find("\"maintenance\":true"), std::string::npos);
  EXPECT_EQ(read_commit(*store, m1.id), m1);
  GraphCommit m2 = make_commit({m1.id}, 3);
  m2.maintenance = true;
  write_commit(*store, m2);
  GraphCommit d = make_commit({m2.id}, 4);
  write_commit(*store, d);
  EXPECT_TRUE(moved_only_by_maintenance(*store, a.id, a.id));
  EXPECT_TRUE(moved_only_by_maintenance(*store, a.id, m2.id));
  EXPECT_TRUE(moved_only_by_maintenance(*store, m1.id, m2.id));
  EXPECT_FALSE(moved_only_by_maintenance(*store, a.id, d.id));      // a data commit in between
  EXPECT_FALSE(moved_only_by_maintenance(*store, m2.id, a.id));     // not a descendant
  EXPECT_FALSE(moved_only_by_maintenance(*store, a.id, m2.id, 1));  // step budget
}

TEST(BranchNames, EncodeIsOneSegmentAndRoundTrips) {
  for (std::string name : {"main", "review/x", "a.b", ".hidden", "feature/ünïcode", "x%y", "a-b_c"}) {
    std::string enc = encode_branch_name(name);
    EXPECT_EQ(enc.find('/'), std::string::npos) << name;
    EXPECT_NO_THROW(validate_object_key("refs/" + enc + "/1")) << name;
    EXPECT_EQ(decode_branch_name(enc), name);
  }
  EXPECT_NE(encode_branch_name("a/b"), encode_branch_name("a%2Fb"));
  EXPECT_THROW(encode_branch_name(""), Error);
  EXPECT_THROW(decode_branch_name("%4"), IntegrityError);
}

TEST(BranchRefs, CreatePublishDeleteRecreate) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  BranchRefs refs(*store);
  std::string c1 = new_ulid(), c2 = new_ulid(), c3 = new_ulid();
  EXPECT_FALSE(refs.tail("main").has_value());
  EXPECT_THROW(refs.head("main"), Error);
  RefEntry h1 = refs.create("main", c1);
  EXPECT_EQ(h1.seq, 1u);
  EXPECT_THROW(refs.create("main", c2), Error);
  RefEntry h2 = refs.publish("main", h1, c2, "act-a");
  EXPECT_EQ(h2.seq, 2u);
  EXPECT_EQ(h2.incarnation, h1.incarnation);
  EXPECT_EQ(refs.head("main").commit_id, c2);
  // A stale expected head loses.
  EXPECT_THROW(refs.publish("main", h1, c3), PublishConflict);
  EXPECT_EQ(refs.head("main").commit_id, c2);

  // Nested names coexist.
  refs.create("review", c1);
  RefEntry rx = refs.create("review/x", c2);
  EXPECT_EQ(refs.list(), (std::vector<std::string>{"main", "review", "review/x"}));
  refs.remove("review", refs.head("review"));
  EXPECT_EQ(refs.list(), (std::vector<std::string>{"main", "review/x"}));
  EXPECT_EQ(refs.head("review/x").commit_id, c2);
  EXPECT_EQ(refs.head("main").commit_id, c2);
  EXPECT_THROW(refs.head("review"), Error);
  try {  // deleting a deleted branch
    refs.remove("review", *refs.tail("review"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  // Deleting with a stale head loses like a publish does.
  refs.publish("review/x", rx, c3);
  EXPECT_THROW(refs.remove("review/x", rx), PublishConflict);
  // Re-created name is a new incarnation continuing the same log.
  RefEntry again = refs.create("review", c3);
  EXPECT_EQ(again.seq, 3u);
  EXPECT_NE(again.incarnation, refs.log("review")[0].incarnation);
  auto log = refs.log("review");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_TRUE(log[0].live());
  EXPECT_FALSE(log[1].live());
  EXPECT_TRUE(log[2].live());
  EXPECT_EQ(log[2].commit_id, c3);
}

TEST(BranchRefs, HeadResolutionProbesInsteadOfListing) {
  testing::MemoryStore store;
  BranchRefs writer(store);
  RefEntry h = writer.create("main", new_ulid());
  std::vector<std::string> commits;
  for (int i = 0; i < 300; ++i) {
    commits.push_back(new_ulid());
    h = writer.publish("main", h, commits.back());
  }
  // A fresh reader finds the tail with O(log n) probes and no listing.
  BranchRefs reader(store);
  store.heads = store.lists = 0;
  RefEntry got = reader.head("main");
  EXPECT_EQ(got.seq, 301u);
  EXPECT_EQ(got.commit_id, commits.back());
  EXPECT_EQ(store.lists, 0u);
  EXPECT_LE(store.heads, 40u);
  // Another writer moves the branch; the reader's hint is stale but the answer is still exact.
  h = writer.publish("main", h, new_ulid());
  h = writer.publish("main", h, new_ulid());
  store.heads = 0;
  EXPECT_EQ(reader.head("main").seq, 303u);
  EXPECT_LE(store.heads, 6u);
  // Publishing from the stale view loses rather than overwriting.
  EXPECT_THROW(reader.publish("main", got, new_ulid()), PublishConflict);
  EXPECT_FALSE(reader.tail("other").has_value());
}

TEST(BranchRefs, DamagedRefEntryIsIntegrityError) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  BranchRefs refs(*store);
  refs.create("main", new_ulid());
  auto keys = store->list("refs/");
  ASSERT_EQ(keys.size(), 1u);
  std::string b = store->get(keys[0]);
  b[30] ^= 0x20;
  store->put(keys[0], b);
  EXPECT_THROW(refs.head("main"), IntegrityError);
}

TEST(GraphRoot, InitCheckAndVersionMessages) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  try {
    check_graph_root(*store);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  init_graph_root(*store);
  EXPECT_EQ(check_graph_root(*store), kStorageFormatVersion);
  EXPECT_THROW(init_graph_root(*store), Error);

  store->put(kFormatMarkerKey, "{\"format\":\"omnigraph-graph\",\"format_version\":" +
                                   std::to_string(kStorageFormatVersion + 1) + "}");
  try {
    check_graph_root(*store);
    FAIL();
  } catch (const FormatVersionError& e) {
    EXPECT_NE(e.message().find("upgrade omnigraph"), std::string::npos) << e.message();
  }
  store->put(kFormatMarkerKey, "{\"format\":\"omnigraph-graph\",\"format_version\":" +
                                   std::to_string(kStorageFormatVersion - 1) + "}");
  try {
    check_graph_root(*store);
    FAIL();
  } catch (const FormatVersionError& e) {
    EXPECT_NE(e.message().find("export"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("re-import"), std::string::npos) << e.message();
  }
  store->put(kFormatMarkerKey, "garbage");
  EXPECT_THROW(check_graph_root(*store), IntegrityError);
}

}  // namespace
}  // namespace omnigraph::storage
