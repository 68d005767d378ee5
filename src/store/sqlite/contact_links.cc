// A contact's tags, groups and custom field values (SQLite backend): writing them with the
// contacts (CreateContacts, OverwriteContact in contacts.cc). Reading them is contact_rows.cc's.
#include <algorithm>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "store/sqlite/internal.h"

namespace dialbook::sqlite {

namespace {

// From this many links or values of one kind in one write, the link-count and link-kind
// triggers are bypassed (see WriteRelations): turning them off and on makes SQLite prepare
// the connection's statements again, which only a large write repays.
constexpr size_t kLinksCountedAtOnce = 256;

// The connection's triggers are off while it lives (SQLITE_DBCONFIG_ENABLE_TRIGGER; each
// change expires every prepared statement, which SQLite prepares again on its next step).
class TriggersOff {
 public:
  explicit TriggersOff(Conn& c) : c_(c) {
    int now = 1;
    if (sqlite3_db_config(c_.raw(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, &now) != SQLITE_OK || now != 0)
      throw SqliteError(SQLITE_ERROR, "could not turn the connection's triggers off");
  }
  ~TriggersOff() { sqlite3_db_config(c_.raw(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, nullptr); }
  TriggersOff(const TriggersOff&) = delete;
  TriggersOff& operator=(const TriggersOff&) = delete;

 private:
  Conn& c_;
};

}  // namespace

std::string TagLabelsSql(std::string_view ws_expr, std::string_view id_expr) {
  // The ORDER BY of the subquery orders the aggregate: SQLite does not flatten a subquery
  // with an ORDER BY into an aggregate query (tag_labels_test checks the order after each
  // write that sets them this way).
  return std::string("(SELECT json_group_array(label) FROM (SELECT t.label FROM contact_tags x JOIN tags t ON "
                     "t.workspace_id=x.workspace_id AND t.id=x.tag_id WHERE x.workspace_id=") +
         std::string(ws_expr) + " AND x.contact_id=" + std::string(id_expr) + " ORDER BY t.label_key))";
}

void RelabelTagged(Conn& c, int64_t ws, const std::vector<int64_t>& ids) {
  if (ids.empty()) return;
  static const std::string kSql = "UPDATE contacts SET version=version+1, tag_labels=" +
                                  TagLabelsSql("?1", "contacts.id") +
                                  " WHERE workspace_id=?1 AND id IN (SELECT value FROM json_each(?2))";
  c.Prepare(kSql).Args(ws, IdsJson(ids)).Run();
}

std::vector<std::string> TagLabelsOf(Conn& c, int64_t ws, std::span<const Contact* const> contacts, int64_t now) {
  struct Known {
    int64_t id;
    std::string key, quoted;  // the label as json_group_array writes it (json_quote)
  };
  std::unordered_map<std::string, Known> by_name;
  std::vector<std::string> out(contacts.size());
  std::vector<const Known*> tags;
  for (size_t i = 0; i < contacts.size(); ++i) {
    tags.clear();
    for (auto& name : contacts[i]->tags) {
      auto it = by_name.find(name);
      if (it == by_name.end()) {
        const int64_t id = EnsureNamed(c, "tags", ws, name, now);
        auto st = c.Prepare("SELECT json_quote(label), label_key FROM tags WHERE workspace_id=? AND id=?");
        st.Args(ws, id);
        if (!st.Step()) throw SqliteError(SQLITE_ERROR, "tag " + std::to_string(id) + " vanished");
        it = by_name.emplace(name, Known{id, st.Text(1), st.Text(0)}).first;
      }
      tags.push_back(&it->second);
    }
    std::sort(tags.begin(), tags.end(), [](const Known* a, const Known* b) { return a->key < b->key; });
    tags.erase(std::unique(tags.begin(), tags.end(), [](const Known* a, const Known* b) { return a->id == b->id; }),
               tags.end());
    std::string& labels = out[i];
    labels = "[";
    for (const Known* t : tags) {
      if (labels.size() > 1) labels += ',';
      labels += t->quoted;
    }
    labels += ']';
  }
  return out;
}

int LinkKindsOf(const Contact& c) {
  return (c.tags.empty() ? 0 : kTagLinks) | (c.groups.empty() ? 0 : kGroupLinks) |
         (c.custom_fields.empty() ? 0 : kFieldValues);
}

std::vector<std::string> WriteRelations(Conn& c, int64_t ws, std::span<const Contact* const> contacts, bool replace,
                                        int64_t now) {
  if (replace)
    for (const Contact* ct : contacts)
      for (const char* table : {"contact_tags", "contact_groups", "field_values"})
        c.Prepare(std::string("DELETE FROM ") + table + " WHERE workspace_id=? AND contact_id=?").Args(ws, ct->id).Run();
  struct Link {
    int64_t set_id, contact_id, live;
  };
  struct Value {
    int64_t contact_id, field_id;
    const std::string* text;
    std::optional<double> num;
  };
  std::vector<Link> tag_links, group_links;
  std::vector<Value> values;
  std::unordered_map<std::string, int64_t> tag_ids, group_ids;
  std::unordered_map<std::string, std::pair<int64_t, FieldType>> field_ids;
  std::vector<std::string> tokens(contacts.size());
  std::vector<std::pair<char, int64_t>> links;
  for (size_t i = 0; i < contacts.size(); ++i) {
    const Contact& ct = *contacts[i];
    const int64_t live = ct.deleted_at ? 0 : 1;
    links.clear();
    auto add = [&](const std::vector<std::string>& names, const char* table, char kind,
                   std::unordered_map<std::string, int64_t>& ids, std::vector<Link>& out) {
      for (auto& name : names) {
        auto it = ids.find(name);
        if (it == ids.end()) it = ids.emplace(name, EnsureNamed(c, table, ws, name, now)).first;
        out.push_back({it->second, ct.id, live});
        links.emplace_back(kind, it->second);
      }
    };
    add(ct.tags, "tags", 't', tag_ids, tag_links);
    add(ct.groups, "groups", 'g', group_ids, group_links);
    for (auto& [key, value] : ct.custom_fields) {
      auto it = field_ids.find(key);
      if (it == field_ids.end()) {
        auto st = c.Prepare("SELECT id, type FROM fields WHERE workspace_id=? AND key=?");
        st.Args(ws, key);
        if (!st.Step()) throw SqliteError(SQLITE_ERROR, "unknown custom field " + key);
        it = field_ids.emplace(key, std::pair{st.Int(0), ParseFieldType(st.Text(1)).value_or(FieldType::kText)}).first;
      }
      auto [field_id, type] = it->second;
      std::optional<double> num;
      if (type == FieldType::kInteger || type == FieldType::kDecimal) num = std::strtod(value.c_str(), nullptr);
      if (type == FieldType::kCheckbox) num = value == "true" ? 1.0 : 0.0;
      values.push_back({ct.id, field_id, &value, num});
    }
    tokens[i] = LinkTokens(ws, links);
  }
  // Many links or values (from kLinksCountedAtOnce of one kind): all of them are written with
  // the connection's triggers off, switched off and on once for the whole write. Each tag's
  // or group's live_count is raised once instead of by the per-row trigger (3 % of an
  // import's writer instructions), and no row looks up its contact to set its link kinds,
  // which the callers have set (LinkKindsOf).
  const bool bulk = std::max({tag_links.size(), group_links.size(), values.size()}) >= kLinksCountedAtOnce;
  std::optional<TriggersOff> off;
  if (bulk) off.emplace(c);
  auto write_links = [&](const char* table, const char* column, const char* sets, std::vector<Link>& rows) {
    auto bind = [&](Stmt& st, int at, size_t k) { st.ArgsFrom(at, ws, rows[k].set_id, rows[k].contact_id, rows[k].live); };
    const std::string columns = std::string(table) + " (workspace_id, " + column + ", contact_id, live) VALUES ";
    if (!bulk) {
      InsertRows(c, "INSERT OR IGNORE INTO " + columns, 4, rows.size(), bind);
      return;
    }
    // Every link is new (its contact is new, or `replace` deleted its links), so after
    // dropping repeats (two labels of one key) each row adds its `live` to its set's count;
    // a row that existed would fail the plain INSERT rather than be miscounted.
    std::sort(rows.begin(), rows.end(), [](const Link& a, const Link& b) {
      return std::tie(a.set_id, a.contact_id) < std::tie(b.set_id, b.contact_id);
    });
    rows.erase(std::unique(rows.begin(), rows.end(),
                           [](const Link& a, const Link& b) { return a.set_id == b.set_id && a.contact_id == b.contact_id; }),
               rows.end());
    InsertRows(c, "INSERT INTO " + columns, 4, rows.size(), bind);
    const std::string count = std::string("UPDATE ") + sets + " SET live_count = live_count + ? WHERE workspace_id=? AND id=?";
    for (size_t k = 0; k < rows.size();) {
      int64_t live = 0;
      const int64_t set_id = rows[k].set_id;
      for (; k < rows.size() && rows[k].set_id == set_id; ++k) live += rows[k].live;
      if (live) c.Prepare(count).Args(live, ws, set_id).Run();
    }
  };
  write_links("contact_tags", "tag_id", "tags", tag_links);
  write_links("contact_groups", "group_id", "groups", group_links);
  InsertRows(c, "INSERT OR FAIL INTO field_values (workspace_id, contact_id, field_id, text_value, num_value) VALUES ", 5,
             values.size(), [&](Stmt& st, int at, size_t k) {
               st.ArgsFrom(at, ws, values[k].contact_id, values[k].field_id, *values[k].text, values[k].num);
             });
  return tokens;
}

}  // namespace dialbook::sqlite
