#include "core/cpus.h"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace dialbook {

namespace {

std::string ReadSmallFile(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (in) std::getline(in, text, '\0');
  return text;
}

bool ParseUnsigned(std::string_view s, unsigned long long* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

// The tightest quota of the process's cgroup and those above it (cgroup v2 only).
std::optional<unsigned> CgroupQuotaCores() {
  std::istringstream lines(ReadSmallFile("/proc/self/cgroup"));
  std::string line, path;
  while (std::getline(lines, line))
    if (line.rfind("0::", 0) == 0) path = line.substr(3);
  if (path.empty() || path[0] != '/') return std::nullopt;
  std::optional<unsigned> best;
  for (std::filesystem::path dir = path;; dir = dir.parent_path()) {
    if (auto cores = CoresFromCpuMax(ReadSmallFile("/sys/fs/cgroup" + dir.string() + "/cpu.max")))
      best = best ? std::min(*best, *cores) : *cores;
    if (dir == dir.parent_path()) break;
  }
  return best;
}

}  // namespace

std::optional<unsigned> CoresFromCpuMax(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  const size_t space = text.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  unsigned long long quota = 0, period = 0;
  if (!ParseUnsigned(text.substr(0, space), &quota) || !ParseUnsigned(text.substr(space + 1), &period) || period == 0)
    return std::nullopt;  // "max 100000": no quota
  const unsigned long long cores = (quota + period - 1) / period;
  return static_cast<unsigned>(std::clamp<unsigned long long>(cores, 1, 1u << 16));
}

unsigned UsableCores() {
  unsigned cores = std::thread::hardware_concurrency();
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) cores = static_cast<unsigned>(CPU_COUNT(&set));
  if (auto quota = CgroupQuotaCores()) cores = std::min(cores, *quota);
  return std::max(cores, 1u);
}

}  // namespace dialbook
