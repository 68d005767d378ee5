// A test's own directory under the system's temp directory: made empty when the test's
// fixture is built (dialbook-TAG-PID-TEST), removed with everything in it when it goes.
// Whatever keeps files open in it (a store, a connection) must be closed first: TearDown, or
// a member declared after it.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

namespace dialbook::testing_support {

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag) {
    std::string test = "none";
    if (auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) test = info->name();
    std::replace(test.begin(), test.end(), '/', '-');  // parameterized tests: "Name/backend"
    path_ = std::filesystem::temp_directory_path() / ("dialbook-" + tag + "-" + std::to_string(::getpid()) + "-" + test);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // A file's path in it, as text.
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace dialbook::testing_support
