#include "service/import_rows.h"

#include <nlohmann/json.hpp>

#include <deque>
#include <future>
#include <memory>

#include "core/serial_worker.h"
#include "core/text.h"
#include "core/thread_priority.h"

namespace dialbook::import_detail {

using nlohmann::json;

Status ForEachChunk(importer::TableReader& reader, const RowPlan& plan, int threads, size_t chunk_rows,
                    const std::function<Status(Chunk&)>& sink, const std::atomic<bool>* stop,
                    bool background) {
  // Up to `threads` chunks prepare at once, chunk k on worker k % threads (threads that last
  // the whole job, see SerialWorker); the next chunk is read meanwhile only when more than
  // one may be in flight.
  const size_t max_flight = static_cast<size_t>(std::max(1, threads));
  std::deque<std::future<std::unique_ptr<Chunk>>> flight;
  auto prepare = [&plan](std::unique_ptr<Chunk> c) {
    c->prepared.reserve(c->rows.size());
    for (size_t i = 0; i < c->rows.size(); ++i) c->prepared.push_back(importer::PrepareRow(plan, c->cells[i], c->rows[i]));
    return c;
  };
  auto drain_one = [&]() -> Status {
    std::unique_ptr<Chunk> c = flight.front().get();
    flight.pop_front();
    return sink(*c);
  };
  // Declared after what their tasks use: on leaving, they finish those tasks and end first.
  std::vector<std::unique_ptr<SerialWorker>> workers;
  size_t chunks = 0;
  bool more = true;
  while (more) {
    if (stop && stop->load()) return Fail(ErrorCode::kUnavailable, "the server is stopping");
    auto c = std::make_unique<Chunk>();
    c->rows.reserve(chunk_rows);
    c->cells.reserve(chunk_rows);
    std::vector<std::string> cells;
    int64_t row = 0;
    while (c->rows.size() < chunk_rows) {
      auto has = reader.Next(row, cells);
      if (!has) {
        while (!flight.empty()) flight.front().wait(), flight.pop_front();
        return std::unexpected(has.error());
      }
      if (!*has) {
        more = false;
        break;
      }
      c->rows.push_back(row);
      c->cells.push_back(std::move(cells));
      cells.clear();
    }
    if (c->rows.empty()) break;
    if (threads <= 0) {
      auto done = prepare(std::move(c));
      DB_TRY(sink(*done));
      continue;
    }
    // Background workers run at the lowest priority from their start to their end.
    if (workers.size() < max_flight)
      workers.push_back(std::make_unique<SerialWorker>(background ? std::function<void()>(RunAsBackgroundThread)
                                                                  : std::function<void()>()));
    flight.push_back(workers[chunks++ % max_flight]->Submit(
        [&prepare, c = std::move(c)]() mutable { return prepare(std::move(c)); }));
    if (flight.size() >= max_flight) {
      auto st = drain_one();
      if (!st) {
        while (!flight.empty()) flight.front().wait(), flight.pop_front();
        return st;
      }
    }
  }
  while (!flight.empty()) DB_TRY(drain_one());
  return {};
}


Result<std::vector<Decision>> Decide(Store& store, int64_t ws, const Chunk& chunk, PhoneSet& seen,
                                     const std::string& on_duplicate, int64_t* phones_checked_at,
                                     int64_t free_since) {
  if (free_since >= 0 && !phones_checked_at) free_since = -1;  // nobody would check it
  if (phones_checked_at) *phones_checked_at = free_since >= 0 ? free_since : store.WriteStamp();
  std::vector<Decision> out(chunk.prepared.size());
  std::vector<std::string> phones;
  std::vector<size_t> which;
  for (size_t i = 0; i < chunk.prepared.size(); ++i) {
    const PreparedRow& p = chunk.prepared[i];
    Decision& d = out[i];
    if (p.status != RowStatus::kReady) {
      d.status = p.status;
      d.reason = p.reason;
      d.message = p.message;
      continue;
    }
    if (int64_t first = seen.FirstOrInsert(p.contact.phone, p.row_number)) {
      d.status = RowStatus::kSkip;
      d.reason = "duplicate_in_file";
      d.message = "the same phone number (" + p.contact.phone + ") is on row " + std::to_string(first);
      d.other = first;
      continue;
    }
    d.message = p.message;
    phones.push_back(p.contact.phone);
    which.push_back(i);
  }
  if (phones.empty() || free_since >= 0) return out;
  DB_ASSIGN_OR_RETURN(auto owners, store.FindLivePhones(ws, phones));
  for (size_t k = 0; k < which.size(); ++k) {
    if (!owners[k].id) continue;
    Decision& d = out[which[k]];
    d.other = owners[k].id;
    d.existing_version = owners[k].version;
    if (on_duplicate == "skip") {
      d.status = RowStatus::kSkip;
      d.reason = "already_exists";
      d.message = "already in your contacts (contact " + std::to_string(owners[k].id) + ")";
    } else if (on_duplicate == "create") {
      d.message = "creates a second contact with the phone of contact " + std::to_string(owners[k].id);
    } else {
      d.status = RowStatus::kWillUpdate;
      d.message = "updates contact " + std::to_string(owners[k].id);
    }
  }
  return out;
}

std::string MergeInto(Contact& target, const PreparedRow& row, bool only_empty) {
  json changes = json::object();
  const Contact& src = row.contact;
  auto text = [&](const char* name, std::string Contact::*m, uint32_t bit) {
    if (!(row.given & bit)) return;
    std::string& dst = target.*m;
    if (dst == src.*m || (only_empty && !dst.empty())) return;
    changes[name] = {{"from", dst}, {"to", src.*m}};
    dst = src.*m;
  };
  using namespace importer;
  text("first_name", &Contact::first_name, kFirstName);
  text("last_name", &Contact::last_name, kLastName);
  text("email", &Contact::email, kEmail);
  text("company", &Contact::company, kCompany);
  text("street", &Contact::street, kStreet);
  text("city", &Contact::city, kCity);
  text("state", &Contact::state, kState);
  text("zip", &Contact::zip, kZip);
  text("country", &Contact::country, kCountry);
  text("notes", &Contact::notes, kNotes);
  text("department", &Contact::department, kDepartment);
  if ((row.given & kDoNotCall) && src.do_not_call != target.do_not_call && (!only_empty || src.do_not_call)) {
    changes["do_not_call"] = {{"from", target.do_not_call}, {"to", src.do_not_call}};
    target.do_not_call = src.do_not_call;
  }
  for (auto& p : src.phones) {
    bool have = p.number == target.phone;
    for (auto& q : target.phones) have |= q.number == p.number;
    if (!have && target.phones.size() < 20) {
      target.phones.push_back(p);
      changes["phones"] = {{"added", p.number}};
    }
  }
  for (auto& [k, v] : src.custom_fields) {
    auto it = target.custom_fields.find(k);
    if (it != target.custom_fields.end() && (it->second == v || only_empty)) continue;
    changes["custom_fields." + k] = {{"from", it == target.custom_fields.end() ? json(nullptr) : json(it->second)}, {"to", v}};
    target.custom_fields[k] = v;
  }
  auto add_names = [&](const char* name, std::vector<std::string>& dst, const std::vector<std::string>& from) {
    json added = json::array();
    for (auto& n : from) {
      bool have = false;
      for (auto& d : dst) have |= FoldForSearch(d) == FoldForSearch(n);
      if (!have) dst.push_back(n), added.push_back(n);
    }
    if (!added.empty()) changes[name] = {{"added", added}};
  };
  add_names("tags", target.tags, src.tags);
  add_names("groups", target.groups, src.groups);
  if (src.consent.status == "granted" && target.consent.status != "granted") {
    changes["consent.status"] = {{"from", target.consent.status}, {"to", "granted"}};
    target.consent = src.consent;
  }
  return changes.empty() ? "" : changes.dump();
}

}  // namespace dialbook::import_detail
