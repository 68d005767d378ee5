// The store contract: behaviour every Store backend must have. Each backend registers a
// factory in kBackends; every test runs against each of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <thread>

#include "core/time.h"
#include "store/store.h"
#include "support/scratch_dir.h"

namespace dialbook {
namespace {

struct Backend {
  const char* name;
  std::function<std::unique_ptr<Store>(const std::string& dir)> open;
};

const Backend kBackends[] = {
    {"sqlite", [](const std::string& dir) { return std::move(*OpenStore("sqlite:" + dir + "/t.db")); }},
};

class StoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path().string());
    ASSERT_TRUE(store_);
    ws1_ = store_->CreateWorkspace(Workspace{0, "One", "US", 0, 0, 0})->id;
    ws2_ = store_->CreateWorkspace(Workspace{0, "Two", "US", 0, 0, 0})->id;
  }
  void TearDown() override { store_.reset(); }

  Contact Make(const std::string& first, const std::string& phone) {
    Contact c;
    c.first_name = first;
    c.last_name = "Doe";
    c.phone = phone;
    return c;
  }
  int64_t Insert(int64_t ws, Contact c) {
    std::vector<Contact> v{std::move(c)};
    auto st = store_->InsertContacts(ws, v, Actor{});
    EXPECT_TRUE(st) << st.error().message;
    return v[0].id;
  }
  ContactPage Query(int64_t ws, Params p) {
    auto q = ParseContactQuery(p);
    EXPECT_TRUE(q);
    auto page = store_->QueryContacts(ws, *q);
    EXPECT_TRUE(page) << page.error().message;
    return page ? *page : ContactPage{};
  }

  testing_support::ScratchDir dir_{"store"};  // one per test and backend
  std::unique_ptr<Store> store_;
  int64_t ws1_ = 0, ws2_ = 0;
};

// Every id the query matches, walking all its pages.
std::set<int64_t> AllIds(Store& store, int64_t ws, Params p) {
  std::set<int64_t> ids;
  std::string cursor;
  for (int pages = 0; pages < 100; ++pages) {
    Params q = p;
    q.emplace_back("limit", "200");
    if (!cursor.empty()) q.emplace_back("cursor", cursor);
    auto parsed = ParseContactQuery(q);
    EXPECT_TRUE(parsed);
    auto page = store.QueryContacts(ws, *parsed);
    EXPECT_TRUE(page);
    if (!page) break;
    for (auto& c : page->items) ids.insert(c.id);
    cursor = page->next_cursor;
    if (cursor.empty()) break;
  }
  return ids;
}

TEST_P(StoreContract, WorkspaceNamesMayRepeatAcrossTenants) {
  auto again = store_->CreateWorkspace(Workspace{0, "one", "US", 0, 0, 0});
  ASSERT_TRUE(again);
  auto found = *store_->FindWorkspacesByName("ONE");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, ws1_);
  EXPECT_EQ(found[1].id, again->id);
  EXPECT_TRUE(store_->FindWorkspacesByName("nobody")->empty());
}

TEST_P(StoreContract, InsertAndReadBackEverything) {
  Contact c = Make("José", "+14155552671");
  c.tags = {"VIP", "lead"};
  c.groups = {"Boston"};
  c.department = "Sales";
  c.phones = {{"work", "+14155550100", "", "", ""}};
  c.email = "jose@example.com";
  c.consent = {"granted", "web form", 1000};
  int64_t id = Insert(ws1_, c);
  auto got = store_->GetContact(ws1_, id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->first_name, "José");
  EXPECT_EQ(got->phone, "+14155552671");
  EXPECT_EQ(got->tags, (std::vector<std::string>{"lead", "VIP"}));
  EXPECT_EQ(got->groups, std::vector<std::string>{"Boston"});
  EXPECT_EQ(got->department, "Sales");
  ASSERT_EQ(got->phones.size(), 1u);
  EXPECT_EQ(got->phones[0].number, "+14155550100");
  EXPECT_EQ(got->consent.status, "granted");
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(store_->GetWorkspace(ws1_)->contact_count, 1);
  // A listed page reads the relations of all its contacts at once: same values, same order.
  Contact other = Make("Ann", "+14155552672");
  other.tags = {"zeta", "VIP", "Alpha"};
  other.groups = {"Denver", "Boston"};
  int64_t other_id = Insert(ws1_, other);
  EXPECT_EQ(store_->GetContact(ws1_, other_id)->tags, (std::vector<std::string>{"Alpha", "VIP", "zeta"}));
  auto page = Query(ws1_, {});
  ASSERT_EQ(page.items.size(), 2u);
  for (auto& item : page.items) {
    auto single = store_->GetContact(ws1_, item.id);
    EXPECT_EQ(item.tags, single->tags);
    EXPECT_EQ(item.groups, single->groups);
    EXPECT_EQ(item.custom_fields, single->custom_fields);
  }
  EXPECT_EQ(page.items[0].groups, (std::vector<std::string>{"Boston", "Denver"}));
  EXPECT_EQ(store_->GetWorkspace(ws1_)->contact_count, 2);
  // Another workspace sees nothing of it.
  EXPECT_EQ(store_->GetContact(ws2_, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Query(ws2_, {}).total, 0);
  EXPECT_EQ(Query(ws2_, {{"q", "jose"}}).total, 0);
  EXPECT_TRUE(store_->ListTags(ws2_)->empty());
}

TEST_P(StoreContract, LivePhonesAreUniquePerWorkspace) {
  int64_t id = Insert(ws1_, Make("A", "+14155552671"));
  std::vector<Contact> dup{Make("B", "+14155552671")};
  auto st = store_->InsertContacts(ws1_, dup, Actor{});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(st.error().details.at("existing_id"), std::to_string(id));
  // The same number is fine in another workspace, and again once the first is trashed.
  Insert(ws2_, Make("B", "+14155552671"));
  ASSERT_EQ(*store_->TrashContacts(ws1_, {id}, Actor{}), 1);
  int64_t second = Insert(ws1_, Make("C", "+14155552671"));
  EXPECT_NE(second, id);
  // Restoring the first now collides and changes nothing.
  auto restored = store_->RestoreContacts(ws1_, {id}, Actor{});
  ASSERT_FALSE(restored);
  EXPECT_EQ(restored.error().code, ErrorCode::kAlreadyExists);
  EXPECT_NE(store_->GetContact(ws1_, id)->deleted_at, 0);
  std::vector<Contact> probe{Make("D", "+14155552671"), Make("E", "+14155550000")};
  std::vector<int64_t> owners;
  ASSERT_TRUE(store_->InsertContacts(ws1_, probe, Actor{}, &owners));
  EXPECT_EQ(owners, (std::vector<int64_t>{second, 0}));
}

TEST_P(StoreContract, BatchesCanSkipTakenPhonesInsideTheTransaction) {
  int64_t taken = Insert(ws1_, Make("A", "+14155552671"));
  auto ws = *store_->GetWorkspace(ws1_);
  ws.contact_limit = 2;  // room for exactly one more: the skipped one must not count
  ASSERT_TRUE(store_->UpdateWorkspace(ws));
  std::vector<Contact> batch{Make("B", "+14155552671"), Make("C", "+14155552672")};
  std::vector<int64_t> existing;
  ASSERT_TRUE(store_->InsertContacts(ws1_, batch, Actor{}, &existing));
  EXPECT_EQ(existing, (std::vector<int64_t>{taken, 0}));
  EXPECT_NE(batch[1].id, 0);
  EXPECT_EQ(store_->GetWorkspace(ws1_)->contact_count, 2);
}

TEST_P(StoreContract, BatchesAreAllOrNothing) {
  Insert(ws1_, Make("A", "+14155552671"));
  std::vector<Contact> batch{Make("B", "+14155552672"), Make("C", "+14155552671")};
  ASSERT_FALSE(store_->InsertContacts(ws1_, batch, Actor{}));
  EXPECT_EQ(Query(ws1_, {}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "4155552672"}}).total, 0);
}

// A running import started by this user.
int64_t StartImport(Store& store, int64_t ws, int64_t user) {
  ImportRecord r;
  r.user_id = user;
  r.status = "running";
  return store.CreateImport(ws, r)->id;
}

// An import batch creating contacts with these phones (first names "Imp0", "Imp1" …).
ImportBatch CreatesBatch(int64_t import_id, const std::vector<std::string>& phones, int64_t checked_at) {
  ImportBatch b;
  b.import_id = import_id;
  b.phones_checked_at = checked_at;
  for (size_t i = 0; i < phones.size(); ++i) {
    ImportWrite w;
    w.contact.first_name = "Imp" + std::to_string(i);
    w.contact.last_name = "Row";
    w.contact.phone = phones[i];
    w.contact.tags = {"vip"};
    b.writes.push_back(std::move(w));
  }
  return b;
}

TEST_P(StoreContract, ImportBatchesTrustPhonesCheckedOnlyWhileNothingElseWasWritten) {
  const int64_t user = store_->CreateUser(User{0, "imp@example.com", "Imp", "h", 0})->id;
  const int64_t imp = StartImport(*store_, ws1_, user);
  // Checked free, then this import's own batch commits: the next batch is written as checked.
  int64_t stamp = store_->WriteStamp();
  ASSERT_EQ((*store_->FindLivePhones(ws1_, {"+14155550001", "+14155550002"}))[0].id, 0);
  ImportBatch first = CreatesBatch(imp, {"+14155550001"}, stamp);
  ASSERT_TRUE(store_->ApplyImportBatch(ws1_, first, Actor{user}));
  ImportBatch second = CreatesBatch(imp, {"+14155550002"}, stamp);
  ASSERT_TRUE(store_->ApplyImportBatch(ws1_, second, Actor{user}));
  EXPECT_EQ(second.writes[0].skipped, "");
  EXPECT_NE(second.writes[0].id, 0);
  // Checked free, then somebody else takes the number: the batch must not trust its check.
  stamp = store_->WriteStamp();
  ASSERT_EQ((*store_->FindLivePhones(ws1_, {"+14155550003"}))[0].id, 0);
  const int64_t taken = Insert(ws1_, Make("Other", "+14155550003"));
  ImportBatch third = CreatesBatch(imp, {"+14155550003", "+14155550004"}, stamp);
  ASSERT_TRUE(store_->ApplyImportBatch(ws1_, third, Actor{user}));
  EXPECT_EQ(third.writes[0].skipped, "already_exists");
  EXPECT_EQ(third.writes[0].existing_id, taken);
  EXPECT_EQ(third.writes[1].skipped, "");
  // The same when the number is taken through another connection to the same database
  // (another server process, the CLI).
  stamp = store_->WriteStamp();
  ASSERT_EQ((*store_->FindLivePhones(ws1_, {"+14155550005"}))[0].id, 0);
  {
    auto other = GetParam().open(dir_.path().string());
    std::vector<Contact> v{Make("Elsewhere", "+14155550005")};
    ASSERT_TRUE(other->InsertContacts(ws1_, v, Actor{}));
  }
  ImportBatch fourth = CreatesBatch(imp, {"+14155550005"}, stamp);
  ASSERT_TRUE(store_->ApplyImportBatch(ws1_, fourth, Actor{user}));
  EXPECT_EQ(fourth.writes[0].skipped, "already_exists");
  // Another import's batch in between is somebody else too.
  const int64_t imp2 = StartImport(*store_, ws1_, user);
  stamp = store_->WriteStamp();
  ImportBatch theirs = CreatesBatch(imp2, {"+14155550006"}, -1);
  ASSERT_TRUE(store_->ApplyImportBatch(ws1_, theirs, Actor{user}));
  ImportBatch mine = CreatesBatch(imp, {"+14155550006"}, stamp);
  ASSERT_TRUE(store_->ApplyImportBatch(ws1_, mine, Actor{user}));
  EXPECT_EQ(mine.writes[0].skipped, "already_exists");
  EXPECT_EQ(Query(ws1_, {{"q", "4155550006"}}).total, 1);
}

TEST_P(StoreContract, PreparedImportBatchesWriteWhatUnpreparedOnesWrite) {
  const int64_t user = store_->CreateUser(User{0, "imp@example.com", "Imp", "h", 0})->id;
  // The last number is taken by then: that create is skipped, and nothing of it is counted.
  const std::vector<std::string> phones{"+14155550101", "+14155550102", "+442071838750", "+14155550109"};
  for (int64_t ws : {ws1_, ws2_}) {
    Insert(ws, Make("Quinn", "+14155550109"));
    const int64_t imp = StartImport(*store_, ws, user);
    ImportBatch b = CreatesBatch(imp, phones, -1);
    b.writes[1].contact.company = "Zebra Dental";
    b.writes[2].contact.email = "jo@example.org";
    b.writes[3].contact.company = "Xylo Works";
    if (ws == ws2_) store_->PrepareImportBatch(ws, b);
    ASSERT_TRUE(store_->ApplyImportBatch(ws, b, Actor{user}));
    EXPECT_EQ(b.writes[3].skipped, "already_exists");
    EXPECT_EQ(Query(ws, {{"q", "xyl"}}).total, 0);   // a counted prefix (3 characters)
    EXPECT_EQ(Query(ws, {{"q", "xylo"}}).total, 0);  // the search itself
  }
  for (const Params& p : std::vector<Params>{{{"q", "imp1"}},
                                            {{"q", "zeb"}},
                                            {{"q", "zebra"}},
                                            {{"q", "jo@example"}},
                                            {{"q", "5550102"}},
                                            {{"q", "2071838"}},
                                            {{"tag", "vip"}},
                                            {{"q", "row"}, {"tag", "vip"}},
                                            {{"sort", "name"}}}) {
    ContactPage a = Query(ws1_, p), b = Query(ws2_, p);
    ASSERT_EQ(a.total, b.total) << p[0].first << "=" << p[0].second;
    ASSERT_EQ(a.items.size(), b.items.size());
    EXPECT_GT(a.total, 0) << p[0].first << "=" << p[0].second;
    for (size_t i = 0; i < a.items.size(); ++i) {
      EXPECT_EQ(a.items[i].first_name, b.items[i].first_name);
      EXPECT_EQ(a.items[i].phone, b.items[i].phone);
    }
  }
}

TEST_P(StoreContract, PlanLimitRefusesWholeBatch) {
  auto ws = *store_->GetWorkspace(ws1_);
  ws.contact_limit = 2;
  ASSERT_TRUE(store_->UpdateWorkspace(ws));
  Insert(ws1_, Make("A", "+14155552671"));
  std::vector<Contact> batch{Make("B", "+14155552672"), Make("C", "+14155552673")};
  auto st = store_->InsertContacts(ws1_, batch, Actor{});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kRuleViolation);
  EXPECT_EQ(st.error().details.at("limit"), "2");
  EXPECT_EQ(store_->GetWorkspace(ws1_)->contact_count, 1);
}

TEST_P(StoreContract, OptimisticVersions) {
  int64_t id = Insert(ws1_, Make("A", "+14155552671"));
  Contact c = *store_->GetContact(ws1_, id);
  c.first_name = "Alice";
  HistoryEntry h;
  h.action = "updated";
  h.changes_json = R"({"first_name":{"from":"A","to":"Alice"}})";
  ASSERT_TRUE(store_->UpdateContact(ws1_, c, 1, h));
  EXPECT_EQ(c.version, 2);
  c.first_name = "Stale";
  auto stale = store_->UpdateContact(ws1_, c, 1, h);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetContact(ws1_, id)->first_name, "Alice");
  auto history = *store_->ListHistory(ws1_, id, 10);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].action, "updated");
  EXPECT_EQ(history[1].action, "created");
  // Search follows the edit.
  EXPECT_EQ(Query(ws1_, {{"q", "alic"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "stale"}}).total, 0);
}

TEST_P(StoreContract, SearchByNamePrefixAccentsDigitsAndEmail) {
  Contact a = Make("José", "+14155552671");
  a.email = "pepe@example.com";
  a.company = "Acme Corp";
  Insert(ws1_, a);
  Insert(ws1_, Make("Johanna", "+442079460958"));
  EXPECT_EQ(Query(ws1_, {{"q", "jose"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "JOS"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "jo"}}).total, 2);
  EXPECT_EQ(Query(ws1_, {{"q", "555267"}}).total, 1);       // middle of the digits
  EXPECT_EQ(Query(ws1_, {{"q", "(415) 555"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "7946"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "pepe@exa"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "acme"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "jo doe"}}).total, 2);
  EXPECT_EQ(Query(ws1_, {{"q", "jo zzz"}}).total, 0);
  EXPECT_EQ(Query(ws1_, {{"q", "\"*:()"}}).total, 2);  // nothing searchable: no restriction
}

// A name with an apostrophe is found by its parts and by the joined word, and a search
// typed with the apostrophe looks for the joined word (not for an "o…" and a "c…" word).
TEST_P(StoreContract, NamesWithApostrophesAreFoundJoinedAndApart) {
  auto names = [&](const std::string& q) {
    std::vector<std::string> out;
    for (auto& c : Query(ws1_, {{"q", q}}).items) out.push_back(c.last_name);
    std::sort(out.begin(), out.end());
    return out;
  };
  const char* last[] = {"O'Connor", "D’Angelo", "Ocampo", "Connor", "Orr"};
  for (size_t i = 0; i < std::size(last); ++i) {
    Contact c = Make("Cy", "+1415555290" + std::to_string(i));
    c.last_name = last[i];
    c.email = "cy@example.com";  // words starting with o (nothing) and c (cy, com) everywhere
    Insert(ws1_, c);
  }
  using V = std::vector<std::string>;
  EXPECT_EQ(names("O'C"), (V{"O'Connor", "Ocampo"}));
  EXPECT_EQ(names("o’conn"), (V{"O'Connor"}));
  EXPECT_EQ(names("oconnor"), (V{"O'Connor"}));
  EXPECT_EQ(names("Connor"), (V{"Connor", "O'Connor"}));
  EXPECT_EQ(names("O Connor"), (V{"O'Connor"}));
  EXPECT_EQ(names("d'a"), (V{"D’Angelo"}));
  EXPECT_EQ(names("angelo"), (V{"D’Angelo"}));
  EXPECT_EQ(Query(ws1_, {{"q", "O'C"}}).total, 2);
  EXPECT_EQ(Query(ws1_, {{"q", "o"}}).total, 3);  // O'Connor (o, oconnor), Ocampo, Orr
}

TEST_P(StoreContract, PhoneSearchFindsAnyRunOfDigitsInEveryNumber) {
  Contact a = Make("Ann", "+14155552671");
  a.phones.push_back({"work", "+442079460958", "", "", ""});
  int64_t ann = Insert(ws1_, a);
  Contact b = Make("Bob", "+13472514735");
  b.notes = "gate code 2079";
  Insert(ws1_, b);
  Insert(ws2_, Make("Other", "+14155552671"));
  auto ids = [&](Params p) {
    std::vector<int64_t> out;
    for (auto& c : Query(ws1_, p).items) out.push_back(c.id);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(Query(ws1_, {{"q", "5552671"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "14155552671"}}).total, 1);  // the whole number
  EXPECT_EQ(Query(ws1_, {{"q", "+44 20 7946 0958"}}).total, 1);  // the second number
  EXPECT_EQ(Query(ws1_, {{"q", "946095"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "671"}}).total, 1);  // 3 digits: the end of a number
  EXPECT_EQ(Query(ws1_, {{"q", "958"}}).total, 1);  // … of the second number
  EXPECT_EQ(Query(ws1_, {{"q", "415"}}).total, 1);  // … its start
  EXPECT_EQ(Query(ws1_, {{"q", "251"}}).total, 1);  // … its middle (Bob's)
  EXPECT_EQ(Query(ws1_, {{"q", "2079"}}).total, 2);  // Ann's second number, Bob's notes
  // Every 3-digit run of 267144 is in Ann's digits, but not the run itself (it would
  // span her two numbers).
  EXPECT_EQ(Query(ws1_, {{"q", "267144"}}).total, 0);
  EXPECT_EQ(Query(ws1_, {{"q", "55526714"}}).total, 0);
  EXPECT_EQ(Query(ws1_, {{"q", "ann 0958"}}).total, 1);  // words and digits together
  EXPECT_EQ(Query(ws1_, {{"q", "bob 0958"}}).total, 0);
  EXPECT_EQ(Query(ws2_, {{"q", "0958"}}).total, 0);  // never across workspaces
  for (const char* sort : {"name", "-created_at", "created_at", "last_called_at"})
    EXPECT_EQ(ids({{"q", "7946"}, {"sort", sort}}), std::vector<int64_t>{ann}) << sort;
  // A changed number is found by its new digits only; a trashed contact not at all.
  auto c = *store_->GetContact(ws1_, ann);
  c.phones.clear();
  c.phone = "+16175550123";
  ASSERT_TRUE(store_->UpdateContact(ws1_, c, c.version, HistoryEntry{}));
  EXPECT_EQ(Query(ws1_, {{"q", "7946"}}).total, 0);
  EXPECT_EQ(Query(ws1_, {{"q", "5552671"}}).total, 0);
  EXPECT_EQ(Query(ws1_, {{"q", "6175550"}}).total, 1);
  ASSERT_TRUE(store_->TrashContacts(ws1_, {ann}, Actor{}));
  EXPECT_EQ(Query(ws1_, {{"q", "6175550"}}).total, 0);
  ASSERT_TRUE(store_->RestoreContacts(ws1_, {ann}, Actor{}));
  EXPECT_EQ(Query(ws1_, {{"q", "6175550"}}).total, 1);
}

TEST_P(StoreContract, LinkCountsOfOneDepartment) {
  auto make = [&](int64_t ws, const char* name, const char* phone, const char* dept, std::vector<std::string> tags,
                  std::vector<std::string> groups) {
    Contact c = Make(name, phone);
    c.department = dept;
    c.tags = std::move(tags);
    c.groups = std::move(groups);
    return Insert(ws, c);
  };
  make(ws1_, "A", "+14155552671", "Sales", {"vip", "lead"}, {"east"});
  make(ws1_, "B", "+14155552672", "Sales", {"vip"}, {});
  int64_t trashed = make(ws1_, "C", "+14155552673", "Sales", {"vip"}, {"east"});
  make(ws1_, "D", "+14155552674", "Support", {"vip", "cold"}, {"east"});
  make(ws1_, "E", "+14155552675", "", {"vip"}, {});
  make(ws2_, "F", "+14155552676", "Sales", {"vip"}, {"east"});
  ASSERT_TRUE(store_->TrashContacts(ws1_, {trashed}, Actor{}));
  auto dept = [&](int64_t ws, const std::string& name) {
    auto all = store_->ListSets(ws, SetKind::kDepartment);
    for (auto& d : *all)
      if (d.name == name) return d.id;
    return int64_t{0};
  };
  auto tag = [&](int64_t ws, const std::string& label) {
    auto all = store_->ListTags(ws);
    for (auto& t : *all)
      if (t.label == label) return t.id;
    return int64_t{0};
  };
  auto tags = *store_->CountLinksInDepartment(ws1_, false, dept(ws1_, "Sales"));
  EXPECT_EQ(tags, (std::map<int64_t, int64_t>{{tag(ws1_, "vip"), 2}, {tag(ws1_, "lead"), 1}}));
  auto groups = *store_->CountLinksInDepartment(ws1_, true, dept(ws1_, "Sales"));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups.begin()->second, 1);  // C is in the trash
  // Another workspace's department id counts nothing here.
  EXPECT_TRUE(store_->CountLinksInDepartment(ws1_, false, dept(ws2_, "Sales"))->empty());
}

TEST_P(StoreContract, SearchFoldsLettersWithoutCombiningAccents) {
  Insert(ws1_, Make("Łukasz", "+14155552671"));
  Insert(ws1_, Make("Søren", "+14155552672"));
  Contact g = Make("Anna", "+14155552673");
  g.last_name = "Groß";
  Insert(ws1_, g);
  EXPECT_EQ(Query(ws1_, {{"q", "lukasz"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "łuk"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "soren"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "SØREN"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "gross"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "groß"}}).total, 1);
  // Listed in every order, not only counted.
  for (const char* sort : {"name", "-created_at", "last_called_at"})
    EXPECT_EQ(Query(ws1_, {{"q", "soren"}, {"sort", sort}}).items.size(), 1u) << sort;
}

TEST_P(StoreContract, UnicodePunctuationNeverLeavesTheWorkspace) {
  // Words are cut at ’ – — and friends; none of their parts lands outside the workspace.
  Insert(ws1_, Make("Sean", "+14155552671"));
  Contact b = Make("x\u2014" + std::string("000001secret"), "+14155552672");  // an attempt at ws1's token space
  Insert(ws2_, b);
  Contact obrien = Make("Jean\u2013Pierre", "+14155552673");
  obrien.last_name = "O\u2019Brien";
  Insert(ws1_, obrien);
  EXPECT_EQ(Query(ws1_, {{"q", "secret"}}).total, 0);
  EXPECT_EQ(Query(ws1_, {{"q", "secret"}, {"sort", "name"}}).total, 0);
  EXPECT_EQ(Query(ws2_, {{"q", "000001secret"}}).total, 1);  // its own word, in its own workspace
  EXPECT_EQ(Query(ws1_, {{"q", "brien"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "O\u2019Brien"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "jean\u2013pierre"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "pierre"}}).items.size(), 1u);
}

TEST_P(StoreContract, TrashedContactsLeaveTagCountsAndTagFilters) {
  Contact a = Make("A", "+14155552671");
  a.tags = {"vip"};
  a.groups = {"Boston"};
  Contact b = Make("B", "+14155552672");
  b.tags = {"vip"};
  int64_t ida = Insert(ws1_, a);
  Insert(ws1_, b);
  ASSERT_EQ(*store_->TrashContacts(ws1_, {ida}, Actor{}), 1);
  EXPECT_EQ((*store_->ListTags(ws1_))[0].count, 1);
  EXPECT_EQ((*store_->ListSets(ws1_, SetKind::kGroup))[0].count, 0);
  ContactPage vip = Query(ws1_, {{"tag", "vip"}});
  EXPECT_EQ(vip.total, 1);
  EXPECT_EQ(vip.items.size(), 1u);
  EXPECT_EQ(Query(ws1_, {{"tag", "vip"}, {"trash", "true"}}).total, 1);
  ASSERT_EQ(*store_->RestoreContacts(ws1_, {ida}, Actor{}), 1);
  EXPECT_EQ(Query(ws1_, {{"tag", "vip"}}).total, 2);
  EXPECT_EQ((*store_->ListSets(ws1_, SetKind::kGroup))[0].count, 1);
}

TEST_P(StoreContract, TagCountsFollowEveryWritePath) {
  auto count = [&](const std::string& label) -> int64_t {
    auto tags = store_->ListTags(ws1_);
    for (auto& t : *tags)
      if (t.label == label) return t.count;
    return -1;
  };
  Contact a = Make("A", "+14155552671");
  a.tags = {"x", "y"};
  int64_t ida = Insert(ws1_, a);
  int64_t idb = Insert(ws1_, Make("B", "+14155552672"));
  EXPECT_EQ(count("x"), 1);
  Contact edited = *store_->GetContact(ws1_, ida);  // replace x, y by y, z
  edited.tags = {"y", "z"};
  ASSERT_TRUE(store_->UpdateContact(ws1_, edited, edited.version, HistoryEntry{}));
  EXPECT_EQ(count("x"), 0);
  EXPECT_EQ(count("z"), 1);
  BulkChange ch;
  ch.kind = BulkChange::Kind::kAddTags;
  ch.names = {"z"};
  ASSERT_TRUE(store_->ApplyBulkChange(ws1_, {ida, idb}, ch, Actor{}));
  EXPECT_EQ(count("z"), 2);
  ch.kind = BulkChange::Kind::kRemoveTags;
  ASSERT_TRUE(store_->ApplyBulkChange(ws1_, {idb}, ch, Actor{}));
  EXPECT_EQ(count("z"), 1);
  ASSERT_TRUE(store_->TrashContacts(ws1_, {ida}, Actor{}));
  EXPECT_EQ(count("y"), 0);
  EXPECT_EQ(Query(ws1_, {{"tag", "y"}}).total, 0);
  ASSERT_TRUE(store_->RestoreContacts(ws1_, {ida}, Actor{}));
  EXPECT_EQ(Query(ws1_, {{"tag", "y"}}).total, 1);
  ASSERT_TRUE(store_->PurgeContacts(ws1_, {ida}));
  EXPECT_EQ(count("y"), 0);
  EXPECT_EQ(count("z"), 0);
}

// A batch with many links counts them without the per-row triggers (SQLite: WriteRelations);
// the counts must be what the triggers would have made, and the triggers on again after.
TEST_P(StoreContract, TagAndGroupCountsOfALargeBatch) {
  auto tag_count = [&](int64_t ws, const std::string& label) -> int64_t {
    auto tags = store_->ListTags(ws);  // kept: a range-for over *ListTags() would outlive it
    for (auto& t : *tags)
      if (t.label == label) return t.count;
    return -1;
  };
  auto group_count = [&](int64_t ws, const std::string& name) -> int64_t {
    auto groups = store_->ListSets(ws, SetKind::kGroup);
    for (auto& g : *groups)
      if (g.name == name) return g.count;
    return -1;
  };
  Contact before = Make("Before", "+14155550001");
  before.tags = {"all"};
  Insert(ws1_, before);  // a count the batch adds to
  std::vector<Contact> batch;
  for (int i = 0; i < 300; ++i) {
    Contact c = Make("N" + std::to_string(i), "+1415555" + std::to_string(1000 + i));
    c.tags = {"all", i % 2 ? "odd" : "even"};
    if (i % 3 == 0) c.tags.push_back("ALL");  // the same tag again, another label: one link
    c.groups = {"every"};  // 300 group links: the groups take the counted path too
    if (i % 5 == 0) c.groups.push_back("fifth");
    batch.push_back(c);
  }
  ASSERT_TRUE(store_->InsertContacts(ws1_, batch, Actor{}));
  EXPECT_EQ(tag_count(ws1_, "all"), 301);
  EXPECT_EQ(tag_count(ws1_, "odd"), 150);
  EXPECT_EQ(tag_count(ws1_, "even"), 150);
  EXPECT_EQ(group_count(ws1_, "fifth"), 60);
  EXPECT_EQ(group_count(ws1_, "every"), 300);
  EXPECT_EQ(Query(ws1_, {{"tag", "all"}}).total, 301);
  EXPECT_EQ(Query(ws1_, {{"group", "fifth"}}).total, 60);
  EXPECT_EQ(Query(ws1_, {{"q", "n299"}, {"tag", "odd"}}).total, 1);
  // The other workspace's tag of the same label is its own.
  Contact other = Make("Other", "+14155550001");
  other.tags = {"all"};
  Insert(ws2_, other);
  EXPECT_EQ(tag_count(ws2_, "all"), 1);
  EXPECT_EQ(tag_count(ws1_, "all"), 301);
  // Triggers are on again: a single write, a trash and a restore count through them.
  Contact edited = *store_->GetContact(ws1_, batch[0].id);
  edited.tags = {"odd"};
  ASSERT_TRUE(store_->UpdateContact(ws1_, edited, edited.version, HistoryEntry{}));
  EXPECT_EQ(tag_count(ws1_, "all"), 300);
  EXPECT_EQ(tag_count(ws1_, "even"), 149);
  EXPECT_EQ(tag_count(ws1_, "odd"), 151);
  ASSERT_TRUE(store_->TrashContacts(ws1_, {batch[1].id, batch[5].id}, Actor{}));
  EXPECT_EQ(tag_count(ws1_, "odd"), 149);
  EXPECT_EQ(group_count(ws1_, "fifth"), 59);
  EXPECT_EQ(group_count(ws1_, "every"), 298);
  ASSERT_TRUE(store_->RestoreContacts(ws1_, {batch[1].id}, Actor{}));
  EXPECT_EQ(tag_count(ws1_, "odd"), 150);
  EXPECT_EQ(tag_count(ws1_, "all"), 299);
  EXPECT_EQ(group_count(ws1_, "every"), 299);
}

TEST_P(StoreContract, PaginationWalksEveryRowOnce) {
  for (int i = 0; i < 23; ++i) {
    Contact c = Make("N" + std::to_string(100 + i % 7), "+1415555" + std::to_string(2600 + i));
    if (i % 2 == 0) c.tags = {"even"};
    Insert(ws1_, c);
  }
  // A trashed contact with the tag and the name stays out of every page and total.
  Contact gone = Make("N100", "+14155552699");
  gone.tags = {"even"};
  ASSERT_EQ(*store_->TrashContacts(ws1_, {Insert(ws1_, gone)}, Actor{}), 1);
  // Every plan: sort index walks, search-driven pages (streamed by id or sorted), pages
  // streamed from one tag's links, words + tag answered by FTS5, pages cut from a phone
  // search ∩ tag intersection, and searches of several terms (several words, digits) whose
  // one read in id order counts them and keeps the page.
  struct Filter { Params params; size_t expect; };
  for (const Filter& f : {Filter{{}, 23}, Filter{{{"q", "doe"}}, 23}, Filter{{{"tag", "even"}}, 12},
                          Filter{{{"q", "n100"}}, 4}, Filter{{{"q", "doe"}, {"tag", "even"}}, 12},
                          Filter{{{"q", "n100"}, {"tag", "even"}}, 2}, Filter{{{"q", "4155552"}, {"tag", "even"}}, 12},
                          Filter{{{"q", "4155552"}}, 23}, Filter{{{"q", "n100 doe"}}, 4}})
  for (const char* sort : {"name", "-name", "created_at", "-created_at", "last_called_at"}) {
    std::set<int64_t> seen;
    std::vector<int64_t> order;
    std::string cursor;
    int pages = 0;
    const std::string what = (f.params.empty() ? "" : f.params.back().first + "=" + f.params.back().second) + " " + sort;
    do {
      Params p{{"sort", sort}, {"limit", "5"}};
      p.insert(p.end(), f.params.begin(), f.params.end());
      if (!cursor.empty()) p.emplace_back("cursor", cursor);
      ContactPage page = Query(ws1_, p);
      EXPECT_EQ(page.total, static_cast<int64_t>(f.expect)) << what;
      for (auto& c : page.items) {
        EXPECT_TRUE(seen.insert(c.id).second) << what;
        order.push_back(c.id);
      }
      cursor = page.next_cursor;
      ASSERT_LT(++pages, 10);
    } while (!cursor.empty());
    EXPECT_EQ(seen.size(), f.expect) << what;
    if (std::string(sort) == "created_at") {
      EXPECT_TRUE(std::is_sorted(order.begin(), order.end())) << what;
    }
    if (std::string(sort) == "-created_at") {
      EXPECT_TRUE(std::is_sorted(order.rbegin(), order.rend())) << what;
    }
  }
  auto q = ParseContactQuery({{"cursor", "garbage!"}});
  EXPECT_FALSE(store_->QueryContacts(ws1_, *q));
}

// A search matching more than 20,000 contacts, in name or last-called order: the page is
// found by walking that order's index against the matches. It must list what another plan
// lists (chosen here by a filter that every contact passes), page after page; so must the
// searches whose matches are counted and sorted instead.
TEST_P(StoreContract, BroadSearchInAnotherOrderPagesLikeTheGenericPlan) {
  std::vector<Contact> batch;
  for (int i = 0; i < 20100; ++i) {
    Contact c = Make("N" + std::to_string((i * 7919) % 20100), "+1415" + std::to_string(2000000 + i));
    if (i % 1000 == 0) c.last_name = "Roe";  // a few that do not match
    batch.push_back(std::move(c));
    if (batch.size() == 5000 || i == 20099) {
      ASSERT_TRUE(store_->InsertContacts(ws1_, batch, Actor{}));
      batch.clear();
    }
  }
  ASSERT_EQ(*store_->TrashContacts(ws1_, {5, 6}, Actor{}), 2);  // matching rows in the trash stay out
  // Every 3rd contact is tagged, for a phone search with a tag (its matches merged with the
  // tag's links, then sorted).
  std::vector<int64_t> tagged;
  for (int64_t id = 1; id <= 20100; id += 3) tagged.push_back(id);
  BulkChange tag;
  tag.kind = BulkChange::Kind::kAddTags;
  tag.names = {"third"};
  ASSERT_TRUE(store_->ApplyBulkChange(ws1_, tagged, tag, Actor{}));
  // "doe": one short word, counted by the prefix counters; "doe n" and "n1 doe": several
  // words, counted from their matches (more than 20,000, and about 11,000), which then give
  // the page; "doe" with a tag: the tag's token joins the words (about 6,700 matches);
  // "4152000" with a tag: 1,000 phone matches merged with the tag's links (ids 1, 4 … 1000,
  // none of them in the trash).
  const std::vector<std::pair<Params, int64_t>> searches = {
      {{{"q", "doe"}}, 20100 - 21 - 2},
      {{{"q", "doe n"}}, 20100 - 21 - 2},
      {{{"q", "n1 doe"}}, -1},
      {{{"q", "doe"}, {"tag", "third"}}, -1},
      {{{"q", "4152000"}, {"tag", "third"}}, 334},
  };
  for (const auto& [search, total] : searches)
    for (const char* sort : {"name", "-name", "last_called_at", "-last_called_at", "created_at", "-created_at"}) {
      const std::string what = search[0].second + (search.size() > 1 ? " +tag" : "") + " sort=" + sort;
      std::string cursor, generic_cursor;
      for (int page = 0; page < 3; ++page) {
        Params p = search;
        p.insert(p.end(), {{"sort", sort}, {"limit", "50"}});
        Params g = p;
        g.emplace_back("starred", "false");
        if (!cursor.empty()) p.emplace_back("cursor", cursor);
        if (!generic_cursor.empty()) g.emplace_back("cursor", generic_cursor);
        ContactPage walked = Query(ws1_, p), generic = Query(ws1_, g);
        if (total >= 0) {
          EXPECT_EQ(walked.total, total) << what;
        }
        EXPECT_EQ(walked.total, generic.total) << what;
        ASSERT_EQ(walked.items.size(), 50u) << what;
        ASSERT_EQ(walked.items.size(), generic.items.size()) << what;
        for (size_t i = 0; i < walked.items.size(); ++i) {
          EXPECT_EQ(walked.items[i].id, generic.items[i].id) << what << " page " << page << " row " << i;
          if (search[0].second != "4152000") {
            EXPECT_EQ(walked.items[i].last_name, "Doe") << what;
          }
        }
        cursor = walked.next_cursor;
        generic_cursor = generic.next_cursor;
        ASSERT_FALSE(cursor.empty());
      }
    }
  // Compacting the search index (after a large import) changes no answer.
  EXPECT_FALSE(*store_->CompactSearchIndex(9999));  // too few written
  EXPECT_FALSE(*store_->CompactSearchIndex(1500));
  const std::set<int64_t> n1 = AllIds(*store_, ws1_, {{"q", "n1"}}), phone = AllIds(*store_, ws1_, {{"q", "4152000"}});
  ASSERT_EQ(n1.size(), 11111u - 2);  // N1, N10…N19, …, N10000…N19999, less the two in the trash
  ASSERT_EQ(phone.size(), 1000u - 2);  // +14152000000 … +14152000999, less the two in the trash
  EXPECT_TRUE(*store_->CompactSearchIndex(20100));
  EXPECT_EQ(AllIds(*store_, ws1_, {{"q", "n1"}}), n1);
  EXPECT_EQ(AllIds(*store_, ws1_, {{"q", "4152000"}}), phone);
  EXPECT_EQ(Query(ws1_, {{"q", "doe"}}).total, 20100 - 21 - 2);
}

TEST_P(StoreContract, TagFiltersAndBulkChanges) {
  int64_t a = Insert(ws1_, Make("A", "+14155552671"));
  int64_t b = Insert(ws1_, Make("B", "+14155552672"));
  int64_t c = Insert(ws1_, Make("C", "+14155552673"));
  BulkChange add;
  add.kind = BulkChange::Kind::kAddTags;
  add.names = {"vip"};
  EXPECT_EQ(*store_->ApplyBulkChange(ws1_, {a, b}, add, Actor{}), 2);
  EXPECT_EQ(*store_->ApplyBulkChange(ws1_, {a, b}, add, Actor{}), 0);  // already tagged
  add.names = {"lead"};
  EXPECT_EQ(*store_->ApplyBulkChange(ws1_, {b, c}, add, Actor{}), 2);
  EXPECT_EQ(Query(ws1_, {{"tag", "VIP"}}).total, 2);
  EXPECT_EQ(Query(ws1_, {{"tag", "vip,lead"}, {"tag_mode", "all"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"tag", "vip,lead"}, {"tag_mode", "any"}}).total, 3);
  EXPECT_EQ(Query(ws1_, {{"tag", "vip"}, {"tag_mode", "none"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"tag", "unknown"}}).total, 0);
  // Search combined with tags: totals and pages from FTS5 (the rows carry tag tokens).
  EXPECT_EQ(Query(ws1_, {{"q", "doe"}, {"tag", "vip"}}).total, 2);
  EXPECT_EQ(Query(ws1_, {{"q", "doe"}, {"tag", "vip"}}).items.size(), 2u);
  EXPECT_EQ(Query(ws1_, {{"q", "doe"}, {"tag", "vip,lead"}, {"tag_mode", "all"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "doe"}, {"tag", "vip,lead"}}).total, 3);
  EXPECT_EQ(Query(ws1_, {{"q", "b doe"}, {"tag", "lead"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "doe"}, {"tag", "vip"}, {"tag_mode", "none"}}).total, 1);
  // Another workspace's ids are ignored by bulk changes.
  EXPECT_EQ(*store_->ApplyBulkChange(ws2_, {a, b, c}, add, Actor{}), 0);
  EXPECT_TRUE(store_->ListTags(ws2_)->empty() || (*store_->ListTags(ws2_))[0].count == 0);
  // Merge vip into lead.
  auto tags = *store_->ListTags(ws1_);
  int64_t vip = 0, lead = 0;
  for (auto& t : tags) (t.label == "vip" ? vip : lead) = t.id;
  ASSERT_TRUE(store_->MergeTag(ws1_, vip, lead));
  EXPECT_EQ(store_->GetTag(ws1_, lead)->count, 3);
  EXPECT_EQ(store_->GetTag(ws1_, vip).error().code, ErrorCode::kNotFound);
}

// The ways a contact gets tags, groups or custom field values in the store (created, edited,
// bulk actions, a tag merge, a large batch) show in every read of it: by id, by ids and in
// pages. (SQLite reads only the kinds of links a contact's row says it may have: each write
// path must say so. Imports write through the same calls as creates and edits.)
TEST_P(StoreContract, ReadsShowTheLinksOfEachWritePath) {
  FieldDef plan;
  plan.key = "plan";
  plan.label = "Plan";
  plan.type = FieldType::kText;
  plan = *store_->CreateField(ws1_, plan);
  struct Links {
    std::vector<std::string> tags, groups;
    std::map<std::string, std::string> fields;
    bool operator==(const Links&) const = default;
  };
  auto of = [](const Contact& c) { return Links{c.tags, c.groups, c.custom_fields}; };
  // Each contact read alone, among the others by ids, and in pages of every contact.
  auto expect = [&](int64_t id, const Links& want, const char* after) {
    SCOPED_TRACE(after);
    auto one = store_->GetContact(ws1_, id);
    ASSERT_TRUE(one) << one.error().message;
    EXPECT_EQ(of(*one), want) << "by id";
    auto all = AllIds(*store_, ws1_, {});
    auto many = store_->GetContacts(ws1_, std::vector<int64_t>(all.begin(), all.end()));
    ASSERT_TRUE(many);
    auto it = std::find_if(many->begin(), many->end(), [&](const Contact& c) { return c.id == id; });
    ASSERT_NE(it, many->end());
    EXPECT_EQ(of(*it), want) << "by ids";
    bool seen = false;
    for (const char* limit : {"1", "3", "200"}) {
      std::string cursor;
      for (int pages = 0; pages < 1000; ++pages) {
        Params q{{"limit", limit}};
        if (!cursor.empty()) q.emplace_back("cursor", cursor);
        ContactPage page = Query(ws1_, q);
        for (auto& c : page.items) {
          if (c.id != id) continue;
          EXPECT_EQ(of(c), want) << "in pages of " << limit;
          seen = true;
        }
        cursor = page.next_cursor;
        if (cursor.empty()) break;
      }
    }
    EXPECT_TRUE(seen);
  };
  int64_t bare = Insert(ws1_, Make("Bare", "+14155550100"));
  Contact full = Make("Full", "+14155550101");
  full.tags = {"b", "a"};
  full.groups = {"g"};
  full.custom_fields["plan"] = "gold";
  int64_t full_id = Insert(ws1_, full);
  Contact only_field = Make("Field", "+14155550102");
  only_field.custom_fields["plan"] = "basic";
  int64_t field_id = Insert(ws1_, only_field);
  expect(bare, {}, "created bare");
  expect(full_id, {{"a", "b"}, {"g"}, {{"plan", "gold"}}}, "created with all three");
  expect(field_id, {{}, {}, {{"plan", "basic"}}}, "created with a value only");

  // Bulk actions on a contact that had none of them.
  BulkChange ch;
  ch.kind = BulkChange::Kind::kAddTags;
  ch.names = {"t1"};
  ASSERT_TRUE(store_->ApplyBulkChange(ws1_, {bare, field_id}, ch, Actor{}));
  expect(bare, {{"t1"}, {}, {}}, "bulk tag");
  expect(field_id, {{"t1"}, {}, {{"plan", "basic"}}}, "bulk tag beside a value");
  ch.kind = BulkChange::Kind::kAddToGroup;
  ch.names = {"g1"};
  ASSERT_TRUE(store_->ApplyBulkChange(ws1_, {bare}, ch, Actor{}));
  expect(bare, {{"t1"}, {"g1"}, {}}, "bulk group");
  ch = BulkChange{};
  ch.kind = BulkChange::Kind::kSetField;
  ch.field_id = plan.id;
  ch.field_key = "plan";
  ch.value = "silver";
  ASSERT_TRUE(store_->ApplyBulkChange(ws1_, {bare}, ch, Actor{}));
  expect(bare, {{"t1"}, {"g1"}, {{"plan", "silver"}}}, "bulk value");
  // Taken away again, and given back.
  ch.kind = BulkChange::Kind::kClearField;
  ASSERT_TRUE(store_->ApplyBulkChange(ws1_, {bare}, ch, Actor{}));
  ch = BulkChange{};
  ch.kind = BulkChange::Kind::kRemoveTags;
  ch.names = {"t1"};
  ASSERT_TRUE(store_->ApplyBulkChange(ws1_, {bare}, ch, Actor{}));
  expect(bare, {{}, {"g1"}, {}}, "tag and value removed");
  ch.kind = BulkChange::Kind::kAddTags;
  ch.names = {"t2"};
  ASSERT_TRUE(store_->ApplyBulkChange(ws1_, {bare}, ch, Actor{}));
  expect(bare, {{"t2"}, {"g1"}, {}}, "tagged again");

  // An edit replaces them all; then one that gives back a group and a value.
  Contact edited = *store_->GetContact(ws1_, full_id);
  edited.tags.clear();
  edited.groups.clear();
  edited.custom_fields.clear();
  ASSERT_TRUE(store_->UpdateContact(ws1_, edited, edited.version, HistoryEntry{}));
  expect(full_id, {}, "edited to none");
  edited = *store_->GetContact(ws1_, full_id);
  edited.custom_fields["plan"] = "gold";
  edited.groups = {"g"};
  ASSERT_TRUE(store_->UpdateContact(ws1_, edited, edited.version, HistoryEntry{}));
  expect(full_id, {{}, {"g"}, {{"plan", "gold"}}}, "edited to a group and a value");

  // A tag merged into another.
  int64_t t2 = 0, b = 0;
  auto tags = store_->ListTags(ws1_);
  ASSERT_TRUE(tags);
  for (auto& t : *tags) {
    if (t.label == "t2") t2 = t.id;
    if (t.label == "b") b = t.id;
  }
  ASSERT_TRUE(t2 && b);
  ASSERT_TRUE(store_->MergeTag(ws1_, t2, b));
  expect(bare, {{"b"}, {"g1"}, {}}, "merged tag");

  // A tag renamed (its contacts read the new label, in the new order of the keys, at a new
  // version), one renamed in case only, one deleted, one merged; and a label given in another
  // case than the tag's, twice.
  Contact greek = Make("Greek", "+14155550103");
  greek.tags = {"gamma", "Alpha", "beta", "BETA"};
  const int64_t greek_id = Insert(ws1_, greek);
  expect(greek_id, {{"Alpha", "beta", "gamma"}, {}, {}}, "created with a label twice");
  auto tag_labelled = [&](const std::string& label) -> Tag {
    auto tags = store_->ListTags(ws1_);
    for (auto& t : *tags)
      if (t.label == label) return t;
    ADD_FAILURE() << "no tag " << label;
    return {};
  };
  Tag t = tag_labelled("Alpha");
  t.label = "omega";
  int64_t version = store_->GetContact(ws1_, greek_id)->version;
  ASSERT_TRUE(store_->UpdateTag(ws1_, t));
  expect(greek_id, {{"beta", "gamma", "omega"}, {}, {}}, "tag renamed");
  EXPECT_GT(store_->GetContact(ws1_, greek_id)->version, version);
  t = tag_labelled("beta");
  t.label = "BETA";
  ASSERT_TRUE(store_->UpdateTag(ws1_, t));
  expect(greek_id, {{"BETA", "gamma", "omega"}, {}, {}}, "tag renamed in case");
  t = tag_labelled("gamma");
  t.color = "#ff0000";  // not a label: the contacts read the same
  version = store_->GetContact(ws1_, greek_id)->version;
  ASSERT_TRUE(store_->UpdateTag(ws1_, t));
  EXPECT_EQ(store_->GetContact(ws1_, greek_id)->version, version);
  ASSERT_TRUE(store_->DeleteTag(ws1_, t.id));
  expect(greek_id, {{"BETA", "omega"}, {}, {}}, "tag deleted");
  EXPECT_GT(store_->GetContact(ws1_, greek_id)->version, version);
  version = store_->GetContact(ws1_, greek_id)->version;
  ASSERT_TRUE(store_->MergeTag(ws1_, tag_labelled("omega").id, tag_labelled("BETA").id));
  expect(greek_id, {{"BETA"}, {}, {}}, "tag merged into one it had");
  EXPECT_GT(store_->GetContact(ws1_, greek_id)->version, version);
  Contact edit = *store_->GetContact(ws1_, greek_id);
  edit.tags = {"beta", "Delta"};
  ASSERT_TRUE(store_->UpdateContact(ws1_, edit, edit.version, HistoryEntry{}));
  expect(greek_id, {{"BETA", "Delta"}, {}, {}}, "edited with a label in another case");

  // A batch large enough to write its links and values in bulk, each contact with one kind.
  std::vector<Contact> batch;
  for (int i = 0; i < 900; ++i) {
    Contact c = Make("N" + std::to_string(i), "+1415556" + std::to_string(1000 + i));
    if (i % 3 == 0) c.tags = {"k" + std::to_string(i % 7)};
    if (i % 3 == 1) c.groups = {"h" + std::to_string(i % 5)};
    if (i % 3 == 2) c.custom_fields["plan"] = "p" + std::to_string(i);
    batch.push_back(c);
  }
  ASSERT_TRUE(store_->InsertContacts(ws1_, batch, Actor{}));
  for (int i : {0, 1, 2, 3, 449, 898, 899}) {
    Links want;
    if (i % 3 == 0) want.tags = {"k" + std::to_string(i % 7)};
    if (i % 3 == 1) want.groups = {"h" + std::to_string(i % 5)};
    if (i % 3 == 2) want.fields["plan"] = "p" + std::to_string(i);
    expect(batch[i].id, want, ("batch contact " + std::to_string(i)).c_str());
  }
  // Every contact of the batch, in pages of 50.
  std::string cursor;
  int checked = 0;
  for (int pages = 0; pages < 100; ++pages) {
    Params q{{"limit", "50"}, {"q", "doe"}};
    if (!cursor.empty()) q.emplace_back("cursor", cursor);
    ContactPage page = Query(ws1_, q);
    for (auto& c : page.items) {
      if (c.first_name.size() < 2 || c.first_name[0] != 'N') continue;
      const int i = std::stoi(c.first_name.substr(1));
      EXPECT_EQ(c.tags.size(), i % 3 == 0 ? 1u : 0u) << c.first_name;
      EXPECT_EQ(c.groups.size(), i % 3 == 1 ? 1u : 0u) << c.first_name;
      EXPECT_EQ(c.custom_fields.size(), i % 3 == 2 ? 1u : 0u) << c.first_name;
      ++checked;
    }
    cursor = page.next_cursor;
    if (cursor.empty()) break;
  }
  EXPECT_EQ(checked, 900);
}

// A search combined with tags or groups is answered from the search rows (which carry the
// contact's tags and groups); every way links change must reach them. The expected result
// is the search alone ∩ the tag or group alone, each read without the other.
TEST_P(StoreContract, SearchWithTagsAndGroupsFollowsEveryLinkChange) {
  auto check = [&](Params with, const std::string& what) {
    Params search{{"q", "doe"}}, links;
    for (auto& kv : with) (kv.first == "q" ? search : links).push_back(kv);
    std::set<int64_t> expect;
    std::set<int64_t> a = AllIds(*store_, ws1_, search), b = AllIds(*store_, ws1_, links);
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(expect, expect.end()));
    Params both = search;
    both.insert(both.end(), links.begin(), links.end());
    EXPECT_EQ(AllIds(*store_, ws1_, both), expect) << what;
    EXPECT_EQ(Query(ws1_, both).total, static_cast<int64_t>(expect.size())) << what;
    return expect.size();
  };
  std::vector<int64_t> ids;
  for (int i = 0; i < 6; ++i) {
    Contact c = Make("P" + std::to_string(i), "+1415555270" + std::to_string(i));
    if (i < 3) c.tags = {"vip"};
    if (i % 2) c.groups = {"Boston"};
    ids.push_back(Insert(ws1_, c));
  }
  EXPECT_EQ(check({{"tag", "vip"}}, "created"), 3u);
  EXPECT_EQ(check({{"group", "Boston"}}, "created"), 3u);
  Contact edited = *store_->GetContact(ws1_, ids[0]);  // an edit replaces vip by lead
  edited.tags = {"lead"};
  ASSERT_TRUE(store_->UpdateContact(ws1_, edited, edited.version, HistoryEntry{}));
  EXPECT_EQ(check({{"tag", "vip"}}, "edited"), 2u);
  EXPECT_EQ(check({{"tag", "lead"}}, "edited"), 1u);
  BulkChange ch;
  ch.kind = BulkChange::Kind::kAddTags;
  ch.names = {"lead"};
  ASSERT_TRUE(store_->ApplyBulkChange(ws1_, {ids[4], ids[5]}, ch, Actor{}));
  EXPECT_EQ(check({{"tag", "lead"}}, "bulk add"), 3u);
  EXPECT_EQ(check({{"tag", "vip,lead"}, {"tag_mode", "all"}}, "bulk add"), 0u);
  EXPECT_EQ(check({{"tag", "vip,lead"}, {"tag_mode", "any"}}, "bulk add"), 5u);
  ch.kind = BulkChange::Kind::kRemoveTags;
  ASSERT_TRUE(store_->ApplyBulkChange(ws1_, {ids[5]}, ch, Actor{}));
  EXPECT_EQ(check({{"tag", "lead"}}, "bulk remove"), 2u);
  ch.kind = BulkChange::Kind::kAddToGroup;
  ch.names = {"Boston"};
  ASSERT_TRUE(store_->ApplyBulkChange(ws1_, {ids[0]}, ch, Actor{}));
  EXPECT_EQ(check({{"group", "Boston"}}, "bulk group add"), 4u);
  ch.kind = BulkChange::Kind::kRemoveFromGroup;
  ASSERT_TRUE(store_->ApplyBulkChange(ws1_, {ids[1]}, ch, Actor{}));
  EXPECT_EQ(check({{"group", "Boston"}}, "bulk group remove"), 3u);
  // Trashed contacts leave, restored ones come back with their links.
  ASSERT_EQ(*store_->TrashContacts(ws1_, {ids[2]}, Actor{}), 1);
  EXPECT_EQ(check({{"tag", "vip"}}, "trashed"), 1u);
  ASSERT_EQ(*store_->RestoreContacts(ws1_, {ids[2]}, Actor{}), 1);
  EXPECT_EQ(check({{"tag", "vip"}}, "restored"), 2u);
  // Merging vip into lead, then deleting lead, then deleting the group.
  int64_t vip = 0, lead = 0;
  const std::vector<Tag> tags = *store_->ListTags(ws1_);
  for (auto& t : tags) (t.label == "vip" ? vip : lead) = t.id;
  ASSERT_TRUE(store_->MergeTag(ws1_, vip, lead));
  EXPECT_EQ(check({{"tag", "lead"}}, "merged"), 4u);
  ASSERT_TRUE(store_->DeleteTag(ws1_, lead));
  EXPECT_EQ(Query(ws1_, {{"q", "doe"}, {"tag", "lead"}}).total, 0);
  ASSERT_TRUE(store_->CreateTag(ws1_, Tag{0, "lead", "", "", 0}));  // a new tag of the same name is empty
  EXPECT_EQ(check({{"tag", "lead"}}, "tag re-created"), 0u);
  auto groups = *store_->ListSets(ws1_, SetKind::kGroup);
  ASSERT_EQ(groups.size(), 1u);
  ASSERT_TRUE(store_->DeleteSet(ws1_, SetKind::kGroup, groups[0].id));
  ASSERT_TRUE(store_->CreateSet(ws1_, SetKind::kGroup, "Boston"));
  EXPECT_EQ(check({{"group", "Boston"}}, "group re-created"), 0u);
  // Tag and group tokens never match a typed search.
  EXPECT_EQ(Query(ws1_, {{"q", "t1"}}).total, 0);
}

// The total of a search of one short word comes from counters of word prefixes; after
// every kind of write it must equal the number of contacts the search really lists.
TEST_P(StoreContract, ShortSearchTotalsFollowEveryWritePath) {
  auto agree = [&](const std::string& what) {
    for (const char* q : {"m", "ma", "mar", "mari", "d", "do", "doe", "é", "ze", "zoë", "x"}) {
      auto listed = static_cast<int64_t>(AllIds(*store_, ws1_, {{"q", q}}).size());
      EXPECT_EQ(Query(ws1_, {{"q", q}}).total, listed) << what << ", q=" << q;
      EXPECT_EQ(Query(ws1_, {{"q", q}, {"sort", "name"}}).total, listed) << what << ", q=" << q;
    }
  };
  std::vector<int64_t> ids;
  for (const char* name : {"Maria", "Mark", "Marie", "Zoë", "Émile", "Mamadou"}) {
    Contact c = Make(name, "+1415555280" + std::to_string(ids.size()));
    c.notes = "Met at MARkET day, marathon";  // the same prefixes in one contact count once
    ids.push_back(Insert(ws1_, c));
  }
  Insert(ws2_, Make("Mario", "+14155552899"));  // another workspace's words are not counted
  agree("created");
  // A batch that fails as a whole (a taken phone) leaves no count behind.
  std::vector<Contact> batch{Make("Mateo", "+14155552890"), Make("Mabel", "+14155552800")};
  EXPECT_FALSE(store_->InsertContacts(ws1_, batch, Actor{}));
  agree("failed batch");
  Contact edited = *store_->GetContact(ws1_, ids[0]);
  edited.first_name = "Zed";
  edited.notes = "";
  ASSERT_TRUE(store_->UpdateContact(ws1_, edited, edited.version, HistoryEntry{}));
  agree("edited");
  ASSERT_EQ(*store_->TrashContacts(ws1_, {ids[1], ids[2]}, Actor{}), 2);
  agree("trashed");
  ASSERT_EQ(*store_->RestoreContacts(ws1_, {ids[1]}, Actor{}), 1);
  agree("restored");
  ASSERT_EQ(*store_->PurgeContacts(ws1_, {ids[1], ids[2], ids[3]}), 3);
  agree("purged");
  EXPECT_EQ(Query(ws2_, {{"q", "ma"}}).total, 1);
}

TEST_P(StoreContract, CustomFieldConditions) {
  FieldDef age;
  age.key = "age";
  age.label = "Age";
  age.type = FieldType::kInteger;
  age = *store_->CreateField(ws1_, age);
  Contact a = Make("A", "+14155552671");
  a.custom_fields["age"] = "30";
  Contact b = Make("B", "+14155552672");
  b.custom_fields["age"] = "9";
  Insert(ws1_, a);
  Insert(ws1_, b);
  Insert(ws1_, Make("C", "+14155552673"));
  auto run = [&](CfOp op, std::string value) {
    auto q = *ParseContactQuery({});
    q.filter.cf.push_back(CfCondition{"age", op, value, FieldType::kInteger, age.id, "cf.age"});
    return store_->QueryContacts(ws1_, q)->total;
  };
  EXPECT_EQ(run(CfOp::kGte, "10"), 1);  // numeric, not text, comparison
  EXPECT_EQ(run(CfOp::kLte, "30"), 2);
  EXPECT_EQ(run(CfOp::kEquals, "9"), 1);
  EXPECT_EQ(run(CfOp::kEmpty, ""), 1);
  EXPECT_EQ(run(CfOp::kNotEmpty, ""), 2);
  EXPECT_EQ(*store_->CountFieldValues(ws1_, age.id), 2);
  ASSERT_TRUE(store_->DeleteField(ws1_, age.id));
  EXPECT_EQ(*store_->CountFieldValues(ws1_, age.id), 0);
}

TEST_P(StoreContract, TrashRestoreAndPurge) {
  int64_t id = Insert(ws1_, Make("A", "+14155552671"));
  ASSERT_EQ(*store_->TrashContacts(ws1_, {id}, Actor{}), 1);
  EXPECT_EQ(Query(ws1_, {}).total, 0);
  EXPECT_EQ(Query(ws1_, {{"trash", "true"}}).total, 1);
  EXPECT_EQ(Query(ws1_, {{"q", "a"}}).total, 0);
  EXPECT_EQ(store_->GetWorkspace(ws1_)->contact_count, 0);
  ASSERT_EQ(*store_->RestoreContacts(ws1_, {id}, Actor{}), 1);
  EXPECT_EQ(Query(ws1_, {{"q", "4155552671"}}).total, 1);
  ASSERT_EQ(*store_->PurgeContacts(ws1_, {id}), 1);
  EXPECT_EQ(store_->GetContact(ws1_, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->ListHistory(ws1_, id, 10).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->GetWorkspace(ws1_)->contact_count, 0);
}

TEST_P(StoreContract, ExpiredTrashIsErased) {
  int64_t old_one = Insert(ws1_, Make("Old", "+14155552671"));
  int64_t recent = Insert(ws2_, Make("Recent", "+14155552672"));
  int64_t live = Insert(ws1_, Make("Live", "+14155552673"));
  ASSERT_EQ(*store_->TrashContacts(ws1_, {old_one}, Actor{}), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  int64_t cutoff = NowMillis();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(*store_->TrashContacts(ws2_, {recent}, Actor{}), 1);
  // Only what was trashed before the cutoff goes; nothing live is touched.
  EXPECT_EQ(*store_->PurgeTrashedBefore(cutoff), 1);
  EXPECT_TRUE(store_->GetContact(ws2_, recent));
  EXPECT_EQ(store_->GetContact(ws1_, old_one).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store_->GetContact(ws1_, live));
}

TEST_P(StoreContract, SessionsTokensMemberships) {
  User u = *store_->CreateUser(User{0, "Ann@Example.com", "Ann", "hash", 0});
  EXPECT_EQ(u.email, "ann@example.com");
  EXPECT_EQ(store_->CreateUser(User{0, "ann@example.com", "", "h", 0}).error().code, ErrorCode::kAlreadyExists);
  ASSERT_TRUE(store_->PutMembership(Membership{ws1_, u.id, Role::kManager, std::nullopt, 0}));
  EXPECT_EQ((*store_->GetMembership(ws1_, u.id))->role, Role::kManager);
  EXPECT_FALSE(*store_->GetMembership(ws2_, u.id));
  ApiToken t = *store_->CreateToken(ApiToken{0, ws1_, u.id, "t", "abc", NowMillis(), 0, 0});
  EXPECT_EQ((*store_->FindTokenByHash("abc"))->id, t.id);
  EXPECT_EQ(store_->RevokeToken(ws2_, t.id).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store_->RevokeToken(ws1_, t.id));
  EXPECT_NE((*store_->FindTokenByHash("abc"))->revoked_at, 0);
  ASSERT_TRUE(store_->CreateSession(Session{"s1", u.id, ws1_, "csrf", NowMillis(), NowMillis() + 1000}));
  EXPECT_TRUE(*store_->GetSession("s1"));
  ASSERT_TRUE(store_->DeleteSession("s1"));
  EXPECT_FALSE(*store_->GetSession("s1"));
  ASSERT_TRUE(store_->CreateSession(Session{"s2", u.id, ws1_, "csrf", NowMillis(), NowMillis() + 1000}));
  ASSERT_TRUE(store_->CreateSession(Session{"s3", u.id, ws2_, "csrf", NowMillis(), NowMillis() + 1000}));
  ASSERT_TRUE(store_->DeleteUserSessions(u.id));
  EXPECT_FALSE(*store_->GetSession("s2"));
  EXPECT_FALSE(*store_->GetSession("s3"));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::ValuesIn(kBackends),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace dialbook
