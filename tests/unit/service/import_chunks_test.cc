#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/thread_priority.h"
#include "importer/table.h"
#include "service/import_rows.h"

namespace dialbook::import_detail {
namespace {

namespace fs = std::filesystem;

TEST(ThreadPriority, BackgroundThreadAloneRunsAtTheLowestPriority) {
  const int caller = ThreadNiceValue();
  int seen = -100;
  std::thread t([&] {
    RunAsBackgroundThread();
    seen = ThreadNiceValue();
  });
  t.join();
  EXPECT_EQ(seen, 19);
  EXPECT_EQ(ThreadNiceValue(), caller);
}

// An import's rows are prepared on background threads; the thread that reads, plans and
// starts the commits (and the writer's thread it starts, which inherits its priority) keeps
// its own, whatever the number of preparing threads.
TEST(ForEachChunk, BackgroundPreparationLeavesTheCallersPriority) {
  const fs::path file = fs::temp_directory_path() / ("dialbook_chunks_" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream out(file);
    out << "name,phone\n";
    for (int i = 0; i < 25; ++i) out << "Ann " << i << ",(415) 555-" << 2600 + i << "\n";
  }
  importer::RowPlan plan;
  plan.header = {"name", "phone"};
  plan.columns = {{"name", nullptr}, {"phone", nullptr}};
  const int caller = ThreadNiceValue();
  for (int threads : {0, 1, 2}) {
    auto reader = importer::TableReader::Open(file.string(), importer::FileFormat::kCsv);
    ASSERT_TRUE(reader) << reader.error().message;
    std::vector<int64_t> rows;
    std::vector<std::string> phones;
    auto st = ForEachChunk(**reader, plan, threads, 4, [&](Chunk& c) -> Status {
      EXPECT_EQ(ThreadNiceValue(), caller) << "the sink runs on the caller's thread";
      for (size_t i = 0; i < c.rows.size(); ++i) rows.push_back(c.rows[i]), phones.push_back(c.prepared[i].contact.phone);
      return {};
    }, nullptr, /*background=*/true);
    ASSERT_TRUE(st) << st.error().message;
    ASSERT_EQ(rows.size(), 25u) << "threads " << threads;
    for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i], static_cast<int64_t>(i) + 2);
    EXPECT_EQ(phones[0], "+14155552600");
    EXPECT_EQ(phones[24], "+14155552624");
    EXPECT_EQ(ThreadNiceValue(), caller) << "threads " << threads;
  }
  fs::remove(file);
}

// The in-file duplicate set: sized for the rows it expects, it does not grow (no moment with
// two tables); past that it grows and still knows every number and its first row.
TEST(PhoneSet, SizedUpFrontThenGrowsKeepingEveryNumber) {
  PhoneSet small;
  EXPECT_EQ(small.capacity(), size_t{1} << 16);
  PhoneSet set(100000);
  const size_t sized = set.capacity();
  EXPECT_GE(sized, 200000u);
  EXPECT_LE(sized, 262144u);
  auto phone = [](int i) { return "+1415" + std::to_string(1000000 + i); };
  for (int i = 0; i < 100000; ++i) ASSERT_EQ(set.FirstOrInsert(phone(i), i + 2), 0) << i;
  EXPECT_EQ(set.capacity(), sized) << "no growth within the expected rows";
  for (int i = 100000; i < 300000; ++i) ASSERT_EQ(set.FirstOrInsert(phone(i), i + 2), 0) << i;
  EXPECT_GT(set.capacity(), sized);
  for (int i = 0; i < 300000; i += 997) EXPECT_EQ(set.FirstOrInsert(phone(i), 999999999), i + 2) << i;
  EXPECT_EQ(set.FirstOrInsert("+1 (415) 099-0005", 7), 0) << "a new number";
  EXPECT_EQ(set.FirstOrInsert("+14150990005", 8), 7) << "the same digits";
}

}  // namespace
}  // namespace dialbook::import_detail
