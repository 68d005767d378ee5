// A bulk change's contacts are found by their ids, one lookup each, never by walking the
// workspace's contacts: the planner, left to itself, put the JSON array of ids inside a walk
// of every contact (quadratic: at 1M contacts, a change to 50,000 of them did not finish in
// 30 minutes). The plan is asked of SQLite on a real database, so no timing is involved.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "store/sqlite/internal.h"
#include "store/store.h"
#include "support/scratch_dir.h"

namespace dialbook {
namespace {

TEST(BulkChangePlan, TheIdsDriveTheLookupOfTheirContacts) {
  testing_support::ScratchDir dir{"bulk-plan"};
  const std::string path = dir.File("t.db");
  {
    auto store = OpenStore("sqlite:" + path);  // the schema, with every index the planner may pick
    ASSERT_TRUE(store) << store.error().message;
    auto ws = (*store)->CreateWorkspace(Workspace{0, "One", "US", 0, 0, 0});
    ASSERT_TRUE(ws);
    std::vector<Contact> batch;
    for (int i = 0; i < 300; ++i) {
      Contact c;
      c.first_name = "N" + std::to_string(i);
      c.phone = "+1415555" + std::to_string(1000 + i);
      batch.push_back(c);
    }
    ASSERT_TRUE((*store)->InsertContacts(ws->id, batch, Actor{}));
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TEMP TABLE bulk_ids (id INTEGER PRIMARY KEY)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, (std::string("EXPLAIN QUERY PLAN ") + sqlite::kBulkIdsSql).c_str(), -1, &st, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  std::vector<std::string> plan;
  while (sqlite3_step(st) == SQLITE_ROW) plan.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 3)));
  sqlite3_finalize(st);
  sqlite3_close(db);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].rfind("SCAN j", 0), 0u) << plan[0];  // the array, once
  EXPECT_EQ(plan[1], "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)");  // each id's contact
}

}  // namespace
}  // namespace dialbook
