// Rows of an import in bulk: read and prepared on a few threads in file order, duplicates
// in the file remembered exactly, each row's fate decided against the workspace, and a row
// merged into an existing contact. Private to service/imports.
#pragma once
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "importer/pipeline.h"
#include "importer/table.h"
#include "store/store.h"

namespace dialbook::import_detail {

using importer::PreparedRow;
using importer::RowPlan;
using importer::RowStatus;

// In-file duplicates: E.164 digits as an integer → first row (flat open addressing, exact).
class PhoneSet {
 public:
  // Room for `expected` numbers without growing (up to kMaxPresized slots; past that it grows
  // by doubling): a doubling holds the old and the new table at once, 48 MiB for a moment at
  // half a million numbers, the top of a 1M-row import's memory. The table is calloc'd, so
  // a large one (fresh pages from the system) counts in memory as numbers land on its pages.
  explicit PhoneSet(size_t expected = 0) {
    capacity_ = size_t{1} << 16;
    while (capacity_ < kMaxPresized && capacity_ < expected * 2 + 2) capacity_ *= 2;
    slots_ = Zeroed(capacity_);
  }
  // 0 when new (and remembered), else the row that had it first.
  int64_t FirstOrInsert(const std::string& e164, int64_t row) {
    uint64_t key = 0;
    for (char ch : e164)
      if (ch >= '0' && ch <= '9') key = key * 10 + static_cast<uint64_t>(ch - '0');
    key += 1;  // 0 marks an empty slot
    if ((size_ + 1) * 2 > capacity_) Grow();
    size_t mask = capacity_ - 1;
    for (size_t i = Hash(key) & mask;; i = (i + 1) & mask) {
      if (slots_[i].key == key) return slots_[i].row;
      if (slots_[i].key == 0) {
        slots_[i] = {key, row};
        ++size_;
        return 0;
      }
    }
  }
  size_t capacity() const { return capacity_; }

 private:
  static constexpr size_t kMaxPresized = size_t{1} << 22;  // 64 MiB of slots, 2M numbers
  struct Slot {
    uint64_t key = 0;
    int64_t row = 0;
  };
  struct Free {
    void operator()(Slot* p) const { std::free(p); }
  };
  static size_t Hash(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return static_cast<size_t>(k);
  }
  static std::unique_ptr<Slot[], Free> Zeroed(size_t n) {
    std::unique_ptr<Slot[], Free> p(static_cast<Slot*>(std::calloc(n, sizeof(Slot))));  // empty slots
    if (!p) throw std::bad_alloc();
    return p;
  }
  void Grow() {
    // The new table first: a failure leaves the set as it was.
    const auto old = std::exchange(slots_, Zeroed(capacity_ * 2));
    const size_t old_capacity = std::exchange(capacity_, capacity_ * 2);
    const size_t mask = capacity_ - 1;
    for (size_t k = 0; k < old_capacity; ++k) {
      const Slot& s = old[k];
      if (!s.key) continue;
      size_t i = Hash(s.key) & mask;
      while (slots_[i].key) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::unique_ptr<Slot[], Free> slots_;
  size_t capacity_ = 0;
  size_t size_ = 0;
};

struct Chunk {
  std::vector<int64_t> rows;
  std::vector<std::vector<std::string>> cells;
  std::vector<PreparedRow> prepared;
};

// Reads the whole table; rows are prepared chunk by chunk, up to `threads` chunks at once on
// `threads` worker threads (0: on the caller's thread), and handed to sink in file order. At most
// `threads` chunks are in flight, so memory stays flat.
// `background`: the preparing threads run at the lowest priority (RunAsBackgroundThread), for
// a running import, whose one writer thread sets the pace; not for a review a user waits on.
Status ForEachChunk(importer::TableReader& reader, const RowPlan& plan, int threads, size_t chunk_rows,
                    const std::function<Status(Chunk&)>& sink, const std::atomic<bool>* stop,
                    bool background = false);

// What happens to each prepared row of a chunk: in-file duplicates, existing contacts (by
// phone) and the duplicate policy.
struct Decision {
  RowStatus status = RowStatus::kReady;
  std::string reason, message;
  int64_t other = 0;  // existing contact, or first row
  int64_t existing_version = 0;
};

// phones_checked_at: set to the store's WriteStamp() from just before the phones were
// looked up (see ImportBatch::phones_checked_at). free_since (≥ 0): a WriteStamp() from
// before the workspace was seen holding no live contact; the phones are not looked up (none
// can be found but the rows' own, which `seen` holds) and phones_checked_at is set to it, so
// that the transaction asks for them itself if anything else was written since.
Result<std::vector<Decision>> Decide(Store& store, int64_t ws, const Chunk& chunk, PhoneSet& seen,
                                     const std::string& on_duplicate, int64_t* phones_checked_at = nullptr,
                                     int64_t free_since = -1);

// Merges a row into an existing contact under the policy; returns the history changes as
// JSON ("" when nothing changes).
std::string MergeInto(Contact& target, const PreparedRow& row, bool only_empty);

}  // namespace dialbook::import_detail
