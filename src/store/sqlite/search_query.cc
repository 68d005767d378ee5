// The quick search of the SQLite backend (see search_query.h): a q → FTS5 subqueries of
// matching ids, and the reads of those matches that contact_query.cc's plans are built on.
#include "store/sqlite/search_query.h"

#include <algorithm>

#include "domain/query.h"
#include "store/sqlite/internal.h"

namespace dialbook::sqlite {

void BindAll(Stmt& st, const std::vector<Value>& values, int start) {
  int i = start;
  for (auto& v : values) std::visit([&](auto&& x) { st.Bind(i++, x); }, v);
}

namespace {

// "\"<prefix><word>\"* AND …": every word as a prefix, all required.
std::string WordsExpression(const std::string& prefix, const std::vector<std::string>& words) {
  std::string expr;
  for (auto& word : words) {
    if (!expr.empty()) expr += " AND ";
    expr += "\"" + prefix + word + "\"*";  // words hold only [a-z0-9] and UTF-8 letters: no quotes
  }
  return expr;
}

}  // namespace

// The quick search: words are prefixes in contacts_fts, all required. A run of 3 or
// more digits (a q of only digits and phone punctuation is one run) matches a contact
// whose phone numbers contain it, or a word that starts with it.
Search QuickSearch(Conn& c, int64_t ws, const std::string& q) {
  const std::optional<std::string> compact = PhoneQueryDigits(q);
  std::vector<std::string> words = compact && compact->size() >= 3 ? std::vector<std::string>{*compact}
                                                                   : SearchWords(q, WordsFor::kQuery);
  const std::string prefix = SearchTokenPrefix(ws);
  std::vector<std::string> plain;
  std::vector<Search> parts;
  for (auto& word : words) {
    bool digits = word.size() >= 3 && word.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) {
      plain.push_back(word);
      continue;
    }
    std::string grams;
    if (word.size() < kPhoneGram) {
      grams = "\"" + SearchTokenPrefix(ws) + word + "\"*";  // runs (and last digits) that start with it
    } else {
      for (auto& g : PhoneSearchGrams(ws, word, 6)) grams += (grams.empty() ? "\"" : " AND \"") + g + "\"";
    }
    // Up to kPhoneGram digits the index answers exactly (every such run is a run's start or
    // a number's last digits); a longer run is checked against the stored digits.
    Search part{"SELECT rowid AS id FROM contacts_phone_fts WHERE contacts_phone_fts MATCH ?", {grams}, {}, {}};
    if (word.size() > kPhoneGram) {
      part.sql += " AND instr(digits, ?) > 0";
      part.values.push_back(word);
    }
    // Words that start with the digits (notes, company …) match too. Most digit searches
    // have none, and then the phone matches alone stream in id order and count from the index.
    const std::string word_expr = WordsExpression(prefix, {word});
    auto any_word = c.Prepare("SELECT 1 FROM contacts_fts WHERE contacts_fts MATCH ? LIMIT 1");
    any_word.Args(word_expr);
    if (any_word.Step()) {
      part.sql += " UNION SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH ?";
      part.values.push_back(word_expr);
    }
    parts.push_back(std::move(part));
  }
  if (!plain.empty()) {
    const std::string expr = WordsExpression(prefix, plain);
    parts.insert(parts.begin(), {"SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH ?", {expr}, {}, {}});
    if (parts.size() == 1) {
      parts[0].words_expr = expr;
      if (plain.size() == 1) parts[0].counted_word = plain[0];
    }
  }
  if (parts.size() <= 1) return parts.empty() ? Search{} : parts[0];
  Search all{"SELECT id FROM (" + parts[0].sql + ")", parts[0].values, {}, {}};
  for (size_t i = 1; i < parts.size(); ++i) {
    all.sql += (i == 1 ? " WHERE " : " AND ") + std::string("id IN (") + parts[i].sql + ")";
    all.values.insert(all.values.end(), parts[i].values.begin(), parts[i].values.end());
  }
  return all;
}


int64_t Count(Conn& c, const std::string& sql, const std::vector<Value>& values) {
  auto st = c.Prepare(sql);
  BindAll(st, values);
  return st.Step() ? st.Int(0) : 0;
}

// Matches of a quick search, counted in the index.
int64_t CountMatches(Conn& c, const Search& s) { return Count(c, "SELECT count(*) FROM (" + s.sql + ")", s.values); }

// Matches of a quick search: the prefix counter of a short single word, else counted.
int64_t SearchMatches(Conn& c, int64_t ws, const Search& s) {
  if (!s.counted_word.empty())
    if (auto n = PrefixCount(c, ws, s.counted_word)) return *n;
  return CountMatches(c, s);
}


// The search's matching ids, stepped in id order.
Stmt MatchIdsInOrder(Conn& c, const Search& s) {
  auto st = c.Prepare("SELECT id FROM (" + s.sql + ") ORDER BY id");
  BindAll(st, s.values);
  return st;
}


// Every match of a search, in id order: one read of the index, which gives the total too.
std::vector<int64_t> MatchIds(Conn& c, const Search& search, int64_t expected) {
  std::vector<int64_t> ids;
  ids.reserve(static_cast<size_t>(expected));
  for (auto st = MatchIdsInOrder(c, search); st.Step();) ids.push_back(st.Int(0));
  return ids;
}

// One read of a search's matches in id order: how many there are, and the ids of a page, in
// id order: the `want` newest below `cursor_id` (descending), or the `want` oldest above it
// (ascending); `want` ≥ 1. Memory for the page only, however many match.
CountedPage CountAndPage(Conn& c, const Search& search, bool descending, std::optional<int64_t> cursor_id,
                         size_t want) {
  CountedPage out;
  std::vector<int64_t> ring(want);  // descending: the last `want` ids, ring[i % want]
  size_t kept = 0;
  for (auto st = MatchIdsInOrder(c, search); st.Step();) {
    ++out.total;
    const int64_t id = st.Int(0);
    if (descending) {
      if (!cursor_id || id < *cursor_id) ring[kept++ % want] = id;
    } else if ((!cursor_id || id > *cursor_id) && out.ids.size() < want) {
      out.ids.push_back(id);
    }
  }
  if (descending) {
    const size_t n = std::min(kept, want);
    out.ids.reserve(n);
    for (size_t i = kept - n; i < kept; ++i) out.ids.push_back(ring[i % want]);
  }
  return out;
}

// The ids of a page (at most `want`) of a broad search in an order other than id, from its
// match ids (in id order): the order's index is walked (`order_sql`: the cursor condition and
// ORDER BY) and its rows kept while they match, until the page is full. (Left to SQLite,
// every match is first copied into a temporary index: 25 ms for 190,000 matches of a
// million, against about 6.)
std::vector<int64_t> WalkOrderForPage(Conn& c, int64_t ws, const std::vector<int64_t>& ids,
                                      const std::string& order_sql, const std::vector<Value>& cursor_values,
                                      int want) {
  auto walk = c.Prepare("SELECT c.id FROM contacts c WHERE c.workspace_id=? AND c.deleted_at IS NULL" + order_sql);
  walk.Bind(1, ws);
  BindAll(walk, cursor_values, 2);
  std::vector<int64_t> page;
  while (page.size() < static_cast<size_t>(want) && walk.Step())
    if (std::binary_search(ids.begin(), ids.end(), walk.Int(0))) page.push_back(walk.Int(0));
  return page;
}

}  // namespace dialbook::sqlite
