#include "core/serial_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/thread_priority.h"

namespace dialbook {
namespace {

TEST(SerialWorker, RunsTasksInOrderOnOneThreadOfItsOwn) {
  std::vector<int> order;
  std::vector<std::thread::id> threads;
  std::vector<std::future<int>> results;
  {
    SerialWorker worker;
    for (int i = 0; i < 50; ++i)
      results.push_back(worker.Submit([&, i] {
        if (i == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the rest queue up
        order.push_back(i);
        threads.push_back(std::this_thread::get_id());
        return i * i;
      }));
    for (int i = 0; i < 50; ++i) EXPECT_EQ(results[i].get(), i * i);
  }
  ASSERT_EQ(order.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[i], i);
  for (auto& t : threads) EXPECT_EQ(t, threads[0]) << "one thread for every task";
  EXPECT_NE(threads[0], std::this_thread::get_id());
}

TEST(SerialWorker, AnExceptionReachesTheFutureAndTheWorkerGoesOn) {
  SerialWorker worker;
  auto bad = worker.Submit([]() -> int { throw std::runtime_error("no such row"); });
  auto good = worker.Submit([] { return 7; });
  EXPECT_THROW(bad.get(), std::runtime_error);
  EXPECT_EQ(good.get(), 7);
}

TEST(SerialWorker, MoveOnlyTasksAndTheirResults) {
  SerialWorker worker;
  auto in = std::make_unique<int>(41);
  auto out = worker.Submit([p = std::move(in)]() mutable {
    ++*p;
    return std::move(p);
  });
  EXPECT_EQ(*out.get(), 42);
}

TEST(SerialWorker, StartsWithItsStartFunctionAndEndsAfterTheQueuedTasks) {
  const int caller = ThreadNiceValue();
  std::atomic<int> ran = 0;
  int nice_in_task = -100;
  {
    SerialWorker worker(RunAsBackgroundThread);
    worker.Submit([&] { nice_in_task = ThreadNiceValue(); });
    for (int i = 0; i < 20; ++i)
      (void)worker.Submit([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        ++ran;
      });
  }  // not waited for: the destructor runs them all first
  EXPECT_EQ(ran.load(), 20);
  EXPECT_EQ(nice_in_task, 19);
  EXPECT_EQ(ThreadNiceValue(), caller);
}

}  // namespace
}  // namespace dialbook
