// contacts.link_kinds (SQLite backend, schema migration 6): the kinds of links a contact may
// have, which its reads look up and no others. A bit must be set by every write that gives a
// contact a link of its kind (else the link would never be read); removals may leave it set,
// and a contact's own writes set it exactly. The store contract's
// ReadsShowTheLinksOfEachWritePath checks the reads; this checks the bits themselves, after
// each step that no link, group or value has its contact's bit clear, and the upgrade of a
// database of schema 5.
#include <gtest/gtest.h>

#include "store/store.h"
#include "support/sql_file.h"
#include "support/store_file.h"

namespace dialbook {
namespace {

class LinkKinds : public testing_support::StoreFileTest {
 protected:
  LinkKinds() : StoreFileTest("link-kinds") {}
  void SetUp() override {
    StoreFileTest::SetUp();
    FieldDef plan;
    plan.key = "plan";
    plan.label = "Plan";
    plan.type = FieldType::kText;
    auto made = store_->CreateField(ws_, plan);
    ASSERT_TRUE(made);
    plan_id_ = made->id;
  }
  // SQL on a connection of its own: one value, or the error.
  std::string Sql(const std::string& sql) { return testing_support::SqlValue(Path(), sql); }
  // Links, groups and values whose contact's bit is clear: reads would never show them.
  void ExpectNoneHidden() {
    EXPECT_EQ(Sql("SELECT (SELECT count(*) FROM contact_tags x JOIN contacts c ON c.id = x.contact_id "
                  "WHERE c.link_kinds & 1 = 0) + (SELECT count(*) FROM contact_groups x JOIN contacts c ON "
                  "c.id = x.contact_id WHERE c.link_kinds & 2 = 0) + (SELECT count(*) FROM field_values x "
                  "JOIN contacts c ON c.id = x.contact_id WHERE c.link_kinds & 4 = 0)"),
              "0");
  }
  int Kinds(int64_t id) { return std::stoi(Sql("SELECT link_kinds FROM contacts WHERE id = " + std::to_string(id))); }
  Contact Make(const std::string& first, const std::string& phone) {
    Contact c;
    c.first_name = first;
    c.last_name = "Doe";
    c.phone = phone;
    return c;
  }
  int64_t Insert(Contact c) {
    std::vector<Contact> v{std::move(c)};
    auto st = store_->InsertContacts(ws_, v, Actor{});
    EXPECT_TRUE(st) << st.error().message;
    return v[0].id;
  }
  void Bulk(BulkChange::Kind kind, std::vector<int64_t> ids, std::vector<std::string> names = {}) {
    BulkChange ch;
    ch.kind = kind;
    ch.names = std::move(names);
    ch.field_id = plan_id_;
    ch.field_key = "plan";
    ch.value = "gold";
    auto done = store_->ApplyBulkChange(ws_, ids, ch, Actor{});
    ASSERT_TRUE(done) << done.error().message;
  }

  int64_t plan_id_ = 0;
};

TEST_F(LinkKinds, EveryWriteSetsTheKindsItGives) {
  // A new contact's row holds exactly the kinds it was created with.
  const int64_t bare = Insert(Make("Bare", "+14155550100"));
  Contact tagged = Make("Tagged", "+14155550101");
  tagged.tags = {"a"};
  Contact valued = Make("Valued", "+14155550102");
  valued.custom_fields["plan"] = "basic";
  Contact all = Make("All", "+14155550103");
  all.tags = {"a"};
  all.groups = {"g"};
  all.custom_fields["plan"] = "basic";
  EXPECT_EQ(Kinds(bare), 0);
  EXPECT_EQ(Kinds(Insert(tagged)), 1);
  EXPECT_EQ(Kinds(Insert(valued)), 4);
  EXPECT_EQ(Kinds(Insert(all)), 7);
  ExpectNoneHidden();

  // Bulk actions (the triggers) add theirs; a removal leaves the bit.
  Bulk(BulkChange::Kind::kAddToGroup, {bare}, {"g"});
  EXPECT_EQ(Kinds(bare), 2);
  Bulk(BulkChange::Kind::kSetField, {bare});
  EXPECT_EQ(Kinds(bare), 6);
  Bulk(BulkChange::Kind::kAddTags, {bare}, {"b"});
  EXPECT_EQ(Kinds(bare), 7);
  Bulk(BulkChange::Kind::kRemoveTags, {bare}, {"b"});
  EXPECT_EQ(Kinds(bare), 7);
  EXPECT_TRUE(store_->GetContact(ws_, bare)->tags.empty());
  ExpectNoneHidden();

  // An edit writes all of the contact's links again, and its kinds with them.
  Contact edited = *store_->GetContact(ws_, bare);
  edited.groups.clear();
  edited.custom_fields.clear();
  edited.tags = {"c"};
  ASSERT_TRUE(store_->UpdateContact(ws_, edited, edited.version, HistoryEntry{}));
  EXPECT_EQ(Kinds(bare), 1);
  ExpectNoneHidden();
  // An edit with so many tags that they are written without triggers.
  edited = *store_->GetContact(ws_, bare);
  edited.tags.clear();
  for (int i = 0; i < 300; ++i) edited.tags.push_back("many" + std::to_string(1000 + i));
  edited.groups = {"g"};
  ASSERT_TRUE(store_->UpdateContact(ws_, edited, edited.version, HistoryEntry{}));
  EXPECT_EQ(Kinds(bare), 3);
  EXPECT_EQ(store_->GetContact(ws_, bare)->tags.size(), 300u);
  ExpectNoneHidden();

  // A large batch writes its links and values without the triggers (WriteRelations).
  std::vector<Contact> batch;
  for (int i = 0; i < 600; ++i) {
    Contact c = Make("N" + std::to_string(i), "+1415556" + std::to_string(1000 + i));
    if (i % 2) c.tags = {"odd"};
    if (i % 3 == 0) c.groups = {"third"};
    c.custom_fields["plan"] = "p" + std::to_string(i);
    batch.push_back(c);
  }
  ASSERT_TRUE(store_->InsertContacts(ws_, batch, Actor{}));
  for (int i = 0; i < 600; ++i)
    ASSERT_EQ(Kinds(batch[i].id), (i % 2 ? 1 : 0) | (i % 3 == 0 ? 2 : 0) | 4) << "batch contact " << i;
  ExpectNoneHidden();
  auto read = store_->GetContact(ws_, batch[3].id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->tags, std::vector<std::string>{"odd"});
  EXPECT_EQ(read->groups, std::vector<std::string>{"third"});
  EXPECT_EQ(read->custom_fields.at("plan"), "p3");
}

TEST_F(LinkKinds, ASchema5DatabaseMigratesWithEveryKindPossible) {
  Contact old = Make("Old", "+14155550200");
  old.tags = {"kept"};
  old.groups = {"g"};
  old.custom_fields["plan"] = "gold";
  const int64_t old_id = Insert(old);
  const int64_t bare = Insert(Make("Bare", "+14155550201"));
  store_.reset();
  EXPECT_EQ(Sql(R"sql(
    DROP TRIGGER contact_tags_kind;
    DROP TRIGGER contact_groups_kind;
    DROP TRIGGER field_values_kind;
    ALTER TABLE contacts DROP COLUMN link_kinds;
    ALTER TABLE contacts DROP COLUMN tag_labels;
    PRAGMA user_version = 5;
  )sql"),
            "");
  Reopen();
  EXPECT_EQ(Sql("PRAGMA user_version"), "7");
  EXPECT_EQ(Kinds(old_id), 7);
  EXPECT_EQ(Kinds(bare), 7);
  auto read = store_->GetContact(ws_, old_id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->tags, std::vector<std::string>{"kept"});
  EXPECT_EQ(read->groups, std::vector<std::string>{"g"});
  EXPECT_EQ(read->custom_fields.at("plan"), "gold");
  // The triggers are there: a bulk action on a contact created after the upgrade.
  const int64_t fresh = Insert(Make("Fresh", "+14155550202"));
  EXPECT_EQ(Kinds(fresh), 0);
  Bulk(BulkChange::Kind::kAddTags, {fresh}, {"new"});
  EXPECT_EQ(Kinds(fresh), 1);
  EXPECT_EQ(store_->GetContact(ws_, fresh)->tags, std::vector<std::string>{"new"});
  ExpectNoneHidden();
}

}  // namespace
}  // namespace dialbook
