#include "core/file.h"

#include <unistd.h>

#include <cstdio>

namespace dialbook {

Result<std::string> ReadFileBytes(const std::string& path, size_t max) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Fail(ErrorCode::kNotFound, "cannot open " + path);
  std::string data;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    data.append(buf, n);
    if (data.size() > max) {
      std::fclose(f);
      return Fail(ErrorCode::kPayloadTooLarge, "the file is too large");
    }
  }
  std::fclose(f);
  return data;
}

bool WriteFileDurably(const std::string& path, std::string_view data) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  ok &= std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
  ok &= std::fclose(f) == 0;
  return ok;
}

}  // namespace dialbook
