#include "core/cpus.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <functional>
#include <map>
#include <string>
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

TEST(Cpus, CfsQuotasRoundUpAndMinusOneIsNoQuota) {
  EXPECT_EQ(CoresFromCfsQuota("200000\n", "100000\n"), 2u);
  EXPECT_EQ(CoresFromCfsQuota("150000", "100000"), 2u);
  EXPECT_EQ(CoresFromCfsQuota("50000", "100000"), 1u);
  EXPECT_EQ(CoresFromCfsQuota("-1\n", "100000\n"), std::nullopt);
  EXPECT_EQ(CoresFromCfsQuota("", ""), std::nullopt);  // no such files
  EXPECT_EQ(CoresFromCfsQuota("100000", "0"), std::nullopt);
}

// Files of a fake /sys: path → text ("" for any other path, as for a missing file).
std::function<std::string(const std::string&)> Files(std::map<std::string, std::string> files) {
  return [files = std::move(files)](const std::string& path) {
    auto it = files.find(path);
    return it == files.end() ? std::string() : it->second;
  };
}

// A host with v1 controllers beside the unified hierarchy (this CI machine's layout): the cpu
// controller's quota is read from where that hierarchy is mounted, walking up from the
// process's cgroup.
TEST(Cpus, CgroupV1CpuQuotaOfTheCgroupOrOneAbove) {
  const std::string mountinfo =
      "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
      "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct\n"
      "33 30 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
      "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
  const std::string cgroup = "4:name=systemd:/docker/abc\n3:cpuset:/\n2:cpu,cpuacct:/docker/abc\n0::/docker/abc\n";
  EXPECT_EQ(CgroupQuotaCores(mountinfo, cgroup, Files({})), std::nullopt);
  // The cpuset hierarchy is not the cpu one ("cpu" is a controller's whole name).
  EXPECT_EQ(CgroupQuotaCores(mountinfo, cgroup,
                             Files({{"/sys/fs/cgroup/cpuset/cpu.cfs_quota_us", "100000\n"},
                                    {"/sys/fs/cgroup/cpuset/cpu.cfs_period_us", "100000\n"}})),
            std::nullopt);
  EXPECT_EQ(CgroupQuotaCores(mountinfo, cgroup,
                             Files({{"/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "-1\n"},
                                    {"/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n"},
                                    {"/sys/fs/cgroup/cpu,cpuacct/docker/cpu.cfs_quota_us", "300000\n"},
                                    {"/sys/fs/cgroup/cpu,cpuacct/docker/cpu.cfs_period_us", "100000\n"}})),
            3u);
  // The v2 hierarchy mounted beside it counts too; the tightest quota wins.
  EXPECT_EQ(CgroupQuotaCores(mountinfo, cgroup,
                             Files({{"/sys/fs/cgroup/cpu,cpuacct/docker/cpu.cfs_quota_us", "300000\n"},
                                    {"/sys/fs/cgroup/cpu,cpuacct/docker/cpu.cfs_period_us", "100000\n"},
                                    {"/sys/fs/cgroup/unified/docker/abc/cpu.max", "100000 100000\n"}})),
            1u);
}

// A container with its own cgroup namespace: its cgroup is the root of the mount.
TEST(Cpus, CgroupV2QuotaOfAContainerWhoseCgroupIsTheMountRoot) {
  const std::string mountinfo = "600 590 0:40 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup rw,nsdelegate\n";
  EXPECT_EQ(CgroupQuotaCores(mountinfo, "0::/\n", Files({{"/sys/fs/cgroup/cpu.max", "150000 100000\n"}})), 2u);
  EXPECT_EQ(CgroupQuotaCores(mountinfo, "0::/\n", Files({{"/sys/fs/cgroup/cpu.max", "max 100000\n"}})),
            std::nullopt);
  // Mounted from a cgroup below the hierarchy's root: paths outside it are not under the mount.
  const std::string below = "600 590 0:40 /kube/pod1 /sys/fs/cgroup rw - cgroup2 cgroup rw\n";
  EXPECT_EQ(CgroupQuotaCores(below, "0::/kube/pod1/app\n",
                             Files({{"/sys/fs/cgroup/app/cpu.max", "400000 100000"},
                                    {"/sys/fs/cgroup/cpu.max", "200000 100000"}})),
            2u);
  EXPECT_EQ(CgroupQuotaCores(below, "0::/kube/pod10\n", Files({{"/sys/fs/cgroup/cpu.max", "200000 100000"}})),
            std::nullopt);
}

// mountinfo writes a backslash in a path as \134 (systemd's unit names have "\x2d"), and
// the v1 cpu hierarchy can be mounted from a cgroup below its root too.
TEST(Cpus, MountinfoEscapesAreDecoded) {
  const std::string mountinfo =
      "41 30 0:28 /machine.slice/machine-a\\134x2db.scope /sys/fs/cgroup/cpu\\040x rw - cgroup cgroup rw,cpu\n";
  EXPECT_EQ(CgroupQuotaCores(mountinfo, "2:cpu:/machine.slice/machine-a\\x2db.scope/app\n",
                             Files({{"/sys/fs/cgroup/cpu x/app/cpu.cfs_quota_us", "250000"},
                                    {"/sys/fs/cgroup/cpu x/app/cpu.cfs_period_us", "100000"}})),
            3u);
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
