// How many cores this process may really use.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace dialbook {

// The CPUs the calling thread may run on (its affinity mask: taskset, a container's
// cpuset), fewer when the process's cgroup or one above it has a CPU quota (a container's
// --cpus; cgroup v2 `cpu.max` or v1 `cpu.cfs_quota_us`): then the quota rounded up. At
// least 1. std::thread::hardware_concurrency() counts the machine's CPUs whatever the limits.
unsigned UsableCores();

// The cores a cgroup v2 `cpu.max` allows ("150000 100000" → 2, rounded up); nullopt for
// "max …" (no quota) or text that is not a quota.
std::optional<unsigned> CoresFromCpuMax(std::string_view text);

// The same from cgroup v1's `cpu.cfs_quota_us` and `cpu.cfs_period_us`; nullopt for a quota
// of -1 (none).
std::optional<unsigned> CoresFromCfsQuota(std::string_view quota, std::string_view period);

// The tightest CPU quota of the process's cgroups and those above them, in cores: the
// cgroup v2 hierarchy and the v1 one holding the cpu controller, found where they are mounted
// (`mountinfo`: /proc/self/mountinfo; `proc_self_cgroup`: /proc/self/cgroup; `read` gives a
// file's text, "" when absent). nullopt when none has a quota.
std::optional<unsigned> CgroupQuotaCores(std::string_view mountinfo, std::string_view proc_self_cgroup,
                                         const std::function<std::string(const std::string&)>& read);

}  // namespace dialbook
