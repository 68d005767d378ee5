// Reading contacts in the SQLite backend: the contact row's columns, a row into a Contact,
// and its tags, groups and custom field values (shared by contacts.cc, contact_query.cc,
// imports.cc and search_index.cc through internal.h).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <span>
#include <tuple>
#include <unordered_map>

#include "store/sqlite/internal.h"

namespace dialbook::sqlite {

using nlohmann::json;

namespace {

const char* kContactCols =
    "c.id, c.workspace_id, c.first_name, c.last_name, c.phone, c.phone_type, c.phone_location, "
    "c.phones_json, c.email, c.company, c.street, c.city, c.state, c.zip, c.country, c.notes, "
    "c.starred, c.do_not_call, d.name, c.consent_status, c.consent_source, c.consent_at, c.source, "
    "c.created_at, c.updated_at, c.deleted_at, c.last_called_at, c.last_call_outcome, "
    "c.total_calls, c.version, c.sort_name, c.phone_formatted";
// Columns 32-33 (ReadLinks) of the reads that load links; not of the search index's rebuild,
// which runs in migration 5, before the columns exist.
const char* kLinkKindsCol = ", c.link_kinds, c.tag_labels";
const char* kContactFrom =
    " FROM contacts c LEFT JOIN departments d ON d.workspace_id=c.workspace_id AND d.id=c.department_id";

}  // namespace

void ReadContactRow(const Stmt& st, Contact& c) {
  c.id = st.Int(0);
  c.workspace_id = st.Int(1);
  c.first_name = st.Text(2);
  c.last_name = st.Text(3);
  c.phone = st.Text(4);
  c.phone_type = st.Text(5);
  c.phone_location = st.Text(6);
  if (std::string phones = st.Text(7); phones != "[]")  // most contacts have one number
    for (auto& p : json::parse(phones, nullptr, false))
      if (p.is_object())
        c.phones.push_back({p.value("label", ""), p.value("number", ""), p.value("formatted", ""),
                            p.value("type", ""), p.value("location", "")});
  c.email = st.Text(8);
  c.company = st.Text(9);
  c.street = st.Text(10);
  c.city = st.Text(11);
  c.state = st.Text(12);
  c.zip = st.Text(13);
  c.country = st.Text(14);
  c.notes = st.Text(15);
  c.starred = st.Int(16);
  c.do_not_call = st.Int(17);
  c.department = st.Text(18);
  c.consent = {st.Text(19), st.Text(20), st.Int(21)};
  c.source = st.Text(22);
  c.created_at = st.Int(23);
  c.updated_at = st.Int(24);
  c.deleted_at = st.IsNull(25) ? 0 : st.Int(25);
  c.last_called_at = st.Int(26);
  c.last_call_outcome = st.Text(27);
  c.total_calls = st.Int(28);
  c.version = st.Int(29);
  c.phone_formatted = st.Text(31);
}

Contact ReadContactRow(const Stmt& st) {
  Contact c;
  ReadContactRow(st, c);
  return c;
}

namespace {

// The labels of a JSON array of strings (contacts.tag_labels) into `out`; false (and none)
// when the text is not one. Labels without an escape, the common case, are cut out of the
// text directly (the JSON parser cost as much as the rest of reading a contact's row); any
// other text goes through the parser.
bool ParseLabels(std::string_view text, std::vector<std::string>& out) {
  out.clear();
  if (text.find('\\') == std::string_view::npos && text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    const size_t end = text.size() - 1;
    size_t at = 1;
    while (at < end && text[at] == '"') {
      const size_t close = text.find('"', at + 1);
      if (close >= end) break;
      out.emplace_back(text.substr(at + 1, close - at - 1));
      at = close + 1;
      if (at < end && text[at] == ',' && at + 1 < end) ++at;
      else if (at != end) break;
    }
    if (at == end) return true;
    out.clear();
  }
  const json labels = json::parse(text, nullptr, false);
  if (!labels.is_array()) return false;
  for (auto& label : labels) {
    if (!label.is_string()) {
      out.clear();
      return false;
    }
    out.push_back(label.get<std::string>());
  }
  return true;
}

}  // namespace

int ReadLinks(const Stmt& st, Contact& c) {
  if (st.Columns() <= 33) return kAllLinkKinds;
  // Labels that cannot be read (no write makes them) are looked up instead: read as none,
  // the next edit would write none back.
  if (!ParseLabels(st.TextView(33), c.tags)) return static_cast<int>(st.Int(32)) | kTagLinks;
  return static_cast<int>(st.Int(32)) & ~kTagLinks;
}

const char* kContactSelectCols() { return kContactCols; }
const char* kContactSelectFrom() { return kContactFrom; }
const char* kContactLinkKindsCol() { return kLinkKindsCol; }

namespace {

// The statement reading the tags, groups and custom field values of contacts whose id
// matches `in`: a branch for each kind in `kinds` (LinkKind bits).
std::string RelationsSql(std::string_view in, int kinds) {
  static constexpr const char* kBranches[] = {
      "SELECT 0, ct.contact_id, t.label, t.label_key, NULL FROM contact_tags ct JOIN tags t ON "
      "t.workspace_id=ct.workspace_id AND t.id=ct.tag_id WHERE ct.workspace_id=?1 AND ct.contact_id{}",
      "SELECT 1, cg.contact_id, g.name, g.name_key, NULL FROM contact_groups cg JOIN groups g ON "
      "g.workspace_id=cg.workspace_id AND g.id=cg.group_id WHERE cg.workspace_id=?1 AND cg.contact_id{}",
      "SELECT 2, v.contact_id, f.key, f.key, v.text_value FROM field_values v JOIN fields f ON "
      "f.workspace_id=v.workspace_id AND f.id=v.field_id WHERE v.workspace_id=?1 AND v.contact_id{}"};
  std::string sql;
  for (int k = 0; k < 3; ++k) {
    if (!(kinds & (1 << k))) continue;
    if (!sql.empty()) sql += " UNION ALL ";
    sql += kBranches[k];
  }
  for (size_t at; (at = sql.find("{}")) != std::string::npos;) sql.replace(at, 2, in);
  return sql;
}

}  // namespace

void LoadContactRelations(Conn& c, int64_t ws, std::span<Contact> contacts, int kinds) {
  kinds &= kAllLinkKinds;
  if (contacts.empty() || !kinds) return;
  // Tags, groups and custom field values of all of them in one statement, of the kinds that
  // any of them may have. One contact (a GET by id) is asked by equality: an IN over
  // json_each builds a temporary index per branch, which cost more than the rest of reading
  // the contact.
  static const auto kSql = [] {
    std::array<std::array<std::string, kAllLinkKinds + 1>, 2> sql;
    for (int k = 1; k <= kAllLinkKinds; ++k) {
      sql[0][k] = RelationsSql("=?2", k);
      sql[1][k] = RelationsSql(" IN (SELECT value FROM json_each(?2))", k);
    }
    return sql;
  }();
  const bool one = contacts.size() == 1;
  std::unordered_map<int64_t, Contact*> by_id;
  auto st = c.Prepare(kSql[one ? 0 : 1][kinds]);
  if (one) {
    st.Args(ws, contacts[0].id);
  } else {
    std::vector<int64_t> ids;
    ids.reserve(contacts.size());
    for (auto& ct : contacts) {
      by_id[ct.id] = &ct;
      ids.push_back(ct.id);
    }
    st.Args(ws, IdsJson(ids));
  }
  // Tags and groups in the order of their keys, sorted here (an ORDER BY sorts each
  // branch in a temporary b-tree).
  struct Label {
    Contact* contact;
    int kind;
    std::string key, label;
  };
  std::vector<Label> labels;
  while (st.Step()) {
    Contact* ct = one ? &contacts[0] : by_id[st.Int(1)];
    int kind = static_cast<int>(st.Int(0));
    if (kind == 2) ct->custom_fields[st.Text(2)] = st.Text(4);
    else labels.push_back({ct, kind, st.Text(3), st.Text(2)});
  }
  std::sort(labels.begin(), labels.end(),
            [](const Label& a, const Label& b) { return std::tie(a.kind, a.key) < std::tie(b.kind, b.key); });
  for (auto& l : labels) (l.kind == 0 ? l.contact->tags : l.contact->groups).push_back(std::move(l.label));
}

bool LoadContact(Conn& c, int64_t ws, int64_t id, Contact& out) {
  static const std::string kSql =
      std::string("SELECT ") + kContactCols + kLinkKindsCol + kContactFrom + " WHERE c.workspace_id=? AND c.id=?";
  auto st = c.Prepare(kSql);
  st.Args(ws, id);
  if (!st.Step()) return false;
  ReadContactRow(st, out);
  LoadContactRelations(c, ws, std::span<Contact>(&out, 1), ReadLinks(st, out));
  return true;
}

std::optional<Contact> LoadContact(Conn& c, int64_t ws, int64_t id) {
  std::optional<Contact> out(std::in_place);
  if (!LoadContact(c, ws, id, *out)) out.reset();
  return out;
}

Result<std::vector<Contact>> SqliteStore::GetContacts(int64_t ws, const std::vector<int64_t>& ids) {
  return Read([&](Conn& c) -> Result<std::vector<Contact>> {
    std::vector<Contact> out;
    auto st = c.Prepare(std::string("SELECT ") + kContactCols + kLinkKindsCol + kContactFrom +
                        " WHERE c.workspace_id=? AND c.id IN (SELECT value FROM json_each(?))");
    st.Args(ws, IdsJson(ids));
    int kinds = 0;
    while (st.Step()) {
      Contact& ct = out.emplace_back();
      ReadContactRow(st, ct);
      kinds |= ReadLinks(st, ct);
    }
    LoadContactRelations(c, ws, out, kinds);
    return out;
  });
}

}  // namespace dialbook::sqlite
