// SuspendSearchMerges (SQLite backend): an import batch writes its search terms out without
// merging, FTS5's automerge is the same after the transaction as before it, whether it
// commits or rolls back, and MergeSearchTables does the merging put off.
#include <gtest/gtest.h>


#include "store/sqlite/internal.h"
#include "store/sqlite/schema.h"
#include "support/scratch_dir.h"

namespace dialbook::sqlite {
namespace {

class SearchMerges : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = std::make_unique<Conn>(dir_.File("t.db"), false);
    conn_->before_commit = BeforeSearchCommit;
    Migrate(*conn_);
  }
  void TearDown() override { conn_.reset(); }

  // The stored value of an FTS5 setting of a search table, "" when never set (the default).
  std::string Setting(const std::string& table, const std::string& key) {
    auto st = conn_->Prepare("SELECT v FROM " + table + "_config WHERE k=?");
    st.Args(key);
    return st.Step() ? st.Text(0) : "";
  }
  void Index(int64_t id, const std::string& first, const std::string& phone) {
    Contact c;
    c.id = id;
    c.workspace_id = 1;
    c.first_name = first;
    c.last_name = "Doe";
    c.phone = phone;
    IndexContact(*conn_, c, "");
  }
  int64_t Matches(const std::string& word) {
    auto st = conn_->Prepare("SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH ?");
    st.Args("\"" + SearchTokenPrefix(1) + word + "\"");
    return st.Step() ? st.Int(0) : -1;
  }

  testing_support::ScratchDir dir_{"merges"};
  std::unique_ptr<Conn> conn_;
};

TEST_F(SearchMerges, SuspendedInsideTheTransactionOnlyAndTheTermsAreWrittenAtCommit) {
  for (int batch = 0; batch < 3; ++batch) {
    Tx tx(*conn_);
    SuspendSearchMerges(*conn_);
    SuspendSearchMerges(*conn_);  // twice is once
    EXPECT_EQ(Setting("contacts_fts", "automerge"), "0");
    EXPECT_EQ(Setting("contacts_phone_fts", "automerge"), "0");
    EXPECT_EQ(Setting("contacts_fts", "crisismerge"), "64");
    for (int k = 0; k < 100; ++k) Index(batch * 100 + k + 1, "Anna", "+1202555" + std::to_string(1000 + batch * 100 + k));
    tx.Commit();
    EXPECT_FALSE(conn_->search_merges_suspended);
    // automerge at FTS5's default again, stored in the same transaction; the crisis merge
    // threshold stays where it was put.
    for (const char* table : {"contacts_fts", "contacts_phone_fts"}) {
      EXPECT_EQ(Setting(table, "automerge"), "4") << table;
      EXPECT_EQ(Setting(table, "crisismerge"), "64") << table;
    }
    EXPECT_EQ(Matches("anna"), (batch + 1) * 100);
  }
}

TEST_F(SearchMerges, ARolledBackBatchLeavesTheSettingsAndTheIndexAsTheyWere) {
  {
    Tx tx(*conn_);
    Index(1, "Bruno", "+12025551000");
    tx.Commit();
  }
  const std::string automerge = Setting("contacts_fts", "automerge");
  {
    Tx tx(*conn_);
    SuspendSearchMerges(*conn_);
    Index(2, "Bruno", "+12025551001");
    EXPECT_TRUE(conn_->search_merges_suspended);
  }  // rolled back
  EXPECT_FALSE(conn_->search_merges_suspended);
  EXPECT_EQ(Setting("contacts_fts", "automerge"), automerge);
  EXPECT_EQ(Setting("contacts_fts", "crisismerge"), "");
  EXPECT_EQ(Matches("bruno"), 1);
  // The next transaction without suspension merges as usual and restores nothing.
  Tx tx(*conn_);
  Index(3, "Bruno", "+12025551002");
  tx.Commit();
  EXPECT_EQ(Matches("bruno"), 2);
  EXPECT_EQ(Setting("contacts_fts", "automerge"), automerge);
}

TEST_F(SearchMerges, MergeSearchTablesDoesThePutOffMerging) {
  auto data_rows = [&] {  // one row per leaf page of every segment, and a few of structure
    auto st = conn_->Prepare("SELECT count(*) FROM contacts_fts_data");
    return st.Step() ? st.Int(0) : -1;
  };
  for (int batch = 0; batch < 16; ++batch) {
    Tx tx(*conn_);
    SuspendSearchMerges(*conn_);
    for (int k = 0; k < 3; ++k) Index(batch * 3 + k + 1, "Carla", "+1202556" + std::to_string(1000 + batch * 3 + k));
    tx.Commit();
  }
  const int64_t unmerged = data_rows();
  ASSERT_GE(unmerged, 16);  // a segment per batch at least
  {
    Tx tx(*conn_);
    MergeSearchTables(*conn_);
    tx.Commit();
  }
  EXPECT_LT(data_rows(), unmerged / 2);
  EXPECT_EQ(Matches("carla"), 48);
}

TEST_F(SearchMerges, OnlyInsideAWriteTransaction) {
  EXPECT_THROW(SuspendSearchMerges(*conn_), SqliteError);
}

}  // namespace
}  // namespace dialbook::sqlite
