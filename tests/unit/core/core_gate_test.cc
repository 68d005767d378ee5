#include "core/core_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace dialbook {
namespace {

using namespace std::chrono_literals;

// Waits (up to 5 s) until pred holds.
template <typename P>
bool Eventually(P pred) {
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(CoreGate, NoMoreThanItsCapacityAtOnce) {
  CoreGate gate(2);
  std::atomic<int> now = 0, most = 0, done = 0;
  std::vector<std::thread> ts;
  for (int i = 0; i < 8; ++i)
    ts.emplace_back([&] {
      for (int k = 0; k < 20; ++k) {
        CoreGate::Slot slot(gate);
        const int in = ++now;
        int seen = most.load();
        while (in > seen && !most.compare_exchange_weak(seen, in)) {
        }
        std::this_thread::sleep_for(200us);
        --now;
        ++done;
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(done.load(), 160);
  EXPECT_EQ(most.load(), 2);
  EXPECT_EQ(gate.Inside(), 0u);
  EXPECT_EQ(gate.Waiting(), 0u);
}

TEST(CoreGate, WaitersGoInInTheOrderTheyCame) {
  CoreGate gate(1);
  auto first = std::make_unique<CoreGate::Slot>(gate);
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::thread> ts;
  for (int i = 0; i < 5; ++i) {
    ts.emplace_back([&, i] {
      CoreGate::Slot slot(gate);
      std::lock_guard lock(mu);
      order.push_back(i);
    });
    // The next one comes only once this one waits.
    if (!Eventually([&] { return gate.Waiting() == static_cast<uint64_t>(i) + 1; })) {
      ADD_FAILURE() << "waiter " << i << " did not wait";
      break;
    }
  }
  EXPECT_EQ(gate.Inside(), 1u);
  first.reset();
  for (auto& t : ts) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(CoreGate, ACapacityOfZeroIsOne) {
  CoreGate gate(0);
  { CoreGate::Slot slot(gate); EXPECT_EQ(gate.Inside(), 1u); }
  EXPECT_EQ(gate.Inside(), 0u);
}

}  // namespace
}  // namespace dialbook
