// Contact listing for the SQLite backend: ContactFilter → WHERE clause with bound values,
// keyset (cursor) pagination, and the total count.
//
// Plans, chosen per query so that a list page costs about the same at 1,000 or 1,000,000
// contacts:
// - "created" order is id order (ids are handed out in creation order), so a quick search
//   in that order streams the FTS5 matches by rowid and stops at the page's end;
// - a quick search in another order sorts its matches when there are few (≤ kSortMatches),
//   else walks the sort index and checks each row against the matches;
// - a search of words with tag/group conditions is one FTS5 query: each contact's search
//   row carries its tag and group tokens (search_index.cc), so FTS5 intersects them;
// - a phone search with only tag/group conditions is merged with their links in id order
//   (Intersection); the page is cut from that result (in id order, or sorted when few);
// - without a search, the sort index is walked and each filter checked per row;
// - totals come from the maintained counters (no filter: workspaces.contact_count; one
//   tag: tags.live_count; one word of 1–3 characters: search_prefixes), the FTS index
//   (search only), a merge of id-ordered streams (phone search + tags/groups), before any
//   generic count.
// The quick search itself (q → FTS5 subqueries) and the reads of its matches are in
// search_query.cc.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <iterator>

#include "core/text.h"
#include "store/sqlite/internal.h"
#include "store/sqlite/search_query.h"

namespace dialbook::sqlite {

using nlohmann::json;

namespace {

constexpr int64_t kSortMatches = 20000;

// "(t1 OR t2 …)" of the link tokens of tags ('t') or groups ('g').
std::string AnyLink(int64_t ws, char kind, const std::vector<int64_t>& ids) {
  std::string expr;
  for (int64_t id : ids) expr += (expr.empty() ? "(\"" : " OR \"") + LinkToken(ws, kind, id) + "\"";
  return expr + ")";
}

// The table holding the live_count of a link table's tags or groups.
const char* CounterTable(const std::string& link_table) {
  return link_table == "contact_tags" ? "tags" : "groups";
}

struct Where {
  struct Clause {
    std::string sql;
    std::vector<Value> values;
    bool fts = false;     // the search match
    bool stream = false;  // the single-link condition a stream plan reads from its table
    // For a tag or group condition: its link table, column and ids (for intersections).
    std::string link_table, link_col;
    std::vector<int64_t> link_ids;
  };
  std::vector<Clause> clauses;  // after "c.workspace_id=? AND c.deleted_at IS [NOT] NULL"
  std::string base;
  int64_t ws = 0;
  bool nothing = false;  // the filter cannot match anything (unknown tag in "all" …)
  Search search;         // the quick search, when q is used on live contacts
  std::vector<int64_t> any_tags;  // set when a tag-any condition is one of the clauses
  bool driven = false;            // a small link set already drives the generic plan
  // One tag or group whose live links, read in contact id order, can stream a page.
  std::string stream_table, stream_col;
  int64_t stream_id = 0;

  int Filters() const {  // conditions besides workspace, liveness and search
    int n = 0;
    for (auto& c : clauses) n += !c.fts;
    return n;
  }
  // The WHERE text and its values, leaving out the search match and/or the stream link.
  std::pair<std::string, std::vector<Value>> Sql(bool with_fts, bool with_stream) const {
    std::pair<std::string, std::vector<Value>> out{base, {ws}};
    for (auto& c : clauses) {
      if ((c.fts && !with_fts) || (c.stream && !with_stream)) continue;
      out.first += " AND " + c.sql;
      out.second.insert(out.second.end(), c.values.begin(), c.values.end());
    }
    return out;
  }

  void Add(const std::string& clause, std::vector<Value> vs = {}, bool fts_clause = false) {
    clauses.push_back({clause, std::move(vs), fts_clause, false, "", "", {}});
  }

  // A tag or group condition. Checked per row (an index seek) while the sort index is
  // walked; when its live links are few and nothing else drives the query, the links
  // drive it instead (then the page is sorted from at most kSortMatches rows). A single
  // tag or group can also stream pages in id order from its link table (see QueryContacts).
  void AddLinks(Conn& c, const std::string& table, const std::string& col, const std::vector<int64_t>& ids,
                bool may_drive) {
    const std::string list = IdsJson(ids);
    bool stream = ids.size() == 1 && stream_table.empty();
    if (stream) {
      stream_table = table;
      stream_col = col;
      stream_id = ids[0];
    }
    if (may_drive && !driven) {
      // tags.live_count / groups.live_count (kept by triggers); a sum bounds the union.
      auto st = c.Prepare(std::string("SELECT coalesce(sum(live_count), 0) FROM ") + CounterTable(table) +
                          " WHERE workspace_id=? AND id IN (SELECT value FROM json_each(?))");
      st.Args(ws, list);
      if (st.Step() && st.Int(0) <= kSortMatches) {
        driven = true;
        clauses.push_back({"c.id IN (SELECT contact_id FROM " + table + " WHERE workspace_id=? AND " + col +
                               " IN (SELECT value FROM json_each(?)))",
                           {ws, list}, false, stream, table, col, ids});
        return;
      }
    }
    clauses.push_back({"EXISTS (SELECT 1 FROM " + table + " x WHERE x.workspace_id=? AND x." + col +
                           " IN (SELECT value FROM json_each(?)) AND x.contact_id=c.id)",
                       {ws, list}, false, stream, table, col, ids});
  }
};

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
  w.ws = ws;
  w.base = f.trash ? "c.workspace_id=? AND c.deleted_at IS NOT NULL" : "c.workspace_id=? AND c.deleted_at IS NULL";
  if (f.empty_scope) w.nothing = true;
  if (!f.q.empty()) {
    if (!f.trash) {
      w.search = QuickSearch(c, ws, f.q);  // its clause is added after the tags and groups joined it
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
    // With a words-only search, FTS5 intersects the tags' link tokens with the words itself.
    const bool join = !w.search.words_expr.empty();
    if (f.tag_mode == TagMode::kAny) {
      if (ids.empty()) w.nothing = true;
      else if (join) w.search.Require(AnyLink(ws, 't', ids));
      else w.AddLinks(c, "contact_tags", "tag_id", ids, f.q.empty() && !f.trash);
      w.any_tags = ids;
    } else if (f.tag_mode == TagMode::kAll) {
      if (missing) w.nothing = true;
      for (int64_t id : ids) {
        if (join) w.search.Require(AnyLink(ws, 't', {id}));
        else w.AddLinks(c, "contact_tags", "tag_id", {id}, f.q.empty() && !f.trash);
      }
    } else if (!ids.empty()) {
      w.Add("NOT EXISTS (SELECT 1 FROM contact_tags x WHERE x.workspace_id=? AND x.tag_id IN (SELECT value FROM "
            "json_each(?)) AND x.contact_id=c.id)",
            {ws, IdsJson(ids)});
    }
  }
  if (!f.groups.empty()) {
    std::vector<int64_t> ids;
    for (auto& g : f.groups)
      if (auto id = FindId(c, "groups", ws, g)) ids.push_back(*id);
    if (ids.empty()) w.nothing = true;
    else if (!w.search.words_expr.empty()) w.search.Require(AnyLink(ws, 'g', ids));
    else w.AddLinks(c, "contact_groups", "group_id", ids, f.q.empty() && !f.trash);
  }
  if (!w.search.empty()) w.Add("c.id IN (" + w.search.sql + ")", w.search.values, true);
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

// Created order is id order: ids are handed out as contacts are created.
const char* SortColumn(SortKey k) {
  switch (k) {
    case SortKey::kName: return "c.sort_name";
    case SortKey::kCreatedAt: return "c.id";
    case SortKey::kLastCalledAt: return "c.last_called_at";
  }
  return "c.id";
}

// Live links of one tag or group (its counter, kept by triggers).
int64_t LiveLinks(Conn& c, const std::string& link_table, int64_t ws, int64_t id) {
  return Count(c, std::string("SELECT live_count FROM ") + CounterTable(link_table) + " WHERE workspace_id=? AND id=?",
               {ws, id});
}

// search matches ∩ every link set, in id order, for a search combined only with tag/group
// conditions that FTS5 did not take (a phone search): both sides are read in contact id
// order (FTS5 rowid order, link table key order) and merged, instead of one index probe per
// match. nullopt when the filter has other terms. The ids give the total, and in id order
// the page itself.
std::optional<std::vector<int64_t>> Intersection(Conn& c, const Where& w) {
  std::vector<std::vector<int64_t>> sets;
  for (auto& cl : w.clauses) {
    if (cl.fts) continue;
    if (cl.link_table.empty()) return std::nullopt;
    // Each tag's links in key order (workspace, tag, contact id), merged for "any of".
    std::vector<int64_t> ids;
    for (int64_t link : cl.link_ids) {
      auto st = c.Prepare("SELECT contact_id FROM " + cl.link_table + " WHERE workspace_id=? AND " + cl.link_col +
                          "=? AND live=1 ORDER BY contact_id");
      st.Args(w.ws, link);
      std::vector<int64_t> one;
      one.reserve(static_cast<size_t>(LiveLinks(c, cl.link_table, w.ws, link)));
      while (st.Step()) one.push_back(st.Int(0));
      std::vector<int64_t> merged;
      merged.reserve(ids.size() + one.size());
      std::set_union(ids.begin(), ids.end(), one.begin(), one.end(), std::back_inserter(merged));
      ids = std::move(merged);
    }
    sets.push_back(std::move(ids));
  }
  std::vector<size_t> pos(sets.size(), 0);
  auto st = MatchIdsInOrder(c, w.search);
  std::vector<int64_t> common;
  while (st.Step()) {
    int64_t id = st.Int(0);
    bool in_all = true;
    for (size_t i = 0; i < sets.size() && in_all; ++i) {
      auto& s = sets[i];
      while (pos[i] < s.size() && s[pos[i]] < id) ++pos[i];
      if (pos[i] == s.size()) return common;  // one set is exhausted: no more common ids
      in_all = s[pos[i]] == id;
    }
    if (in_all) common.push_back(id);
  }
  return common;
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
    const bool by_id = query.sort == SortKey::kCreatedAt;
    std::string cursor_sql;
    std::vector<Value> cursor_values;
    if (!query.cursor.empty()) {
      auto raw = UnB64(query.cursor);
      if (!raw) return Fail(BadCursor());
      json cur = json::parse(*raw, nullptr, false);
      if (!cur.is_array() || cur.size() != 4 || cur[0] != static_cast<int>(query.sort) ||
          cur[1] != query.descending || !cur[3].is_number_integer())
        return Fail(BadCursor());
      const char* op = query.descending ? "<" : ">";
      if (by_id) {
        cursor_sql = std::string(" AND c.id ") + op + " ?";
      } else {
        cursor_sql = std::string(" AND (") + col + ", c.id) " + op + " (?, ?)";
        if (cur[2].is_string()) cursor_values.push_back(cur[2].get<std::string>());
        else if (cur[2].is_number_integer()) cursor_values.push_back(cur[2].get<int64_t>());
        else return Fail(BadCursor());
      }
      cursor_values.push_back(cur[3].get<int64_t>());
    }
    const std::string dir = query.descending ? " DESC" : "";
    const std::string order = by_id ? std::string(" ORDER BY c.id") + dir
                                    : std::string(" ORDER BY ") + col + dir + ", c.id" + dir;
    // In id order, the search matches stream from FTS5 by rowid and the page ends early.
    const std::string fts_order = by_id ? std::string(" ORDER BY s.id") + dir : order;
    std::string fts_cursor = cursor_sql;
    if (by_id && !fts_cursor.empty()) fts_cursor = std::string(" AND s.id ") + (query.descending ? "<" : ">") + " ?";
    const std::string select = std::string("SELECT ") + kContactSelectCols() + kContactLinkKindsCol();
    const std::string fts_from = " FROM (" + w.search.sql +
                                 ") s CROSS JOIN contacts c ON c.id=s.id LEFT JOIN departments d ON "
                                 "d.workspace_id=c.workspace_id AND d.id=c.department_id WHERE ";
    // A search with only tag/group conditions: its exact result, in id order.
    std::optional<std::vector<int64_t>> common;
    if (!w.search.empty() && w.Filters() > 0 && !query.filter.trash) common = Intersection(c, w);
    bool from_common = common && (by_id || common->size() <= static_cast<size_t>(kSortMatches));
    int64_t matches = -1;  // search matches, when counted
    // In id order, a search of several terms (words, words and tags, phone digits), whose
    // total has to be counted, is read once, in id order: the read counts it and keeps the
    // page. Streamed newest first, the page would intersect FTS5's doclists again, backwards,
    // until it has its rows, for a rare match through all of them (1M contacts: tag `lead`
    // with a word starting "cor", 2 matches, counted in 0.3 ms, paged in 1.0–1.4 ms).
    // A single word stays streamed: its total comes from the prefix counters or one doclist.
    if (!w.search.empty() && by_id && !from_common && w.Filters() == 0 && w.search.counted_word.empty()) {
      std::optional<int64_t> cursor_id;
      if (!cursor_values.empty()) cursor_id = std::get<int64_t>(cursor_values.back());
      auto counted = CountAndPage(c, w.search, query.descending, cursor_id, static_cast<size_t>(query.limit) + 1);
      matches = counted.total;
      common = std::move(counted.ids);
      from_common = true;
    }
    if (!w.search.empty() && !by_id && !from_common) {
      std::optional<int64_t> counted;
      if (!w.search.counted_word.empty()) counted = PrefixCount(c, ws, w.search.counted_word);
      if (counted) {
        matches = *counted;
      } else if (w.Filters() == 0) {
        // Counting them reads every match: the same read gives the page (a search of several
        // words, or of words and tags, evaluated once instead of twice).
        std::vector<int64_t> ids = MatchIds(c, w.search);
        matches = static_cast<int64_t>(ids.size());
        if (matches > kSortMatches)
          ids = WalkOrderForPage(c, ws, ids, cursor_sql + order, cursor_values, query.limit + 1);
        common = std::move(ids);
        from_common = true;
      } else {
        matches = CountMatches(c, w.search);
      }
    }
    if (matches > kSortMatches && w.Filters() == 0 && !from_common) {
      common = WalkOrderForPage(c, ws, MatchIds(c, w.search, matches), cursor_sql + order, cursor_values, query.limit + 1);
      from_common = true;
    }

    std::string sql;
    std::vector<Value> values;
    if (from_common) {
      // The page comes from those ids: in id order the next limit + 1 after the cursor,
      // in another order all of them (few, or the page's own) sorted.
      auto first = common->begin(), last = common->end();
      if (by_id) {
        const auto want = static_cast<std::ptrdiff_t>(query.limit) + 1;
        if (!cursor_values.empty()) {
          const int64_t after = std::get<int64_t>(cursor_values.back());
          if (query.descending) last = std::lower_bound(first, last, after);
          else first = std::upper_bound(first, last, after);
        }
        if (last - first > want) {
          if (query.descending) first = last - want;  // the newest of them
          else last = first + want;
        }
      }
      // The ids drive (CROSS JOIN keeps them the outer loop): each contact is read by its
      // id, and the few rows sorted. Left to choose, SQLite walked the whole sort index for
      // an order other than id and checked each row against the list (a phone search with a
      // tag, sorted by name, at a million contacts: 190–340 ms for 0–54 matches).
      const std::vector<int64_t> ids(first, last);
      sql = select + " FROM json_each(?) j CROSS JOIN contacts c ON c.id=j.value LEFT JOIN departments d ON "
            "d.workspace_id=c.workspace_id AND d.id=c.department_id WHERE c.workspace_id=? AND c.deleted_at IS NULL" +
            cursor_sql + order + " LIMIT ?";
      values = {IdsJson(ids), ws};
    } else if (!w.search.empty() && (by_id || matches <= kSortMatches)) {
      // Driven by the search matches: in rowid order they stream, otherwise they are few.
      auto [rest, rest_values] = w.Sql(false, true);
      sql = select + fts_from + rest + fts_cursor + fts_order + " LIMIT ?";
      values = w.search.values;
      values.insert(values.end(), rest_values.begin(), rest_values.end());
    } else if (w.search.empty() && by_id && !w.stream_table.empty() && !query.filter.trash) {
      // One tag or group in id order: its link table's key is (workspace, tag, contact id),
      // so the page streams from it and stops early, however large the tag.
      auto [rest, rest_values] = w.Sql(true, false);
      sql = select + " FROM " + w.stream_table + " x CROSS JOIN contacts c ON c.id=x.contact_id LEFT JOIN "
            "departments d ON d.workspace_id=c.workspace_id AND d.id=c.department_id WHERE x.workspace_id=? AND x." +
            w.stream_col + "=? AND x.live=1 AND " + rest +
            (cursor_sql.empty() ? "" : std::string(" AND x.contact_id ") + (query.descending ? "<" : ">") + " ?") +
            " ORDER BY x.contact_id" + dir + " LIMIT ?";
      values = {ws, w.stream_id};
      values.insert(values.end(), rest_values.begin(), rest_values.end());
    } else {
      auto [all, all_values] = w.Sql(true, true);
      sql = select + kContactSelectFrom() + " WHERE " + all + cursor_sql + order + " LIMIT ?";
      values = all_values;
    }
    values.insert(values.end(), cursor_values.begin(), cursor_values.end());
    values.push_back(int64_t{query.limit} + 1);
    auto st = c.Prepare(sql);
    BindAll(st, values);
    std::vector<std::string> sort_names;
    page.items.reserve(static_cast<size_t>(query.limit) + 1);
    int kinds = 0;
    while (st.Step()) {
      Contact& ct = page.items.emplace_back();
      ReadContactRow(st, ct);
      sort_names.push_back(st.Text(30));
      kinds |= ReadLinks(st, ct);
    }
    if (static_cast<int>(page.items.size()) > query.limit) {
      page.items.pop_back();
      const Contact& last = page.items.back();
      json cur = json::array({static_cast<int>(query.sort), query.descending, nullptr, last.id});
      if (query.sort == SortKey::kName) cur[2] = sort_names[page.items.size() - 1];
      else if (query.sort == SortKey::kLastCalledAt) cur[2] = last.last_called_at;
      page.next_cursor = B64(cur.dump());
    }
    LoadContactRelations(c, ws, page.items, kinds);

    const ContactFilter& f = query.filter;
    if (f.IsUnfiltered() && !f.trash) {
      page.total = Count(c, "SELECT contact_count FROM workspaces WHERE id=?", {ws});
    } else if (!w.search.empty() && w.Filters() == 0) {
      page.total = matches >= 0 ? matches : SearchMatches(c, ws, w.search);
    } else if (w.search.empty() && w.Filters() == 1 && !w.any_tags.empty() && !f.trash) {
      page.total = w.any_tags.size() == 1
                       ? LiveLinks(c, "contact_tags", ws, w.any_tags[0])
                       : Count(c, "SELECT count(DISTINCT contact_id) FROM contact_tags WHERE workspace_id=? AND "
                                  "tag_id IN (SELECT value FROM json_each(?)) AND live=1",
                               {ws, IdsJson(w.any_tags)});
    } else if (common) {
      page.total = static_cast<int64_t>(common->size());
    } else if (!w.search.empty()) {
      auto [rest, rest_values] = w.Sql(false, true);
      std::vector<Value> v = w.search.values;
      v.insert(v.end(), rest_values.begin(), rest_values.end());
      page.total = Count(c, "SELECT count(*) FROM (" + w.search.sql + ") s CROSS JOIN contacts c ON c.id=s.id WHERE " + rest, v);
    } else {
      auto [all, all_values] = w.Sql(true, true);
      page.total = Count(c, "SELECT count(*) FROM contacts c WHERE " + all, all_values);
    }
    return page;
  });
}

Result<std::vector<int64_t>> SqliteStore::MatchContactIds(int64_t ws, const ContactFilter& filter, int64_t max) {
  return Read([&](Conn& c) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> ids;
    Where w = BuildWhere(c, ws, filter);
    if (w.nothing) return ids;
    auto [all, all_values] = w.Sql(true, true);
    auto st = c.Prepare("SELECT c.id FROM contacts c WHERE " + all + " ORDER BY c.id LIMIT ?");
    BindAll(st, all_values);
    st.Bind(static_cast<int>(all_values.size()) + 1, max);
    while (st.Step()) ids.push_back(st.Int(0));
    return ids;
  });
}

}  // namespace dialbook::sqlite
