#include "core/cpus.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <thread>

namespace dialbook {
namespace {

TEST(Cpus, CpuMaxQuotasRoundUpAndMaxIsNoQuota) {
  EXPECT_EQ(CoresFromCpuMax("200000 100000\n"), 2u);
  EXPECT_EQ(CoresFromCpuMax("150000 100000"), 2u);  // 1.5 cores: both are used, a bit each
  EXPECT_EQ(CoresFromCpuMax("50000 100000"), 1u);
  EXPECT_EQ(CoresFromCpuMax("100000 100000"), 1u);
  EXPECT_EQ(CoresFromCpuMax("max 100000\n"), std::nullopt);
  EXPECT_EQ(CoresFromCpuMax(""), std::nullopt);
  EXPECT_EQ(CoresFromCpuMax("100000 0"), std::nullopt);
  EXPECT_EQ(CoresFromCpuMax("-5 100000"), std::nullopt);
  EXPECT_EQ(CoresFromCpuMax("12x 100000"), std::nullopt);
}

// A thread pinned to one CPU (taskset, a cpuset) may use one core, however many the machine has.
TEST(Cpus, UsableCoresFollowTheAffinityMask) {
  const unsigned all = UsableCores();
  EXPECT_GE(all, 1u);
  EXPECT_LE(all, std::max(1u, std::thread::hardware_concurrency()));
  cpu_set_t before;
  ASSERT_EQ(sched_getaffinity(0, sizeof before, &before), 0);
  int first = -1;
  for (int cpu = 0; cpu < CPU_SETSIZE && first < 0; ++cpu)
    if (CPU_ISSET(cpu, &before)) first = cpu;
  ASSERT_GE(first, 0);
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
  const unsigned pinned = UsableCores();
  ASSERT_EQ(sched_setaffinity(0, sizeof before, &before), 0);
  EXPECT_EQ(pinned, 1u);
  EXPECT_EQ(UsableCores(), all);
}

}  // namespace
}  // namespace dialbook
