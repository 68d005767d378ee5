// Admission of CPU-heavy work: at most N at a time, first come first in.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace dialbook {

// Lets at most `capacity` holders in at once; the others wait in the order they came (one
// that waited is never overtaken). For work that keeps a core busy for milliseconds on a
// server with more threads than cores: past one per core, the cores' time is sliced between
// them and every one of them finishes late.
class CoreGate {
 public:
  explicit CoreGate(uint64_t capacity) : capacity_(capacity ? capacity : 1) {}
  CoreGate(const CoreGate&) = delete;
  CoreGate& operator=(const CoreGate&) = delete;

  // Holds a place from construction (after waiting its turn) to destruction.
  class Slot {
   public:
    explicit Slot(CoreGate& gate) : gate_(gate) {
      std::unique_lock lock(gate_.mu_);
      const uint64_t ticket = gate_.next_++;
      gate_.cv_.wait(lock, [&] { return ticket < gate_.finished_ + gate_.capacity_; });
    }
    ~Slot() {
      {
        std::lock_guard lock(gate_.mu_);
        ++gate_.finished_;
      }
      gate_.cv_.notify_all();
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    CoreGate& gate_;
  };

  // Holders and waiters now (tests).
  uint64_t Inside() {
    std::lock_guard lock(mu_);
    const uint64_t admitted = next_ < finished_ + capacity_ ? next_ : finished_ + capacity_;
    return admitted - finished_;
  }
  uint64_t Waiting() {
    std::lock_guard lock(mu_);
    return next_ > finished_ + capacity_ ? next_ - finished_ - capacity_ : 0;
  }

 private:
  const uint64_t capacity_;
  std::mutex mu_;
  std::condition_variable cv_;
  // Tickets handed out, and holders gone: ticket t is in while t < finished_ + capacity_.
  uint64_t next_ = 0, finished_ = 0;
};

}  // namespace dialbook
