// Many removals from the search tables in one write transaction (SQLite backend): from
// kManySearchRemovals contacts on, FTS5's merges are suspended at that point and done once
// before the commit (UnindexSearchText, BeforeSearchCommit). After a trash, restore, bulk tag
// change and permanent delete of more than that many contacts: the index agrees with the
// search rows (FTS5's integrity check), searches find what they should, automerge is FTS5's
// default again, and after the removals no merging is left over. The search tables here flush
// a segment every 8 KiB of terms (FTS5's 'hashsize'), so that one write leaves many segments
// behind when nothing merges them.
#include <gtest/gtest.h>

#include "store/sqlite/internal.h"
#include "store/store.h"
#include "support/sql_file.h"
#include "support/store_file.h"

namespace dialbook {
namespace {

class ManySearchRows : public testing_support::StoreFileTest {
 protected:
  ManySearchRows() : StoreFileTest("many-search-rows") {}
  void SetUp() override {
    StoreFileTest::SetUp();
    store_.reset();
    for (const char* table : {"contacts_fts", "contacts_phone_fts"})
      ASSERT_EQ(Sql(std::string("INSERT INTO ") + table + " (" + table + ", rank) VALUES ('hashsize', 8192); SELECT 'ok'"),
                "ok");
    Reopen();
  }
  // SQL on a connection of its own: one value, or the error.
  std::string Sql(const std::string& sql) { return testing_support::SqlValue(Path(), sql); }
  std::vector<int64_t> Insert(const std::string& first, int n, int phone_from) {
    std::vector<Contact> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      v[i].first_name = first;
      v[i].last_name = "Number" + std::to_string(i);
      v[i].phone = "+1202" + std::to_string(phone_from + i);  // 202-5xx-xxxx, 202-6xx-xxxx
      v[i].company = "Company " + std::to_string(i % 97);
    }
    auto st = store_->InsertContacts(ws_, v, Actor{});
    EXPECT_TRUE(st) << st.error().message;
    std::vector<int64_t> ids;
    for (auto& c : v) ids.push_back(c.id);
    return ids;
  }
  int64_t Total(const std::string& q, const std::string& tag = "") {
    ContactQuery query;
    query.filter.q = q;
    if (!tag.empty()) query.filter.tags = {tag};
    auto page = store_->QueryContacts(ws_, query);
    EXPECT_TRUE(page) << page.error().message;
    return page ? page->total : -1;
  }
  // The index agrees with its content, automerge is FTS5's default (never stored, or stored
  // back), and after a write that merged at its end (`merged`), no level of either table holds
  // enough segments for a merge (FTS5's 'merge' finds no work: it changes fewer than 2 rows;
  // automerge, which merges a little at each write, may leave some). The probe merges what it
  // finds, so each step starts from a merged index.
  void ExpectIndexSettled(const std::string& step, bool merged) {
    for (std::string table : {"contacts_fts", "contacts_phone_fts"}) {
      EXPECT_EQ(Sql("INSERT INTO " + table + " (" + table + ") VALUES ('integrity-check'); SELECT 'ok'"), "ok")
          << table << " after " << step;
      const std::string automerge = Sql("SELECT v FROM " + table + "_config WHERE k = 'automerge'");
      EXPECT_TRUE(automerge == "" || automerge == "4") << table << " after " << step << ": " << automerge;
      const std::string changes =
          Sql("INSERT INTO " + table + " (" + table + ", rank) VALUES ('merge', 100000); SELECT total_changes()");
      if (merged) {
        EXPECT_EQ(changes, "1") << table << " after " << step << ": merging was left over";
      }
    }
  }
};

TEST_F(ManySearchRows, SuspendedAtTheThresholdOfRemovalsAndMergedBeforeTheCommit) {
  const int n = static_cast<int>(sqlite::kManySearchRemovals);
  auto ids = Insert("Fiona", n + 10, 7100000);
  store_.reset();
  sqlite::Conn conn(Path(), false);
  conn.before_commit = sqlite::BeforeSearchCommit;
  auto automerge = [&] { return Sql("SELECT coalesce((SELECT v FROM contacts_fts_config WHERE k = 'automerge'), '')"); };
  {
    sqlite::Tx tx(conn);
    for (int i = 0; i < n - 1; ++i) sqlite::UnindexContact(conn, ws_, ids[i]);
    EXPECT_FALSE(conn.search_merges_suspended) << "fewer removals than kManySearchRemovals";
    sqlite::UnindexContact(conn, ws_, ids[n - 1]);
    EXPECT_TRUE(conn.search_merges_suspended);
    EXPECT_TRUE(conn.merge_before_commit);
    tx.Commit();
  }
  EXPECT_FALSE(conn.merge_before_commit);
  EXPECT_EQ(conn.search_rows_removed, 0);
  EXPECT_EQ(automerge(), "4");
  EXPECT_EQ(Sql("INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('merge', 100000); SELECT total_changes()"), "1")
      << "merging was left over";
  {  // a rolled-back transaction leaves nothing behind, and the next one counts from zero
    sqlite::Tx tx(conn);
    for (int i = n; i < n + 10; ++i) sqlite::UnindexContact(conn, ws_, ids[i]);
    EXPECT_EQ(conn.search_rows_removed, 10);
  }
  EXPECT_EQ(conn.search_rows_removed, 0);
  EXPECT_FALSE(conn.search_merges_suspended);
  EXPECT_EQ(automerge(), "4");
  // An import's batch suspends merges itself and merges after the import: not here.
  sqlite::Tx tx(conn);
  sqlite::SuspendSearchMerges(conn);
  for (int i = n; i < n + 10; ++i) sqlite::UnindexContact(conn, ws_, ids[i]);
  EXPECT_FALSE(conn.merge_before_commit);
}

TEST_F(ManySearchRows, TrashRestoreTagAndEraseLeaveTheIndexRightAndRemovalsMerged) {
  const int n = static_cast<int>(sqlite::kManySearchRemovals) + 200;
  auto many = Insert("Delia", n, 5100000);
  Insert("Ernst", 5, 6200000);
  ASSERT_EQ(Total("delia"), n);
  ExpectIndexSettled("the inserts", false);

  auto trashed = store_->TrashContacts(ws_, many, Actor{});
  ASSERT_TRUE(trashed) << trashed.error().message;
  EXPECT_EQ(*trashed, n);
  EXPECT_EQ(Total("delia"), 0);
  EXPECT_EQ(Total("ernst"), 5);
  EXPECT_EQ(Total("2025100000"), 0);  // their numbers went with them
  EXPECT_EQ(Total("2026200000"), 1);
  ExpectIndexSettled("the trash", true);

  auto restored = store_->RestoreContacts(ws_, many, Actor{});
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(*restored, n);
  EXPECT_EQ(Total("delia"), n);
  EXPECT_EQ(Total("2025100000"), 1);
  ExpectIndexSettled("the restore", false);  // only adds entries: automerge

  BulkChange tag;
  tag.kind = BulkChange::Kind::kAddTags;
  tag.names = {"vip"};
  auto tagged = store_->ApplyBulkChange(ws_, many, tag, Actor{});
  ASSERT_TRUE(tagged) << tagged.error().message;
  EXPECT_EQ(*tagged, n);
  EXPECT_EQ(Total("delia", "vip"), n);  // the tag's tokens in their search rows
  EXPECT_EQ(Total("ernst", "vip"), 0);
  ExpectIndexSettled("the tagging", false);

  auto erased = store_->PurgeContacts(ws_, many);
  ASSERT_TRUE(erased) << erased.error().message;
  EXPECT_EQ(*erased, n);
  EXPECT_EQ(Total("delia"), 0);
  EXPECT_EQ(Total("ernst"), 5);
  ExpectIndexSettled("the permanent delete", true);
}

}  // namespace
}  // namespace dialbook
