// SQL run on a SQLite database file through a connection of its own (not the store's): for
// tests that look at or change the stored tables directly.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

namespace dialbook::testing_support {

// The first column of each row, as text ("" for NULL); a failure adds "error: MESSAGE" last.
inline std::vector<std::string> SqlFirstColumn(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  std::vector<std::string> out;
  char* err = nullptr;
  int rc = sqlite3_exec(
      db, sql.c_str(),
      [](void* o, int n, char** v, char**) {
        static_cast<std::vector<std::string>*>(o)->push_back(n && v[0] ? v[0] : "");
        return 0;
      },
      &out, &err);
  if (rc != SQLITE_OK) out.push_back(std::string("error: ") + (err ? err : "?"));
  sqlite3_free(err);
  sqlite3_close(db);
  return out;
}

// One value: the first column of the first row ("" for no row), or "error: MESSAGE".
inline std::string SqlValue(const std::string& path, const std::string& sql) {
  auto rows = SqlFirstColumn(path, sql);
  return rows.empty() ? "" : rows.back().starts_with("error: ") ? rows.back() : rows.front();
}

}  // namespace dialbook::testing_support
