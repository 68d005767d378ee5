#include "store/sqlite/sqlite_alloc.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "store/sqlite/db.h"

namespace dialbook::sqlite {
namespace {

using namespace alloc;

void Fill(void* p, size_t n, unsigned char seed) {
  auto* b = static_cast<unsigned char*>(p);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<unsigned char>(seed + i * 7);
}
bool Holds(const void* p, size_t n, unsigned char seed) {
  auto* b = static_cast<const unsigned char*>(p);
  for (size_t i = 0; i < n; ++i)
    if (b[i] != static_cast<unsigned char>(seed + i * 7)) return false;
  return true;
}

TEST(SqliteAlloc, RoundsSmallSizesTo16AndLargeTo8) {
  EXPECT_EQ(Roundup(1), 16);
  EXPECT_EQ(Roundup(16), 16);
  EXPECT_EQ(Roundup(17), 32);
  EXPECT_EQ(Roundup(1024), 1024);
  EXPECT_EQ(Roundup(1025), 1032);
  EXPECT_EQ(Roundup(4097), 4104);
}

TEST(SqliteAlloc, BlocksAreAlignedAndHoldTheirWholeSize) {
  for (int n : {1, 15, 16, 100, 1000, 1024, 1025, 5000, 1 << 20}) {
    void* p = Malloc(n);
    ASSERT_NE(p, nullptr) << n;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u) << n;
    EXPECT_EQ(Size(p), Roundup(n)) << n;
    Fill(p, static_cast<size_t>(Size(p)), 3);
    EXPECT_TRUE(Holds(p, static_cast<size_t>(Size(p)), 3));
    Free(p);
  }
  Free(nullptr);
  EXPECT_EQ(Malloc(0), nullptr);
}

TEST(SqliteAlloc, AFreedSmallBlockIsTheNextOfItsClassAndLargeOnesAreNotKept) {
  void* a = Malloc(40);
  const size_t cached = CachedBlocks();
  Free(a);
  EXPECT_EQ(CachedBlocks(), cached + 1);
  EXPECT_EQ(Malloc(48), a);  // 40 and 48 are one class
  EXPECT_EQ(CachedBlocks(), cached);
  void* big = Malloc(2000);
  Free(big);
  EXPECT_EQ(CachedBlocks(), cached);
  Free(a);
}

TEST(SqliteAlloc, AThreadKeepsAtMostItsCapOfAClass) {
  std::thread([] {
    std::vector<void*> blocks;
    for (int i = 0; i < 3000; ++i) blocks.push_back(Malloc(16));
    for (void* p : blocks) Free(p);
    EXPECT_EQ(CachedBlocks(), kCacheBytesPerClass / 16);
    blocks.clear();
    for (int i = 0; i < 50; ++i) blocks.push_back(Malloc(1024));
    for (void* p : blocks) Free(p);
    EXPECT_EQ(CachedBlocks(), kCacheBytesPerClass / 16 + kCacheBytesPerClass / 1024);
  }).join();
}

TEST(SqliteAlloc, ReallocKeepsTheContentAcrossEverySizeChange) {
  // same class, small to small, small to large, large to large, large to small
  const int steps[] = {14, 30, 200, 3000, 9000, 1 << 17, 500, 8};
  void* p = Malloc(10);
  Fill(p, 10, 9);
  size_t held = 10;
  for (int n : steps) {
    void* before = p;
    p = Realloc(p, n);
    ASSERT_NE(p, nullptr) << n;
    EXPECT_GE(Size(p), n);
    EXPECT_TRUE(Holds(p, std::min<size_t>(held, static_cast<size_t>(n)), 9)) << n;
    if (n == 14) {
      EXPECT_EQ(p, before);  // 10 and 14 share a class
    }
    Fill(p, static_cast<size_t>(n), 9);
    held = static_cast<size_t>(n);
  }
  Free(p);
  void* fresh = Realloc(nullptr, 50);
  EXPECT_NE(fresh, nullptr);
  Free(fresh);
  // Past what SQLite may ask: refused (nothing allocated), and rounding stays within int.
  EXPECT_EQ(Malloc(kMaxRequest + 1), nullptr);
  EXPECT_EQ(Roundup(kMaxRequest + 1), kMaxRequest + 1);
  EXPECT_EQ(Roundup(kMaxRequest), kMaxRequest);  // already a multiple of 8
}

TEST(SqliteAlloc, ABlockFreedInAnotherThreadServesThatThread) {
  void* a = Malloc(300);
  std::thread([a] {
    const size_t cached = CachedBlocks();
    Free(a);
    EXPECT_EQ(CachedBlocks(), cached + 1);
    void* b = Malloc(300);
    EXPECT_EQ(b, a);
    Free(b);
  }).join();  // the thread's exit gives its cache back to free()
}

TEST(SqliteAlloc, SqliteAllocatesThroughTheseMethods) {
  Conn c(":memory:", false, 1);  // the first open installs them
  c.Exec("CREATE TABLE t(x TEXT)");
  c.Exec("INSERT INTO t VALUES ('" + std::string(500, 'x') + "')");
  void* p = sqlite3_malloc(72);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(sqlite3_msize(p), 80u);  // rounded up to the class
  sqlite3_free(p);
  EXPECT_EQ(Malloc(80), p);  // SQLite's free went to this thread's cache
  Free(p);
}

}  // namespace
}  // namespace dialbook::sqlite
