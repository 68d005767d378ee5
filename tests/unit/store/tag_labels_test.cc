// contacts.tag_labels (SQLite backend, schema migration 7): a contact's row carries the labels
// of its tags, which its reads take instead of looking its tags up. So every write that
// changes a contact's tags or a tag's label must set them again. The store contract's
// ReadsShowTheLinksOfEachWritePath checks what reads show; this checks the column itself
// against contact_tags and tags after each write path (every contact, not only the one a test
// reads), an import and its undo, and the upgrade of a database of schema 6.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>

#include "store/store.h"
#include "support/sql_file.h"
#include "support/store_file.h"

namespace dialbook {
namespace {

using nlohmann::json;

class TagLabels : public testing_support::StoreFileTest {
 protected:
  TagLabels() : StoreFileTest("tag-labels") {}
  std::vector<std::string> Rows(const std::string& sql) { return testing_support::SqlFirstColumn(Path(), sql); }
  // Every contact's tag_labels against its tags read from contact_tags and tags, in the order
  // of their keys (built here, not by the store's SQL).
  void ExpectInStep(const char* after) {
    SCOPED_TRACE(after);
    std::map<std::string, json> want;
    for (auto& id : Rows("SELECT id FROM contacts")) want[id] = json::array();
    for (auto& row : Rows("SELECT x.contact_id || ' ' || t.label FROM contact_tags x JOIN tags t ON "
                          "t.workspace_id = x.workspace_id AND t.id = x.tag_id ORDER BY x.contact_id, t.label_key")) {
      const size_t space = row.find(' ');
      want[row.substr(0, space)].push_back(row.substr(space + 1));
    }
    std::map<std::string, json> have;
    for (auto& row : Rows("SELECT id || ' ' || tag_labels FROM contacts")) {
      const size_t space = row.find(' ');
      have[row.substr(0, space)] = json::parse(row.substr(space + 1), nullptr, false);
    }
    EXPECT_EQ(have, want);
  }
  Contact Make(const std::string& first, const std::string& phone, std::vector<std::string> tags = {}) {
    Contact c;
    c.first_name = first;
    c.last_name = "Doe";
    c.phone = phone;
    c.tags = std::move(tags);
    return c;
  }
  int64_t Insert(Contact c) {
    std::vector<Contact> v{std::move(c)};
    auto st = store_->InsertContacts(ws_, v, Actor{});
    EXPECT_TRUE(st) << st.error().message;
    return v[0].id;
  }
  void Bulk(BulkChange::Kind kind, std::vector<int64_t> ids, std::vector<std::string> names) {
    BulkChange ch;
    ch.kind = kind;
    ch.names = std::move(names);
    auto done = store_->ApplyBulkChange(ws_, ids, ch, Actor{});
    ASSERT_TRUE(done) << done.error().message;
  }
  Tag TagLabelled(const std::string& label) {
    auto tags = store_->ListTags(ws_);
    for (auto& t : *tags)
      if (t.label == label) return t;
    ADD_FAILURE() << "no tag " << label;
    return {};
  }
  std::vector<std::string> TagsOf(int64_t id) { return store_->GetContact(ws_, id)->tags; }
};

TEST_F(TagLabels, EveryWritePathKeepsThemInStep) {
  // Created one at a time and in a batch large enough to write its links in bulk (triggers
  // off), with labels given in another case than the tag's and twice.
  const int64_t a = Insert(Make("A", "+14155550100", {"zeta", "Alpha", "ALPHA"}));
  const int64_t b = Insert(Make("B", "+14155550101"));
  std::vector<Contact> batch;
  for (int i = 0; i < 600; ++i)
    batch.push_back(Make("N" + std::to_string(i), "+1415556" + std::to_string(1000 + i),
                         i % 2 ? std::vector<std::string>{"Odd", "zeta"} : std::vector<std::string>{}));
  ASSERT_TRUE(store_->InsertContacts(ws_, batch, Actor{}));
  // Labels that JSON escapes (read through the parser) and ones that only look like JSON;
  // "é ü" sorts by its key "e u".
  const int64_t odd = Insert(Make("Odd", "+14155550102", {"say \"hi\"", "back\\slash", "a,b", "[x]", "é ü"}));
  const int64_t slash = Insert(Make("Slash", "+14155550103", {"back\\slash"}));
  ExpectInStep("created");
  EXPECT_EQ(TagsOf(slash), std::vector<std::string>{"back\\slash"});
  EXPECT_EQ(TagsOf(odd), (std::vector<std::string>{"[x]", "a,b", "back\\slash", "é ü", "say \"hi\""}));
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"Alpha", "zeta"}));
  EXPECT_EQ(TagsOf(batch[1].id), (std::vector<std::string>{"Odd", "zeta"}));

  // Bulk actions, on contacts with and without tags.
  Bulk(BulkChange::Kind::kAddTags, {a, b, batch[0].id, batch[1].id}, {"beta", "odd"});
  ExpectInStep("bulk add");
  EXPECT_EQ(TagsOf(b), (std::vector<std::string>{"beta", "Odd"}));
  Bulk(BulkChange::Kind::kAddTags, {b}, {"Kappa", "KAPPA"});
  ExpectInStep("bulk add of one label twice");
  EXPECT_EQ(TagsOf(b), (std::vector<std::string>{"beta", "Kappa", "Odd"}));
  Bulk(BulkChange::Kind::kRemoveTags, {a, b, batch[1].id}, {"zeta", "kappa"});
  ExpectInStep("bulk remove");
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"Alpha", "beta", "Odd"}));

  // An edit.
  Contact edit = *store_->GetContact(ws_, b);
  edit.tags = {"gamma"};
  ASSERT_TRUE(store_->UpdateContact(ws_, edit, edit.version, HistoryEntry{}));
  ExpectInStep("edited");
  edit = *store_->GetContact(ws_, b);
  edit.tags.clear();
  ASSERT_TRUE(store_->UpdateContact(ws_, edit, edit.version, HistoryEntry{}));
  ExpectInStep("edited to none");
  EXPECT_EQ(TagsOf(b), std::vector<std::string>{});

  // A tag renamed (to a label that sorts elsewhere), renamed in case, deleted, merged; the
  // trash and back keeps them.
  Tag t = TagLabelled("Alpha");
  t.label = "omega";
  ASSERT_TRUE(store_->UpdateTag(ws_, t));
  ExpectInStep("renamed");
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"beta", "Odd", "omega"}));
  t = TagLabelled("Odd");
  t.label = "ODD";
  ASSERT_TRUE(store_->UpdateTag(ws_, t));
  ExpectInStep("renamed in case");
  ASSERT_TRUE(store_->TrashContacts(ws_, {a, batch[3].id}, Actor{}));
  ASSERT_TRUE(store_->DeleteTag(ws_, TagLabelled("zeta").id));
  ExpectInStep("deleted");
  ASSERT_TRUE(store_->MergeTag(ws_, TagLabelled("omega").id, TagLabelled("beta").id));
  ExpectInStep("merged");
  ASSERT_TRUE(store_->RestoreContacts(ws_, {a, batch[3].id}, Actor{}));
  ExpectInStep("restored");
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"beta", "ODD"}));
  EXPECT_EQ(TagsOf(batch[3].id), std::vector<std::string>{"ODD"});

  // An import that creates one contact and updates another, then its undo.
  ImportRecord r;
  r.status = "running";
  const int64_t imp = store_->CreateImport(ws_, r)->id;
  ImportBatch ib;
  ib.import_id = imp;
  ImportWrite create;
  create.contact = Make("Imp", "+14155550199", {"imported", "Beta"});
  ib.writes.push_back(create);
  ImportWrite update;
  update.kind = ImportWrite::Kind::kUpdate;
  update.contact = *store_->GetContact(ws_, a);
  update.expected_version = update.contact.version;
  update.contact.tags = {"imported"};
  update.changes_json = R"({"tags":{"from":["beta","ODD"],"to":["imported"]}})";
  ib.writes.push_back(update);
  ASSERT_TRUE(store_->ApplyImportBatch(ws_, ib, Actor{}));
  ASSERT_EQ(ib.writes[0].skipped, "");
  ASSERT_EQ(ib.writes[1].skipped, "");
  ExpectInStep("imported");
  EXPECT_EQ(TagsOf(ib.writes[0].id), (std::vector<std::string>{"beta", "imported"}));
  EXPECT_EQ(TagsOf(a), std::vector<std::string>{"imported"});
  auto undone = store_->UndoImport(ws_, imp, Actor{});
  ASSERT_TRUE(undone) << undone.error().message;
  EXPECT_EQ(undone->restored, 1);
  ExpectInStep("import undone");
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"beta", "ODD"}));
}

// Labels a row cannot give (no write makes them: a damaged row) are looked up instead of
// read as none, which the next edit would write back; a tag whose key today's folding makes
// differently is set in its new order by any edit of the tag.
TEST_F(TagLabels, ReadsAndTagEditsRepairWhatTheRowGetsWrong) {
  const int64_t a = Insert(Make("A", "+14155550100", {"a", "b"}));
  for (const char* damaged : {"not json", "[\"a\", 7]", "{}", ""}) {
    SCOPED_TRACE(damaged);
    EXPECT_EQ(testing_support::SqlValue(Path(), std::string("UPDATE contacts SET tag_labels = '") + damaged + "'"), "");
    EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"a", "b"}));
    auto page = store_->QueryContacts(ws_, ContactQuery{});
    ASSERT_TRUE(page);
    ASSERT_EQ(page->items.size(), 1u);
    EXPECT_EQ(page->items[0].tags, (std::vector<std::string>{"a", "b"}));
  }
  // Tag "a" keyed "zz" by an older folding, its contact's labels in that order.
  EXPECT_EQ(testing_support::SqlValue(Path(), "UPDATE tags SET label_key = 'zz' WHERE label = 'a'; "
                                              "UPDATE contacts SET tag_labels = '[\"b\",\"a\"]'"),
            "");
  ExpectInStep("keyed by an older folding");
  Tag t = TagLabelled("a");
  t.color = "#00ff00";
  ASSERT_TRUE(store_->UpdateTag(ws_, t));
  ExpectInStep("tag edited");
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"a", "b"}));
}

// A database of schema 6 (no tag_labels): migration 7 fills them for every contact, in the
// order of the tags' keys (not of their ids, nor of when they were given).
TEST_F(TagLabels, ASchema6DatabaseMigrates) {
  const int64_t a = Insert(Make("A", "+14155550100", {"zeta"}));
  const int64_t b = Insert(Make("B", "+14155550101", {"Alpha", "zeta", "mid"}));
  const int64_t bare = Insert(Make("Bare", "+14155550102"));
  Bulk(BulkChange::Kind::kAddTags, {a}, {"alpha"});
  store_.reset();
  EXPECT_EQ(testing_support::SqlValue(Path(), "ALTER TABLE contacts DROP COLUMN tag_labels; PRAGMA user_version = 6;"),
            "");
  Reopen();
  EXPECT_EQ(testing_support::SqlValue(Path(), "PRAGMA user_version"), "7");
  ExpectInStep("migrated");
  EXPECT_EQ(TagsOf(a), (std::vector<std::string>{"Alpha", "zeta"}));
  EXPECT_EQ(TagsOf(b), (std::vector<std::string>{"Alpha", "mid", "zeta"}));
  EXPECT_EQ(TagsOf(bare), std::vector<std::string>{});
}

}  // namespace
}  // namespace dialbook
