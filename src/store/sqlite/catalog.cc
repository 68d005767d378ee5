// Tags, groups, departments, custom fields and presets of the SQLite backend.
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "store/sqlite/internal.h"

namespace dialbook::sqlite {

using nlohmann::json;

// ---- tags ---------------------------------------------------------------------------------

namespace {
const char* kTagSelect =
    "SELECT t.id, t.label, t.description, t.color, t.live_count FROM tags t WHERE t.workspace_id=?";
Tag ReadTag(const Stmt& st) { return Tag{st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Int(4)}; }

Error LabelTaken(const std::string& label) {
  return MakeError(ErrorCode::kAlreadyExists, "a tag labelled '" + label + "' exists").With("field", "label");
}
}  // namespace

Result<std::vector<Tag>> SqliteStore::ListTags(int64_t ws) {
  return Read([&](Conn& c) -> Result<std::vector<Tag>> {
    auto st = c.Prepare(std::string(kTagSelect) + " ORDER BY t.label_key");
    st.Args(ws);
    std::vector<Tag> out;
    while (st.Step()) out.push_back(ReadTag(st));
    return out;
  });
}

Result<Tag> SqliteStore::GetTag(int64_t ws, int64_t id) {
  return Read([&](Conn& c) -> Result<Tag> {
    auto st = c.Prepare(std::string(kTagSelect) + " AND t.id=?");
    st.Args(ws, id);
    if (!st.Step()) return Fail(ErrorCode::kNotFound, "tag not found");
    return ReadTag(st);
  });
}

Result<Tag> SqliteStore::CreateTag(int64_t ws, const Tag& in) {
  return Write([&](Conn& c) -> Result<Tag> {
    auto dup = c.Prepare("SELECT 1 FROM tags WHERE workspace_id=? AND label_key=?");
    dup.Args(ws, NameKey(in.label));
    if (dup.Step()) return Fail(LabelTaken(in.label));
    c.Prepare("INSERT INTO tags (workspace_id, label, label_key, description, color, created_at) "
              "VALUES (?,?,?,?,?,?)")
        .Args(ws, in.label, NameKey(in.label), in.description, in.color, NowMillis())
        .Run();
    Tag t = in;
    t.id = c.LastId();
    t.count = 0;
    return t;
  });
}

namespace {
// Renaming or removing a tag, group, department or field changes how its contacts read:
// their versions move on, so an edit made from the old reading is refused as stale (412)
// instead of undoing the change (a stale tag list would bring the old label back). A tag's
// contacts move on with their rows' tag labels (RelabelTagged).
void BumpVersions(Conn& c, int64_t ws, const std::string& contact_ids_sql, int64_t id) {
  c.Prepare("UPDATE contacts SET version = version + 1 WHERE workspace_id=? AND id IN (" + contact_ids_sql + ")")
      .Args(ws, ws, id)
      .Run();
}
const char* kTagged = "SELECT contact_id FROM contact_tags WHERE workspace_id=? AND tag_id=?";
// The contact ids a members query (kTagged, SetMembers) returns for a tag, group or department.
std::vector<int64_t> Members(Conn& c, const std::string& members_sql, int64_t ws, int64_t id) {
  auto st = c.Prepare(members_sql);
  st.Args(ws, id);
  std::vector<int64_t> ids;
  while (st.Step()) ids.push_back(st.Int(0));
  return ids;
}
}  // namespace

Status SqliteStore::UpdateTag(int64_t ws, const Tag& t) {
  return Write([&](Conn& c) -> Status {
    Tx tx(c);
    auto dup = c.Prepare("SELECT 1 FROM tags WHERE workspace_id=? AND label_key=? AND id<>?");
    dup.Args(ws, NameKey(t.label), t.id);
    if (dup.Step()) return Fail(LabelTaken(t.label));
    auto old = c.Prepare("SELECT label, label_key FROM tags WHERE workspace_id=? AND id=?");
    old.Args(ws, t.id);
    if (!old.Step()) return Fail(ErrorCode::kNotFound, "tag not found");
    // A new label, or a key that today's folding makes differently (the order of the tags).
    const bool relabelled = old.Text(0) != t.label || old.Text(1) != NameKey(t.label);
    c.Prepare("UPDATE tags SET label=?, label_key=?, description=?, color=? WHERE workspace_id=? AND id=?")
        .Args(t.label, NameKey(t.label), t.description, t.color, ws, t.id)
        .Run();
    if (relabelled) RelabelTagged(c, ws, Members(c, kTagged, ws, t.id));
    tx.Commit();
    return {};
  });
}

Status SqliteStore::DeleteTag(int64_t ws, int64_t id) {
  return Write([&](Conn& c) -> Status {
    Tx tx(c);
    c.Prepare("DELETE FROM tags WHERE workspace_id=? AND id=?").Args(ws, id).Run();
    if (!c.Changes()) return Fail(ErrorCode::kNotFound, "tag not found");
    const std::vector<int64_t> tagged = Members(c, kTagged, ws, id);
    c.Prepare("DELETE FROM contact_tags WHERE workspace_id=? AND tag_id=?").Args(ws, id).Run();
    RelabelTagged(c, ws, tagged);
    RelinkSearchRows(c, ws, tagged);
    tx.Commit();
    return {};
  });
}

Status SqliteStore::MergeTag(int64_t ws, int64_t from, int64_t into) {
  return Write([&](Conn& c) -> Status {
    Tx tx(c);
    for (int64_t id : {from, into}) {
      auto st = c.Prepare("SELECT 1 FROM tags WHERE workspace_id=? AND id=?");
      st.Args(ws, id);
      if (!st.Step()) return Fail(MakeError(ErrorCode::kNotFound, "tag not found").With("id", std::to_string(id)));
    }
    const std::vector<int64_t> tagged = Members(c, kTagged, ws, from);
    c.Prepare("INSERT OR IGNORE INTO contact_tags (workspace_id, tag_id, contact_id, live) "
              "SELECT workspace_id, ?, contact_id, live FROM contact_tags WHERE workspace_id=? AND tag_id=?")
        .Args(into, ws, from)
        .Run();
    c.Prepare("DELETE FROM contact_tags WHERE workspace_id=? AND tag_id=?").Args(ws, from).Run();
    c.Prepare("DELETE FROM tags WHERE workspace_id=? AND id=?").Args(ws, from).Run();
    RelabelTagged(c, ws, tagged);
    RelinkSearchRows(c, ws, tagged);
    tx.Commit();
    return {};
  });
}

// ---- groups and departments ---------------------------------------------------------------

namespace {
std::string SetSelect(SetKind kind) {
  return kind == SetKind::kGroup
             ? "SELECT g.id, g.name, g.live_count FROM groups g WHERE g.workspace_id=?"
             : "SELECT g.id, g.name, (SELECT count(*) FROM contacts c WHERE "
               "c.workspace_id=g.workspace_id AND c.department_id=g.id AND c.deleted_at IS NULL) "
               "FROM departments g WHERE g.workspace_id=?";
}
const char* SetTable(SetKind kind) { return kind == SetKind::kGroup ? "groups" : "departments"; }
const char* SetNoun(SetKind kind) { return kind == SetKind::kGroup ? "group" : "department"; }
std::string SetMembers(SetKind kind) {
  return kind == SetKind::kGroup ? "SELECT contact_id FROM contact_groups WHERE workspace_id=? AND group_id=?"
                                 : "SELECT id FROM contacts WHERE workspace_id=? AND department_id=?";
}
}  // namespace

Result<std::vector<NamedSet>> SqliteStore::ListSets(int64_t ws, SetKind kind) {
  return Read([&](Conn& c) -> Result<std::vector<NamedSet>> {
    auto st = c.Prepare(SetSelect(kind) + " ORDER BY g.name_key");
    st.Args(ws);
    std::vector<NamedSet> out;
    while (st.Step()) out.push_back(NamedSet{st.Int(0), st.Text(1), st.Int(2)});
    return out;
  });
}

Result<std::map<int64_t, int64_t>> SqliteStore::CountLinksInDepartment(int64_t ws, bool groups, int64_t department_id) {
  return Read([&](Conn& c) -> Result<std::map<int64_t, int64_t>> {
    const std::string table = groups ? "contact_groups" : "contact_tags", col = groups ? "group_id" : "tag_id";
    auto st = c.Prepare("SELECT x." + col + ", count(*) FROM contacts c CROSS JOIN " + table +
                        " x ON x.workspace_id=c.workspace_id AND x.contact_id=c.id WHERE c.workspace_id=? AND "
                        "c.department_id=? AND c.deleted_at IS NULL GROUP BY x." + col);
    st.Args(ws, department_id);
    std::map<int64_t, int64_t> out;
    while (st.Step()) out[st.Int(0)] = st.Int(1);
    return out;
  });
}

Result<NamedSet> SqliteStore::GetSet(int64_t ws, SetKind kind, int64_t id) {
  return Read([&](Conn& c) -> Result<NamedSet> {
    auto st = c.Prepare(SetSelect(kind) + " AND g.id=?");
    st.Args(ws, id);
    if (!st.Step()) return Fail(ErrorCode::kNotFound, std::string(SetNoun(kind)) + " not found");
    return NamedSet{st.Int(0), st.Text(1), st.Int(2)};
  });
}

Result<NamedSet> SqliteStore::CreateSet(int64_t ws, SetKind kind, const std::string& name) {
  return Write([&](Conn& c) -> Result<NamedSet> {
    auto dup = c.Prepare(std::string("SELECT 1 FROM ") + SetTable(kind) +
                         " WHERE workspace_id=? AND name_key=?");
    dup.Args(ws, NameKey(name));
    if (dup.Step())
      return Fail(MakeError(ErrorCode::kAlreadyExists,
                            std::string("a ") + SetNoun(kind) + " named '" + name + "' exists")
                      .With("field", "name"));
    int64_t id = EnsureNamed(c, SetTable(kind), ws, name, NowMillis());
    return NamedSet{id, name, 0};
  });
}

Status SqliteStore::RenameSet(int64_t ws, SetKind kind, int64_t id, const std::string& name) {
  return Write([&](Conn& c) -> Status {
    Tx tx(c);
    auto dup = c.Prepare(std::string("SELECT 1 FROM ") + SetTable(kind) +
                         " WHERE workspace_id=? AND name_key=? AND id<>?");
    dup.Args(ws, NameKey(name), id);
    if (dup.Step())
      return Fail(MakeError(ErrorCode::kAlreadyExists,
                            std::string("a ") + SetNoun(kind) + " named '" + name + "' exists")
                      .With("field", "name"));
    auto old = c.Prepare(std::string("SELECT name FROM ") + SetTable(kind) + " WHERE workspace_id=? AND id=?");
    old.Args(ws, id);
    if (!old.Step()) return Fail(ErrorCode::kNotFound, std::string(SetNoun(kind)) + " not found");
    if (old.Text(0) != name) BumpVersions(c, ws, SetMembers(kind), id);
    c.Prepare(std::string("UPDATE ") + SetTable(kind) +
              " SET name=?, name_key=? WHERE workspace_id=? AND id=?")
        .Args(name, NameKey(name), ws, id)
        .Run();
    tx.Commit();
    return {};
  });
}

Status SqliteStore::DeleteSet(int64_t ws, SetKind kind, int64_t id) {
  return Write([&](Conn& c) -> Status {
    Tx tx(c);
    c.Prepare(std::string("DELETE FROM ") + SetTable(kind) + " WHERE workspace_id=? AND id=?")
        .Args(ws, id)
        .Run();
    if (!c.Changes()) return Fail(ErrorCode::kNotFound, std::string(SetNoun(kind)) + " not found");
    BumpVersions(c, ws, SetMembers(kind), id);
    if (kind == SetKind::kGroup) {
      const std::vector<int64_t> members = Members(c, SetMembers(kind), ws, id);
      c.Prepare("DELETE FROM contact_groups WHERE workspace_id=? AND group_id=?").Args(ws, id).Run();
      RelinkSearchRows(c, ws, members);
    } else {
      c.Prepare("UPDATE contacts SET department_id=NULL WHERE workspace_id=? AND department_id=?")
          .Args(ws, id)
          .Run();
      c.Prepare("UPDATE memberships SET department_id=NULL WHERE workspace_id=? AND department_id=?")
          .Args(ws, id)
          .Run();
    }
    tx.Commit();
    return {};
  });
}

// ---- custom fields ------------------------------------------------------------------------

namespace {
FieldDef ReadField(const Stmt& st) {
  FieldDef f;
  f.id = st.Int(0);
  f.key = st.Text(1);
  f.label = st.Text(2);
  f.type = ParseFieldType(st.Text(3)).value_or(FieldType::kText);
  for (auto& o : json::parse(st.Text(4), nullptr, false)) f.options.push_back(o.get<std::string>());
  f.required = st.Int(5);
  f.visibility = ParseRole(st.Text(6)).value_or(Role::kAgent);
  f.position = st.Int(7);
  f.archived = st.Int(8);
  return f;
}
}  // namespace

Result<std::vector<FieldDef>> SqliteStore::ListFields(int64_t ws) {
  return Read([&](Conn& c) -> Result<std::vector<FieldDef>> {
    auto st = c.Prepare("SELECT id, key, label, type, options_json, required, visibility, position, "
                        "archived FROM fields WHERE workspace_id=? ORDER BY position, id");
    st.Args(ws);
    std::vector<FieldDef> out;
    while (st.Step()) out.push_back(ReadField(st));
    return out;
  });
}

Result<FieldDef> SqliteStore::CreateField(int64_t ws, const FieldDef& in) {
  return Write([&](Conn& c) -> Result<FieldDef> {
    auto dup = c.Prepare("SELECT 1 FROM fields WHERE workspace_id=? AND key=?");
    dup.Args(ws, in.key);
    if (dup.Step())
      return Fail(MakeError(ErrorCode::kAlreadyExists, "a field with key '" + in.key + "' exists")
                      .With("field", "key"));
    FieldDef f = in;
    if (!f.position) {
      auto st = c.Prepare("SELECT coalesce(max(position), 0) + 1 FROM fields WHERE workspace_id=?");
      st.Args(ws);
      st.Step();
      f.position = st.Int(0);
    }
    c.Prepare("INSERT INTO fields (workspace_id, key, label, type, options_json, required, "
              "visibility, position, archived, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)")
        .Args(ws, f.key, f.label, FieldTypeName(f.type), json(f.options).dump(), f.required,
              RoleName(f.visibility), f.position, f.archived, NowMillis())
        .Run();
    f.id = c.LastId();
    return f;
  });
}

Status SqliteStore::UpdateField(int64_t ws, const FieldDef& f) {
  return Write([&](Conn& c) -> Status {
    c.Prepare("UPDATE fields SET label=?, options_json=?, required=?, visibility=?, position=?, "
              "archived=? WHERE workspace_id=? AND id=?")
        .Args(f.label, json(f.options).dump(), f.required, RoleName(f.visibility), f.position,
              f.archived, ws, f.id)
        .Run();
    if (!c.Changes()) return Fail(ErrorCode::kNotFound, "field not found");
    return {};
  });
}

Status SqliteStore::DeleteField(int64_t ws, int64_t id) {
  return Write([&](Conn& c) -> Status {
    Tx tx(c);
    c.Prepare("DELETE FROM fields WHERE workspace_id=? AND id=?").Args(ws, id).Run();
    if (!c.Changes()) return Fail(ErrorCode::kNotFound, "field not found");
    BumpVersions(c, ws, "SELECT contact_id FROM field_values WHERE workspace_id=? AND field_id=?", id);
    c.Prepare("DELETE FROM field_values WHERE workspace_id=? AND field_id=?").Args(ws, id).Run();
    tx.Commit();
    return {};
  });
}

Result<int64_t> SqliteStore::CountFieldValues(int64_t ws, int64_t field_id) {
  return Read([&](Conn& c) -> Result<int64_t> {
    auto st = c.Prepare("SELECT count(*) FROM field_values WHERE workspace_id=? AND field_id=?");
    st.Args(ws, field_id);
    st.Step();
    return st.Int(0);
  });
}

// ---- presets ------------------------------------------------------------------------------

namespace {
const char* kPresetCols = "id, user_id, name, filter_json, shared, created_at, updated_at";
Preset ReadPreset(const Stmt& st) {
  return Preset{st.Int(0), st.Int(1), st.Text(2), st.Text(3), st.Int(4) != 0, st.Int(5), st.Int(6)};
}
}  // namespace

Result<std::vector<Preset>> SqliteStore::ListPresets(int64_t ws, int64_t user_id) {
  return Read([&](Conn& c) -> Result<std::vector<Preset>> {
    auto st = c.Prepare(std::string("SELECT ") + kPresetCols +
                        " FROM presets WHERE workspace_id=? AND (user_id=? OR shared=1) ORDER BY name, id");
    st.Args(ws, user_id);
    std::vector<Preset> out;
    while (st.Step()) out.push_back(ReadPreset(st));
    return out;
  });
}

Result<Preset> SqliteStore::GetPreset(int64_t ws, int64_t id) {
  return Read([&](Conn& c) -> Result<Preset> {
    auto st = c.Prepare(std::string("SELECT ") + kPresetCols + " FROM presets WHERE workspace_id=? AND id=?");
    st.Args(ws, id);
    if (!st.Step()) return Fail(ErrorCode::kNotFound, "preset not found");
    return ReadPreset(st);
  });
}

Result<Preset> SqliteStore::CreatePreset(int64_t ws, const Preset& in) {
  return Write([&](Conn& c) -> Result<Preset> {
    Preset p = in;
    p.created_at = p.updated_at = NowMillis();
    c.Prepare("INSERT INTO presets (workspace_id, user_id, name, filter_json, shared, created_at, "
              "updated_at) VALUES (?,?,?,?,?,?,?)")
        .Args(ws, p.user_id, p.name, p.filter_json, p.shared, p.created_at, p.updated_at)
        .Run();
    p.id = c.LastId();
    return p;
  });
}

Status SqliteStore::UpdatePreset(int64_t ws, const Preset& p) {
  return Write([&](Conn& c) -> Status {
    c.Prepare("UPDATE presets SET name=?, filter_json=?, shared=?, updated_at=? WHERE workspace_id=? AND id=?")
        .Args(p.name, p.filter_json, p.shared, NowMillis(), ws, p.id)
        .Run();
    if (!c.Changes()) return Fail(ErrorCode::kNotFound, "preset not found");
    return {};
  });
}

Status SqliteStore::DeletePreset(int64_t ws, int64_t id) {
  return Write([&](Conn& c) -> Status {
    c.Prepare("DELETE FROM presets WHERE workspace_id=? AND id=?").Args(ws, id).Run();
    if (!c.Changes()) return Fail(ErrorCode::kNotFound, "preset not found");
    return {};
  });
}

}  // namespace dialbook::sqlite
