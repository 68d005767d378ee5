// Running an import (S6.10–S6.11): the checks before it starts, the job that writes the rows in
// transactional batches (resumable after the last committed one), and the search index's
// upkeep after it. The rest of Imports (drafts, mapping, review, undo) is in imports.cc.
#include "service/imports.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>

#include "core/file.h"
#include "core/serial_worker.h"
#include "core/text.h"
#include "core/time.h"
#include "importer/pipeline.h"
#include "importer/table.h"
#include "service/import_mapping.h"
#include "service/import_rows.h"

namespace dialbook {

using nlohmann::json;
namespace fs = std::filesystem;
using namespace import_detail;

namespace {

#if defined(__GLIBC__)
// Past this much anonymous memory (the heap: rows, SQLite's cache), a running import gives
// freed memory back after a batch. A 1M-row import of bench/import.sh stays under it (its
// highest between batches: over 224 MiB, under 240; ~31 MiB of mapped code and data come on
// top); it bounds what a file of much wider rows could keep, under the 300 MB an import may use.
constexpr int64_t kTrimAbove = int64_t{240} << 20;

// The process's resident anonymous memory (resident minus file-backed pages), 0 if unknown.
int64_t AnonymousMemoryBytes() {
  long size = 0, resident = 0, shared = 0;
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  const bool read = std::fscanf(f, "%ld %ld %ld", &size, &resident, &shared) == 3;
  std::fclose(f);
  return read ? static_cast<int64_t>(resident - shared) * sysconf(_SC_PAGESIZE) : 0;
}
#endif

}  // namespace

// ---- running -----------------------------------------------------------------------------------

Status Imports::Prepare(const Caller& caller, ImportRecord& rec, bool consent_attested) {
  if (rec.status != "draft")
    return Fail(MakeError(ErrorCode::kRuleViolation, "the import is already " + rec.status));
  if (!consent_attested)
    return Fail(FieldError("consent_attested", "confirm that these contacts agreed to be contacted (consent_attested: true)"));
  if (rec.mapping_json.empty())
    return Fail(MakeError(ErrorCode::kRuleViolation, "map the columns first (PUT /imports/{id}/mapping)").With("field", "mapping"));
  DB_ASSIGN_OR_RETURN(auto fields, svc_.VisibleFields(caller, true));
  DB_ASSIGN_OR_RETURN(Workspace ws, store_.GetWorkspace(caller.workspace_id));
  auto header = HeaderOf(rec);
  DB_ASSIGN_OR_RETURN(Mapping m, ParseMapping(rec.mapping_json, header, fields, caller, ws));
  if (m.options.strict || ws.contact_limit > 0) {
    DB_ASSIGN_OR_RETURN(auto r, ComputeReview(caller, rec));
    if (m.options.strict && !r.first->strict_ok)
      return Fail(MakeError(ErrorCode::kRuleViolation, "strict mode: the file is refused because of " + r.first->first_problem)
                      .With("field", "options.strict"));
    // The plan limit (S1.5): an import that would pass it is refused whole, before any row is
    // written. (The batch transactions keep their own check for contacts created meanwhile.)
    const int64_t room = std::max<int64_t>(0, ws.contact_limit - ws.contact_count);
    if (ws.contact_limit > 0 && r.first->will_create > room)
      return Fail(MakeError(ErrorCode::kRuleViolation,
                            "the import would add " + std::to_string(r.first->will_create) +
                                " contacts, but the workspace's contact limit of " + std::to_string(ws.contact_limit) +
                                " leaves room for " + std::to_string(room) + "; nothing was imported")
                      .With("limit", std::to_string(ws.contact_limit))
                      .With("count", std::to_string(ws.contact_count))
                      .With("will_create", std::to_string(r.first->will_create)));
  }
  // New custom fields now, so that a resumed job finds them.
  for (auto& c : m.columns) {
    if (!c.new_field) continue;
    FieldInput in;
    in.key = c.new_field->key;
    in.label = c.new_field->label;
    in.type = FieldTypeName(c.new_field->type);
    auto made = svc_.CreateField(caller, in);
    if (!made) {
      Error e = made.error();
      e.details["field"] = "new_field." + e.details["field"];
      return Fail(e);
    }
    c.new_field.reset();
  }
  if (!m.options.list_name.empty()) {
    DB_ASSIGN_OR_RETURN(auto list, store_.CreateList(caller.workspace_id, DialList{0, m.options.list_name, m.options.dial_mode, rec.id, 0, 0}));
    rec.list_id = list.id;
  }
  rec.mapping_json = MappingText(m);
  rec.status = "running";
  rec.consent_by = caller.email;
  rec.consent_at = NowMillis();
  rec.started_at = NowMillis();
  rec.rows_done = 0;
  rec.last_row = 0;
  rec.errors_bytes = 0;
  rec.summary_json = "";
  DB_TRY(store_.UpdateImport(caller.workspace_id, rec, "draft"));
  return {};
}

Result<ImportView> Imports::Start(const Caller& caller, int64_t id, bool consent_attested) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto rec, store_.GetImport(caller.workspace_id, id));
  DB_TRY(Prepare(caller, rec, consent_attested));
  Launch(caller, id, false);
  DB_ASSIGN_OR_RETURN(rec, store_.GetImport(caller.workspace_id, id));
  return View(caller.workspace_id, rec);
}

Result<ImportView> Imports::Run(const Caller& caller, int64_t id, bool consent_attested, const ProgressFn& progress) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto rec, store_.GetImport(caller.workspace_id, id));
  DB_TRY(Prepare(caller, rec, consent_attested));
  auto st = Execute(caller, id, false, progress);
  DB_ASSIGN_OR_RETURN(rec, store_.GetImport(caller.workspace_id, id));
  if (!st && rec.status == "running") return std::unexpected(st.error());
  return View(caller.workspace_id, rec);
}

Result<ImportView> Imports::Resume(const Caller& caller, int64_t id, const ProgressFn& progress) {
  DB_TRY(svc_.RequireRole(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(auto rec, store_.GetImport(caller.workspace_id, id));
  if (rec.status != "running")
    return Fail(MakeError(ErrorCode::kRuleViolation, "only an interrupted import can be resumed (this one is " + rec.status + ")"));
  {
    std::lock_guard lock(mu_);
    if (live_.contains({caller.workspace_id, id}))
      return Fail(MakeError(ErrorCode::kRuleViolation, "the import is running now"));
  }
  auto st = Execute(caller, id, true, progress);
  DB_ASSIGN_OR_RETURN(rec, store_.GetImport(caller.workspace_id, id));
  if (!st && rec.status == "running") return std::unexpected(st.error());
  return View(caller.workspace_id, rec);
}

void Imports::Launch(const Caller& caller, int64_t id, bool resuming) {
  std::lock_guard lock(mu_);
  threads_.emplace_back([this, caller, id, resuming] {
    auto st = Execute(caller, id, resuming, nullptr);
    if (!st) spdlog::warn("import {} stopped: {}", id, st.error().message);
  });
}

void Imports::ResumeInterrupted() {
  auto running = store_.ListRunningImports();
  if (!running) return;
  for (auto& [ws, rec] : *running) {
    auto caller = svc_.CallerForUser(rec.user_id, ws);
    if (!caller) {
      rec.status = "failed";
      rec.error = "the user who started the import is no longer a member; nothing after row " +
                  std::to_string(rec.last_row) + " was imported";
      rec.finished_at = NowMillis();
      (void)store_.UpdateImport(ws, rec, "running");
      continue;
    }
    spdlog::info("resuming import {} after row {}", rec.id, rec.last_row);
    Launch(*caller, rec.id, true);
  }
}

void Imports::Wait(int64_t ws, int64_t id) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !live_.contains({ws, id}); });
}

Status Imports::Execute(const Caller& caller, int64_t id, bool resuming, const ProgressFn& progress) {
  const int64_t ws = caller.workspace_id;
  const auto key = std::make_pair(ws, id);
  auto live = std::make_shared<Live>();
  {
    std::lock_guard lock(mu_);
    if (live_.contains(key)) return Fail(MakeError(ErrorCode::kRuleViolation, "the import is running now"));
    live_[key] = live;
  }
  struct Done {
    Imports* self;
    std::pair<int64_t, int64_t> key;
    ~Done() {
      std::lock_guard lock(self->mu_);
      self->live_.erase(key);
      self->cv_.notify_all();
    }
  } done{this, key};
#if defined(__GLIBC__)
  // However the job ends (completed, failed, stopped), what its batches kept for reuse goes
  // back to the system when it returns, for a server that goes on. Declared before them, it
  // runs after the job's threads and batches are gone.
  struct GiveBack {
    ~GiveBack() { malloc_trim(0); }
  } give_back;
#endif

  DB_ASSIGN_OR_RETURN(ImportRecord rec, store_.GetImport(ws, id));
  auto fail = [&](const std::string& message) -> Status {
    rec.status = "failed";
    rec.error = message;
    rec.finished_at = NowMillis();
    (void)store_.UpdateImport(ws, rec, "running");
    return Fail(ErrorCode::kRuleViolation, message);
  };
  json meta = json::parse(rec.meta_json, nullptr, false);
  if (resuming && meta.is_object()) {
    std::error_code ec;
    auto size = fs::file_size(rec.file_path, ec);
    auto mtime = fs::last_write_time(rec.file_path, ec).time_since_epoch().count();
    if (ec || static_cast<int64_t>(size) != meta.value("file_size", int64_t{0}) ||
        static_cast<int64_t>(mtime) != meta.value("file_mtime", int64_t{0}))
      return fail("the file " + rec.file_path + " is gone or has changed since the import started; rows up to " +
                  std::to_string(rec.last_row) + " were imported (undo removes them)");
  }
  DB_ASSIGN_OR_RETURN(auto fields, svc_.VisibleFields(caller, true));
  const int64_t stamp_before_count = store_.WriteStamp();
  DB_ASSIGN_OR_RETURN(Workspace wsrec, store_.GetWorkspace(ws));
  // A first import into a workspace without live contacts: the batches' phones need no
  // looking up among them (see Decide's free_since) until a transaction finds that something
  // besides this import was written meanwhile.
  std::atomic<int64_t> free_since = !resuming && stamp_before_count >= 0 && wsrec.contact_count == 0 ? stamp_before_count : -1;
  auto header = HeaderOf(rec);
  auto parsed = ParseMapping(rec.mapping_json, header, fields, caller, wsrec);
  if (!parsed) return fail("the mapping no longer fits the workspace: " + parsed.error().message);
  Mapping m = std::move(*parsed);
  RowPlan plan = BuildPlan(m, fields, header);
  std::vector<std::string> import_tags = m.options.tags;
  if (!m.options.auto_tag.empty()) import_tags.push_back(m.options.auto_tag);
  std::string department;
  if (caller.department_id) {
    auto d = store_.GetSet(ws, SetKind::kDepartment, *caller.department_id);
    if (d) department = d->name;
  }
  Consent consent{"granted", "import #" + std::to_string(id) + " attested by " + rec.consent_by, rec.consent_at};

  // The error file: the original header plus a Reason column; after a crash, cut back to
  // what the last committed batch counted.
  std::string errors_path = ImportDir(ws) + "/" + std::to_string(id) + ".errors.csv";
  if (!resuming || rec.errors_bytes == 0) {
    std::vector<std::string> h = header;
    h.push_back("Reason");
    std::string first = "\xef\xbb\xbf" + importer::CsvLine(h);
    if (!WriteFileDurably(errors_path, first)) return fail("cannot write the error file");
    rec.errors_bytes = static_cast<int64_t>(first.size());
  } else {
    std::error_code ec;
    fs::resize_file(errors_path, static_cast<uintmax_t>(rec.errors_bytes), ec);
    if (ec) return fail("the error file is missing; rows up to " + std::to_string(rec.last_row) + " were imported");
  }
  std::FILE* errors = std::fopen(errors_path.c_str(), "ab");
  if (!errors) return fail("cannot write the error file");
  struct CloseFile {
    std::FILE* f;
    ~CloseFile() { std::fclose(f); }
  } close_errors{errors};

  json summary = json::parse(rec.summary_json.empty() ? "{}" : rec.summary_json, nullptr, false);
  if (!summary.is_object()) summary = json::object();
  auto counter = [&](const char* k) -> int64_t& {
    if (!summary.contains(k)) summary[k] = 0;
    return summary[k].get_ref<int64_t&>();
  };
  counter("rows"), counter("imported"), counter("updated"), counter("unchanged");
  if (!summary.contains("skipped")) summary["skipped"] = json::object();
  int64_t list_added = summary.value("list_added", int64_t{0});

  live->rows_at_start = rec.rows_done;
  live->rows_done = rec.rows_done;
  live->started_ms = NowMillis();
  DB_ASSIGN_OR_RETURN(auto reader, importer::TableReader::Open(rec.file_path, importer::ParseFormat(rec.format)));
  PhoneSet seen(static_cast<size_t>(std::max<int64_t>(0, rec.rows_total)));
  const int64_t resume_after = resuming ? rec.last_row : 0;
  std::string pending_errors;  // rows refused inside the last transaction, for the next one

  // Two stages, one batch apart: while a batch commits on its own thread, the next one is
  // planned here (duplicates, existing contacts, error lines). That is safe: the phones of
  // the committing batch are in `seen`, so the next batch cannot create or update the same
  // contacts, and whatever else changes meanwhile is checked again inside the transaction.
  struct Planned {
    Chunk chunk;
    ImportBatch batch;
    std::vector<size_t> write_row;  // index in chunk of each write
    std::string error_lines;        // rows refused while planning
    int64_t unchanged = 0;
    std::map<std::string, int64_t> skipped;
  };
  const int64_t list_id = rec.list_id;
  auto plan_batch = [&](Chunk& chunk) -> Result<std::unique_ptr<Planned>> {
    // Rows already committed before a crash: only remember their phones.
    if (chunk.rows.back() <= resume_after) {
      for (auto& p : chunk.prepared)
        if (p.status == RowStatus::kReady) seen.FirstOrInsert(p.contact.phone, p.row_number);
      return nullptr;
    }
    size_t first = 0;
    while (first < chunk.rows.size() && chunk.rows[first] <= resume_after) {
      auto& p = chunk.prepared[first];
      if (p.status == RowStatus::kReady) seen.FirstOrInsert(p.contact.phone, p.row_number);
      ++first;
    }
    if (first > 0) {
      chunk.rows.erase(chunk.rows.begin(), chunk.rows.begin() + first);
      chunk.cells.erase(chunk.cells.begin(), chunk.cells.begin() + first);
      chunk.prepared.erase(chunk.prepared.begin(), chunk.prepared.begin() + first);
    }
    int64_t phones_checked_at = -1;
    DB_ASSIGN_OR_RETURN(auto decisions, Decide(store_, ws, chunk, seen, m.options.on_duplicate, &phones_checked_at, free_since.load()));
    // Existing contacts to update, loaded in one go.
    std::vector<int64_t> update_ids;
    for (auto& d : decisions)
      if (d.status == RowStatus::kWillUpdate) update_ids.push_back(d.other);
    std::map<int64_t, Contact> existing;
    if (!update_ids.empty()) {
      DB_ASSIGN_OR_RETURN(auto got, store_.GetContacts(ws, update_ids));
      for (auto& c : got) existing[c.id] = std::move(c);
    }
    auto pl = std::make_unique<Planned>();
    ImportBatch& batch = pl->batch;
    batch.import_id = id;
    batch.allow_same_phone = m.options.on_duplicate == "create";
    batch.list_id = list_id;
    batch.phones_checked_at = phones_checked_at;
    auto skip = [&](size_t i, const std::string& reason, const std::string& message) {
      ++pl->skipped[reason];
      std::vector<std::string> line = chunk.cells[i];
      line.resize(header.size());
      line.push_back("row " + std::to_string(chunk.rows[i]) + ": " + (message.empty() ? reason : message));
      pl->error_lines += importer::CsvLine(line);
    };
    batch.writes.reserve(decisions.size());
    pl->write_row.reserve(decisions.size());
    for (size_t i = 0; i < decisions.size(); ++i) {
      const Decision& d = decisions[i];
      PreparedRow& p = chunk.prepared[i];
      if (d.status != RowStatus::kReady && d.status != RowStatus::kWillUpdate) {
        skip(i, d.reason, d.message);
        continue;
      }
      Contact c = std::move(p.contact);
      for (auto& t : import_tags) {
        bool have = false;
        for (auto& x : c.tags) have |= FoldForSearch(x) == FoldForSearch(t);
        if (!have) c.tags.push_back(t);
      }
      if (!department.empty()) c.department = department, p.given |= importer::kDepartment;
      c.consent = consent;
      ImportWrite w;
      if (d.status == RowStatus::kWillUpdate) {
        auto it = existing.find(d.other);
        if (it == existing.end()) {
          skip(i, "changed_meanwhile", "the existing contact was deleted while importing");
          continue;
        }
        Contact target = it->second;
        p.contact = std::move(c);
        std::string changes = MergeInto(target, p, m.options.on_duplicate == "update_empty");
        if (changes.empty()) {
          ++pl->unchanged;
          continue;
        }
        w.kind = ImportWrite::Kind::kUpdate;
        w.expected_version = target.version;
        w.changes_json = changes;
        w.join_list = list_id && !target.do_not_call && target.consent.status == "granted";
        w.contact = std::move(target);
        it->second = w.contact;  // a later row of the same batch builds on this
        it->second.version += 1;
      } else {
        w.kind = ImportWrite::Kind::kCreate;
        w.join_list = list_id && !c.do_not_call;
        w.contact = std::move(c);
      }
      batch.writes.push_back(std::move(w));
      pl->write_row.push_back(i);
    }
    store_.PrepareImportBatch(ws, batch);
    // The cells stay for the error lines of rows the transaction refuses; the prepared rows
    // were moved into the writes.
    pl->chunk.rows = std::move(chunk.rows);
    pl->chunk.cells = std::move(chunk.cells);
    return pl;
  };

  auto commit = [&](Planned& pl) -> Status {
    const Chunk& chunk = pl.chunk;
    ImportBatch& batch = pl.batch;
    // Errors first, made durable; the batch then commits the new length with the rows.
    std::string error_lines = std::move(pending_errors);
    pending_errors.clear();
    error_lines += pl.error_lines;
    if (!error_lines.empty()) {
      if (std::fwrite(error_lines.data(), 1, error_lines.size(), errors) != error_lines.size() || std::fflush(errors) != 0)
        return fail("cannot write the error file");
      ::fdatasync(fileno(errors));
    }
    int64_t errors_bytes = rec.errors_bytes + static_cast<int64_t>(error_lines.size());
    int64_t imported = 0, updated = 0, joined = 0;
    for (auto& w : batch.writes) {
      if (w.kind == ImportWrite::Kind::kCreate) ++imported;
      else ++updated;
      joined += w.join_list;
    }
    json next = summary;
    next["rows"] = next["rows"].get<int64_t>() + static_cast<int64_t>(chunk.rows.size());
    next["unchanged"] = next["unchanged"].get<int64_t>() + pl.unchanged;
    for (auto& [reason, n] : pl.skipped) next["skipped"][reason] = next["skipped"].value(reason, int64_t{0}) + n;
    next["imported"] = next["imported"].get<int64_t>() + imported;
    next["updated"] = next["updated"].get<int64_t>() + updated;
    next["list_added"] = list_added + joined;
    batch.progress = rec;
    batch.progress.rows_done = rec.rows_done + static_cast<int64_t>(chunk.rows.size());
    batch.progress.last_row = chunk.rows.back();
    batch.progress.errors_bytes = errors_bytes;
    batch.progress.summary_json = next.dump();
    auto st = store_.ApplyImportBatch(ws, batch, Actor{caller.user_id});
    if (!st) {
      std::error_code ec;
      std::fflush(errors);
      fs::resize_file(errors_path, static_cast<uintmax_t>(rec.errors_bytes), ec);
      std::string why = st.error().code == ErrorCode::kRuleViolation && st.error().details.contains("limit")
                            ? "the workspace's contact limit of " + st.error().details.at("limit") + " was reached"
                            : st.error().message;
      return fail(why + "; the import stopped before row " + std::to_string(chunk.rows.front()) +
                  " (rows before it were imported; undo removes them)");
    }
    if (!batch.phones_trusted) free_since = -1;
    rec.rows_done = batch.progress.rows_done;
    rec.last_row = batch.progress.last_row;
    rec.errors_bytes = errors_bytes;
    summary = std::move(next);
    list_added = summary["list_added"].get<int64_t>();
    // Rows the transaction itself refused (a phone taken or a contact changed meanwhile).
    for (size_t k = 0; k < batch.writes.size(); ++k) {
      const ImportWrite& w = batch.writes[k];
      if (w.skipped.empty()) continue;
      if (w.kind == ImportWrite::Kind::kCreate) --counter("imported");
      else --counter("updated");
      if (w.join_list) --list_added, summary["list_added"] = list_added;
      size_t i = pl.write_row[k];
      summary["skipped"][w.skipped] = summary["skipped"].value(w.skipped, int64_t{0}) + 1;
      std::vector<std::string> line = chunk.cells[i];
      line.resize(header.size());
      line.push_back("row " + std::to_string(chunk.rows[i]) + ": " + (w.skipped == "already_exists" ? "already in your contacts (contact " + std::to_string(w.existing_id) + ")"
                                                    : "the contact changed while importing; import the row again"));
      pending_errors += importer::CsvLine(line);
    }
    live->rows_done = rec.rows_done;
    if (progress) {
      rec.summary_json = summary.dump();
      progress(View(ws, rec));
    }
    return {};
  };

  // At most one batch commits while the next is planned; a failed commit stops the reading.
  // A batch that may update contacts is planned after the one before it committed: it reads
  // the contacts it changes, and one of them may be the committing batch's.
  // The batches commit from it, one after another; the store runs each transaction on its
  // own writer thread (SqliteStore::Write), where SQLite's cache lives.
  SerialWorker writer;
  std::future<Status> committing;
  auto committed = [&]() -> Status { return committing.valid() ? committing.get() : Status{}; };
  const bool updates = m.options.on_duplicate == "update" || m.options.on_duplicate == "update_empty";
  std::shared_ptr<Planned> previous;  // the batch committing (or last committed)
  auto sink = [&](Chunk& chunk) -> Status {
    if (updates) DB_TRY(committed());
    DB_ASSIGN_OR_RETURN(auto planned, plan_batch(chunk));
    DB_TRY(committed());
    if (!planned) return {};
    std::shared_ptr<Planned> pl(std::move(planned));
    committing = writer.Submit([&commit, pl] { return commit(*pl); });
    // The batch before this one is freed here, beside this one's commit: not in committed()
    // above, where the writer would wait for it (freeing a batch's contacts and their rows was
    // 1 % of a 1M-row import's CPU, all of it while the writer waited).
    previous = std::move(pl);
#if defined(__GLIBC__)
    // The batch before is gone, its memory freed into malloc's arenas, which keep it for the
    // batches after. It is given back to the system (malloc_trim) only past kTrimAbove: each
    // page given back is a page fault when used again (trimming after every batch cost a
    // 1M-row import 640,000 faults, 5–7 s of its 22–29 s on 2 cores). Unlike the std::async
    // threads before the SerialWorkers, that reuse does not pile up (1M rows: 256–261 MiB
    // peak RSS untrimmed, 239–255 trimmed after each batch), and a phone set sized up front
    // has no doubling on the way (the top of the peak: 279 → 261 MiB).
    if (AnonymousMemoryBytes() > kTrimAbove) malloc_trim(0);
#endif
    return {};
  };
  // The writer sets the pace: measured on 2 cores at a million rows, the batches' commits
  // waited 7 s in all for a core behind the preparing threads at equal priority, 1.7 s with
  // those at the lowest (the planner, this thread, stays at ordinary priority, and so do the
  // threads that commit: the store's writer thread is started by the thread that opens it).
  // One chunk prepares while the batch before commits: that keeps up with the writer, and a
  // second chunk in flight only held memory (1M rows in batches of 15,000: peak RSS 271-297
  // MiB with two, 224-234 MiB with one, no slower).
  auto st = ForEachChunk(*reader, plan, /*threads=*/1, static_cast<size_t>(config_.batch_rows), sink, &stopping_,
                         /*background=*/true);
  if (auto last = committed(); st && !last) st = last;
  if (!st) {
    if (stopping_) return st;  // stays running: resumed on the next start
    DB_ASSIGN_OR_RETURN(auto now, store_.GetImport(ws, id));
    if (now.status == "running") return fail(st.error().message);
    return st;
  }
  if (!pending_errors.empty()) {
    std::fwrite(pending_errors.data(), 1, pending_errors.size(), errors);
    std::fflush(errors);
    ::fdatasync(fileno(errors));
    rec.errors_bytes += static_cast<int64_t>(pending_errors.size());
  }
  summary["list_added"] = list_added;
  rec.summary_json = summary.dump();
  rec.status = "completed";
  rec.finished_at = NowMillis();
  rec.error.clear();
  DB_TRY(store_.UpdateImport(ws, rec, "running"));
  {
    std::lock_guard lock(mu_);
    reviews_.erase(key);
  }
  if (progress) progress(View(ws, rec));
  CompactAfter(summary.value("imported", int64_t{0}) + summary.value("updated", int64_t{0}));
  return {};
}

void Imports::CompactAfter(int64_t contacts_written) {
  // Batch after batch, the search index grows in many segments; merged, a search reads one
  // doclist per term (at a million contacts: 30 % more searches per second for about 2 s of
  // writer time). The import already reads as completed or undone.
  auto done = store_.CompactSearchIndex(contacts_written);
  if (!done) spdlog::warn("compacting the search index after {} contacts: {}", contacts_written, done.error().message);
  else if (*done) spdlog::info("search index compacted after {} contacts written", contacts_written);
}

}  // namespace dialbook
