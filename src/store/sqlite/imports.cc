// Import jobs — their batch writes and undo, with the contact writes they share from
// contacts.cc (internal.h) — saved mappings and dial lists of the SQLite backend.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <unordered_map>

#include "core/time.h"
#include "store/sqlite/internal.h"

namespace dialbook::sqlite {
namespace {

using nlohmann::json;

// The whole state of a contact as JSON (kept by imports so that undo can put it back).
std::string SnapshotJson(const Contact& ct) {
  json j = {{"first_name", ct.first_name}, {"last_name", ct.last_name}, {"phone", ct.phone},
            {"phone_formatted", ct.phone_formatted}, {"phone_type", ct.phone_type},
            {"phone_location", ct.phone_location}, {"phones_json", PhonesJson(ct)}, {"email", ct.email},
            {"company", ct.company}, {"street", ct.street}, {"city", ct.city}, {"state", ct.state},
            {"zip", ct.zip}, {"country", ct.country}, {"notes", ct.notes}, {"starred", ct.starred},
            {"do_not_call", ct.do_not_call}, {"department", ct.department}, {"tags", ct.tags},
            {"groups", ct.groups}, {"custom_fields", ct.custom_fields},
            {"consent", {ct.consent.status, ct.consent.source, ct.consent.at}}};
  return j.dump();
}

// Puts a snapshot's values into ct (identity, times and counters stay).
void FromSnapshot(const std::string& text, Contact& ct) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return;
  ct.first_name = j.value("first_name", "");
  ct.last_name = j.value("last_name", "");
  ct.phone = j.value("phone", ct.phone);
  ct.phone_formatted = j.value("phone_formatted", "");
  ct.phone_type = j.value("phone_type", "");
  ct.phone_location = j.value("phone_location", "");
  ct.phones.clear();
  for (auto& p : json::parse(j.value("phones_json", "[]"), nullptr, false))
    if (p.is_object())
      ct.phones.push_back({p.value("label", ""), p.value("number", ""), p.value("formatted", ""),
                           p.value("type", ""), p.value("location", "")});
  ct.email = j.value("email", "");
  ct.company = j.value("company", "");
  ct.street = j.value("street", "");
  ct.city = j.value("city", "");
  ct.state = j.value("state", "");
  ct.zip = j.value("zip", "");
  ct.country = j.value("country", "");
  ct.notes = j.value("notes", "");
  ct.starred = j.value("starred", false);
  ct.do_not_call = j.value("do_not_call", false);
  ct.department = j.value("department", "");
  ct.tags = j.value("tags", std::vector<std::string>{});
  ct.groups = j.value("groups", std::vector<std::string>{});
  ct.custom_fields = j.value("custom_fields", std::map<std::string, std::string>{});
  if (auto k = j.find("consent"); k != j.end() && k->is_array() && k->size() == 3)
    ct.consent = {(*k)[0].get<std::string>(), (*k)[1].get<std::string>(), (*k)[2].get<int64_t>()};
}

void AddListMember(Conn& c, int64_t ws, int64_t list_id, const Contact& ct) {
  auto next = c.Prepare("SELECT coalesce(max(position), 0) + 1 FROM dial_list_members WHERE workspace_id=? AND list_id=?");
  next.Args(ws, list_id);
  next.Step();
  int64_t pos = next.Int(0);
  c.Prepare("INSERT OR IGNORE INTO dial_list_members (workspace_id, list_id, position, contact_id, phone) VALUES (?,?,?,?,?)")
      .Args(ws, list_id, pos, ct.id, ct.phone)
      .Run();
  if (c.Changes())
    c.Prepare("UPDATE dial_lists SET member_count = member_count + 1 WHERE workspace_id=? AND id=?").Args(ws, list_id).Run();
}


const char* kImportCols =
    "i.id, i.user_id, coalesce(u.email, ''), i.status, i.file_name, i.format, i.file_path, i.meta_json, "
    "i.mapping_json, i.rows_total, i.rows_done, i.last_row, i.errors_bytes, i.summary_json, i.consent_by, "
    "i.consent_at, i.list_id, i.error, i.undo_json, i.created_at, i.started_at, i.finished_at, i.updated_at, "
    "i.workspace_id FROM imports i LEFT JOIN users u ON u.id = i.user_id";

ImportRecord ReadImport(const Stmt& st) {
  ImportRecord r;
  r.id = st.Int(0);
  r.user_id = st.Int(1);
  r.user_email = st.Text(2);
  r.status = st.Text(3);
  r.file_name = st.Text(4);
  r.format = st.Text(5);
  r.file_path = st.Text(6);
  r.meta_json = st.Text(7);
  r.mapping_json = st.Text(8);
  r.rows_total = st.Int(9);
  r.rows_done = st.Int(10);
  r.last_row = st.Int(11);
  r.errors_bytes = st.Int(12);
  r.summary_json = st.Text(13);
  r.consent_by = st.Text(14);
  r.consent_at = st.Int(15);
  r.list_id = st.Int(16);
  r.error = st.Text(17);
  r.undo_json = st.Text(18);
  r.created_at = st.Int(19);
  r.started_at = st.Int(20);
  r.finished_at = st.Int(21);
  r.updated_at = st.Int(22);
  return r;
}

DialList ReadList(const Stmt& st) {
  return DialList{st.Int(0), st.Text(1), st.Text(2), st.Int(3), st.Int(4), st.Int(5)};
}

}  // namespace

Result<ImportRecord> SqliteStore::CreateImport(int64_t ws, const ImportRecord& rec) {
  return Write([&](Conn& c) -> Result<ImportRecord> {
    ImportRecord r = rec;
    r.created_at = r.updated_at = NowMillis();
    c.Prepare("INSERT INTO imports (workspace_id, user_id, status, file_name, format, file_path, meta_json, "
              "mapping_json, rows_total, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
        .Args(ws, r.user_id, r.status, r.file_name, r.format, r.file_path, r.meta_json, r.mapping_json,
              r.rows_total, r.created_at, r.updated_at)
        .Run();
    r.id = c.LastId();
    return r;
  });
}

Result<ImportRecord> SqliteStore::GetImport(int64_t ws, int64_t id) {
  return Read([&](Conn& c) -> Result<ImportRecord> {
    auto st = c.Prepare(std::string("SELECT ") + kImportCols + " WHERE i.workspace_id=? AND i.id=?");
    st.Args(ws, id);
    if (!st.Step()) return Fail(ErrorCode::kNotFound, "import not found");
    return ReadImport(st);
  });
}

Result<std::vector<ImportRecord>> SqliteStore::ListImports(int64_t ws, int limit, int64_t before_id) {
  return Read([&](Conn& c) -> Result<std::vector<ImportRecord>> {
    auto st = c.Prepare(std::string("SELECT ") + kImportCols +
                        " WHERE i.workspace_id=? AND i.id < ? ORDER BY i.id DESC LIMIT ?");
    st.Args(ws, before_id > 0 ? before_id : INT64_MAX, limit);
    std::vector<ImportRecord> out;
    while (st.Step()) out.push_back(ReadImport(st));
    return out;
  });
}

Status SqliteStore::UpdateImport(int64_t ws, const ImportRecord& r, const std::string& expect_status) {
  return Write([&](Conn& c) -> Status {
    Tx tx(c);
    auto cur = c.Prepare("SELECT status FROM imports WHERE workspace_id=? AND id=?");
    cur.Args(ws, r.id);
    if (!cur.Step()) return Fail(ErrorCode::kNotFound, "import not found");
    if (!expect_status.empty() && cur.Text(0) != expect_status)
      return Fail(MakeError(ErrorCode::kFailedPrecondition, "the import is " + cur.Text(0) + ", not " + expect_status)
                      .With("status", cur.Text(0)));
    c.Prepare("UPDATE imports SET status=?, file_path=?, meta_json=?, mapping_json=?, rows_total=?, rows_done=?, "
              "last_row=?, errors_bytes=?, summary_json=?, consent_by=?, consent_at=?, list_id=?, error=?, "
              "undo_json=?, started_at=?, finished_at=?, updated_at=? WHERE workspace_id=? AND id=?")
        .Args(r.status, r.file_path, r.meta_json, r.mapping_json, r.rows_total, r.rows_done, r.last_row,
              r.errors_bytes, r.summary_json, r.consent_by, r.consent_at, r.list_id, r.error, r.undo_json,
              r.started_at, r.finished_at, NowMillis(), ws, r.id)
        .Run();
    tx.Commit();
    return {};
  });
}

Status SqliteStore::DeleteImport(int64_t ws, int64_t id) {
  return Write([&](Conn& c) -> Status {
    c.Prepare("DELETE FROM imports WHERE workspace_id=? AND id=?").Args(ws, id).Run();
    if (!c.Changes()) return Fail(ErrorCode::kNotFound, "import not found");
    return {};
  });
}

Result<std::vector<std::pair<int64_t, ImportRecord>>> SqliteStore::ListRunningImports() {
  return Read([&](Conn& c) -> Result<std::vector<std::pair<int64_t, ImportRecord>>> {
    auto st = c.Prepare(std::string("SELECT ") + kImportCols + " WHERE i.status = 'running' ORDER BY i.id");
    std::vector<std::pair<int64_t, ImportRecord>> out;
    while (st.Step()) out.emplace_back(st.Int(23), ReadImport(st));
    return out;
  });
}

Result<std::vector<SavedMapping>> SqliteStore::ListMappings(int64_t ws) {
  return Read([&](Conn& c) -> Result<std::vector<SavedMapping>> {
    auto st = c.Prepare("SELECT id, name, columns_json, created_at FROM import_mappings WHERE workspace_id=? ORDER BY name_key");
    st.Args(ws);
    std::vector<SavedMapping> out;
    while (st.Step()) out.push_back({st.Int(0), st.Text(1), st.Text(2), st.Int(3)});
    return out;
  });
}

Result<SavedMapping> SqliteStore::SaveMapping(int64_t ws, const SavedMapping& m) {
  return Write([&](Conn& c) -> Result<SavedMapping> {
    Tx tx(c);
    SavedMapping out = m;
    out.created_at = NowMillis();
    c.Prepare("DELETE FROM import_mappings WHERE workspace_id=? AND name_key=?").Args(ws, NameKey(m.name)).Run();
    c.Prepare("INSERT INTO import_mappings (workspace_id, name, name_key, columns_json, created_at) VALUES (?,?,?,?,?)")
        .Args(ws, m.name, NameKey(m.name), m.columns_json, out.created_at)
        .Run();
    out.id = c.LastId();
    tx.Commit();
    return out;
  });
}

Status SqliteStore::DeleteMapping(int64_t ws, int64_t id) {
  return Write([&](Conn& c) -> Status {
    c.Prepare("DELETE FROM import_mappings WHERE workspace_id=? AND id=?").Args(ws, id).Run();
    if (!c.Changes()) return Fail(ErrorCode::kNotFound, "saved mapping not found");
    return {};
  });
}

Result<DialList> SqliteStore::CreateList(int64_t ws, const DialList& list) {
  return Write([&](Conn& c) -> Result<DialList> {
    DialList out = list;
    out.created_at = NowMillis();
    out.members = 0;
    c.Prepare("INSERT INTO dial_lists (workspace_id, name, dial_mode, import_id, created_at) VALUES (?,?,?,?,?)")
        .Args(ws, out.name, out.dial_mode, out.import_id, out.created_at)
        .Run();
    out.id = c.LastId();
    return out;
  });
}

Result<std::vector<DialList>> SqliteStore::ListLists(int64_t ws) {
  return Read([&](Conn& c) -> Result<std::vector<DialList>> {
    auto st = c.Prepare("SELECT id, name, dial_mode, import_id, member_count, created_at FROM dial_lists "
                        "WHERE workspace_id=? ORDER BY id DESC");
    st.Args(ws);
    std::vector<DialList> out;
    while (st.Step()) out.push_back(ReadList(st));
    return out;
  });
}

Result<DialList> SqliteStore::GetList(int64_t ws, int64_t id) {
  return Read([&](Conn& c) -> Result<DialList> {
    auto st = c.Prepare("SELECT id, name, dial_mode, import_id, member_count, created_at FROM dial_lists "
                        "WHERE workspace_id=? AND id=?");
    st.Args(ws, id);
    if (!st.Step()) return Fail(ErrorCode::kNotFound, "dial list not found");
    return ReadList(st);
  });
}

Result<std::vector<DialListMember>> SqliteStore::ListListMembers(int64_t ws, int64_t list_id, int64_t after, int limit) {
  return Read([&](Conn& c) -> Result<std::vector<DialListMember>> {
    auto st = c.Prepare(
        "SELECT m.contact_id, m.phone, m.state, trim(c.first_name || ' ' || c.last_name), m.position "
        "FROM dial_list_members m JOIN contacts c ON c.workspace_id=m.workspace_id AND c.id=m.contact_id "
        "WHERE m.workspace_id=? AND m.list_id=? AND m.position > ? ORDER BY m.position LIMIT ?");
    st.Args(ws, list_id, after, limit);
    std::vector<DialListMember> out;
    while (st.Step()) out.push_back({st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Int(4)});
    return out;
  });
}

// ---- batch writes and undo ---------------------------------------------------------------

namespace {
// PrepareImportBatch's work: the rows of each write that creates a contact, in order.
struct DerivedBatch {
  size_t writes = 0;
  std::vector<DerivedRows> creates;
  PrefixCounts prefixes;  // of all the creates (the writer takes back those it skips)
};
}  // namespace

void SqliteStore::PrepareImportBatch(int64_t ws, ImportBatch& batch) {
  auto derived = std::make_shared<DerivedBatch>();
  derived->writes = batch.writes.size();
  for (auto& w : batch.writes)
    if (w.kind == ImportWrite::Kind::kCreate) {
      derived->creates.push_back(DeriveRows(ws, w.contact));
      CountPrefixes(derived->prefixes, derived->creates.back().search, +1);
    }
  batch.derived = std::move(derived);
}

Status SqliteStore::ApplyImportBatch(int64_t ws, ImportBatch& batch, const Actor& actor) {
  return Write([&](Conn& c) -> Status {
    // A batch's dirty pages (tens of MiB for a batch of new contacts) stay in the page cache
    // until the commit, past its size, instead of going to the WAL early, where the commit
    // writes them again (and reads them back to checksum them). Only for the batch: a long
    // transaction (a bulk action on a million contacts) must spill.
    struct SpillAtCommitOnly {
      Conn& c;
      explicit SpillAtCommitOnly(Conn& conn) : c(conn) { c.Exec("PRAGMA cache_spill=OFF"); }
      ~SpillAtCommitOnly() {
        try {
          c.Exec("PRAGMA cache_spill=ON");
        } catch (const SqliteError&) {  // it only spills less
        }
      }
    } spill(c);
    Tx tx(c);
    SuspendSearchMerges(c);  // the import ends with CompactSearchIndex
    int64_t now = NowMillis();
    const std::string created_note = "{\"import\":" + std::to_string(batch.import_id) + "}";
    for (auto& w : batch.writes) w.skipped.clear();
    // New contacts: their numbers asked at once (taken meanwhile → skipped), then written
    // together (multi-row statements, see CreateContacts). The numbers need no asking when
    // the caller found them free and nothing but this import's earlier batches (whose
    // numbers the job does not create again) was written since.
    std::vector<ImportWrite*> creates;
    for (auto& w : batch.writes)
      if (w.kind == ImportWrite::Kind::kCreate) creates.push_back(&w);
    const bool checked = PhonesCheckedSince(c, batch.phones_checked_at, batch.import_id);
    batch.phones_trusted = checked;
    if (!batch.allow_same_phone && !creates.empty()) {
      std::vector<std::string_view> phones;
      for (auto* w : creates) phones.push_back(w->contact.phone);
      const std::vector<PhoneOwner> owners =
          checked ? std::vector<PhoneOwner>(creates.size()) : LivePhoneOwners(c, ws, phones);
      std::unordered_map<std::string_view, ImportWrite*> in_batch;
      for (size_t k = 0; k < creates.size(); ++k) {
        ImportWrite& w = *creates[k];
        if (owners[k].id) {
          w.skipped = "already_exists";
          w.existing_id = owners[k].id;
        } else if (auto [it, added] = in_batch.emplace(w.contact.phone, &w); !added) {
          w.skipped = "already_exists";  // the job's own duplicate check keeps this from happening
        }
      }
    }
    auto derived = std::static_pointer_cast<const DerivedBatch>(batch.derived);
    if (derived && (derived->writes != batch.writes.size() || derived->creates.size() != creates.size()))
      derived.reset();  // not this batch's: derived again below
    std::vector<Contact*> fresh;
    std::vector<const DerivedRows*> fresh_rows;
    PrefixCounts skipped_prefixes;
    for (size_t k = 0; k < creates.size(); ++k) {
      if (!creates[k]->skipped.empty()) {
        if (derived) CountPrefixes(skipped_prefixes, derived->creates[k].search, -1);
        continue;
      }
      fresh.push_back(&creates[k]->contact);
      if (derived) fresh_rows.push_back(&derived->creates[k]);
    }
    const int64_t adding = static_cast<int64_t>(fresh.size());
    if (auto e = CheckLimit(c, ws, adding)) return Fail(*e);
    for (auto& w : batch.writes) {
      if (w.kind != ImportWrite::Kind::kUpdate) continue;
      Contact& ct = w.contact;
      auto before = LoadContact(c, ws, ct.id);
      if (!before || before->deleted_at || before->version != w.expected_version) {
        w.skipped = "changed_meanwhile";
        w.existing_id = ct.id;
        continue;
      }
      // The first import to touch a contact keeps its state from before; a later batch
      // of the same import (a duplicate row) must not overwrite that.
      c.Prepare("INSERT OR IGNORE INTO import_changes (workspace_id, import_id, contact_id, version_after, before_json) "
                "VALUES (?,?,?,?,?)")
          .Args(ws, batch.import_id, ct.id, before->version + 1, SnapshotJson(*before))
          .Run();
      c.Prepare("UPDATE import_changes SET version_after=? WHERE workspace_id=? AND import_id=? AND contact_id=?")
          .Args(before->version + 1, ws, batch.import_id, ct.id)
          .Run();
      ct.version = before->version + 1;
      OverwriteContact(c, ws, ct, now, true);
      w.id = ct.id;
      InsertHistory(c, ws, ct.id, now, actor.user_id, "imported", w.changes_json.empty() ? "{}" : w.changes_json);
    }
    if (derived) {  // the word prefixes were counted for the whole batch outside the writer
      AddPrefixCounts(c, derived->prefixes);
      AddPrefixCounts(c, skipped_prefixes);
    }
    CreateContacts(c, ws, fresh, now, actor.user_id, created_note, batch.import_id, fresh_rows, derived != nullptr);
    for (auto* w : creates)
      if (w->skipped.empty()) w->id = w->contact.id;
    // The dial list in the file's order.
    if (batch.list_id)
      for (auto& w : batch.writes)
        if (w.skipped.empty() && w.join_list) AddListMember(c, ws, batch.list_id, w.contact);
    AddToCount(c, ws, adding);
    const ImportRecord& p = batch.progress;
    c.Prepare("UPDATE imports SET status=?, rows_done=?, last_row=?, errors_bytes=?, summary_json=?, list_id=?, "
              "error=?, finished_at=?, updated_at=? WHERE workspace_id=? AND id=?")
        .Args(p.status, p.rows_done, p.last_row, p.errors_bytes, p.summary_json, p.list_id, p.error, p.finished_at,
              now, ws, batch.import_id)
        .Run();
    tx.Commit();
    committed_import_ = batch.import_id;
    return {};
  });
}

Result<UndoOutcome> SqliteStore::UndoImport(int64_t ws, int64_t import_id, const Actor& actor) {
  return Write([&](Conn& c) -> Result<UndoOutcome> {
    Tx tx(c);
    UndoOutcome out;
    int64_t now = NowMillis();
    std::vector<int64_t> erase;
    {
      auto st = c.Prepare("SELECT id, version, deleted_at FROM contacts WHERE workspace_id=? AND import_id=?");
      st.Args(ws, import_id);
      std::vector<std::pair<int64_t, bool>> edited;  // id, live
      while (st.Step()) {
        if (st.Int(1) == 1) erase.push_back(st.Int(0));
        else edited.emplace_back(st.Int(0), st.IsNull(2));
      }
      // Touched only by later imports that were undone themselves: unchanged in effect.
      for (auto& [id, live] : edited) {
        auto h = c.Prepare("SELECT action FROM history WHERE workspace_id=? AND contact_id=? AND action <> 'created'");
        h.Args(ws, id);
        int64_t imported = 0, undone = 0, other = 0;
        while (h.Step()) {
          std::string a = h.Text(0);
          if (a == "imported") ++imported;
          else if (a == "import_undone") ++undone;
          else ++other;
        }
        if (live && other == 0 && imported == undone) erase.push_back(id);
        else out.conflicts.emplace_back(id, live ? "edited after the import" : "deleted after the import");
      }
    }
    out.removed = EraseContacts(c, ws, erase, std::nullopt);
    std::vector<std::tuple<int64_t, int64_t, std::string>> changed;
    {
      auto st = c.Prepare("SELECT contact_id, version_after, before_json FROM import_changes WHERE workspace_id=? AND import_id=?");
      st.Args(ws, import_id);
      while (st.Step()) changed.emplace_back(st.Int(0), st.Int(1), st.Text(2));
    }
    for (auto& [id, version_after, before] : changed) {
      auto cur = LoadContact(c, ws, id);
      if (!cur) continue;  // erased since: nothing to restore
      if (cur->version != version_after || cur->deleted_at) {
        out.conflicts.emplace_back(id, cur->deleted_at ? "deleted after the import" : "edited after the import");
        continue;
      }
      if (auto owner = LivePhoneOwner(c, ws, json::parse(before, nullptr, false).value("phone", cur->phone));
          owner && *owner != id) {
        out.conflicts.emplace_back(id, "its old phone number now belongs to contact " + std::to_string(*owner));
        continue;
      }
      FromSnapshot(before, *cur);
      cur->version += 1;
      OverwriteContact(c, ws, *cur, now, true);
      InsertHistory(c, ws, id, now, actor.user_id, "import_undone", "{\"import\":" + std::to_string(import_id) + "}");
      ++out.restored;
    }
    c.Prepare("DELETE FROM import_changes WHERE workspace_id=? AND import_id=?").Args(ws, import_id).Run();
    // The import's dial list goes with it.
    c.Prepare("DELETE FROM dial_list_members WHERE workspace_id=? AND list_id IN "
              "(SELECT id FROM dial_lists WHERE workspace_id=? AND import_id=?)")
        .Args(ws, ws, import_id)
        .Run();
    c.Prepare("DELETE FROM dial_lists WHERE workspace_id=? AND import_id=?").Args(ws, import_id).Run();
    std::sort(out.conflicts.begin(), out.conflicts.end());
    tx.Commit();
    return out;
  });
}

}  // namespace dialbook::sqlite
