// A first import into a workspace without contacts does not look its phones up among them
// (Decide's free_since): the transaction of each batch checks that nothing but the import
// was written since. A contact created meanwhile with one of the file's numbers must still
// not be created twice.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>


#include <functional>
#include <string>

#include "service/imports.h"
#include "service/service.h"
#include "store/store.h"
#include "support/scratch_dir.h"

namespace dialbook {
namespace {

using json = nlohmann::json;

class ImportIntoEmptyWorkspace : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore("sqlite:" + dir_.File("db.sqlite"));
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    service_ = std::make_unique<Service>(*store_);
    auto ws = service_->CreateWorkspaceWithAdmin("Clinic", "admin@example.com", "Secretpass123!", "Admin");
    ASSERT_TRUE(ws) << ws.error().message;
    auto caller = service_->CallerForEmail("admin@example.com", ws->id);
    ASSERT_TRUE(caller);
    caller_ = *caller;
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
  }

  // Imports six rows (numbers +1 415 555 0101 … 0106), two per batch; `meanwhile` runs once,
  // after the first batch committed. Returns the summary.
  json ImportSixRows(const std::function<void()>& meanwhile) {
    ImportConfig config;
    config.data_dir = dir_.path().string();
    config.batch_rows = 2;
    config.threads = 1;
    Imports imports(*service_, config);
    std::string csv = "Name,Phone\n";
    for (int i = 1; i <= 6; ++i) csv += "Row " + std::to_string(i) + ",+1 415 555 010" + std::to_string(i) + "\n";
    auto draft = imports.CreateFromBytes(caller_, "six.csv", csv);
    EXPECT_TRUE(draft) << draft.error().message;
    if (!draft) return {};
    const json mapping = {{"columns", {{{"index", 0}, {"field", "name"}}, {{"index", 1}, {"field", "phone"}}}},
                          {"options", {{"on_duplicate", "skip"}}}};
    auto mapped = imports.SetMapping(caller_, draft->rec.id, mapping.dump());
    EXPECT_TRUE(mapped) << mapped.error().message;
    int batches = 0;
    auto done = imports.Run(caller_, draft->rec.id, true, [&](const ImportView&) {
      if (batches++ == 0) meanwhile();
    });
    EXPECT_TRUE(done) << done.error().message;
    if (!done) return {};
    EXPECT_EQ(done->rec.status, "completed");
    return json::parse(done->rec.summary_json);
  }

  int64_t ContactsWithPhone(const std::string& digits) {
    auto page = service_->ListContacts(caller_, Params{{"q", digits}});
    EXPECT_TRUE(page) << page.error().message;
    return page ? page->total : -1;
  }

  testing_support::ScratchDir dir_{"empty-ws"};
  std::unique_ptr<Store> store_;
  std::unique_ptr<Service> service_;
  Caller caller_;
};

TEST_F(ImportIntoEmptyWorkspace, ImportsEveryRow) {
  const json summary = ImportSixRows([] {});
  EXPECT_EQ(summary.value("imported", -1), 6);
  EXPECT_EQ(ContactsWithPhone("4155550105"), 1);
}

TEST_F(ImportIntoEmptyWorkspace, AContactCreatedMeanwhileIsNotCreatedAgain) {
  int64_t elsewhere = 0;
  const json summary = ImportSixRows([&] {
    ContactInput in;
    in.name = "Created Elsewhere";
    in.phone = "+14155550105";  // row 5, in the third batch
    auto c = service_->CreateContact(caller_, in);
    ASSERT_TRUE(c) << c.error().message;
    elsewhere = c->id;
  });
  ASSERT_NE(elsewhere, 0);
  EXPECT_EQ(summary.value("imported", -1), 5);
  EXPECT_EQ(summary["skipped"].value("already_exists", -1), 1);
  EXPECT_EQ(ContactsWithPhone("4155550105"), 1);
  EXPECT_EQ(ContactsWithPhone("4155550106"), 1);
}

}  // namespace
}  // namespace dialbook
