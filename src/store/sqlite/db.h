// A small C++ face over the sqlite3 C API, private to the SQLite backend.
// Conn owns one connection and its cache of prepared statements; it is used by one
// thread at a time (the store hands out connections under a mutex). Failures throw
// SqliteError, which the store turns into an Error at its public boundary.
#pragma once
#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "store/sqlite/wal_buffer.h"

namespace dialbook::sqlite {

struct SqliteError : std::runtime_error {
  int code;
  SqliteError(int c, const std::string& m) : std::runtime_error(m), code(c) {}
};

class Stmt {
 public:
  // owned: finalized on destruction (statements not kept in the connection's cache).
  explicit Stmt(sqlite3_stmt* s, bool owned = false) : s_(s), owned_(owned) {}
  Stmt(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : s_(o.s_), owned_(o.owned_) { o.s_ = nullptr; }
  ~Stmt() {
    if (!s_) return;
    if (owned_) {
      sqlite3_finalize(s_);
    } else {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }

  Stmt& Bind(int i, int64_t v) { Check(sqlite3_bind_int64(s_, i, v)); return *this; }
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, bool v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, double v) { Check(sqlite3_bind_double(s_, i, v)); return *this; }
  Stmt& Bind(int i, std::string_view v) {
    Check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& BindNull(int i) { Check(sqlite3_bind_null(s_, i)); return *this; }
  template <typename T>
  Stmt& Bind(int i, const std::optional<T>& v) { return v ? Bind(i, *v) : BindNull(i); }
  // Binds all arguments from index 1 (text copied).
  template <typename... Ts>
  Stmt& Args(const Ts&... vs) {
    int i = 1;
    (Bind(i++, vs), ...);
    return *this;
  }
  // Binds one row of a multi-row statement from index `first` (see InsertRows) with its text
  // not copied (a copy, allocated and freed per value, was a tenth of an import batch's
  // writes): the values must stay as they are until the statement has run, which is why only
  // lvalues are taken (a temporary would be gone before). The destructor's
  // sqlite3_clear_bindings drops the pointers.
  template <typename... Ts>
  Stmt& ArgsFrom(int first, Ts&... vs) {
    int i = first;
    (BindBorrowed(i++, vs), ...);
    return *this;
  }

  // Binds all arguments from index 1, text not copied, and runs the statement to its end:
  // within this one call, so any argument (a temporary too) outlives the use of its text.
  template <typename... Ts>
  void RunWith(const Ts&... vs) {
    int i = 1;
    (BindBorrowed(i++, vs), ...);
    Run();
  }

  // Advances; true while a row is available.
  bool Step() {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SqliteError(rc, sqlite3_errmsg(sqlite3_db_handle(s_)));
  }
  void Run() { while (Step()) {} }

  int Columns() const { return sqlite3_column_count(s_); }
  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  double Double(int col) const { return sqlite3_column_double(s_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::string Text(int col) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    return p ? std::string(p, sqlite3_column_bytes(s_, col)) : std::string();
  }
  // The same without a copy: valid until the statement steps, resets or is destroyed.
  std::string_view TextView(int col) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(s_, col))) : std::string_view();
  }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK) throw SqliteError(rc, sqlite3_errmsg(sqlite3_db_handle(s_)));
  }
  // ArgsFrom's binds: text by pointer (SQLITE_STATIC), everything else as Bind does.
  void BindBorrowed(int i, std::string_view v) {
    Check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
  }
  void BindBorrowed(int i, const std::string& v) { BindBorrowed(i, std::string_view(v)); }
  void BindBorrowed(int i, const char* v) { BindBorrowed(i, std::string_view(v)); }
  template <typename T>
  void BindBorrowed(int i, const std::optional<T>& v) {
    if (v) BindBorrowed(i, *v);
    else BindNull(i);
  }
  template <typename T>
  void BindBorrowed(int i, const T& v) { Bind(i, v); }
  sqlite3_stmt* s_;
  bool owned_ = false;
};

class Conn {
 public:
  // map_file: read the file through mmap (up to 1 GiB); cache_mib: the page cache's size.
  explicit Conn(const std::string& path, bool map_file = true, int cache_mib = 64);
  ~Conn();
  Conn(const Conn&) = delete;

  // A cached prepared statement (the SQL text is the cache key).
  Stmt Prepare(const std::string& sql);
  void Exec(const std::string& sql);
  int64_t LastId() const { return sqlite3_last_insert_rowid(db_); }
  int64_t Changes() const { return sqlite3_changes64(db_); }
  sqlite3* raw() { return db_; }

  // Sums made while a write transaction is open, written once just before it commits
  // (Tx::Commit calls before_commit) and forgotten when it rolls back. The store keeps
  // its search prefix counters here (key: workspace token prefix + prefix), so a batch
  // of 10,000 contacts writes each prefix's counter once instead of once per contact.
  std::unordered_map<std::string, int64_t> pending_counts;
  // Set while a write transaction has its search tables' merging put off (see
  // SuspendSearchMerges); before_commit restores it, a rollback forgets it with the rest.
  bool search_merges_suspended = false;
  // Index entries of contacts removed from the search tables in this write transaction, and
  // whether so many that their merging waits for before_commit (see kManySearchRemovals).
  int64_t search_rows_removed = 0;
  bool merge_before_commit = false;
  void (*before_commit)(Conn&) = nullptr;
  // A reading connection's read transaction kept open between reads (SqliteStore's
  // AcquireReader): since when, the store's write stamp and the WAL index's header (when
  // known) just before it began, and when the connection was last put back.
  bool reading = false;
  int64_t reading_stamp = 0;
  std::chrono::steady_clock::time_point reading_since;
  WalIndexStamp reading_wal;
  bool reading_wal_known = false;
  std::chrono::steady_clock::time_point released_at;

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Runs `head` + "(?,…,?),(?,…,?),…" + `tail` for `rows` rows of `cols` values each, in as few
// statements as it takes (up to about a thousand values each). bind(stmt, first, row) binds
// row `row`'s values from parameter `first` (Stmt::ArgsFrom). One statement per row costs
// its set-up again each time (cursors on the table and every index, the AUTOINCREMENT
// counter read and written): for thousands of rows in one transaction, most of the work.
// Rows are written in order. Only inside a write transaction, which a failure rolls back
// whole: the statements may then be INSERT OR FAIL, which needs no statement journal (a copy
// of every page the statement changes, kept to undo just that statement; about 5 % of an
// import batch's writes).
void InsertRows(Conn& c, std::string_view head, int cols, size_t rows,
                const std::function<void(Stmt&, int, size_t)>& bind, std::string_view tail = "");

// Copies the WAL back into the database file on its own thread and connection, so that the
// writer does not stop for it after a commit (at a million contacts an import's writer spent a
// sixth of its time checkpointing). Attach replaces the writer's automatic checkpoint: once
// the WAL holds `pages` pages, a commit wakes this thread; a WAL of 4 × `pages` (this thread
// not keeping up, or readers holding old snapshots) is checkpointed by the committing writer
// itself, as SQLite would, so the WAL stays bounded.
class Checkpointer {
 public:
  Checkpointer(const std::string& path, int pages);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  void Attach(Conn& writer);

 private:
  static int OnCommit(void* self, sqlite3* db, const char* schema, int pages);
  void Loop();

  Conn conn_;
  const int pages_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false, stop_ = false;
  std::thread thread_;
};

// RAII write transaction (BEGIN IMMEDIATE … COMMIT, rolled back unless committed).
class Tx {
 public:
  explicit Tx(Conn& c) : c_(c) {
    Forget();
    c_.Exec("BEGIN IMMEDIATE");
  }
  ~Tx() {
    if (!done_) {
      Forget();
      try { c_.Exec("ROLLBACK"); } catch (...) {}
    }
  }
  void Commit() {
    if (c_.before_commit) c_.before_commit(c_);
    c_.Exec("COMMIT");
    done_ = true;
    Forget();
  }

 private:
  // What the connection keeps for the open transaction only.
  void Forget() {
    c_.pending_counts.clear();
    c_.search_merges_suspended = false;
    c_.search_rows_removed = 0;
    c_.merge_before_commit = false;
  }
  Conn& c_;
  bool done_ = false;
};

}  // namespace dialbook::sqlite
