// Import jobs, saved mappings and dial lists of the SQLite backend. (The batch write and
// undo live in contacts.cc, next to the contact writes they share.)
#include "core/time.h"
#include "store/sqlite/internal.h"

namespace dialbook::sqlite {
namespace {

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

}  // namespace dialbook::sqlite
