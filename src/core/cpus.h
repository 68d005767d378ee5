// How many cores this process may really use.
#pragma once

#include <optional>
#include <string_view>

namespace dialbook {

// The CPUs the calling thread may run on (its affinity mask: taskset, a container's
// cpuset), fewer when the process's cgroup (v2) or one above it has a CPU quota (a
// container's --cpus): then the quota rounded up. At least 1. std::thread::
// hardware_concurrency() counts the machine's CPUs whatever the limits.
unsigned UsableCores();

// The cores a cgroup v2 `cpu.max` allows ("150000 100000" → 2, rounded up); nullopt for
// "max …" (no quota) or text that is not a quota.
std::optional<unsigned> CoresFromCpuMax(std::string_view text);

}  // namespace dialbook
