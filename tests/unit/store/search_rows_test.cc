// search_rows (SQLite backend): both search tables index it as their external content, so
// every write path must keep three things in step: a row per live contact, index entries made
// from exactly that row's text (FTS5's 'integrity-check' compares them), and none for others.
// Also: a database of schema 4 (each search table with its own copy of the text) migrates
// (through migrations 5 to 7).
#include <gtest/gtest.h>


#include "domain/query.h"
#include "store/store.h"
#include "support/sql_file.h"
#include "support/store_file.h"

namespace dialbook {
namespace {

// Takes away what migrations 6 (the contacts' link kinds) and 7 (their tag labels) added, for
// a database made today to look like one of an older schema.
constexpr const char* kBeforeMigration6 = R"sql(
    DROP TRIGGER contact_tags_kind;
    DROP TRIGGER contact_groups_kind;
    DROP TRIGGER field_values_kind;
    ALTER TABLE contacts DROP COLUMN link_kinds;
    ALTER TABLE contacts DROP COLUMN tag_labels;
)sql";

class SearchText : public testing_support::StoreFileTest {
 protected:
  SearchText() : StoreFileTest("search-rows") {}

  // Runs SQL on a connection of its own; the first column of each row, as text.
  std::vector<std::string> Sql(const std::string& sql) { return testing_support::SqlFirstColumn(Path(), sql); }
  // The index agrees with search_rows, and search_rows holds exactly the live contacts.
  // ('integrity-check' with rank 1 compares the index with the external content too; without
  // it, only the index's own structure.)
  void ExpectInStep() {
    EXPECT_EQ(Sql("INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('integrity-check', 1)"),
              std::vector<std::string>{});
    EXPECT_EQ(Sql("INSERT INTO contacts_phone_fts (contacts_phone_fts, rank) VALUES ('integrity-check', 1)"),
              std::vector<std::string>{});
    EXPECT_EQ(Sql("SELECT count(*) FROM search_rows s LEFT JOIN contacts c ON c.id = s.id "
                  "WHERE c.id IS NULL OR c.deleted_at IS NOT NULL"),
              std::vector<std::string>{"0"});
    EXPECT_EQ(Sql("SELECT count(*) FROM contacts c WHERE c.deleted_at IS NULL AND "
                  "NOT EXISTS (SELECT 1 FROM search_rows s WHERE s.id = c.id)"),
              std::vector<std::string>{"0"});
  }
  int64_t Total(Params p) {
    auto q = ParseContactQuery(p);
    EXPECT_TRUE(q);
    auto page = store_->QueryContacts(ws_, *q);
    EXPECT_TRUE(page) << page.error().message;
    return page ? page->total : -1;
  }
  Contact Make(const std::string& first, const std::string& phone, std::vector<std::string> tags = {}) {
    Contact c;
    c.first_name = first;
    c.last_name = "Doe";
    c.phone = phone;
    c.tags = std::move(tags);
    return c;
  }
};

TEST_F(SearchText, EveryWritePathKeepsTheIndexInStepWithItsText) {
  std::vector<Contact> batch;
  for (int i = 0; i < 300; ++i) {  // a large batch: multi-row statements, triggers off
    Contact c = Make("Name" + std::to_string(i), "+1415555" + std::to_string(1000 + i), {i % 2 ? "odd" : "even"});
    if (i % 7 == 0) c.email = "n" + std::to_string(i) + "@example.com";
    if (i == 14) c.phone.clear();  // no number: no phone index entries
    batch.push_back(c);
  }
  auto inserted = store_->InsertContacts(ws_, batch, Actor{});
  ASSERT_TRUE(inserted) << inserted.error().message;
  ExpectInStep();
  EXPECT_EQ(Total({{"q", "name12"}}), 11);  // name12, name120…name129
  EXPECT_EQ(Total({{"q", "5551010"}}), 1);
  EXPECT_EQ(Total({{"q", "name1"}, {"tag", "odd"}}), 56);

  // An edit rewrites the contact's text: the old words and number are gone from the index.
  Contact edited = *store_->GetContact(ws_, batch[1].id);
  edited.first_name = "Renamed";
  edited.phone = "+14155559999";
  edited.tags = {"even"};
  ASSERT_TRUE(store_->UpdateContact(ws_, edited, edited.version, HistoryEntry{}));
  ExpectInStep();
  EXPECT_EQ(Total({{"q", "renamed"}}), 1);
  EXPECT_EQ(Total({{"q", "name1"}, {"tag", "odd"}}), 55);
  EXPECT_EQ(Total({{"q", "5551001"}}), 0);

  // Link changes without the contact rewritten (bulk tags, tag rename, merge, delete).
  BulkChange add;
  add.kind = BulkChange::Kind::kAddTags;
  add.names = {"vip"};
  ASSERT_TRUE(store_->ApplyBulkChange(ws_, {batch[2].id, batch[3].id, batch[4].id}, add, Actor{}));
  ExpectInStep();
  EXPECT_EQ(Total({{"q", "name"}, {"tag", "vip"}}), 3);
  int64_t vip = 0, odd = 0;
  auto tags = store_->ListTags(ws_);
  for (auto& t : *tags) {
    if (t.label == "vip") vip = t.id;
    if (t.label == "odd") odd = t.id;
  }
  ASSERT_TRUE(vip && odd);
  ASSERT_TRUE(store_->MergeTag(ws_, vip, odd));
  ExpectInStep();
  EXPECT_EQ(Total({{"q", "name2"}, {"tag", "odd"}}), 56);  // name2 (odd now), 5 of name2x, 50 of name2xx
  ASSERT_TRUE(store_->DeleteTag(ws_, odd));
  ExpectInStep();
  BulkChange group;
  group.kind = BulkChange::Kind::kAddToGroup;
  group.names = {"callers"};
  ASSERT_TRUE(store_->ApplyBulkChange(ws_, {batch[5].id, batch[6].id}, group, Actor{}));
  ExpectInStep();
  EXPECT_EQ(Total({{"q", "name"}, {"group", "callers"}}), 2);

  // Trash, restore and purge.
  ASSERT_TRUE(store_->TrashContacts(ws_, {batch[5].id, batch[7].id, batch[8].id}, Actor{}));
  ExpectInStep();
  EXPECT_EQ(Total({{"q", "name5"}}), 10);
  ASSERT_TRUE(store_->RestoreContacts(ws_, {batch[5].id, batch[7].id}, Actor{}));
  ExpectInStep();
  EXPECT_EQ(Total({{"q", "name5"}}), 11);
  EXPECT_EQ(Total({{"q", "name"}, {"group", "callers"}}), 2);
  ASSERT_TRUE(store_->PurgeContacts(ws_, {batch[7].id, batch[8].id}));
  ExpectInStep();
  EXPECT_EQ(Total({{"q", "name7"}}), 10);

  // One contact at a time (the single-row path).
  std::vector<Contact> one{Make("Single", "+14155558888", {"even"})};
  ASSERT_TRUE(store_->InsertContacts(ws_, one, Actor{}));
  ExpectInStep();
  EXPECT_EQ(Total({{"q", "single"}}), 1);
}

TEST_F(SearchText, ASchema4DatabaseMigrates) {
  std::vector<Contact> batch;
  for (int i = 0; i < 50; ++i) batch.push_back(Make("Old" + std::to_string(i), "+1415555" + std::to_string(2000 + i), {"kept"}));
  ASSERT_TRUE(store_->InsertContacts(ws_, batch, Actor{}));
  ASSERT_TRUE(store_->TrashContacts(ws_, {batch[0].id}, Actor{}));
  store_.reset();
  // The tables of schema 4: each search table with its own copy of the text, and no
  // search_rows (filled from it, as schema 4 had them).
  EXPECT_EQ(Sql(R"sql(
    CREATE VIRTUAL TABLE old_fts USING fts5 (body, tokenize = 'ascii', detail = none, columnsize = 0, prefix = '7 8 9 10');
    CREATE VIRTUAL TABLE old_phone_fts USING fts5 (body, digits UNINDEXED, tokenize = 'ascii', detail = none, columnsize = 0);
    INSERT INTO old_fts (rowid, body) SELECT id, words FROM search_rows;
    INSERT INTO old_phone_fts (rowid, body, digits) SELECT id, phones, digits FROM search_rows WHERE phones <> '';
    DROP TABLE contacts_fts;
    DROP TABLE contacts_phone_fts;
    DROP TABLE search_rows;
    ALTER TABLE old_fts RENAME TO contacts_fts;
    ALTER TABLE old_phone_fts RENAME TO contacts_phone_fts;
    DELETE FROM search_prefixes;
    PRAGMA user_version = 4;
  )sql" + std::string(kBeforeMigration6)),
            std::vector<std::string>{});
  Reopen();
  EXPECT_EQ(Sql("PRAGMA user_version"), std::vector<std::string>{"7"});
  ExpectInStep();
  EXPECT_EQ(Total({{"q", "old1"}}), 11);
  EXPECT_EQ(Total({{"q", "old"}, {"tag", "kept"}}), 49);
  EXPECT_EQ(Total({{"q", "o"}}), 49);  // a counted prefix: its count was rebuilt
  EXPECT_EQ(Total({{"q", "5552049"}}), 1);
  ASSERT_TRUE(store_->RestoreContacts(ws_, {batch[0].id}, Actor{}));
  ExpectInStep();
  EXPECT_EQ(Total({{"q", "old0"}}), 1);
}

// Pending migrations are applied in one transaction: from schema 3, migration 4 empties the
// search tables and only migration 5 fills them again, so a failure in 5 must leave 3 intact.
TEST_F(SearchText, AFailedUpgradeLeavesTheDatabaseAsItWas) {
  std::vector<Contact> batch;
  for (int i = 0; i < 20; ++i) batch.push_back(Make("Old" + std::to_string(i), "+1415555" + std::to_string(3000 + i)));
  ASSERT_TRUE(store_->InsertContacts(ws_, batch, Actor{}));
  store_.reset();
  // Schema 3's search tables (each with its own text, no search_prefixes), and a table named
  // search_rows in the way of migration 5.
  EXPECT_EQ(Sql(R"sql(
    CREATE VIRTUAL TABLE old_fts USING fts5 (body, tokenize = 'ascii', detail = none, prefix = '7 8 9 10');
    CREATE VIRTUAL TABLE old_phone_fts USING fts5 (body, digits UNINDEXED, tokenize = 'ascii', detail = none);
    INSERT INTO old_fts (rowid, body) SELECT id, words FROM search_rows;
    INSERT INTO old_phone_fts (rowid, body, digits) SELECT id, phones, digits FROM search_rows WHERE phones <> '';
    DROP TABLE contacts_fts;
    DROP TABLE contacts_phone_fts;
    DROP TABLE search_rows;
    DROP TABLE search_prefixes;
    ALTER TABLE old_fts RENAME TO contacts_fts;
    ALTER TABLE old_phone_fts RENAME TO contacts_phone_fts;
    CREATE TABLE search_rows (blocking INTEGER);
    PRAGMA user_version = 3;
  )sql" + std::string(kBeforeMigration6)),
            std::vector<std::string>{});
  auto opened = OpenStore("sqlite:" + Path());
  EXPECT_FALSE(opened);  // migration 5 cannot create search_rows
  EXPECT_EQ(Sql("PRAGMA user_version"), std::vector<std::string>{"3"});
  EXPECT_EQ(Sql("SELECT count(*) FROM contacts_fts"), std::vector<std::string>{"20"});
  EXPECT_EQ(Sql("SELECT count(*) FROM sqlite_master WHERE name = 'search_prefixes'"), std::vector<std::string>{"0"});
  // With the obstacle gone, the same upgrade goes through.
  EXPECT_EQ(Sql("DROP TABLE search_rows"), std::vector<std::string>{});
  Reopen();
  EXPECT_EQ(Sql("PRAGMA user_version"), std::vector<std::string>{"7"});
  ExpectInStep();
  EXPECT_EQ(Total({{"q", "old1"}}), 11);
  EXPECT_EQ(Total({{"q", "o"}}), 20);
}

}  // namespace
}  // namespace dialbook
