#include "store/sqlite/sqlite_alloc.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace dialbook::sqlite::alloc {

namespace {

// Every block starts with its usable size, 16 bytes before the pointer SQLite gets (which
// keeps SQLite's blocks 16-byte aligned, as malloc's are). A size up to kMaxSmall is a
// multiple of 16 and names the block's class.
constexpr size_t kHeader = 16;
constexpr size_t kStep = 16;
constexpr size_t kClasses = kMaxSmall / kStep;

struct Header {
  uint64_t size;
  uint64_t unused;
};

Header* HeaderOf(void* p) { return reinterpret_cast<Header*>(static_cast<char*>(p) - kHeader); }
void* UserOf(Header* h) { return reinterpret_cast<char*>(h) + kHeader; }
size_t ClassOf(size_t size) { return size / kStep - 1; }
// How many free blocks of each class a thread keeps (a table: no division on a free).
constexpr auto kCap = [] {
  std::array<uint32_t, kClasses> cap{};
  for (size_t cls = 0; cls < kClasses; ++cls)
    cap[cls] = static_cast<uint32_t>(std::max<size_t>(4, kCacheBytesPerClass / ((cls + 1) * kStep)));
  return cap;
}();

// Zero-initialized and trivially destructible: reading it never runs a guard.
struct FreeBlock {
  FreeBlock* next;
};
struct ThreadCache {
  FreeBlock* head[kClasses];
  uint32_t count[kClasses];
  bool drain_registered;
  bool off;  // given back at the thread's exit: later frees of this thread go to free()
};
thread_local ThreadCache tc;

void DrainThreadCache() {
  for (size_t cls = 0; cls < kClasses; ++cls) {
    while (FreeBlock* b = tc.head[cls]) {
      tc.head[cls] = b->next;
      std::free(HeaderOf(b));
    }
    tc.count[cls] = 0;
  }
  tc.off = true;
}

struct Drain {
  ~Drain() { DrainThreadCache(); }
};

void RegisterDrain() {
  tc.drain_registered = true;
  thread_local Drain drain;  // constructed here, once per thread: its destructor runs at exit
  (void)drain;
}

void* NewBlock(size_t size) {
  auto* h = static_cast<Header*>(std::malloc(kHeader + size));
  if (!h) return nullptr;
  h->size = size;
  return UserOf(h);
}

}  // namespace

int Roundup(int n) {
  if (n <= 0) return 0;
  if (n > kMaxRequest) return n;  // Malloc refuses it; rounding it up could pass INT_MAX
  const size_t s = static_cast<size_t>(n);
  return static_cast<int>(s <= kMaxSmall ? (s + kStep - 1) & ~(kStep - 1) : (s + 7) & ~size_t{7});
}

void* Malloc(int n) {
  if (n <= 0 || n > kMaxRequest) return nullptr;
  const size_t size = static_cast<size_t>(Roundup(n));
  if (size <= kMaxSmall) {
    const size_t cls = ClassOf(size);
    if (FreeBlock* b = tc.head[cls]) {
      tc.head[cls] = b->next;
      --tc.count[cls];
      return b;
    }
  }
  return NewBlock(size);
}

void Free(void* p) {
  if (!p) return;
  Header* h = HeaderOf(p);
  const size_t size = h->size;
  if (size <= kMaxSmall && !tc.off) {
    const size_t cls = ClassOf(size);
    if (tc.count[cls] < kCap[cls]) {
      if (!tc.drain_registered) RegisterDrain();
      auto* b = static_cast<FreeBlock*>(p);
      b->next = tc.head[cls];
      tc.head[cls] = b;
      ++tc.count[cls];
      return;
    }
  }
  std::free(h);
}

int Size(void* p) { return p ? static_cast<int>(HeaderOf(p)->size) : 0; }

void* Realloc(void* p, int n) {
  if (!p) return Malloc(n);
  if (n <= 0 || n > kMaxRequest) return nullptr;  // SQLite never asks; a failed realloc keeps p
  const size_t old = HeaderOf(p)->size;
  const size_t size = static_cast<size_t>(Roundup(n));
  if (size == old) return p;
  if (old > kMaxSmall && size > kMaxSmall) {  // large to large: malloc may grow it in place
    auto* h = static_cast<Header*>(std::realloc(HeaderOf(p), kHeader + size));
    if (!h) return nullptr;
    h->size = size;
    return UserOf(h);
  }
  void* q = Malloc(n);
  if (!q) return nullptr;
  std::memcpy(q, p, std::min(old, size));
  Free(p);
  return q;
}

size_t CachedBlocks() {
  size_t n = 0;
  for (size_t cls = 0; cls < kClasses; ++cls) n += tc.count[cls];
  return n;
}

}  // namespace dialbook::sqlite::alloc

namespace dialbook::sqlite {

bool InstallSqliteAllocator() {
  static const sqlite3_mem_methods kMethods = {
      &alloc::Malloc,
      &alloc::Free,
      &alloc::Realloc,
      &alloc::Size,
      &alloc::Roundup,
      [](void*) { return SQLITE_OK; },
      [](void*) {},
      nullptr,
  };
  return sqlite3_config(SQLITE_CONFIG_MALLOC, &kMethods) == SQLITE_OK;
}

}  // namespace dialbook::sqlite
