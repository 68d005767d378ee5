// Coalesced writes to a connection's WAL.
//
// SQLite writes each WAL frame with two pwrite calls, a 24-byte header and then the page.
// A commit of an import batch writes tens of thousands of frames, one after the other: at a
// million rows, more than a million system calls on the writer's thread (2–3 µs each on a
// virtual machine, against about 1 µs per frame written in runs of 127 KiB and more).
//
// The "dialbook" VFS wraps the default one. Every connection of the store opens through it,
// and for all of them it passes everything through, except for the WAL of a connection that
// asked with BufferWalWrites: its frames are gathered in memory and written in one call per
// run of appended bytes, and never later than:
// - the commit frame's header (its database size is set): from there to the end of the
//   transaction (the commit frame's page, padding frames, rewritten checksums) every write
//   goes to the file at once, after the buffer, and returns its own error. So SQLite publishes
//   a commit in the WAL index only after all its frames are written, and a failed write fails
//   the commit as before;
// - a write of bytes written before in the transaction (a frame overwritten in place), any
//   other use of the WAL file (a read of buffered bytes, sync, truncate, size, close), and any
//   lock or unlock of the WAL index by that connection: frames of a transaction that rolled
//   back after spilling are written before its write lock is released (frames past the WAL's
//   end, as SQLite would have written them), never after another writer took it.
// After a buffered write failed, the transaction's writes, syncs and reads of what was lost
// fail until its write lock is released. Not in exclusive locking mode (which never takes or
// releases that lock): BufferWalWrites refuses it.
#pragma once
#include <sqlite3.h>

#include <array>
#include <cstdint>

namespace dialbook::sqlite {

// The VFS's name, registered on the first call (thread-safe).
const char* BufferingVfs();

// Coalesces the writes to db's WAL from now on (db must have been opened through
// BufferingVfs() in WAL mode and have read once, so that its WAL is open). False when it
// cannot; the connection then writes as SQLite does.
bool BufferWalWrites(sqlite3* db);

// The header of the WAL index of db's database as it is now, and how far checkpoints have
// copied the WAL back: every commit to the database, by any connection of any process,
// changes the header (wal.c: WalIndexHdr, whose iChange counts transactions), and every
// checkpoint that copies frames changes the second (WalCkptInfo.nBackfill; the WAL index's
// layout is shared by every SQLite version that opens a database). False when there is none
// to read: not opened through BufferingVfs(), not in WAL mode, or no read yet, which maps it.
struct WalIndexStamp {
  std::array<unsigned char, 52> bytes{};
  bool operator==(const WalIndexStamp&) const = default;
};
bool ReadWalIndexStamp(sqlite3* db, WalIndexStamp& out);

// Counters of a connection's WAL writes (tests and benchmarks): calls SQLite made, and
// writes that reached the file.
struct WalWriteCounts {
  int64_t requested = 0;
  int64_t issued = 0;
};
WalWriteCounts WalWrites(sqlite3* db);

}  // namespace dialbook::sqlite
