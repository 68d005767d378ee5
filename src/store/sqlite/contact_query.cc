// Contact listing for the SQLite backend: ContactFilter → WHERE clause with bound values,
// keyset (cursor) pagination over the sort indexes, and the total count.
#include <nlohmann/json.hpp>

#include <cstring>
#include <variant>

#include "core/text.h"
#include "store/sqlite/internal.h"

namespace dialbook::sqlite {

using nlohmann::json;

namespace {

using Value = std::variant<int64_t, double, std::string>;

struct Where {
  std::string sql;
  std::vector<Value> values;
  bool nothing = false;  // the filter cannot match anything (unknown tag in "all" …)
  std::string fts;       // the FTS5 MATCH expression, when q is used on live contacts
  bool only_fts = true;  // nothing but q (and the workspace) restricts the result

  void Add(const std::string& clause, std::vector<Value> vs = {}, bool fts_clause = false) {
    sql += " AND " + clause;
    for (auto& v : vs) values.push_back(std::move(v));
    if (!fts_clause) only_fts = false;
  }
};

void BindAll(Stmt& st, const std::vector<Value>& values, int start = 1) {
  int i = start;
  for (auto& v : values) std::visit([&](auto&& x) { st.Bind(i++, x); }, v);
}

bool HasWordChar(std::string_view w) {
  for (unsigned char ch : w)
    if (std::isalnum(ch) || ch >= 0x80) return true;
  return false;
}

// The FTS5 expression for a quick search; empty when q has nothing searchable.
std::string FtsExpression(int64_t ws, const std::string& q) {
  std::string compact;
  bool phone_like = true;
  for (char ch : q) {
    if (ch >= '0' && ch <= '9') compact += ch;
    else if (ch != ' ' && ch != '+' && ch != '-' && ch != '(' && ch != ')' && ch != '.') phone_like = false;
  }
  std::vector<std::string> terms;
  if (phone_like && compact.size() >= 3) {
    terms.push_back(compact);
  } else {
    for (auto& w : Split(q, ' ')) {
      std::string t = Trim(w);
      if (t.empty() || !HasWordChar(t)) continue;
      terms.push_back(t);
    }
  }
  if (terms.empty()) return "";
  std::string expr = "ws:\"w" + std::to_string(ws) + "\"";
  for (auto& t : terms) {
    std::string quoted;
    for (char ch : t) {
      if (ch == '"') quoted += "\"\"";
      else quoted += ch;
    }
    expr += " AND body:\"" + quoted + "\"*";
  }
  return expr;
}

std::string LikeEscape(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

std::optional<int64_t> FindId(Conn& c, const char* table, int64_t ws, const std::string& name) {
  auto st = c.Prepare(std::string("SELECT id FROM ") + table +
                      (std::string_view(table) == "tags" ? " WHERE workspace_id=? AND label_key=?"
                                                         : " WHERE workspace_id=? AND name_key=?"));
  st.Args(ws, NameKey(name));
  if (st.Step()) return st.Int(0);
  return std::nullopt;
}

Where BuildWhere(Conn& c, int64_t ws, const ContactFilter& f) {
  Where w;
  w.sql = "c.workspace_id=?";
  w.values.push_back(ws);
  w.sql += f.trash ? " AND c.deleted_at IS NOT NULL" : " AND c.deleted_at IS NULL";
  if (f.empty_scope) w.nothing = true;
  if (!f.q.empty()) {
    if (!f.trash) {
      w.fts = FtsExpression(ws, f.q);
      if (!w.fts.empty())
        w.Add("c.id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)", {w.fts}, true);
    } else {
      std::string like = "%" + LikeEscape(FoldForSearch(f.q)) + "%";
      std::string digits = DigitsOnly(f.q);
      w.Add("(c.sort_name LIKE ? ESCAPE '\\' OR c.email LIKE ? ESCAPE '\\' OR c.company LIKE ? ESCAPE '\\'" +
                std::string(digits.size() >= 3 ? " OR c.phone LIKE ?)" : ")"),
            digits.size() >= 3 ? std::vector<Value>{like, like, like, "%" + digits + "%"}
                               : std::vector<Value>{like, like, like});
    }
  }
  if (!f.tags.empty()) {
    std::vector<int64_t> ids;
    bool missing = false;
    for (auto& t : f.tags) {
      if (auto id = FindId(c, "tags", ws, t)) ids.push_back(*id);
      else missing = true;
    }
    const std::string sub = "SELECT contact_id FROM contact_tags WHERE workspace_id=? AND tag_id";
    if (f.tag_mode == TagMode::kAny) {
      if (ids.empty()) w.nothing = true;
      else w.Add("c.id IN (" + sub + " IN (SELECT value FROM json_each(?)))", {ws, IdsJson(ids)});
    } else if (f.tag_mode == TagMode::kAll) {
      if (missing) w.nothing = true;
      for (int64_t id : ids) w.Add("c.id IN (" + sub + "=?)", {ws, id});
    } else if (!ids.empty()) {
      w.Add("c.id NOT IN (" + sub + " IN (SELECT value FROM json_each(?)))", {ws, IdsJson(ids)});
    }
  }
  if (!f.groups.empty()) {
    std::vector<int64_t> ids;
    for (auto& g : f.groups)
      if (auto id = FindId(c, "groups", ws, g)) ids.push_back(*id);
    if (ids.empty()) w.nothing = true;
    else
      w.Add("c.id IN (SELECT contact_id FROM contact_groups WHERE workspace_id=? AND group_id IN "
            "(SELECT value FROM json_each(?)))",
            {ws, IdsJson(ids)});
  }
  if (!f.department.empty()) {
    if (auto id = FindId(c, "departments", ws, f.department)) w.Add("c.department_id=?", {*id});
    else w.nothing = true;
  }
  if (f.scope_department_id) w.Add("c.department_id=?", {*f.scope_department_id});
  if (f.created_after) w.Add("c.created_at>=?", {*f.created_after});
  if (f.created_before) w.Add("c.created_at<?", {*f.created_before});
  if (f.last_called_after) w.Add("c.last_called_at>=?", {*f.last_called_after});
  if (f.last_called_before) w.Add("c.last_called_at<? AND c.last_called_at>0", {*f.last_called_before});
  if (f.never_called) w.Add(*f.never_called ? "c.last_called_at=0" : "c.last_called_at>0");
  if (f.starred) w.Add("c.starred=?", {int64_t{*f.starred}});
  if (f.dnc) w.Add("c.do_not_call=?", {int64_t{*f.dnc}});
  if (!f.consent.empty()) w.Add("c.consent_status=?", {f.consent});
  if (!f.source.empty()) w.Add("c.source=?", {f.source});
  for (auto& cf : f.cf) {
    const std::string v = "SELECT 1 FROM field_values v WHERE v.workspace_id=? AND v.contact_id=c.id AND v.field_id=?";
    bool numeric = cf.type == FieldType::kInteger || cf.type == FieldType::kDecimal;
    switch (cf.op) {
      case CfOp::kEquals:
        if (cf.type == FieldType::kCheckbox)
          w.Add(std::string(cf.value == "true" ? "EXISTS" : "NOT EXISTS") + " (" + v + " AND v.num_value=1)",
                {ws, cf.field_id});
        else if (numeric)
          w.Add("EXISTS (" + v + " AND v.num_value=?)", {ws, cf.field_id, std::strtod(cf.value.c_str(), nullptr)});
        else
          w.Add("EXISTS (" + v + " AND v.text_value=? COLLATE NOCASE)", {ws, cf.field_id, cf.value});
        break;
      case CfOp::kContains:
        w.Add("EXISTS (" + v + " AND v.text_value LIKE ? ESCAPE '\\')",
              {ws, cf.field_id, "%" + LikeEscape(cf.value) + "%"});
        break;
      case CfOp::kGte:
      case CfOp::kLte: {
        std::string op = cf.op == CfOp::kGte ? ">=" : "<=";
        if (numeric)
          w.Add("EXISTS (" + v + " AND v.num_value" + op + "?)", {ws, cf.field_id, std::strtod(cf.value.c_str(), nullptr)});
        else
          w.Add("EXISTS (" + v + " AND v.text_value" + op + "?)", {ws, cf.field_id, cf.value});
        break;
      }
      case CfOp::kEmpty:
        w.Add("NOT EXISTS (" + v + " AND v.text_value<>'')", {ws, cf.field_id});
        break;
      case CfOp::kNotEmpty:
        w.Add("EXISTS (" + v + " AND v.text_value<>'')", {ws, cf.field_id});
        break;
    }
  }
  return w;
}

const char* SortColumn(SortKey k) {
  switch (k) {
    case SortKey::kName: return "c.sort_name";
    case SortKey::kCreatedAt: return "c.created_at";
    case SortKey::kLastCalledAt: return "c.last_called_at";
  }
  return "c.created_at";
}

// Cursor = base64url of JSON [sort key code, descending, sort value, id].
const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string B64(const std::string& in) {
  std::string out;
  int val = 0, bits = -6;
  for (unsigned char ch : in) {
    val = (val << 8) + ch;
    bits += 8;
    while (bits >= 0) {
      out += kB64[(val >> bits) & 0x3F];
      bits -= 6;
    }
  }
  if (bits > -6) out += kB64[((val << 8) >> (bits + 8)) & 0x3F];
  return out;
}

std::optional<std::string> UnB64(const std::string& in) {
  std::string out;
  int val = 0, bits = -8;
  for (char ch : in) {
    const char* p = std::strchr(kB64, ch);
    if (!p || !ch) return std::nullopt;
    val = (val << 6) + static_cast<int>(p - kB64);
    bits += 6;
    if (bits >= 0) {
      out += static_cast<char>((val >> bits) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

Error BadCursor() {
  Error e = FieldError("cursor", "the cursor is not valid for this query (start again without it)");
  e.details["parameter"] = "cursor";
  return e;
}

}  // namespace

Result<ContactPage> SqliteStore::QueryContacts(int64_t ws, const ContactQuery& query) {
  return Read([&](Conn& c) -> Result<ContactPage> {
    ContactPage page;
    Where w = BuildWhere(c, ws, query.filter);
    if (w.nothing) return page;
    const char* col = SortColumn(query.sort);
    std::string where = w.sql;
    std::vector<Value> values = w.values;
    if (!query.cursor.empty()) {
      auto raw = UnB64(query.cursor);
      if (!raw) return Fail(BadCursor());
      json cur = json::parse(*raw, nullptr, false);
      if (!cur.is_array() || cur.size() != 4 || cur[0] != static_cast<int>(query.sort) ||
          cur[1] != query.descending || !cur[3].is_number_integer())
        return Fail(BadCursor());
      where += std::string(" AND (") + col + ", c.id) " + (query.descending ? "<" : ">") + " (?, ?)";
      if (cur[2].is_string()) values.push_back(cur[2].get<std::string>());
      else if (cur[2].is_number_integer()) values.push_back(cur[2].get<int64_t>());
      else return Fail(BadCursor());
      values.push_back(cur[3].get<int64_t>());
    }
    std::string dir = query.descending ? " DESC" : "";
    auto st = c.Prepare(std::string("SELECT ") + kContactSelectCols() + kContactSelectFrom() + " WHERE " + where +
                        " ORDER BY " + col + dir + ", c.id" + dir + " LIMIT ?");
    BindAll(st, values);
    st.Bind(static_cast<int>(values.size()) + 1, int64_t{query.limit} + 1);
    std::vector<std::string> sort_names;
    while (st.Step()) {
      page.items.push_back(ReadContactRow(st));
      sort_names.push_back(st.Text(30));
    }
    if (static_cast<int>(page.items.size()) > query.limit) {
      page.items.pop_back();
      const Contact& last = page.items.back();
      json cur = json::array({static_cast<int>(query.sort), query.descending, nullptr, last.id});
      if (query.sort == SortKey::kName) cur[2] = sort_names[page.items.size() - 1];
      else if (query.sort == SortKey::kCreatedAt) cur[2] = last.created_at;
      else cur[2] = last.last_called_at;
      page.next_cursor = B64(cur.dump());
    }
    LoadContactRelations(c, ws, page.items);
    // Total: the maintained counter when unfiltered, the FTS index alone for a bare search.
    if (query.filter.IsUnfiltered() && !query.filter.trash) {
      auto cnt = c.Prepare("SELECT contact_count FROM workspaces WHERE id=?");
      cnt.Args(ws);
      if (cnt.Step()) page.total = cnt.Int(0);
    } else if (!w.fts.empty() && w.only_fts) {
      auto cnt = c.Prepare("SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH ?");
      cnt.Args(w.fts);
      if (cnt.Step()) page.total = cnt.Int(0);
    } else {
      auto cnt = c.Prepare("SELECT count(*) FROM contacts c WHERE " + w.sql);
      BindAll(cnt, w.values);
      if (cnt.Step()) page.total = cnt.Int(0);
    }
    return page;
  });
}

Result<std::vector<int64_t>> SqliteStore::MatchContactIds(int64_t ws, const ContactFilter& filter, int64_t max) {
  return Read([&](Conn& c) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> ids;
    Where w = BuildWhere(c, ws, filter);
    if (w.nothing) return ids;
    auto st = c.Prepare("SELECT c.id FROM contacts c WHERE " + w.sql + " ORDER BY c.id LIMIT ?");
    BindAll(st, w.values);
    st.Bind(static_cast<int>(w.values.size()) + 1, max);
    while (st.Step()) ids.push_back(st.Int(0));
    return ids;
  });
}

}  // namespace dialbook::sqlite
