// SQLite's memory allocator (SQLITE_CONFIG_MALLOC): small blocks kept per thread.
//
// Debian builds SQLite with SQLITE_OMIT_LOOKASIDE, so every small allocation SQLite makes
// (a text column's copy in a step, a cursor, a statement's temporary buffers) goes to
// malloc and is freed again at the statement's reset: about 50 of them per contact read
// by id. glibc keeps 7 free blocks per size per thread; a reset frees more than that of
// one size at once, and the rest take malloc's slow paths. These methods keep up to
// kCacheBytesPerClass bytes of free blocks of each size class (16-byte steps up to
// kMaxSmall) per thread; larger blocks, and blocks freed once a thread's cache of their
// class is full, go to malloc and free. A block freed in another thread than the one that
// allocated it joins the freeing thread's cache. A thread's cache is given back to free()
// when the thread exits.
#pragma once

#include <cstddef>

namespace dialbook::sqlite {

// Installs the methods; call before SQLite is initialized (before the first open). Returns
// false when SQLite refused them (already initialized): its own allocator stays in use.
bool InstallSqliteAllocator();

// The methods themselves, for tests (the same as SQLite is given).
namespace alloc {
constexpr size_t kMaxSmall = 1024;
constexpr size_t kCacheBytesPerClass = 16 * 1024;
// Larger requests fail (SQLite itself never asks for more than 0x7fffff00 bytes).
constexpr int kMaxRequest = 0x7fffff00;
void* Malloc(int n);
void Free(void* p);
void* Realloc(void* p, int n);
int Size(void* p);
int Roundup(int n);
// Free blocks in the calling thread's cache, over all classes.
size_t CachedBlocks();
}  // namespace alloc

}  // namespace dialbook::sqlite
