// Accounts, tags, groups, departments, fields and presets of the SQLite backend.
// Contacts live in contacts.cc.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "core/text.h"
#include "core/time.h"
#include "store/sqlite/internal.h"
#include "store/sqlite/wal_buffer.h"
#include "store/sqlite/schema.h"

namespace dialbook::sqlite {

using nlohmann::json;

Error ToError(const SqliteError& e) {
  if ((e.code & 0xff) == SQLITE_CONSTRAINT)
    return MakeError(ErrorCode::kAlreadyExists, std::string("already exists: ") + e.what());
  if ((e.code & 0xff) == SQLITE_BUSY || (e.code & 0xff) == SQLITE_LOCKED)
    return MakeError(ErrorCode::kUnavailable, "the database is busy, try again");
  if ((e.code & 0xff) == SQLITE_FULL)
    return MakeError(ErrorCode::kUnavailable, "the disk is full");
  return MakeError(ErrorCode::kInternal, std::string("database error: ") + e.what());
}

std::string IdsJson(const std::vector<int64_t>& ids) {
  std::string s = "[";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(ids[i]);
  }
  return s + "]";
}

std::string NameKey(std::string_view name) { return FoldForSearch(Trim(name)); }

std::string SearchTokenPrefix(int64_t ws) {
  std::string out(6, '0');
  for (int i = 5; i >= 0 && ws > 0; --i, ws /= 36) out[i] = "0123456789abcdefghijklmnopqrstuvwxyz"[ws % 36];
  return out;  // ids past 36^6 (2.1 billion workspaces) are not expected
}

namespace {
std::vector<std::string> Grams(int64_t ws, std::string_view digits, size_t spread) {
  std::vector<std::string> grams;
  if (digits.empty()) return grams;
  const std::string prefix = SearchTokenPrefix(ws);
  if (digits.size() < kPhoneGram) return {prefix + std::string(digits)};
  const size_t n = digits.size() - kPhoneGram + 1;
  std::vector<size_t> at;
  if (spread == 0 || n <= spread) {
    for (size_t i = 0; i < n; ++i) at.push_back(i);
  } else {
    for (size_t k = 0; k < spread; ++k) at.push_back(k * (n - 1) / (spread - 1));
  }
  for (size_t i : at) grams.push_back(prefix + std::string(digits.substr(i, kPhoneGram)));
  std::sort(grams.begin(), grams.end());
  grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
  return grams;
}
}  // namespace

std::vector<std::string> PhoneIndexTokens(int64_t ws, std::string_view digits) {
  std::vector<std::string> tokens = Grams(ws, digits, 0);
  if (digits.size() >= kPhoneGram) tokens.push_back(SearchTokenPrefix(ws) + std::string(digits.substr(digits.size() - 3)));
  return tokens;
}

std::vector<std::string> PhoneSearchGrams(int64_t ws, std::string_view digits, size_t spread) {
  return Grams(ws, digits, spread);
}

std::vector<std::string> SearchWords(std::string_view text, WordsFor use) {
  // Word characters are Unicode letters, digits and private-use characters; everything
  // else (punctuation such as ’ – —, symbols, spaces of any kind) separates words. An
  // apostrophe between word characters (O'Connor, D’Angelo) also joins: the index gets the
  // parts and the joined word ("o", "connor", "oconnor"), a search only the joined word, so
  // "O'C" asks for words starting with "oc" instead of every contact with an o… and a c… word.
  std::vector<std::string> words;
  std::string folded = FoldForSearch(text), word, joined;
  bool apostrophe = false, was_joined = false;
  auto finish = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    if (was_joined) words.push_back(std::move(joined));
    word.clear();
    joined.clear();
    apostrophe = was_joined = false;
  };
  for (int32_t i = 0, n = static_cast<int32_t>(folded.size()); i < n;) {
    int32_t start = i;
    UChar32 cp;
    U8_NEXT(reinterpret_cast<const uint8_t*>(folded.data()), i, n, cp);
    // ASCII answered here (letters and digits; folded text has no capitals): most text is.
    bool word_char = cp >= 0 && cp < 0x80
                         ? (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z')
                         : cp >= 0 && (u_isalpha(cp) || u_isdigit(cp) || u_charType(cp) == U_LETTER_NUMBER ||
                                       u_charType(cp) == U_OTHER_NUMBER || u_charType(cp) == U_PRIVATE_USE_CHAR);
    if (word_char) {
      if (apostrophe && use == WordsFor::kIndex) {
        words.push_back(std::move(word));
        word.clear();
        was_joined = true;
      }
      apostrophe = false;
      word.append(folded, start, i - start);
      joined.append(folded, start, i - start);
    } else if ((cp == '\'' || cp == 0x2019) && !word.empty() && !apostrophe) {
      apostrophe = true;  // joins when a word character follows
    } else {
      finish();
    }
  }
  finish();
  return words;
}

int64_t EnsureNamed(Conn& c, const char* table, int64_t ws, const std::string& name, int64_t now) {
  std::string key = NameKey(name);
  {
    auto st = c.Prepare(std::string("SELECT id FROM ") + table +
                        (std::string_view(table) == "tags" ? " WHERE workspace_id=? AND label_key=?"
                                                           : " WHERE workspace_id=? AND name_key=?"));
    st.Args(ws, key);
    if (st.Step()) return st.Int(0);
  }
  std::string sql = std::string_view(table) == "tags"
                        ? "INSERT INTO tags (workspace_id, label, label_key, created_at) VALUES (?,?,?,?)"
                        : std::string("INSERT INTO ") + table +
                              " (workspace_id, name, name_key, created_at) VALUES (?,?,?,?)";
  c.Prepare(sql).Args(ws, Trim(name), key, now).Run();
  return c.LastId();
}

Result<std::unique_ptr<Store>> SqliteStore::Open(const std::string& path, const StoreOptions& options) {
  std::unique_ptr<SqliteStore> store(new SqliteStore(path));
  // In-memory databases are private to one connection: share the writer then.
  const bool memory = path == ":memory:" || path.find("mode=memory") != std::string::npos;
  // The writer is opened and the migrations run on the write thread too: a migration that
  // rebuilds the search rows fills the writer's page cache, which stays in the arena of the
  // thread that read the pages (see write_thread_).
  auto open_writer = [&] {
    // The writer keeps 64 MiB of pages. An import batch's dirty pages stay past that limit
    // until its commit anyway (ApplyImportBatch); what the size decides is how many of the
    // pages the next batch touches again are still here instead of read back from the WAL
    // (1M-row import, 2026-12-07: 0.90 M preads with 32 MiB, 0.50 M with 64; 1.1 s less system
    // time, peak RSS 233 → 249 MiB. Before batches kept their dirty pages, 64 cost 40 MiB).
    store->writer_ = std::make_unique<Conn>(path, options.map_file, 64);
    // A WAL left large by one huge transaction (a migration's rebuild of the search rows) is cut back to 256 MiB;
    // the usual WAL (64 MiB and a batch) is never truncated, which would only make the file
    // grow again on the next batch.
    store->writer_->Exec("PRAGMA journal_size_limit=268435456");
    store->writer_->before_commit = BeforeSearchCommit;
    if (!memory) {
      // Checkpoints every 64 MiB of WAL instead of 4 MiB (a page that every batch dirties, an
      // index's upper levels or the search index's structure, is copied to the file once per
      // checkpoint, not once per commit), on the checkpointer's own thread.
      store->checkpointer_ = std::make_unique<Checkpointer>(path, 16384);
      store->checkpointer_->Attach(*store->writer_);
    }
    Migrate(*store->writer_);
    // An import batch's commit writes tens of thousands of WAL frames: in runs, not one by one.
    BufferWalWrites(store->writer_->raw());
    {
      auto st = store->writer_->Prepare("PRAGMA data_version");
      st.Step();
      store->data_version_ = st.Int(0);
    }
  };
  try {
    if (!memory) {
      store->write_thread_ = std::make_unique<SerialWorker>();
      store->write_thread_->Submit(open_writer).get();
    } else {
      open_writer();
    }
    int n = memory ? 0 : 4;
    for (int i = 0; i < n; ++i) {
      store->readers_.push_back(std::make_unique<Conn>(path, options.map_file, options.reader_cache_mib));
      store->idle_readers_.push_back(store->readers_.back().get());
    }
    if (n > 0) store->sweeper_ = std::thread([s = store.get()] { s->SweepLoop(); });
  } catch (const SqliteError& e) {
    return std::unexpected(ToError(e));
  }
  return std::unique_ptr<Store>(std::move(store));
}

void SqliteStore::AfterWrite() {
  const int64_t import_id = std::exchange(committed_import_, 0);
  if (import_id && import_id == run_import_) {
    ++run_length_;
  } else {
    run_import_ = import_id;
    run_length_ = import_id ? 1 : 0;
  }
  write_stamp_.fetch_add(1);
}

bool SqliteStore::PhonesCheckedSince(Conn& c, int64_t stamp, int64_t import_id) {
  auto st = c.Prepare("PRAGMA data_version");
  st.Step();
  if (const int64_t version = st.Int(0); version != data_version_) {
    // Another connection committed since this one last looked: counted as a foreign write.
    data_version_ = version;
    run_import_ = run_length_ = 0;
    write_stamp_.fetch_add(1);
  }
  if (stamp < 0) return false;
  const int64_t since = write_stamp_.load() - stamp;
  return since <= (run_import_ == import_id ? run_length_ : 0);
}

// A reader keeps its read transaction (its snapshot of the database) from one read to the
// next while nothing was committed since it began: a read transaction of its own for each
// read cost, at 8 concurrent GETs of a contact, more than the rest of reading the contact
// (SQLite takes and drops file locks and the WAL's read locks with system calls for each one;
// measured on 840,040 contacts: 29,000–32,000 GETs/s, 36,000 kept for 1 ms, 37,500 for 10 ms).
// Nothing committed since: nothing written through this store (write_stamp_), and the WAL
// index's header, which every commit of any process changes, as it was just before BEGIN
// (ReadWalIndexStamp). So a read sees every write committed before it began, this process's
// and any other's (a CLI command's, say). Nor checkpointed since (the stamp holds the
// checkpoint's progress too): a snapshot begun before a checkpoint holds a WAL read mark that
// keeps the next writer from starting the WAL over (it would grow instead); begun after a
// complete one, it reads around the WAL (read mark 0, which does not stop that). Where the
// stamp cannot be read, a transaction is kept for at most kReadHold. An idle reader's is
// ended by the sweeper once the reader has been idle for kReadHold.
namespace {
constexpr auto kReadHold = std::chrono::milliseconds(1);
}  // namespace

void SqliteStore::EndRead(Conn& c) {
  if (!c.reading) return;
  c.reading = false;
  try {
    c.Exec("COMMIT");
  } catch (const SqliteError&) {
    try { c.Exec("ROLLBACK"); } catch (const SqliteError&) {}
  }
}

Conn* SqliteStore::AcquireReader() {
  if (readers_.empty()) {
    writer_mu_.lock();
    return writer_.get();
  }
  Conn* c = nullptr;
  {
    std::unique_lock lock(readers_mu_);
    readers_cv_.wait(lock, [&] { return !idle_readers_.empty(); });
    c = idle_readers_.back();
    idle_readers_.pop_back();
  }
  const auto now = std::chrono::steady_clock::now();
  // The stamp is read before BEGIN, and the snapshot is taken by the first read after it: a
  // snapshot holds at least every write counted in its stamp.
  const int64_t stamp = write_stamp_.load();
  if (c->reading) {
    bool current = c->reading_stamp == stamp;
    if (current && c->reading_wal_known) {
      WalIndexStamp wal;
      current = ReadWalIndexStamp(c->raw(), wal) && wal == c->reading_wal;
    } else if (current) {
      current = now - c->reading_since < kReadHold;
    }
    if (!current) EndRead(*c);
  }
  if (!c->reading) {
    try {
      // Read before BEGIN, like the stamp: the snapshot, taken later, holds at least as much.
      c->reading_wal_known = ReadWalIndexStamp(c->raw(), c->reading_wal);
      c->Exec("BEGIN");
      c->reading = true;
      c->reading_stamp = stamp;
      c->reading_since = now;
    } catch (const SqliteError&) {
      // Not kept then: each statement reads in a transaction of its own, as without BEGIN.
    }
  }
  return c;
}

void SqliteStore::ReleaseReader(Conn* c) {
  if (readers_.empty()) {
    writer_mu_.unlock();
    return;
  }
  // Only reads are kept open: a statement that wrote (none should on a reader) commits now.
  if (c->reading && sqlite3_txn_state(c->raw(), nullptr) == SQLITE_TXN_WRITE) EndRead(*c);
  c->released_at = std::chrono::steady_clock::now();
  bool wake_sweeper = false;
  {
    std::lock_guard lock(readers_mu_);
    idle_readers_.push_back(c);
    if (c->reading && sweeper_waits_) wake_sweeper = true, sweeper_waits_ = false;
  }
  readers_cv_.notify_one();
  if (wake_sweeper) sweep_cv_.notify_one();
}

void SqliteStore::SweepLoop() {
  std::unique_lock lock(readers_mu_);
  while (!sweep_stop_) {
    bool held = false;
    for (Conn* c : idle_readers_) held |= c->reading;
    if (!held) {
      // Until a reader is put back with its read transaction kept (ReleaseReader wakes it).
      sweeper_waits_ = true;
      sweep_cv_.wait(lock, [&] { return sweep_stop_ || !sweeper_waits_; });
      continue;
    }
    sweep_cv_.wait_for(lock, 2 * kReadHold, [&] { return sweep_stop_; });
    const auto now = std::chrono::steady_clock::now();
    // Idle readers only (they are in idle_readers_, under the lock): no other thread uses them.
    for (Conn* c : idle_readers_)
      if (c->reading && now - c->released_at >= kReadHold) EndRead(*c);
  }
}

SqliteStore::~SqliteStore() {
  if (!sweeper_.joinable()) return;
  {
    std::lock_guard lock(readers_mu_);
    sweep_stop_ = true;
  }
  sweep_cv_.notify_all();
  sweeper_.join();
}

// ---- workspaces ---------------------------------------------------------------------------

namespace {
const char* kWsCols = "id, name, default_country, contact_limit, contact_count, created_at";
Workspace ReadWs(const Stmt& st) {
  return Workspace{st.Int(0), st.Text(1), st.Text(2), st.Int(3), st.Int(4), st.Int(5)};
}
}  // namespace

Result<Workspace> SqliteStore::CreateWorkspace(const Workspace& in) {
  return Write([&](Conn& c) -> Result<Workspace> {
    Workspace ws = in;
    ws.created_at = NowMillis();
    c.Prepare("INSERT INTO workspaces (name, name_key, default_country, contact_limit, created_at) "
              "VALUES (?,?,?,?,?)")
        .Args(ws.name, NameKey(ws.name), ws.default_country, ws.contact_limit, ws.created_at)
        .Run();
    ws.id = c.LastId();
    return ws;
  });
}

Result<Workspace> SqliteStore::GetWorkspace(int64_t id) {
  return Read([&](Conn& c) -> Result<Workspace> {
    auto st = c.Prepare(std::string("SELECT ") + kWsCols + " FROM workspaces WHERE id=?");
    st.Args(id);
    if (!st.Step()) return Fail(ErrorCode::kNotFound, "workspace not found");
    return ReadWs(st);
  });
}

Result<std::vector<Workspace>> SqliteStore::FindWorkspacesByName(const std::string& name) {
  return Read([&](Conn& c) -> Result<std::vector<Workspace>> {
    auto st = c.Prepare(std::string("SELECT ") + kWsCols + " FROM workspaces WHERE name_key=? ORDER BY id");
    st.Args(NameKey(name));
    std::vector<Workspace> out;
    while (st.Step()) out.push_back(ReadWs(st));
    return out;
  });
}

Result<std::vector<Workspace>> SqliteStore::ListWorkspaces() {
  return Read([&](Conn& c) -> Result<std::vector<Workspace>> {
    auto st = c.Prepare(std::string("SELECT ") + kWsCols + " FROM workspaces ORDER BY id");
    std::vector<Workspace> out;
    while (st.Step()) out.push_back(ReadWs(st));
    return out;
  });
}

Status SqliteStore::UpdateWorkspace(const Workspace& ws) {
  return Write([&](Conn& c) -> Status {
    c.Prepare("UPDATE workspaces SET name=?, name_key=?, default_country=?, contact_limit=? WHERE id=?")
        .Args(ws.name, NameKey(ws.name), ws.default_country, ws.contact_limit, ws.id)
        .Run();
    if (!c.Changes()) return Fail(ErrorCode::kNotFound, "workspace not found");
    return {};
  });
}

// ---- users and memberships ----------------------------------------------------------------

namespace {
User ReadUser(const Stmt& st) {
  return User{st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Int(4)};
}
Membership ReadMember(const Stmt& st) {
  Membership m;
  m.workspace_id = st.Int(0);
  m.user_id = st.Int(1);
  m.role = ParseRole(st.Text(2)).value_or(Role::kAgent);
  if (!st.IsNull(3)) m.department_id = st.Int(3);
  m.created_at = st.Int(4);
  return m;
}
const char* kMemberCols = "workspace_id, user_id, role, department_id, created_at";
}  // namespace

Result<User> SqliteStore::CreateUser(const User& in) {
  return Write([&](Conn& c) -> Result<User> {
    User u = in;
    u.email = ToLowerAscii(Trim(u.email));
    u.created_at = NowMillis();
    auto exists = c.Prepare("SELECT 1 FROM users WHERE email=?");
    exists.Args(u.email);
    if (exists.Step())
      return Fail(MakeError(ErrorCode::kAlreadyExists, "a user with this email exists").With("field", "email"));
    c.Prepare("INSERT INTO users (email, name, password_hash, created_at) VALUES (?,?,?,?)")
        .Args(u.email, u.name, u.password_hash, u.created_at)
        .Run();
    u.id = c.LastId();
    return u;
  });
}

Result<User> SqliteStore::GetUser(int64_t id) {
  return Read([&](Conn& c) -> Result<User> {
    auto st = c.Prepare("SELECT id, email, name, password_hash, created_at FROM users WHERE id=?");
    st.Args(id);
    if (!st.Step()) return Fail(ErrorCode::kNotFound, "user not found");
    return ReadUser(st);
  });
}

Result<std::optional<User>> SqliteStore::FindUserByEmail(const std::string& email) {
  return Read([&](Conn& c) -> Result<std::optional<User>> {
    auto st = c.Prepare("SELECT id, email, name, password_hash, created_at FROM users WHERE email=?");
    st.Args(ToLowerAscii(Trim(email)));
    if (!st.Step()) return std::optional<User>();
    return std::optional<User>(ReadUser(st));
  });
}

Status SqliteStore::UpdateUser(const User& u) {
  return Write([&](Conn& c) -> Status {
    c.Prepare("UPDATE users SET name=?, password_hash=? WHERE id=?")
        .Args(u.name, u.password_hash, u.id)
        .Run();
    if (!c.Changes()) return Fail(ErrorCode::kNotFound, "user not found");
    return {};
  });
}

Status SqliteStore::PutMembership(const Membership& m) {
  return Write([&](Conn& c) -> Status {
    c.Prepare("INSERT INTO memberships (workspace_id, user_id, role, department_id, created_at) "
              "VALUES (?,?,?,?,?) ON CONFLICT (workspace_id, user_id) DO UPDATE SET "
              "role=excluded.role, department_id=excluded.department_id")
        .Args(m.workspace_id, m.user_id, RoleName(m.role), m.department_id,
              m.created_at ? m.created_at : NowMillis())
        .Run();
    return {};
  });
}

Result<std::optional<Membership>> SqliteStore::GetMembership(int64_t ws, int64_t user_id) {
  return Read([&](Conn& c) -> Result<std::optional<Membership>> {
    auto st = c.Prepare(std::string("SELECT ") + kMemberCols +
                        " FROM memberships WHERE workspace_id=? AND user_id=?");
    st.Args(ws, user_id);
    if (!st.Step()) return std::optional<Membership>();
    return std::optional<Membership>(ReadMember(st));
  });
}

Result<std::vector<Membership>> SqliteStore::ListMembers(int64_t ws) {
  return Read([&](Conn& c) -> Result<std::vector<Membership>> {
    auto st = c.Prepare(std::string("SELECT ") + kMemberCols +
                        " FROM memberships WHERE workspace_id=? ORDER BY created_at, user_id");
    st.Args(ws);
    std::vector<Membership> out;
    while (st.Step()) out.push_back(ReadMember(st));
    return out;
  });
}

Result<std::vector<Membership>> SqliteStore::ListUserMemberships(int64_t user_id) {
  return Read([&](Conn& c) -> Result<std::vector<Membership>> {
    auto st = c.Prepare(std::string("SELECT ") + kMemberCols +
                        " FROM memberships WHERE user_id=? ORDER BY workspace_id");
    st.Args(user_id);
    std::vector<Membership> out;
    while (st.Step()) out.push_back(ReadMember(st));
    return out;
  });
}

Status SqliteStore::DeleteMembership(int64_t ws, int64_t user_id) {
  return Write([&](Conn& c) -> Status {
    Tx tx(c);
    c.Prepare("DELETE FROM memberships WHERE workspace_id=? AND user_id=?").Args(ws, user_id).Run();
    if (!c.Changes()) return Fail(ErrorCode::kNotFound, "member not found");
    c.Prepare("DELETE FROM sessions WHERE workspace_id=? AND user_id=?").Args(ws, user_id).Run();
    c.Prepare("UPDATE api_tokens SET revoked_at=? WHERE workspace_id=? AND user_id=? AND revoked_at=0")
        .Args(NowMillis(), ws, user_id)
        .Run();
    tx.Commit();
    return {};
  });
}

// ---- sessions and tokens ------------------------------------------------------------------

Status SqliteStore::CreateSession(const Session& s) {
  return Write([&](Conn& c) -> Status {
    c.Prepare("DELETE FROM sessions WHERE expires_at < ?").Args(NowMillis()).Run();
    c.Prepare("INSERT INTO sessions (token_hash, user_id, workspace_id, csrf_token, created_at, "
              "expires_at) VALUES (?,?,?,?,?,?)")
        .Args(s.token_hash, s.user_id, s.workspace_id, s.csrf_token, s.created_at, s.expires_at)
        .Run();
    return {};
  });
}

Result<std::optional<Session>> SqliteStore::GetSession(const std::string& hash) {
  return Read([&](Conn& c) -> Result<std::optional<Session>> {
    auto st = c.Prepare("SELECT token_hash, user_id, workspace_id, csrf_token, created_at, "
                        "expires_at FROM sessions WHERE token_hash=?");
    st.Args(hash);
    if (!st.Step()) return std::optional<Session>();
    return std::optional<Session>(
        Session{st.Text(0), st.Int(1), st.Int(2), st.Text(3), st.Int(4), st.Int(5)});
  });
}

Status SqliteStore::UpdateSessionWorkspace(const std::string& hash, int64_t ws) {
  return Write([&](Conn& c) -> Status {
    c.Prepare("UPDATE sessions SET workspace_id=? WHERE token_hash=?").Args(ws, hash).Run();
    return {};
  });
}

Status SqliteStore::DeleteSession(const std::string& hash) {
  return Write([&](Conn& c) -> Status {
    c.Prepare("DELETE FROM sessions WHERE token_hash=?").Args(hash).Run();
    return {};
  });
}

Status SqliteStore::DeleteUserSessions(int64_t user_id) {
  return Write([&](Conn& c) -> Status {
    c.Prepare("DELETE FROM sessions WHERE user_id=?").Args(user_id).Run();
    return {};
  });
}

namespace {
const char* kTokenCols =
    "id, workspace_id, user_id, name, token_hash, created_at, last_used_at, revoked_at";
ApiToken ReadToken(const Stmt& st) {
  return ApiToken{st.Int(0), st.Int(1), st.Int(2), st.Text(3),
                  st.Text(4), st.Int(5), st.Int(6), st.Int(7)};
}
}  // namespace

Result<ApiToken> SqliteStore::CreateToken(const ApiToken& in) {
  return Write([&](Conn& c) -> Result<ApiToken> {
    ApiToken t = in;
    c.Prepare("INSERT INTO api_tokens (workspace_id, user_id, name, token_hash, created_at) "
              "VALUES (?,?,?,?,?)")
        .Args(t.workspace_id, t.user_id, t.name, t.token_hash, t.created_at)
        .Run();
    t.id = c.LastId();
    return t;
  });
}

Result<std::optional<ApiToken>> SqliteStore::FindTokenByHash(const std::string& hash) {
  return Read([&](Conn& c) -> Result<std::optional<ApiToken>> {
    auto st = c.Prepare(std::string("SELECT ") + kTokenCols + " FROM api_tokens WHERE token_hash=?");
    st.Args(hash);
    if (!st.Step()) return std::optional<ApiToken>();
    return std::optional<ApiToken>(ReadToken(st));
  });
}

Result<std::vector<ApiToken>> SqliteStore::ListTokens(int64_t ws) {
  return Read([&](Conn& c) -> Result<std::vector<ApiToken>> {
    auto st = c.Prepare(std::string("SELECT ") + kTokenCols +
                        " FROM api_tokens WHERE workspace_id=? AND revoked_at=0 ORDER BY id");
    st.Args(ws);
    std::vector<ApiToken> out;
    while (st.Step()) out.push_back(ReadToken(st));
    return out;
  });
}

Status SqliteStore::RevokeToken(int64_t ws, int64_t id) {
  return Write([&](Conn& c) -> Status {
    c.Prepare("UPDATE api_tokens SET revoked_at=? WHERE workspace_id=? AND id=? AND revoked_at=0")
        .Args(NowMillis(), ws, id)
        .Run();
    if (!c.Changes()) return Fail(ErrorCode::kNotFound, "token not found");
    return {};
  });
}

Status SqliteStore::TouchToken(int64_t ws, int64_t id, int64_t at) {
  return Write([&](Conn& c) -> Status {
    c.Prepare("UPDATE api_tokens SET last_used_at=? WHERE workspace_id=? AND id=?").Args(at, ws, id).Run();
    return {};
  });
}

}  // namespace dialbook::sqlite

namespace dialbook {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options) {
  std::string path = url;
  if (path.starts_with("sqlite:")) path = path.substr(7);
  else if (path.find("://") != std::string::npos)
    return Fail(ErrorCode::kInvalidArgument,
                "unsupported database URL '" + url + "' (use sqlite:PATH)");
  if (path.empty()) return Fail(ErrorCode::kInvalidArgument, "the database path is empty");
  return sqlite::SqliteStore::Open(path, options);
}

}  // namespace dialbook
