// One long-lived thread that runs the tasks given to it one after another, in the order given.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>

namespace dialbook {

// In place of a std::async thread per task where tasks come one after another (an import's
// chunks to prepare, its batches to commit, a store's writes). Besides the thread's start and
// end, that keeps a kind of work on one thread, so in one of glibc's malloc arenas: a new
// thread takes whichever arena an ended thread left, and short-lived rows and the long-lived
// pages of SQLite's cache ended up mixed in the same arenas.
class SerialWorker {
 public:
  // `on_start` runs first on the thread (RunAsBackgroundThread, say); none when empty.
  explicit SerialWorker(std::function<void()> on_start = {})
      : thread_([this, on_start = std::move(on_start)] {
          if (on_start) on_start();
          Loop();
        }) {}
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;
  // Runs the tasks still queued, then ends the thread.
  ~SerialWorker() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }

  // Queues fn; its result (or its exception) comes through the future.
  template <typename F>
  auto Submit(F fn) -> std::future<std::invoke_result_t<F&>> {
    using R = std::invoke_result_t<F&>;
    auto task = std::make_shared<std::packaged_task<R()>>(std::move(fn));
    auto result = task->get_future();
    {
      std::lock_guard lock(mu_);
      queue_.emplace_back([task] { (*task)(); });
    }
    cv_.notify_one();
    return result;
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left
      auto next = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      next();
      next = nullptr;  // the task's captures are freed on this thread
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace dialbook
