// The binary and the tests link mimalloc (CMakeLists.txt): every malloc, free, new and
// delete goes through it, including those made inside the shared libraries (SQLite,
// libphonenumber). If the link order ever let glibc's malloc win, nothing would fail but
// imports would be slower; this test is what notices.
#include <gtest/gtest.h>
#include <mimalloc.h>
#include <sqlite3.h>

#include <cstdlib>
#include <memory>
#include <string>

namespace {

TEST(Allocator, MallocAndNewAreMimallocs) {
  void* p = std::malloc(100);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(mi_is_in_heap_region(p));
  std::free(p);
  auto q = std::make_unique<std::string>(200, 'x');  // new, and the string's own buffer
  EXPECT_TRUE(mi_is_in_heap_region(q.get()));
  EXPECT_TRUE(mi_is_in_heap_region(q->data()));
}

TEST(Allocator, SharedLibrariesAllocateThroughMimalloc) {
  // sqlite3_malloc calls the C library's malloc from inside libsqlite3.so.
  void* p = sqlite3_malloc(1000);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(mi_is_in_heap_region(p));
  sqlite3_free(p);
}

}  // namespace
