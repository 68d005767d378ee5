#include "core/cpus.h"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace dialbook {

namespace {

std::string ReadSmallFile(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (in) std::getline(in, text, '\0');
  return text;
}

std::string_view TrimEnd(std::string_view t) {
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.remove_suffix(1);
  return t;
}

bool ParseUnsigned(std::string_view s, unsigned long long* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::vector<std::string_view> SplitOn(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (size_t at = 0;;) {
    const size_t next = s.find(sep, at);
    out.push_back(s.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
    if (next == std::string_view::npos) return out;
    at = next + 1;
  }
}

bool Has(const std::vector<std::string_view>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// A mountinfo field decoded: the kernel writes a space, tab, newline or backslash in a path
// as \ and three octal digits ("\040"); /proc/self/cgroup does not.
std::string Unescape(std::string_view field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    auto octal = [&](size_t k) { return field[k] >= '0' && field[k] <= '7'; };
    if (field[i] == '\\' && i + 3 < field.size() && octal(i + 1) && octal(i + 2) && octal(i + 3)) {
      out += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0'));
      i += 3;
    } else {
      out += field[i];
    }
  }
  return out;
}

// A hierarchy's mount: the cgroup mounted at its root (a container sees its own cgroup as
// "/") and where.
struct Mount {
  std::string root, point;
};

// The directory of `path` (a cgroup as /proc/self/cgroup names it) under `m`, then those of
// the cgroups above it up to the mount's root; none when the mount does not hold it.
std::vector<std::string> DirsUp(const Mount& m, std::string_view path) {
  std::string_view rel = path;
  if (m.root != "/") {
    if (rel.substr(0, m.root.size()) != m.root || (rel.size() > m.root.size() && rel[m.root.size()] != '/')) return {};
    rel.remove_prefix(m.root.size());
  }
  std::vector<std::string> dirs;
  for (std::filesystem::path dir = rel.empty() ? std::string("/") : std::string(rel);; dir = dir.parent_path()) {
    dirs.push_back(m.point + (dir == "/" ? "" : dir.string()));
    if (dir == dir.parent_path()) break;
  }
  return dirs;
}

}  // namespace

std::optional<unsigned> CoresFromCpuMax(std::string_view text) {
  const std::string_view trimmed = TrimEnd(text);
  const size_t space = trimmed.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  return CoresFromCfsQuota(trimmed.substr(0, space), trimmed.substr(space + 1));
}

std::optional<unsigned> CoresFromCfsQuota(std::string_view quota_text, std::string_view period_text) {
  unsigned long long quota = 0, period = 0;
  if (!ParseUnsigned(TrimEnd(quota_text), &quota) || !ParseUnsigned(TrimEnd(period_text), &period) || period == 0 ||
      quota == 0)
    return std::nullopt;  // "-1" or "max": no quota
  const unsigned long long cores = (quota + period - 1) / period;
  return static_cast<unsigned>(std::clamp<unsigned long long>(cores, 1, 1u << 16));
}

std::optional<unsigned> CgroupQuotaCores(std::string_view mountinfo, std::string_view proc_self_cgroup,
                                         const std::function<std::string(const std::string&)>& read) {
  // mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL…] - FSTYPE SOURCE SUPEROPTIONS".
  std::vector<Mount> v2, v1_cpu;
  for (std::string_view line : SplitOn(mountinfo, '\n')) {
    const auto f = SplitOn(line, ' ');
    const auto dash = std::find(f.begin(), f.end(), "-");
    if (f.size() < 5 || dash == f.end() || f.end() - dash < 4) continue;
    Mount m{Unescape(f[3]), Unescape(f[4])};
    if (dash[1] == "cgroup2") v2.push_back(m);
    else if (dash[1] == "cgroup" && Has(SplitOn(dash[3], ','), "cpu")) v1_cpu.push_back(m);
  }
  std::optional<unsigned> best;
  auto take = [&](std::optional<unsigned> cores) {
    if (cores) best = best ? std::min(*best, *cores) : *cores;
  };
  // /proc/self/cgroup: "0::PATH" (v2), "ID:CONTROLLERS:PATH" (v1).
  for (std::string_view line : SplitOn(proc_self_cgroup, '\n')) {
    const size_t a = line.find(':'), b = a == std::string_view::npos ? a : line.find(':', a + 1);
    if (b == std::string_view::npos) continue;
    const std::string_view controllers = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
    if (path.empty() || path[0] != '/') continue;
    if (line.substr(0, a) == "0" && controllers.empty()) {
      for (const Mount& m : v2)
        for (const auto& dir : DirsUp(m, path)) take(CoresFromCpuMax(read(dir + "/cpu.max")));
    } else if (Has(SplitOn(controllers, ','), "cpu")) {
      for (const Mount& m : v1_cpu)
        for (const auto& dir : DirsUp(m, path))
          take(CoresFromCfsQuota(read(dir + "/cpu.cfs_quota_us"), read(dir + "/cpu.cfs_period_us")));
    }
  }
  return best;
}

unsigned UsableCores() {
  unsigned cores = std::thread::hardware_concurrency();
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) cores = static_cast<unsigned>(CPU_COUNT(&set));
  if (auto quota = CgroupQuotaCores(ReadSmallFile("/proc/self/mountinfo"), ReadSmallFile("/proc/self/cgroup"),
                                    ReadSmallFile))
    cores = std::min(cores, *quota);
  return std::max(cores, 1u);
}

}  // namespace dialbook
