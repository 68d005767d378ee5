#include "store/sqlite/db.h"

#include <algorithm>
#include <bit>
#include <mutex>

#include "core/thread_priority.h"
#include "store/sqlite/sqlite_alloc.h"
#include "store/sqlite/wal_buffer.h"

namespace dialbook::sqlite {

namespace {
// SQLite counts every allocation in global statistics behind one process-wide mutex
// (SQLITE_CONFIG_MEMSTATUS, on by default): with several readers at work that mutex is
// the contended one. Nothing here reads the statistics. Its small blocks are kept per
// thread (sqlite_alloc.h). Both must precede the first open.
void ConfigureOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    InstallSqliteAllocator();
  });
}
}  // namespace

Conn::Conn(const std::string& path, bool map_file, int cache_mib) {
  ConfigureOnce();
  int rc = sqlite3_open_v2(path.c_str(), &db_,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                               SQLITE_OPEN_URI,
                           BufferingVfs());
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "cannot open database";
    if (db_) sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteError(rc, "cannot open " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 10000);
  Exec("PRAGMA journal_mode=WAL");
  Exec("PRAGMA synchronous=NORMAL");
  Exec("PRAGMA foreign_keys=OFF");
  Exec("PRAGMA temp_store=MEMORY");
  Exec("PRAGMA cache_size=-" + std::to_string(std::max(1, cache_mib) * 1024));
  if (map_file) Exec("PRAGMA mmap_size=1073741824");  // up to 1 GiB of the file read through mmap
}

Conn::~Conn() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  if (db_) sqlite3_close(db_);
}

Stmt Conn::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Stmt(it->second);
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK) throw SqliteError(rc, std::string(sqlite3_errmsg(db_)) + " in: " + sql);
  // Dynamic queries (filters) vary; keep the cache bounded and hand out the rest owned.
  if (cache_.size() >= 512) return Stmt(s, true);
  cache_.emplace(sql, s);
  return Stmt(s);
}

void Conn::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : "error";
    sqlite3_free(err);
    throw SqliteError(rc, msg);
  }
}

void InsertRows(Conn& c, std::string_view head, int cols, size_t rows,
                const std::function<void(Stmt&, int, size_t)>& bind, std::string_view tail) {
  if (sqlite3_get_autocommit(c.raw()))  // OR FAIL statements would keep half of a failed write
    throw SqliteError(SQLITE_MISUSE, "multi-row inserts are written only inside a write transaction");
  // Statements of `max` rows, then of the powers of two below (a few distinct statement
  // texts in the connection's cache, whatever the row count).
  const size_t max = std::max<size_t>(1, std::min<size_t>(64, 1000 / static_cast<size_t>(std::max(1, cols))));
  std::string one = "(";
  for (int k = 0; k < cols; ++k) one += k ? ",?" : "?";
  one += ")";
  size_t done = 0;
  while (done < rows) {
    size_t n = std::min(max, rows - done);
    if (n < max) n = std::bit_floor(n);
    std::string sql(head);
    sql.reserve(head.size() + n * (one.size() + 1) + tail.size());
    for (size_t r = 0; r < n; ++r) (sql += r ? "," : "") += one;
    sql += tail;
    Stmt st = c.Prepare(sql);
    for (size_t r = 0; r < n; ++r) bind(st, static_cast<int>(r) * cols + 1, done + r);
    st.Run();
    done += n;
  }
}

Checkpointer::Checkpointer(const std::string& path, int pages)
    : conn_(path, false), pages_(pages), thread_([this] { Loop(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Checkpointer::Attach(Conn& writer) {
  sqlite3_wal_autocheckpoint(writer.raw(), 0);
  sqlite3_wal_hook(writer.raw(), &Checkpointer::OnCommit, this);
}

int Checkpointer::OnCommit(void* self, sqlite3* db, const char* schema, int pages) {
  auto* cp = static_cast<Checkpointer*>(self);
  if (pages >= 4 * cp->pages_) {
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (pages >= cp->pages_) {
    {
      std::lock_guard lock(cp->mu_);
      cp->wanted_ = true;
    }
    cp->cv_.notify_one();
  }
  return SQLITE_OK;  // a checkpoint that could not finish is tried again at a later commit
}

void Checkpointer::Loop() {
  // Background work: the writer, the readers and the threads serving requests come first. A
  // checkpointer starved for long lets the WAL reach 4 × pages_, where the writer takes over.
  RunAsBackgroundThread();
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return wanted_ || stop_; });
    if (stop_) return;
    wanted_ = false;
    lock.unlock();
    // PASSIVE: never waits for the writer or readers; copies what it can.
    sqlite3_wal_checkpoint_v2(conn_.raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
  }
}

}  // namespace dialbook::sqlite
