// The buffered WAL writes of the "dialbook" VFS (store/sqlite/wal_buffer.h): the frames are
// written in runs, a commit is in the file when it returns (also when the process then dies),
// a write that fails fails the commit and leaves the database as it was, and a rolled-back
// transaction leaves nothing buffered that could land on another writer's frames.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "store/sqlite/db.h"
#include "store/sqlite/wal_buffer.h"
#include "support/scratch_dir.h"

namespace dialbook::sqlite {
namespace {

// While it lives, this process's files may not grow past `bytes` (writes past it fail with
// EFBIG, as a full disk would refuse them). The soft limit only: the process may raise it again.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &limit_);
    before_ = limit_.rlim_cur;
    limit_.rlim_cur = bytes;
    if (::setrlimit(RLIMIT_FSIZE, &limit_) != 0) throw std::runtime_error("setrlimit failed");
  }
  ~FileSizeLimit() {
    limit_.rlim_cur = before_;
    if (::setrlimit(RLIMIT_FSIZE, &limit_) != 0) ::_exit(4);
  }

 private:
  struct rlimit limit_ {};
  rlim_t before_ = 0;
};

class WalBuffer : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("t.db");
    Conn setup(path_, false);
    setup.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  }

  // A connection that never checkpoints (as the store's writer: its checkpoints are another
  // connection's), so that the WAL's frames are what the readers read.
  std::unique_ptr<Conn> Plain(int cache_mib = 1) {
    auto c = std::make_unique<Conn>(path_, false, cache_mib);
    c->Exec("PRAGMA wal_autocheckpoint=0");
    return c;
  }
  // One whose WAL writes are buffered (with 1 MiB of cache, big transactions spill).
  std::unique_ptr<Conn> Writer(int cache_mib = 1) {
    auto c = Plain(cache_mib);
    c->Exec("SELECT count(*) FROM t");  // opens the WAL
    EXPECT_TRUE(BufferWalWrites(c->raw()));
    return c;
  }
  // Rows [first, first + n), each about 4 KB of text that starts with its id.
  static void Insert(Conn& c, int64_t first, int n) {
    for (int64_t id = first; id < first + n; ++id)
      c.Prepare("INSERT INTO t (id, body) VALUES (?, printf('%d:', ?) || hex(randomblob(2000)))").Args(id, id).Run();
  }
  // Rows [first, first + n) in a transaction of their own.
  static void Commit(Conn& c, int64_t first, int n) {
    Tx tx(c);
    Insert(c, first, n);
    tx.Commit();
  }
  // Whether committing rows [first, first + n) fails while files may not grow past `limit`.
  static bool CommitFails(Conn& c, rlim_t limit, int64_t first, int n) {
    FileSizeLimit limited(limit);
    try {
      Commit(c, first, n);
      return false;
    } catch (const SqliteError&) {
      return true;
    }
  }
  // Rows, and rows whose body does not start with their id.
  static constexpr const char* kCountAndWrong =
      "count(*), coalesce(sum(substr(body, 1, instr(body, ':') - 1) <> CAST(id AS TEXT)), 0)";
  // Those, and "ok" from integrity_check.
  struct Seen {
    int64_t rows = -1, wrong = -1;
    std::string integrity;
  };
  Seen Look() {
    Conn c(path_, false);
    Seen s;
    auto n = c.Prepare(std::string("SELECT ") + kCountAndWrong + " FROM t");
    n.Step();
    s.rows = n.Int(0);
    s.wrong = n.Int(1);
    auto ic = c.Prepare("PRAGMA integrity_check");
    ic.Step();
    s.integrity = ic.Text(0);
    return s;
  }

  // `rows` rows, each with its own body, and a database that passes integrity_check.
  void ExpectIntact(int64_t rows) {
    const Seen s = Look();
    EXPECT_EQ(s.rows, rows);
    EXPECT_EQ(s.wrong, 0);
    EXPECT_EQ(s.integrity, "ok");
  }

  // After a process died with the database open: its WAL index goes, so that the next open
  // recovers the index from the WAL file itself (every frame's checksum checked, the
  // commits read from the frames on disk).
  void ForgetWalIndex() { std::filesystem::remove(path_ + "-shm"); }
  // Runs `body` in a child process that then ends without closing anything (as a crash
  // would); expects it to end with 0.
  template <typename F>
  void InChild(F body) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      int code = 0;
      try {
        code = body();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "child: %s\n", e.what());
        code = 2;
      } catch (...) {
        code = 2;
      }
      ::_exit(code);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
  }

  testing_support::ScratchDir dir_{"walbuf"};
  std::string path_;
};

TEST_F(WalBuffer, FramesAreWrittenInRunsAndACommitIsVisibleAtOnce) {
  auto w = Writer(64);
  Conn reader(path_, false);
  for (int batch = 0; batch < 3; ++batch) {
    Commit(*w, batch * 500 + 1, 500);
    auto st = reader.Prepare("SELECT count(*) FROM t");
    st.Step();
    EXPECT_EQ(st.Int(0), (batch + 1) * 500);
  }
  const WalWriteCounts counts = WalWrites(w->raw());
  // Two calls a frame (header, page), about 62 of them a run.
  EXPECT_GT(counts.requested, 3000);
  EXPECT_LT(counts.issued * 20, counts.requested);
  ExpectIntact(1500);
}

TEST_F(WalBuffer, TheConnectionsNotAskedWriteAsSQLiteDoes) {
  auto plain = Plain();
  Commit(*plain, 1, 100);
  const WalWriteCounts counts = WalWrites(plain->raw());
  EXPECT_EQ(counts.requested, 0);
  EXPECT_EQ(counts.issued, 0);
  EXPECT_EQ(Look().rows, 100);
}

TEST_F(WalBuffer, EveryCommitIsInTheFileWhenTheProcessDiesRightAfter) {
  InChild([&] {
    auto w = Writer();
    for (int batch = 0; batch < 5; ++batch) Commit(*w, batch * 300 + 1, 300);
    // A last small commit: a few frames, all of them in the buffer until its commit frame.
    Commit(*w, 1501, 1);
    return 0;  // no close, no destructor: whatever is still buffered is lost
  });
  ForgetWalIndex();
  ExpectIntact(1501);
}

TEST_F(WalBuffer, AFailedWriteFailsTheCommitAndTheDatabaseStaysAsItWas) {
  InChild([&] {
    auto w = Writer();
    Commit(*w, 1, 100);
    // About 8 MiB, spilled and then committed, where files may not grow past 3 MiB.
    if (!CommitFails(*w, 3 << 20, 101, 2000)) return 3;
    Commit(*w, 101, 5);  // the connection goes on writing after the failure
    return 0;
  });
  ForgetWalIndex();
  ExpectIntact(105);
}

TEST_F(WalBuffer, ACommitWhoseFramesCannotBeWrittenFails) {
  InChild([&] {
    auto w = Writer(64);
    Commit(*w, 1, 100);
    // A few frames, all in the buffer until the commit writes them, where the WAL may not
    // grow by more than 8 KiB.
    const auto wal = static_cast<rlim_t>(std::filesystem::file_size(path_ + "-wal"));
    if (!CommitFails(*w, wal + 8192, 101, 3)) return 3;
    Commit(*w, 101, 2);
    return 0;
  });
  ForgetWalIndex();
  ExpectIntact(102);
}

TEST_F(WalBuffer, RestartsSavepointsAndASizeLimitLeaveAWalThatRecovers) {
  InChild([&] {
    auto w = Writer();
    w->Exec("PRAGMA journal_size_limit=1048576");
    Commit(*w, 1, 200);
    // Checkpointed whole by another connection: the next transaction starts the WAL again
    // from its first frame (a new header at offset 0, the old frames after it).
    Plain()->Exec("PRAGMA wal_checkpoint(PASSIVE)");
    {
      Tx tx(*w);
      Insert(*w, 201, 1500);  // spills
      w->Exec("SAVEPOINT s");
      Insert(*w, 1701, 1500);  // spills over frames of the savepoint's part
      w->Exec("ROLLBACK TO s");
      w->Exec("RELEASE s");
      Insert(*w, 1701, 300);  // written where the rolled-back frames were
      tx.Commit();
    }
    Commit(*w, 2001, 50);
    // Truncated to nothing: the WAL is written from offset 0 again.
    Plain()->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
    Commit(*w, 2051, 400);
    Commit(*w, 2451, 3);
    return 0;
  });
  ForgetWalIndex();
  ExpectIntact(2453);
}

TEST_F(WalBuffer, NotInExclusiveLockingMode) {
  Conn c(path_, false);
  c.Exec("PRAGMA locking_mode=EXCLUSIVE");
  c.Exec("SELECT count(*) FROM t");
  EXPECT_FALSE(BufferWalWrites(c.raw()));
}

TEST_F(WalBuffer, ARolledBackTransactionLeavesNothingForTheNextWriter) {
  auto a = Writer();
  Commit(*a, 1, 10);
  {
    // Spills its frames into the WAL (1 MiB of cache), then rolls back: those frames lie past
    // the WAL's end, where the next writer writes its own.
    Tx tx(*a);
    Insert(*a, 100001, 1500);
    {
      // Read back inside the transaction: pages spilled a moment ago, some still buffered.
      auto st = a->Prepare(std::string("SELECT ") + kCountAndWrong + " FROM t");
      st.Step();
      EXPECT_EQ(st.Int(0), 1510);
      EXPECT_EQ(st.Int(1), 0);
    }
    Insert(*a, 101501, 300);  // more spilled frames, the last of them buffered at the rollback
  }
  // Another writer (as another process would) writes over the same part of the WAL.
  {
    auto b = Plain();
    Commit(*b, 11, 2500);  // more than the first connection spilled: over all of its frames
  }
  // The first connection goes on: reads, then writes and commits.
  {
    auto st = a->Prepare("SELECT count(*) FROM t");
    st.Step();
    EXPECT_EQ(st.Int(0), 2510);
  }
  Commit(*a, 2511, 3);
  a.reset();
  ExpectIntact(2513);
}

// The stamp readers keep their snapshot by: the same while nothing is committed or
// checkpointed, changed by a commit of another connection and by a checkpoint.
TEST_F(WalBuffer, TheWalIndexStampMovesWithEachCommitAndCheckpoint) {
  auto w = Plain();
  Commit(*w, 1, 10);
  Conn reader(path_, false);
  {
    auto st = reader.Prepare("SELECT count(*) FROM t");
    st.Step();
  }
  WalIndexStamp a, b, c, d;
  ASSERT_TRUE(ReadWalIndexStamp(reader.raw(), a));
  {
    auto st = reader.Prepare("SELECT count(*) FROM t");
    st.Step();
    EXPECT_EQ(st.Int(0), 10);
  }
  ASSERT_TRUE(ReadWalIndexStamp(reader.raw(), b));
  EXPECT_EQ(a, b) << "a read changes nothing";
  Commit(*w, 11, 1);
  ASSERT_TRUE(ReadWalIndexStamp(reader.raw(), c));
  EXPECT_NE(b, c) << "another connection's commit";
  int log = -1, done = -1;
  ASSERT_EQ(sqlite3_wal_checkpoint_v2(w->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done), SQLITE_OK);
  ASSERT_GT(done, 0);
  ASSERT_TRUE(ReadWalIndexStamp(reader.raw(), d));
  EXPECT_NE(c, d) << "a checkpoint that copied frames";
  WalIndexStamp e;
  ASSERT_TRUE(ReadWalIndexStamp(reader.raw(), e));
  EXPECT_EQ(d, e);
}

}  // namespace
}  // namespace dialbook::sqlite
