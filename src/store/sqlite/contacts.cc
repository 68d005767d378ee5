// Contacts of the SQLite backend: writes (with their search rows kept in step, see
// search_index.cc, and their tags, groups and field values, see contact_links.cc), the trash
// and history. Reading a contact's row and relations is in contact_rows.cc.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "core/text.h"
#include "core/time.h"
#include "store/sqlite/internal.h"

namespace dialbook::sqlite {

using nlohmann::json;

namespace {

std::string SortName(const Contact& c) {
  std::string n = Trim(c.first_name + " " + c.last_name);
  if (n.empty()) n = "~" + c.phone;  // unnamed contacts sort after named ones
  return FoldForSearch(n);
}

std::optional<int64_t> FindNamed(Conn& c, const char* table, int64_t ws, const std::string& name) {
  auto st = c.Prepare(std::string("SELECT id FROM ") + table +
                      (std::string_view(table) == "tags" ? " WHERE workspace_id=? AND label_key=?"
                                                         : " WHERE workspace_id=? AND name_key=?"));
  st.Args(ws, NameKey(name));
  if (st.Step()) return st.Int(0);
  return std::nullopt;
}

std::optional<int64_t> DepartmentId(Conn& c, int64_t ws, const std::string& name, int64_t now) {
  if (IsBlank(name)) return std::nullopt;
  return EnsureNamed(c, "departments", ws, name, now);
}

}  // namespace

// ---- contact writes shared with import batches (store/sqlite/imports.cc; internal.h) ----

std::string PhonesJson(const Contact& c) {
  if (c.phones.empty()) return "[]";
  json a = json::array();
  for (auto& p : c.phones)
    a.push_back({{"label", p.label}, {"number", p.number}, {"formatted", p.formatted}, {"type", p.type},
                 {"location", p.location}});
  return a.dump();
}

void InsertHistory(Conn& c, int64_t ws, int64_t contact_id, int64_t at, int64_t user_id,
                   const std::string& action, const std::string& changes) {
  c.Prepare("INSERT INTO history (workspace_id, contact_id, at, user_id, action, changes) VALUES (?,?,?,?,?,?)")
      .Args(ws, contact_id, at, user_id, action, changes)
      .Run();
}

int64_t NextContactId(Conn& c) {
  auto st = c.Prepare(
      "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name='contacts'), 0), "
      "coalesce((SELECT max(id) FROM contacts), 0)) + 1");
  st.Step();
  return st.Int(0);
}

DerivedRows DeriveRows(int64_t ws, const Contact& ct) {
  return DerivedRows{SortName(ct), PhonesJson(ct), DeriveSearchRows(ws, ct)};
}

void CreateContacts(Conn& c, int64_t ws, std::span<Contact* const> cts, int64_t now, int64_t user_id,
                    const std::string& history_note, std::optional<int64_t> import_id,
                    std::span<const DerivedRows* const> derived, bool prefixes_counted) {
  if (cts.empty()) return;
  std::vector<DerivedRows> own;  // when the caller did not derive them
  std::vector<const DerivedRows*> rows(derived.begin(), derived.end());
  if (rows.empty()) {
    own.reserve(cts.size());
    for (Contact* ct : cts) rows.push_back(&own.emplace_back(DeriveRows(ws, *ct)));
  }
  // Ids given here, as AUTOINCREMENT gives them (after the largest ever handed out), so that
  // every row of every table can be written in multi-row statements.
  const int64_t next = NextContactId(c);
  std::vector<std::optional<int64_t>> department_ids(cts.size());
  std::unordered_map<std::string, std::optional<int64_t>> departments;
  for (size_t i = 0; i < cts.size(); ++i) {
    Contact& ct = *cts[i];
    ct.id = next + static_cast<int64_t>(i);
    ct.workspace_id = ws;
    ct.created_at = ct.updated_at = now;
    ct.deleted_at = 0;
    ct.version = 1;
    auto it = departments.find(ct.department);
    if (it == departments.end()) it = departments.emplace(ct.department, DepartmentId(c, ws, ct.department, now)).first;
    department_ids[i] = it->second;
  }
  const std::vector<const Contact*> written(cts.begin(), cts.end());
  const std::vector<std::string> tag_labels = TagLabelsOf(c, ws, written, now);
  InsertRows(c,
             "INSERT OR FAIL INTO contacts (id, workspace_id, first_name, last_name, phone, phone_formatted, phone_type, "
             "phone_location, phones_json, email, company, street, city, state, zip, country, notes, starred, "
             "do_not_call, department_id, consent_status, consent_source, consent_at, source, created_at, "
             "updated_at, last_called_at, last_call_outcome, total_calls, version, sort_name, import_id, link_kinds, "
             "tag_labels) VALUES ",
             34, cts.size(), [&](Stmt& st, int at, size_t i) {
               const Contact& ct = *cts[i];
               const DerivedRows& r = *rows[i];
               const int link_kinds = LinkKindsOf(ct);
               st.ArgsFrom(at, ct.id, ws, ct.first_name, ct.last_name, ct.phone, ct.phone_formatted, ct.phone_type,
                           ct.phone_location, r.phones_json, ct.email, ct.company, ct.street, ct.city, ct.state,
                           ct.zip, ct.country, ct.notes, ct.starred, ct.do_not_call, department_ids[i],
                           ct.consent.status, ct.consent.source, ct.consent.at, ct.source, ct.created_at,
                           ct.updated_at, ct.last_called_at, ct.last_call_outcome, ct.total_calls, ct.version,
                           r.sort_name, import_id, link_kinds, tag_labels[i]);
             });
  const std::vector<std::string> links = WriteRelations(c, ws, written, false, now);
  InsertRows(c, "INSERT OR FAIL INTO history (workspace_id, contact_id, at, user_id, action, changes) VALUES ", 6, cts.size(),
             [&](Stmt& st, int at, size_t i) { st.ArgsFrom(at, ws, cts[i]->id, now, user_id, "created", history_note); });
  // The search rows last: a multi-row statement after them would make FTS5 write its pending
  // terms out early (see WriteSearchRows).
  std::vector<int64_t> ids(cts.size());
  std::vector<const SearchRows*> search(cts.size());
  for (size_t i = 0; i < cts.size(); ++i) {
    if (!prefixes_counted) AddPrefixCounts(c, rows[i]->search);
    ids[i] = cts[i]->id;
    search[i] = &rows[i]->search;
  }
  WriteSearchRows(c, ids, search, links);
}

void CreateContact(Conn& c, int64_t ws, Contact& ct, int64_t now, int64_t user_id, const std::string& history_note,
                   std::optional<int64_t> import_id) {
  Contact* one[] = {&ct};
  CreateContacts(c, ws, one, now, user_id, history_note, import_id);
}

std::optional<int64_t> LivePhoneOwner(Conn& c, int64_t ws, const std::string& phone) {
  auto st = c.Prepare("SELECT id FROM contacts WHERE workspace_id=? AND phone=? AND deleted_at IS NULL");
  st.Args(ws, phone);
  if (st.Step()) return st.Int(0);
  return std::nullopt;
}

std::vector<PhoneOwner> LivePhoneOwners(Conn& c, int64_t ws, const std::vector<std::string_view>& phones) {
  std::vector<PhoneOwner> out(phones.size());
  std::unordered_map<std::string_view, std::vector<size_t>> where;
  for (size_t i = 0; i < phones.size(); ++i) where[phones[i]].push_back(i);
  std::vector<std::string_view> distinct;
  distinct.reserve(where.size());
  for (auto& [phone, _] : where) distinct.push_back(phone);
  // IN lists of 256 numbers, then of the powers of two below (few statement texts).
  constexpr size_t kMax = 256;
  for (size_t done = 0; done < distinct.size();) {
    size_t n = std::min(kMax, distinct.size() - done);
    if (n < kMax) n = std::bit_floor(n);
    std::string sql =
        "SELECT phone, min(id), version FROM contacts WHERE workspace_id=? AND deleted_at IS NULL AND phone IN (?";
    for (size_t k = 1; k < n; ++k) sql += ",?";
    sql += ") GROUP BY phone";  // version: the min(id) row's (SQLite's bare column rule)
    auto st = c.Prepare(sql);
    st.Bind(1, ws);
    for (size_t k = 0; k < n; ++k) st.Bind(static_cast<int>(k) + 2, distinct[done + k]);
    while (st.Step()) {
      std::string phone = st.Text(0);
      for (size_t i : where[phone]) out[i] = {st.Int(1), st.Int(2)};
    }
    done += n;
  }
  return out;
}

namespace {
Error PhoneTaken(int64_t existing) {
  return MakeError(ErrorCode::kAlreadyExists, "a contact with this phone number already exists")
      .With("field", "phone")
      .With("existing_id", std::to_string(existing));
}
}  // namespace

// Refuses when adding `adding` live contacts would pass the workspace's limit.
std::optional<Error> CheckLimit(Conn& c, int64_t ws, int64_t adding) {
  auto st = c.Prepare("SELECT contact_limit, contact_count FROM workspaces WHERE id=?");
  st.Args(ws);
  if (!st.Step()) return MakeError(ErrorCode::kNotFound, "workspace not found");
  int64_t limit = st.Int(0), count = st.Int(1);
  if (limit > 0 && count + adding > limit)
    return MakeError(ErrorCode::kRuleViolation,
                     "the workspace's contact limit of " + std::to_string(limit) +
                         " would be exceeded (" + std::to_string(count) + " contacts now, " +
                         std::to_string(adding) + " more requested)")
        .With("limit", std::to_string(limit))
        .With("count", std::to_string(count));
  return std::nullopt;
}

namespace {
// Tag and group links follow their contact in and out of the trash.
void SetLinksLive(Conn& c, int64_t ws, int64_t id, bool live) {
  c.Prepare("UPDATE contact_tags SET live=? WHERE workspace_id=? AND contact_id=?").Args(live, ws, id).Run();
  c.Prepare("UPDATE contact_groups SET live=? WHERE workspace_id=? AND contact_id=?").Args(live, ws, id).Run();
}
}  // namespace

void AddToCount(Conn& c, int64_t ws, int64_t delta) {
  if (delta) c.Prepare("UPDATE workspaces SET contact_count = contact_count + ? WHERE id=?").Args(delta, ws).Run();
}

// Erases contacts with their links, values and history, and their search rows; with
// trashed_before, only those still in the trash since before that time. Inside a write
// transaction.
int64_t EraseContacts(Conn& c, int64_t ws, const std::vector<int64_t>& ids, std::optional<int64_t> trashed_before) {
  int64_t n = 0, live = 0;
  for (int64_t id : ids) {
    auto st = c.Prepare("SELECT deleted_at FROM contacts WHERE workspace_id=? AND id=?");
    st.Args(ws, id);
    if (!st.Step()) continue;
    bool was_live = st.IsNull(0);
    if (trashed_before && (was_live || st.Int(0) >= *trashed_before)) continue;  // restored meanwhile
    c.Prepare("DELETE FROM contacts WHERE workspace_id=? AND id=?").Args(ws, id).Run();
    for (const char* table : {"contact_tags", "contact_groups", "field_values", "history"})
      c.Prepare(std::string("DELETE FROM ") + table + " WHERE workspace_id=? AND contact_id=?").Args(ws, id).Run();
    c.Prepare("UPDATE dial_lists SET member_count = member_count - 1 WHERE workspace_id=? AND id IN "
              "(SELECT list_id FROM dial_list_members WHERE workspace_id=? AND contact_id=?)")
        .Args(ws, ws, id)
        .Run();
    c.Prepare("DELETE FROM dial_list_members WHERE workspace_id=? AND contact_id=?").Args(ws, id).Run();
    if (was_live) {
      UnindexContact(c, ws, id);
      ++live;
    }
    ++n;
  }
  AddToCount(c, ws, -live);
  return n;
}


// Writes ct's values (and ct.version) over the stored row — the caller checked the version
// and the phone — and reindexes it when it is live.
void OverwriteContact(Conn& c, int64_t ws, Contact& ct, int64_t now, bool live) {
  ct.updated_at = now;
  const Contact* one[] = {&ct};
  c.Prepare(
       "UPDATE contacts SET first_name=?, last_name=?, phone=?, phone_formatted=?, phone_type=?, "
       "phone_location=?, phones_json=?, email=?, company=?, street=?, city=?, state=?, zip=?, country=?, "
       "notes=?, starred=?, do_not_call=?, department_id=?, consent_status=?, consent_source=?, consent_at=?, "
       "updated_at=?, version=?, sort_name=?, link_kinds=?, tag_labels=? WHERE workspace_id=? AND id=?")
      .Args(ct.first_name, ct.last_name, ct.phone, ct.phone_formatted, ct.phone_type, ct.phone_location,
            PhonesJson(ct), ct.email, ct.company, ct.street, ct.city, ct.state, ct.zip, ct.country, ct.notes,
            ct.starred, ct.do_not_call, DepartmentId(c, ws, ct.department, now), ct.consent.status,
            ct.consent.source, ct.consent.at, now, ct.version, SortName(ct), LinkKindsOf(ct),
            TagLabelsOf(c, ws, one, now)[0], ws, ct.id)
      .Run();
  const std::string links = WriteRelations(c, ws, one, true, now)[0];
  if (live) {
    UnindexContact(c, ws, ct.id);
    IndexContact(c, ct, links);
  }
}


// ---- writes -------------------------------------------------------------------------------

Status SqliteStore::InsertContacts(int64_t ws, std::vector<Contact>& contacts, const Actor& actor,
                                   std::vector<int64_t>* existing) {
  return Write([&](Conn& c) -> Status {
    Tx tx(c);
    std::vector<std::string_view> phones;
    for (auto& ct : contacts) phones.push_back(ct.phone);
    const std::vector<PhoneOwner> owners = LivePhoneOwners(c, ws, phones);
    if (existing) existing->assign(contacts.size(), 0);
    std::vector<Contact*> fresh;
    std::unordered_map<std::string_view, size_t> in_batch;  // phone → position in fresh
    for (size_t i = 0; i < contacts.size(); ++i) {
      if (owners[i].id) {
        if (!existing) return Fail(PhoneTaken(owners[i].id));
        (*existing)[i] = owners[i].id;
        continue;
      }
      // The same number twice in the batch: the first one is its owner.
      if (auto [it, added] = in_batch.emplace(contacts[i].phone, fresh.size()); !added) {
        const int64_t first = NextContactId(c) + static_cast<int64_t>(it->second);
        if (!existing) return Fail(PhoneTaken(first));
        (*existing)[i] = first;
        continue;
      }
      fresh.push_back(&contacts[i]);
    }
    const int64_t adding = static_cast<int64_t>(fresh.size());
    if (auto e = CheckLimit(c, ws, adding)) return Fail(*e);
    CreateContacts(c, ws, fresh, NowMillis(), actor.user_id, "{}", std::nullopt);
    AddToCount(c, ws, adding);
    tx.Commit();
    return {};
  });
}

Result<Contact> SqliteStore::GetContact(int64_t ws, int64_t id) {
  return Read([&](Conn& c) -> Result<Contact> {
    Result<Contact> out(std::in_place);  // read in place and returned as is (one return: no move)
    if (!LoadContact(c, ws, id, *out)) out = Fail(ErrorCode::kNotFound, "contact not found");
    return out;
  });
}

Status SqliteStore::UpdateContact(int64_t ws, Contact& ct, int64_t expected_version,
                                  const HistoryEntry& entry) {
  return Write([&](Conn& c) -> Status {
    Tx tx(c);
    auto cur = c.Prepare("SELECT version, deleted_at FROM contacts WHERE workspace_id=? AND id=?");
    cur.Args(ws, ct.id);
    if (!cur.Step()) return Fail(ErrorCode::kNotFound, "contact not found");
    int64_t version = cur.Int(0);
    bool live = cur.IsNull(1);
    if (version != expected_version)
      return Fail(MakeError(ErrorCode::kFailedPrecondition,
                            "the contact was changed by someone else (version " + std::to_string(version) +
                                ", you edited version " + std::to_string(expected_version) + ")")
                      .With("current_version", std::to_string(version)));
    if (live) {
      auto owner = LivePhoneOwner(c, ws, ct.phone);
      if (owner && *owner != ct.id) return Fail(PhoneTaken(*owner));
    }
    int64_t now = NowMillis();
    ct.version = version + 1;
    OverwriteContact(c, ws, ct, now, live);
    InsertHistory(c, ws, ct.id, now, entry.user_id, entry.action, entry.changes_json);
    tx.Commit();
    return {};
  });
}

Result<int64_t> SqliteStore::TrashContacts(int64_t ws, const std::vector<int64_t>& ids, const Actor& actor) {
  return Write([&](Conn& c) -> Result<int64_t> {
    Tx tx(c);
    int64_t now = NowMillis(), n = 0;
    for (int64_t id : ids) {
      c.Prepare("UPDATE contacts SET deleted_at=?, updated_at=?, version=version+1 WHERE workspace_id=? "
                "AND id=? AND deleted_at IS NULL")
          .Args(now, now, ws, id)
          .Run();
      if (!c.Changes()) continue;
      ++n;
      UnindexContact(c, ws, id);
      SetLinksLive(c, ws, id, false);
      InsertHistory(c, ws, id, now, actor.user_id, "trashed", "{}");
    }
    AddToCount(c, ws, -n);
    tx.Commit();
    return n;
  });
}

Result<int64_t> SqliteStore::RestoreContacts(int64_t ws, const std::vector<int64_t>& ids, const Actor& actor) {
  return Write([&](Conn& c) -> Result<int64_t> {
    Tx tx(c);
    int64_t now = NowMillis(), n = 0;
    for (int64_t id : ids) {
      auto ct = LoadContact(c, ws, id);
      if (!ct || !ct->deleted_at) continue;
      if (auto owner = LivePhoneOwner(c, ws, ct->phone))
        return Fail(PhoneTaken(*owner).With("id", std::to_string(id)));
      c.Prepare("UPDATE contacts SET deleted_at=NULL, updated_at=?, version=version+1 WHERE workspace_id=? AND id=?")
          .Args(now, ws, id)
          .Run();
      IndexContact(c, *ct);
      SetLinksLive(c, ws, id, true);
      InsertHistory(c, ws, id, now, actor.user_id, "restored", "{}");
      ++n;
    }
    if (auto e = CheckLimit(c, ws, n)) return Fail(*e);
    AddToCount(c, ws, n);
    tx.Commit();
    return n;
  });
}

Result<int64_t> SqliteStore::PurgeContacts(int64_t ws, const std::vector<int64_t>& ids) {
  return Write([&](Conn& c) -> Result<int64_t> {
    Tx tx(c);
    int64_t n = EraseContacts(c, ws, ids, std::nullopt);
    tx.Commit();
    return n;
  });
}

Result<int64_t> SqliteStore::PurgeTrashedBefore(int64_t cutoff) {
  std::vector<std::pair<int64_t, int64_t>> expired;  // workspace, id
  auto found = Read([&](Conn& c) -> Status {
    auto st = c.Prepare("SELECT workspace_id, id FROM contacts WHERE deleted_at IS NOT NULL AND deleted_at < ? LIMIT 100000");
    st.Args(cutoff);
    while (st.Step()) expired.emplace_back(st.Int(0), st.Int(1));
    return {};
  });
  if (!found) return std::unexpected(found.error());
  std::map<int64_t, std::vector<int64_t>> by_ws;
  for (auto& [ws, id] : expired) by_ws[ws].push_back(id);
  int64_t n = 0;
  for (auto& [ws, ids] : by_ws) {
    // Checked again inside the erasing transaction: a contact restored meanwhile stays.
    auto done = Write([&](Conn& c) -> Result<int64_t> {
      Tx tx(c);
      int64_t k = EraseContacts(c, ws, ids, cutoff);
      tx.Commit();
      return k;
    });
    if (!done) return std::unexpected(done.error());
    n += *done;
  }
  return n;
}

Result<int64_t> SqliteStore::ApplyBulkChange(int64_t ws, const std::vector<int64_t>& ids,
                                             const BulkChange& ch, const Actor& actor) {
  return Write([&](Conn& c) -> Result<int64_t> {
    Tx tx(c);
    const int64_t now = NowMillis();
    const std::string w = std::to_string(ws);
    using K = BulkChange::Kind;
    // bulk_ids: the live contacts of this workspace named by the caller.
    c.Exec("CREATE TEMP TABLE IF NOT EXISTS bulk_ids (id INTEGER PRIMARY KEY)");
    c.Exec("DELETE FROM bulk_ids");
    c.Prepare(kBulkIdsSql).Args(IdsJson(ids), ws).Run();
    // The ids of tags / the group / the field the change is about.
    std::vector<int64_t> targets;
    const bool adding = ch.kind == K::kAddTags || ch.kind == K::kAddToGroup;
    if (ch.kind == K::kAddTags || ch.kind == K::kRemoveTags || ch.kind == K::kAddToGroup ||
        ch.kind == K::kRemoveFromGroup) {
      const char* table = ch.kind == K::kAddTags || ch.kind == K::kRemoveTags ? "tags" : "groups";
      for (auto& name : ch.names) {
        std::optional<int64_t> id = adding ? EnsureNamed(c, table, ws, name, now) : FindNamed(c, table, ws, name);
        if (id) targets.push_back(*id);
      }
    }
    const std::string targets_json = IdsJson(targets);
    // What the change is about, as a JSON expression of contact {ID} (for history from/to).
    std::string field_name, value_sql;
    std::string link_table, link_col;
    switch (ch.kind) {
      case K::kAddTags:
      case K::kRemoveTags:
        field_name = "tags";
        link_table = "contact_tags";
        link_col = "tag_id";
        value_sql = TagLabelsSql(w, "{ID}");
        break;
      case K::kAddToGroup:
      case K::kRemoveFromGroup:
        field_name = "groups";
        link_table = "contact_groups";
        link_col = "group_id";
        value_sql = "(SELECT json_group_array(name) FROM (SELECT g.name FROM contact_groups x JOIN groups g ON "
                    "g.workspace_id=x.workspace_id AND g.id=x.group_id WHERE x.workspace_id=" + w +
                    " AND x.contact_id={ID} ORDER BY g.name_key))";
        break;
      case K::kSetField:
      case K::kClearField:
        field_name = "custom_fields." + ch.field_key;
        value_sql = "json_quote((SELECT text_value FROM field_values WHERE workspace_id=" + w +
                    " AND contact_id={ID} AND field_id=" + std::to_string(ch.field_id) + "))";
        break;
      case K::kSetStarred:
        field_name = "starred";
        value_sql = "(SELECT CASE WHEN starred THEN json('true') ELSE json('false') END FROM contacts WHERE id={ID})";
        break;
      case K::kSetDoNotCall:
        field_name = "do_not_call";
        value_sql = "(SELECT CASE WHEN do_not_call THEN json('true') ELSE json('false') END FROM contacts WHERE id={ID})";
        break;
    }
    auto of = [&](const char* id_expr) {
      std::string out = value_sql;
      for (size_t pos; (pos = out.find("{ID}")) != std::string::npos;) out.replace(pos, 4, id_expr);
      return out;
    };
    // bulk_changed: the contacts whose value will really change, with the value before.
    c.Exec("CREATE TEMP TABLE IF NOT EXISTS bulk_changed (id INTEGER PRIMARY KEY, before TEXT)");
    c.Exec("DELETE FROM bulk_changed");
    std::string changes_where;
    switch (ch.kind) {
      case K::kAddTags:
      case K::kAddToGroup:
        changes_where = "EXISTS (SELECT 1 FROM json_each('" + targets_json + "') t WHERE NOT EXISTS (SELECT 1 FROM " +
                        link_table + " x WHERE x.workspace_id=" + w + " AND x." + link_col +
                        "=t.value AND x.contact_id=b.id))";
        break;
      case K::kRemoveTags:
      case K::kRemoveFromGroup:
        changes_where = "EXISTS (SELECT 1 FROM " + link_table + " x WHERE x.workspace_id=" + w + " AND x.contact_id=b.id AND x." +
                        link_col + " IN (SELECT value FROM json_each('" + targets_json + "')))";
        break;
      case K::kSetField:
        changes_where = "NOT EXISTS (SELECT 1 FROM field_values v WHERE v.workspace_id=" + w +
                        " AND v.contact_id=b.id AND v.field_id=" + std::to_string(ch.field_id) + " AND v.text_value=?1)";
        break;
      case K::kClearField:
        changes_where = "EXISTS (SELECT 1 FROM field_values v WHERE v.workspace_id=" + w +
                        " AND v.contact_id=b.id AND v.field_id=" + std::to_string(ch.field_id) + ")";
        break;
      case K::kSetStarred:
      case K::kSetDoNotCall:
        changes_where = std::string("EXISTS (SELECT 1 FROM contacts x WHERE x.id=b.id AND x.") +
                        (ch.kind == K::kSetStarred ? "starred" : "do_not_call") + " <> ?1)";
        break;
    }
    {
      auto st = c.Prepare("INSERT INTO bulk_changed (id, before) SELECT b.id, " + of("b.id") + " FROM bulk_ids b WHERE " +
                          changes_where);
      if (ch.kind == K::kSetField) st.Bind(1, ch.value);
      if (ch.kind == K::kSetStarred || ch.kind == K::kSetDoNotCall) st.Bind(1, ch.flag);
      st.Run();
    }
    // Apply.
    switch (ch.kind) {
      case K::kAddTags:
      case K::kAddToGroup:
        c.Prepare("INSERT OR IGNORE INTO " + link_table + " (workspace_id, " + link_col +
                  ", contact_id) SELECT ?, t.value, b.id FROM bulk_changed b, json_each(?) t")
            .Args(ws, targets_json)
            .Run();
        break;
      case K::kRemoveTags:
      case K::kRemoveFromGroup:
        c.Prepare("DELETE FROM " + link_table + " WHERE workspace_id=? AND " + link_col +
                  " IN (SELECT value FROM json_each(?)) AND contact_id IN (SELECT id FROM bulk_changed)")
            .Args(ws, targets_json)
            .Run();
        break;
      case K::kSetField:
        c.Prepare("INSERT OR REPLACE INTO field_values (workspace_id, contact_id, field_id, text_value, num_value) "
                  "SELECT ?, id, ?, ?, ? FROM bulk_changed")
            .Args(ws, ch.field_id, ch.value, ch.has_num ? std::optional<double>(ch.num_value) : std::nullopt)
            .Run();
        break;
      case K::kClearField:
        c.Prepare("DELETE FROM field_values WHERE workspace_id=? AND field_id=? AND contact_id IN (SELECT id FROM bulk_changed)")
            .Args(ws, ch.field_id)
            .Run();
        break;
      case K::kSetStarred:
      case K::kSetDoNotCall:
        c.Prepare(std::string("UPDATE contacts SET ") + (ch.kind == K::kSetStarred ? "starred" : "do_not_call") +
                  "=? WHERE workspace_id=? AND id IN (SELECT id FROM bulk_changed)")
            .Args(ch.flag, ws)
            .Run();
        break;
    }
    // Their versions move on; after a change of tags, their rows' tag labels are set again.
    c.Prepare("UPDATE contacts SET version=version+1, updated_at=?1" +
              (link_table == "contact_tags" ? ", tag_labels=" + TagLabelsSql("?2", "contacts.id") : std::string()) +
              " WHERE workspace_id=?2 AND id IN (SELECT id FROM bulk_changed)")
        .Args(now, ws)
        .Run();
    c.Prepare("INSERT INTO history (workspace_id, contact_id, at, user_id, action, changes) SELECT ?, b.id, ?, ?, 'updated', "
              "json_object(?, json_object('from', json(b.before), 'to', json(" + of("b.id") + "))) FROM bulk_changed b")
        .Args(ws, now, actor.user_id, field_name)
        .Run();
    std::vector<int64_t> changed;
    {
      auto st = c.Prepare("SELECT id FROM bulk_changed");
      while (st.Step()) changed.push_back(st.Int(0));
    }
    if (!link_table.empty()) RelinkSearchRows(c, ws, changed);  // their tag or group tokens
    const auto n = static_cast<int64_t>(changed.size());
    tx.Commit();
    return n;
  });
}

Result<std::vector<HistoryEntry>> SqliteStore::ListHistory(int64_t ws, int64_t contact_id, int limit) {
  return Read([&](Conn& c) -> Result<std::vector<HistoryEntry>> {
    auto exists = c.Prepare("SELECT 1 FROM contacts WHERE workspace_id=? AND id=?");
    exists.Args(ws, contact_id);
    if (!exists.Step()) return Fail(ErrorCode::kNotFound, "contact not found");
    auto st = c.Prepare(
        "SELECT h.id, h.contact_id, h.at, h.user_id, coalesce(u.email, ''), h.action, h.changes "
        "FROM history h LEFT JOIN users u ON u.id=h.user_id WHERE h.workspace_id=? AND h.contact_id=? "
        "ORDER BY h.id DESC LIMIT ?");
    st.Args(ws, contact_id, limit);
    std::vector<HistoryEntry> out;
    while (st.Step())
      out.push_back(HistoryEntry{st.Int(0), st.Int(1), st.Int(2), st.Int(3), st.Text(4), st.Text(5), st.Text(6)});
    return out;
  });
}


// ---- imports -------------------------------------------------------------------------------

Result<std::vector<PhoneOwner>> SqliteStore::FindLivePhones(int64_t ws, const std::vector<std::string>& phones) {
  return Read([&](Conn& c) -> Result<std::vector<PhoneOwner>> {
    return LivePhoneOwners(c, ws, std::vector<std::string_view>(phones.begin(), phones.end()));
  });
}

}  // namespace dialbook::sqlite

