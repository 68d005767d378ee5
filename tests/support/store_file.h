// A test fixture on one SQLite store file in a scratch directory, with a workspace "One"
// (country US): for the SQLite backend's own tests, which look at or change the file with
// SQL beside the store (sql_file.h) and open it again (an upgrade, a setting).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/store.h"
#include "support/scratch_dir.h"

namespace dialbook::testing_support {

class StoreFileTest : public ::testing::Test {
 protected:
  explicit StoreFileTest(const std::string& tag) : dir_(tag) {}
  void SetUp() override {
    Reopen();
    ws_ = store_->CreateWorkspace(Workspace{0, "One", "US", 0, 0, 0})->id;
  }
  void TearDown() override { store_.reset(); }
  std::string Path() const { return dir_.File("t.db"); }
  // Closes the store (when open) and opens the file again.
  void Reopen() {
    store_.reset();
    auto opened = OpenStore("sqlite:" + Path());
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }

  ScratchDir dir_;
  std::unique_ptr<Store> store_;
  int64_t ws_ = 0;
};

}  // namespace dialbook::testing_support
