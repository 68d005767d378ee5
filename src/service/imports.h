// Import jobs (SPEC S6, S10.1). State machine of one import:
//
//   draft ──mapping──> draft ──start──> running ──> completed
//                                         │   └───> failed (committed batches stay; undo works)
//                                         └─ process dies: stays `running` in the store;
//                                            ResumeInterrupted / Resume continue it
//   completed | failed ──undo──> undone
//
// A running job reads the stored file again from the start, prepares rows on a few threads
// (phone parsing dominates), decides duplicates in file order, and writes batches of rows:
// each batch is one store transaction that also records the job's progress (the last row
// of the batch, counters, the committed length of the error file). After a crash the job
// skips the rows up to that last row (replaying only their phones, to know the file's
// duplicates), truncates the error file to its committed length and goes on: nothing is
// written twice and no batch is half there.
//
// Review and the rows preview run the same preparation without writing; the last reviews
// are cached in memory per mapping.
//
// Thread-safety: all methods may be called from many threads; each running job has its own
// thread (server) or runs in the caller's thread (CLI).
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "service/service.h"

namespace dialbook {

struct ImportConfig {
  std::string data_dir;                  // uploads in DIR/imports/<workspace>/
  int64_t max_upload_bytes = 50ll << 20;
  int64_t max_rows = 0;                  // 0 = no limit
  std::string sheets_base = "https://docs.google.com";  // allowlisted Google Sheets host
  // Rows per transaction. Bigger batches write each page of the randomly ordered indexes
  // (phone, name) once for more rows (1M rows: 10,000 → 2.19M pwrite calls, 15,000 → 1.65M,
  // 20,000 → 1.40M; one chunk preparing at a time, peak RSS 224-234 MiB at 15,000 and 272 MiB
  // at 20,000); progress and resume points move batch by batch.
  int batch_rows = 15000;
  int threads = 2;                       // chunks a review prepares at once (a run: one)
};

struct ImportProgress {
  int64_t rows_done = 0, rows_total = 0;
  double rate = 0;  // rows per second
  int64_t eta_seconds = -1;
};

struct ImportView {
  ImportRecord rec;
  ImportProgress progress;
};

struct RowOutcome {
  int64_t row_number = 0;
  uint8_t status = 0;  // importer::RowStatus
  std::string reason;
  int64_t other = 0;   // existing contact id, or the first row of an in-file duplicate
};

struct ReviewResult {
  int64_t rows_total = 0, will_create = 0, will_update = 0, will_skip = 0;
  std::map<std::string, int64_t> skipped;    // reason → rows
  std::map<std::string, int64_t> by_status;  // status → rows
  std::vector<Contact> sample;
  std::vector<FieldDef> new_fields;
  struct Warning {
    int column = -1;
    std::string message;
    int suggest_index = -1;
  };
  std::vector<Warning> warnings;
  bool strict_ok = true;
  std::string first_problem;  // the first row that needs attention (strict mode)
};

struct ImportRow {
  int64_t row_number = 0;
  std::vector<std::string> values;
  std::string status, reason, message;
  std::optional<Contact> contact;
  int64_t existing_id = 0;
};

// Progress callback of a job run in the caller's thread (CLI): rows done, rows total.
using ProgressFn = std::function<void(const ImportView&)>;

class Imports {
 public:
  Imports(Service& service, ImportConfig config);
  ~Imports();  // stops and joins running jobs (they resume on the next start)

  const ImportConfig& config() const { return config_; }

  // A new draft from a file on disk (moved into the data folder) or bytes.
  Result<ImportView> CreateFromFile(const Caller& caller, const std::string& file_name, const std::string& path,
                                    bool keep_original);
  Result<ImportView> CreateFromBytes(const Caller& caller, const std::string& file_name, std::string_view bytes);
  Result<ImportView> CreateFromSheet(const Caller& caller, const std::string& url);

  Result<ImportView> Get(const Caller& caller, int64_t id);
  Result<std::vector<ImportView>> List(const Caller& caller, int limit, int64_t before_id);
  Status Delete(const Caller& caller, int64_t id);

  // mapping_json: {"columns":[…], "consent_column", "options":{…}, "save_as"} (docs/API.md).
  Result<ImportView> SetMapping(const Caller& caller, int64_t id, const std::string& mapping_json);
  Result<ReviewResult> Review(const Caller& caller, int64_t id);
  Result<std::vector<ImportRow>> Rows(const Caller& caller, int64_t id, int64_t offset, int limit,
                                      const std::string& status, int64_t* total);

  // Starts the job in the background (server).
  Result<ImportView> Start(const Caller& caller, int64_t id, bool consent_attested);
  // Runs the job to its end in this thread (CLI); progress is called after each batch.
  Result<ImportView> Run(const Caller& caller, int64_t id, bool consent_attested, const ProgressFn& progress);
  Result<ImportView> Resume(const Caller& caller, int64_t id, const ProgressFn& progress);
  // Server start: continues every import left running, in the background.
  void ResumeInterrupted();
  // Blocks until the import is not running any more in this process (tests, CLI).
  void Wait(int64_t workspace_id, int64_t id);

  Result<ImportView> Undo(const Caller& caller, int64_t id);
  Result<std::string> ErrorsFile(const Caller& caller, int64_t id);  // path of the error file

  Result<std::vector<SavedMapping>> ListMappings(const Caller& caller);
  Status DeleteMapping(const Caller& caller, int64_t id);
  Result<std::string> TemplateCsv(const Caller& caller);
  Result<std::string> TemplateXlsx(const Caller& caller);

  Result<std::vector<DialList>> ListLists(const Caller& caller);
  Result<DialList> GetList(const Caller& caller, int64_t id);
  Result<std::vector<DialListMember>> ListMembers(const Caller& caller, int64_t id, int64_t after, int limit);

 private:
  struct Live {  // a job running in this process
    std::atomic<int64_t> rows_done{0};
    int64_t rows_at_start = 0;
    int64_t started_ms = 0;
    bool done = false;
  };
  struct Cached {
    std::string mapping_json;
    int64_t contact_count = -1;
    std::shared_ptr<const ReviewResult> review;
    std::shared_ptr<const std::vector<RowOutcome>> outcomes;
  };

  Result<ImportView> Create(const Caller& caller, const std::string& file_name, const std::string& stored_path);
  ImportView View(int64_t workspace_id, const ImportRecord& rec);
  Result<std::pair<std::shared_ptr<const ReviewResult>, std::shared_ptr<const std::vector<RowOutcome>>>>
  ComputeReview(const Caller& caller, const ImportRecord& rec);
  Status Prepare(const Caller& caller, ImportRecord& rec, bool consent_attested);
  Status Execute(const Caller& caller, int64_t import_id, bool resuming, const ProgressFn& progress);
  void Launch(const Caller& caller, int64_t import_id, bool resuming);
  // Lets the store compact its search index after this many contacts were written.
  void CompactAfter(int64_t contacts_written);
  std::string ImportDir(int64_t workspace_id) const;

  Service& svc_;
  Store& store_;
  ImportConfig config_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::pair<int64_t, int64_t>, std::shared_ptr<Live>> live_;
  std::map<std::pair<int64_t, int64_t>, Cached> reviews_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
};

}  // namespace dialbook
