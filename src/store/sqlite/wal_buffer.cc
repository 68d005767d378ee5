#include "store/sqlite/wal_buffer.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace dialbook::sqlite {
namespace {

// 31 frames of 4 KiB pages per write: the unix VFS writes at most 128 KiB - 1 bytes a call
// (its seekAndWrite masks the length with 0x1ffff; SQLite itself never asks for more).
constexpr size_t kCapacity = 31 * (4096 + 24);
static_assert(kCapacity <= 0x1ffff);
// SQLite's WAL frame header: page number, then the database size in pages after a commit
// (0 in the other frames), then salts and checksums (wal.c, "WAL Frame Format").
constexpr int kFrameHeader = 24;
// The WAL index's write lock (wal.c: WAL_WRITE_LOCK).
constexpr int kWriteLock = 0;

struct File {
  sqlite3_file base;   // pMethods: MethodsFor(the real file's) (NULL when the real open failed)
  sqlite3_file* real;  // the default VFS's file, in the same allocation just after this
  bool is_wal;
  File* wal;  // a main database file: its connection's WAL, when buffered
  File* db;   // a buffered WAL: the main database file of its connection
  // Buffering (a WAL that BufferWalWrites linked): bytes [at, at + len) not yet written.
  char* buf;
  size_t len;
  sqlite3_int64 at;
  sqlite3_int64 high;  // the end of the bytes written in this transaction (0: none)
  // The commit frame's header came: the rest of the transaction (its page, padding frames,
  // rewritten checksums) is written at once, each write returning its own error.
  bool through;
  // A buffered write failed: the transaction lost frames that SQLite counts as written, from
  // lost_from on. Its writes and syncs (its commit) fail, and so do reads from there on, until
  // the write lock is released. Reads below go on: the rollback reads committed frames back.
  int failed;
  sqlite3_int64 lost_from;
  int64_t requested, issued;
  // A main database file in WAL mode: the first region of its WAL index (shared memory), once
  // mapped; its first bytes are the index header, which every commit changes.
  void volatile* shm0;
};

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;

File* Of(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
const sqlite3_io_methods* Real(File* f) { return f->real->pMethods; }

void Fail(File* f, int rc, sqlite3_int64 from) {
  if (!f->failed || from < f->lost_from) f->lost_from = from;
  f->failed = rc;
}

// Writes the buffered bytes out (none when the file is not buffered): before any other use of
// a buffered WAL.
int Flush(File* f) {
  if (!f->len) return SQLITE_OK;
  const int rc = Real(f)->xWrite(f->real, f->buf, static_cast<int>(f->len), f->at);
  ++f->issued;
  f->len = 0;
  if (rc != SQLITE_OK) Fail(f, rc, f->at);
  return rc;
}

// Before a use of a main database file that may publish, lock or unlock: its connection's
// WAL frames go to the file first.
void SettleWal(File* db) {
  if (db->wal) (void)Flush(db->wal);
}

void Unlink(File* f) {
  if (f->wal) f->wal->db = nullptr;
  if (f->db) f->db->wal = nullptr;
  f->wal = f->db = nullptr;
}

int Close(sqlite3_file* pf) {
  File* f = Of(pf);
  const int rc = Flush(f);
  SettleWal(f);
  Unlink(f);
  std::free(f->buf);
  f->buf = nullptr;
  const int closed = Real(f)->xClose(f->real);
  return rc != SQLITE_OK ? rc : closed;
}

int Read(sqlite3_file* pf, void* out, int amount, sqlite3_int64 offset) {
  File* f = Of(pf);
  if (f->buf) {
    if (f->failed && offset + amount > f->lost_from) return f->failed;
    const bool overlaps = f->len && offset < f->at + static_cast<sqlite3_int64>(f->len) &&
                          f->at < offset + amount;
    if (overlaps)
      if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  }
  return Real(f)->xRead(f->real, out, amount, offset);
}

int WriteThrough(File* f, const void* data, int amount, sqlite3_int64 offset) {
  const int rc = Real(f)->xWrite(f->real, data, amount, offset);
  ++f->issued;
  if (rc != SQLITE_OK) Fail(f, rc, offset);
  return rc;
}

int Write(sqlite3_file* pf, const void* data, int amount, sqlite3_int64 offset) {
  File* f = Of(pf);
  if (!f->buf) return Real(f)->xWrite(f->real, data, amount, offset);
  if (f->failed) return f->failed;
  ++f->requested;
  const sqlite3_int64 end = offset + amount;
  // From the commit frame's header on, and for bytes written before in this transaction
  // written again (a frame overwritten in place): the buffer first, then this, at once.
  if (f->through || offset < f->high) {
    if (int rc = Flush(f); rc != SQLITE_OK) return rc;
    if (end > f->high) f->high = end;
    return WriteThrough(f, data, amount, offset);
  }
  f->high = end;
  const size_t n = static_cast<size_t>(amount);
  if (f->len && (offset != f->at + static_cast<sqlite3_int64>(f->len) || f->len + n > kCapacity))
    if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  if (n > kCapacity) return WriteThrough(f, data, amount, offset);
  if (!f->len) f->at = offset;
  std::memcpy(f->buf + f->len, data, n);
  f->len += n;
  // The commit frame's header: its page, the transaction's last frame before SQLite publishes
  // it, goes through (above) after the buffer.
  const auto* bytes = static_cast<const unsigned char*>(data);
  if (amount == kFrameHeader && (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0) f->through = true;
  return SQLITE_OK;
}

int Truncate(sqlite3_file* pf, sqlite3_int64 size) {
  File* f = Of(pf);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f)->xTruncate(f->real, size);
}

int Sync(sqlite3_file* pf, int flags) {
  File* f = Of(pf);
  if (f->failed) return f->failed;
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  SettleWal(f);
  return Real(f)->xSync(f->real, flags);
}

int FileSize(sqlite3_file* pf, sqlite3_int64* size) {
  File* f = Of(pf);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f)->xFileSize(f->real, size);
}

int Lock(sqlite3_file* pf, int level) {
  File* f = Of(pf);
  SettleWal(f);
  return Real(f)->xLock(f->real, level);
}

int Unlock(sqlite3_file* pf, int level) {
  File* f = Of(pf);
  SettleWal(f);
  return Real(f)->xUnlock(f->real, level);
}

int CheckReservedLock(sqlite3_file* pf, int* out) {
  File* f = Of(pf);
  return Real(f)->xCheckReservedLock(f->real, out);
}

int FileControl(sqlite3_file* pf, int op, void* arg) {
  File* f = Of(pf);
  SettleWal(f);
  (void)Flush(f);
  return Real(f)->xFileControl(f->real, op, arg);
}

int SectorSize(sqlite3_file* pf) { return Real(Of(pf))->xSectorSize(Of(pf)->real); }

int DeviceCharacteristics(sqlite3_file* pf) { return Real(Of(pf))->xDeviceCharacteristics(Of(pf)->real); }

int ShmMap(sqlite3_file* pf, int page, int size, int extend, void volatile** out) {
  File* f = Of(pf);
  const int rc = Real(f)->xShmMap(f->real, page, size, extend, out);
  if (page == 0 && rc == SQLITE_OK && *out) f->shm0 = *out;
  return rc;
}

int ShmLock(sqlite3_file* pf, int offset, int n, int flags) {
  File* f = Of(pf);
  if (File* wal = f->wal) {
    (void)Flush(wal);
    // The write lock taken or released: a transaction begins or is over (committed or
    // rolled back), and nothing of another stays buffered.
    if (offset <= kWriteLock && kWriteLock < offset + n) {
      wal->len = 0;
      wal->high = 0;
      wal->through = false;
      wal->failed = SQLITE_OK;
      wal->lost_from = 0;
    }
  }
  return Real(f)->xShmLock(f->real, offset, n, flags);
}

void ShmBarrier(sqlite3_file* pf) {
  File* f = Of(pf);
  SettleWal(f);
  Real(f)->xShmBarrier(f->real);
}

int ShmUnmap(sqlite3_file* pf, int remove) {
  File* f = Of(pf);
  SettleWal(f);
  f->shm0 = nullptr;
  return Real(f)->xShmUnmap(f->real, remove);
}

int Fetch(sqlite3_file* pf, sqlite3_int64 offset, int amount, void** out) {
  File* f = Of(pf);
  return Real(f)->xFetch(f->real, offset, amount, out);
}

int Unfetch(sqlite3_file* pf, sqlite3_int64 offset, void* p) {
  File* f = Of(pf);
  return Real(f)->xUnfetch(f->real, offset, p);
}

// This VFS's methods for files whose real methods are `real`: the same version, and a method
// only where the real file has it (SQLite decides from them whether WAL and mmap are there).
const sqlite3_io_methods* MethodsFor(const sqlite3_io_methods* real) {
  static std::mutex mu;
  static std::vector<std::pair<const sqlite3_io_methods*, std::unique_ptr<sqlite3_io_methods>>> tables;
  std::lock_guard lock(mu);
  for (auto& [r, ours] : tables)
    if (r == real) return ours.get();
  auto m = std::make_unique<sqlite3_io_methods>();
  m->iVersion = real->iVersion < 3 ? real->iVersion : 3;
  auto mirror = [](auto theirs, auto ours) { return theirs ? ours : nullptr; };
  m->xClose = Close;  // set whatever the real one is: it marks the file as this VFS's
  m->xRead = mirror(real->xRead, Read);
  m->xWrite = mirror(real->xWrite, Write);
  m->xTruncate = mirror(real->xTruncate, Truncate);
  m->xSync = mirror(real->xSync, Sync);
  m->xFileSize = mirror(real->xFileSize, FileSize);
  m->xLock = mirror(real->xLock, Lock);
  m->xUnlock = mirror(real->xUnlock, Unlock);
  m->xCheckReservedLock = mirror(real->xCheckReservedLock, CheckReservedLock);
  m->xFileControl = mirror(real->xFileControl, FileControl);
  m->xSectorSize = mirror(real->xSectorSize, SectorSize);
  m->xDeviceCharacteristics = mirror(real->xDeviceCharacteristics, DeviceCharacteristics);
  if (m->iVersion >= 2) {
    m->xShmMap = mirror(real->xShmMap, ShmMap);
    m->xShmLock = mirror(real->xShmLock, ShmLock);
    m->xShmBarrier = mirror(real->xShmBarrier, ShmBarrier);
    m->xShmUnmap = mirror(real->xShmUnmap, ShmUnmap);
  }
  if (m->iVersion >= 3) {
    m->xFetch = mirror(real->xFetch, Fetch);
    m->xUnfetch = mirror(real->xUnfetch, Unfetch);
  }
  tables.emplace_back(real, std::move(m));
  return tables.back().second.get();
}

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* pf, int flags, int* out_flags) {
  File* f = Of(pf);
  std::memset(f, 0, static_cast<size_t>(g_vfs.szOsFile));  // this file and the real one after it
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  const int rc = g_real->xOpen(g_real, name, f->real, flags, out_flags);
  // SQLite calls xClose when pMethods is set, even after a failed open.
  f->base.pMethods = f->real->pMethods ? MethodsFor(f->real->pMethods) : nullptr;
  return rc;
}

int Delete(sqlite3_vfs*, const char* name, int sync) { return g_real->xDelete(g_real, name, sync); }
int Access(sqlite3_vfs*, const char* name, int flags, int* out) { return g_real->xAccess(g_real, name, flags, out); }
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return g_real->xDlOpen(g_real, name); }
void DlError(sqlite3_vfs*, int n, char* out) { g_real->xDlError(g_real, n, out); }
void (*DlSym(sqlite3_vfs*, void* h, const char* sym))(void) { return g_real->xDlSym(g_real, h, sym); }
void DlClose(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int Randomness(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int Sleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int CurrentTime(sqlite3_vfs*, double* out) { return g_real->xCurrentTime(g_real, out); }
int GetLastError(sqlite3_vfs*, int n, char* out) { return g_real->xGetLastError(g_real, n, out); }
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) { return g_real->xCurrentTimeInt64(g_real, out); }

void Register() {
  g_real = sqlite3_vfs_find(nullptr);
  if (!g_real) return;
  g_vfs = sqlite3_vfs{};
  g_vfs.iVersion = g_real->iVersion < 2 ? g_real->iVersion : 2;
  g_vfs.szOsFile = static_cast<int>(sizeof(File)) + g_real->szOsFile;
  g_vfs.mxPathname = g_real->mxPathname;
  g_vfs.zName = "dialbook";
  g_vfs.xOpen = Open;
  g_vfs.xDelete = Delete;
  g_vfs.xAccess = Access;
  g_vfs.xFullPathname = FullPathname;
  g_vfs.xDlOpen = DlOpen;
  g_vfs.xDlError = DlError;
  g_vfs.xDlSym = DlSym;
  g_vfs.xDlClose = DlClose;
  g_vfs.xRandomness = Randomness;
  g_vfs.xSleep = Sleep;
  g_vfs.xCurrentTime = CurrentTime;
  g_vfs.xGetLastError = GetLastError;
  if (g_vfs.iVersion >= 2) g_vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  sqlite3_vfs_register(&g_vfs, 0);
}

bool Ours(const sqlite3_file* f) { return f && f->pMethods && f->pMethods->xClose == Close; }

// The connection's main database file and WAL as this VFS's files (NULL when not).
File* MainFile(sqlite3* db) {
  sqlite3_file* f = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !Ours(f)) return nullptr;
  return Of(f);
}

File* WalFile(sqlite3* db) {
  sqlite3_file* f = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f) != SQLITE_OK || !Ours(f)) return nullptr;
  return Of(f)->is_wal ? Of(f) : nullptr;
}

// Exclusive locking mode never takes or releases the WAL index's write lock, where a
// transaction's buffering state is reset.
bool ExclusiveLocking(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA main.locking_mode", -1, &st, nullptr) != SQLITE_OK) return true;
  bool exclusive = true;
  if (sqlite3_step(st) == SQLITE_ROW) {
    const auto* mode = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    exclusive = !mode || std::strcmp(mode, "normal") != 0;
  }
  sqlite3_finalize(st);
  return exclusive;
}

}  // namespace

const char* BufferingVfs() {
  static std::once_flag once;
  std::call_once(once, Register);
  return g_real ? g_vfs.zName : nullptr;
}

bool BufferWalWrites(sqlite3* db) {
  if (!BufferingVfs()) return false;
  File* main = MainFile(db);
  File* wal = WalFile(db);
  if (!main || !wal || ExclusiveLocking(db)) return false;
  if (main->wal == wal) return true;
  if (main->wal || wal->db) return false;
  char* buf = static_cast<char*>(std::malloc(kCapacity));
  if (!buf) return false;
  wal->buf = buf;
  main->wal = wal;
  wal->db = main;
  return true;
}

bool ReadWalIndexStamp(sqlite3* db, WalIndexStamp& out) {
  File* main = BufferingVfs() ? MainFile(db) : nullptr;
  if (!main || !main->shm0) return false;
  // The first copy of the header, which a commit writes last (wal.c, walIndexWriteHdr): a
  // commit whose header is half written reads as changed, or as not yet there. Then the
  // checkpoint's nBackfill (WalCkptInfo, after the header's two copies), which a checkpoint
  // moves without touching the header.
  const volatile unsigned char* shm = static_cast<const volatile unsigned char*>(main->shm0);
  constexpr size_t kHeader = 48, kBackfill = 2 * kHeader;
  static_assert(sizeof(out.bytes) == kHeader + 4);
  for (size_t i = 0; i < kHeader; ++i) out.bytes[i] = shm[i];
  for (size_t i = 0; i < 4; ++i) out.bytes[kHeader + i] = shm[kBackfill + i];
  std::atomic_thread_fence(std::memory_order_seq_cst);  // read before the caller's BEGIN
  return true;
}

WalWriteCounts WalWrites(sqlite3* db) {
  File* wal = BufferingVfs() ? WalFile(db) : nullptr;
  if (!wal) return {};
  return {wal->requested, wal->issued};
}

}  // namespace dialbook::sqlite
