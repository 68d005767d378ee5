// The quick search of the SQLite backend, for the contact list plans (contact_query.cc).
// Private to store/sqlite/.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "store/sqlite/db.h"

namespace dialbook::sqlite {

// A value bound to a statement's next parameter.
using Value = std::variant<int64_t, double, std::string>;
void BindAll(Stmt& st, const std::vector<Value>& values, int start = 1);

// A quick search as a subquery of matching contact ids (column `id`); empty sql when q has
// nothing searchable (see QuickSearch).
struct Search {
  std::string sql;
  std::vector<Value> values;
  // Set when the search is one MATCH on contacts_fts (words only): its expression, which
  // tag and group conditions join as link tokens (Require).
  std::string words_expr;
  // Set when the search is a single word and nothing joined it: its total may come from
  // the prefix counters (PrefixCount).
  std::string counted_word;
  bool empty() const { return sql.empty(); }
  void Require(const std::string& term) {
    words_expr += " AND " + term;
    values[0] = words_expr;
    counted_word.clear();
  }
};

// The quick search of q in workspace ws (its rules at the definition).
Search QuickSearch(Conn& c, int64_t ws, const std::string& q);

// The first column of the statement's first row (0 without a row).
int64_t Count(Conn& c, const std::string& sql, const std::vector<Value>& values);
int64_t CountMatches(Conn& c, const Search& s);
int64_t SearchMatches(Conn& c, int64_t ws, const Search& s);
Stmt MatchIdsInOrder(Conn& c, const Search& s);
std::vector<int64_t> MatchIds(Conn& c, const Search& search, int64_t expected = 0);

// A search's total and the ids of one page of it (CountAndPage).
struct CountedPage {
  int64_t total = 0;
  std::vector<int64_t> ids;
};
CountedPage CountAndPage(Conn& c, const Search& search, bool descending, std::optional<int64_t> cursor_id,
                         size_t want);
std::vector<int64_t> WalkOrderForPage(Conn& c, int64_t ws, const std::vector<int64_t>& ids,
                                      const std::string& order_sql, const std::vector<Value>& cursor_values,
                                      int want);

}  // namespace dialbook::sqlite
