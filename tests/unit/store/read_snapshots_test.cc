// Readers of the SQLite store keep their read transaction between reads (SqliteStore's
// AcquireReader) while nothing was committed: a read still sees every write this store made
// before it and every write made through another connection (another process, say), and an
// idle reader never holds back a checkpoint.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "store/store.h"
#include "support/scratch_dir.h"

namespace dialbook {
namespace {

class ReadSnapshots : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = std::move(*OpenStore("sqlite:" + db()));
    ws_ = a_->CreateWorkspace(Workspace{0, "One", "US", 0, 0, 0})->id;
    Contact c;
    c.first_name = "Ann";
    c.phone = "+14155552671";
    std::vector<Contact> v{c};
    ASSERT_TRUE(a_->InsertContacts(ws_, v, Actor{}));
    id_ = v[0].id;
  }
  void TearDown() override { a_.reset(); }
  std::string db() const { return dir_.File("t.db"); }
  // Renames the contact through `store`; returns the new version.
  int64_t Rename(Store& store, const std::string& first) {
    auto c = store.GetContact(ws_, id_);
    EXPECT_TRUE(c);
    const int64_t version = c->version;
    c->first_name = first;
    EXPECT_TRUE(store.UpdateContact(ws_, *c, version, HistoryEntry{}));
    return version + 1;
  }
  // Reads on every reader connection at once, so that each keeps a read transaction.
  void ReadOnAllReaders(Store& store) {
    std::vector<std::thread> ts;
    for (int i = 0; i < 8; ++i)
      ts.emplace_back([&] {
        for (int k = 0; k < 50; ++k) EXPECT_TRUE(store.GetContact(ws_, id_));
      });
    for (auto& t : ts) t.join();
  }

  testing_support::ScratchDir dir_{"snapshots"};
  std::unique_ptr<Store> a_;
  int64_t ws_ = 0, id_ = 0;
};

TEST_F(ReadSnapshots, ReadsSeeThisStoresWritesAtOnce) {
  for (int round = 0; round < 20; ++round) {
    ReadOnAllReaders(*a_);
    const std::string name = "Ann" + std::to_string(round);
    const int64_t version = Rename(*a_, name);
    // Right after the write, on whichever reader: never the snapshot from before it.
    for (int k = 0; k < 8; ++k) {
      auto c = a_->GetContact(ws_, id_);
      ASSERT_TRUE(c);
      EXPECT_EQ(c->version, version);
      EXPECT_EQ(c->first_name, name);
    }
  }
}

// Another store is as another process: its write reaches this store only through the file.
// Right after it commits, every reader's kept snapshot is older, and none may be used.
TEST_F(ReadSnapshots, AnotherConnectionsWriteIsSeenAtOnce) {
  auto b = std::move(*OpenStore("sqlite:" + db()));
  for (int round = 0; round < 20; ++round) {
    ReadOnAllReaders(*a_);
    const int64_t version = Rename(*b, "Bo" + std::to_string(round));
    for (int k = 0; k < 8; ++k) {
      auto c = a_->GetContact(ws_, id_);
      ASSERT_TRUE(c);
      EXPECT_EQ(c->version, version) << "round " << round;
    }
  }
}

TEST_F(ReadSnapshots, IdleReadersDoNotHoldBackACheckpoint) {
  ReadOnAllReaders(*a_);  // then a_ stays idle
  auto b = std::move(*OpenStore("sqlite:" + db()));
  for (int i = 0; i < 20; ++i) Rename(*b, "Cy" + std::to_string(i));
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db().c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  // A first read opens the WAL (before it the connection has none to checkpoint).
  ASSERT_EQ(sqlite3_exec(raw, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr), SQLITE_OK);
  // TRUNCATE copies the whole WAL back and empties it: it cannot while any reader still
  // reads an older snapshot (SQLITE_BUSY, or frames left uncopied).
  int rc = SQLITE_BUSY, log = -1, done = -1;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < until) {
    rc = sqlite3_wal_checkpoint_v2(raw, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    if (rc == SQLITE_OK && log == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  sqlite3_close(raw);
  EXPECT_EQ(rc, SQLITE_OK) << sqlite3_errstr(rc) << " log " << log << " done " << done;
  EXPECT_EQ(log, 0) << "done " << done;
}

// Readers busy without a pause (never idle long enough for the sweeper) still let the WAL
// start over once a checkpoint has copied it back: a snapshot begun before the checkpoint
// holds a read mark that would keep the next writer appending to the WAL instead.
TEST_F(ReadSnapshots, BusyReadersLetTheWalStartOver) {
  auto b = std::move(*OpenStore("sqlite:" + db()));
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db().c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr), SQLITE_OK);
  std::atomic<bool> stop = false;
  std::vector<std::thread> readers;
  for (int i = 0; i < 2; ++i)
    readers.emplace_back([&] {
      while (!stop) EXPECT_TRUE(a_->GetContact(ws_, id_));
    });
  // A checkpoint's log is the WAL's length in frames: it stays at about one rename's frames
  // while each write starts the WAL over, and grows by that much with each write appended.
  int restarts = 0, previous = -1;
  for (int round = 0; round < 30; ++round) {
    Rename(*b, "Di" + std::to_string(round));
    // The readers move to the new snapshot, then the checkpoint copies all of it back, then
    // they move on to reading around the WAL.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    int log = -1, done = -1;
    sqlite3_wal_checkpoint_v2(raw, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    if (previous >= 0 && log < previous + 3) ++restarts;
    previous = log;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop = true;
  for (auto& t : readers) t.join();
  sqlite3_close(raw);
  // Readers that kept their snapshots past the checkpoints: no restart at all. Here they
  // let most writes start over (a reader still busy with an old snapshot may hold one back).
  EXPECT_GE(restarts, 10) << "WAL length after the last write: " << previous << " frames";
}

}  // namespace
}  // namespace dialbook
