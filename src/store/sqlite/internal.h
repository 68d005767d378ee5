// Shared pieces of the SQLite backend's .cc files. Private to store/sqlite/.
#pragma once
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"

namespace dialbook::sqlite {

Error ToError(const SqliteError& e);

template <typename F>
auto SqliteStore::Write(F&& fn) -> decltype(fn(std::declval<Conn&>())) {
  std::lock_guard lock(writer_mu_);
  try {
    return fn(*writer_);
  } catch (const SqliteError& e) {
    return std::unexpected(ToError(e));
  }
}

template <typename F>
auto SqliteStore::Read(F&& fn) -> decltype(fn(std::declval<Conn&>())) {
  Conn* c = AcquireReader();
  struct Release {
    SqliteStore* s;
    Conn* c;
    ~Release() { s->ReleaseReader(c); }
  } release{this, c};
  try {
    return fn(*c);
  } catch (const SqliteError& e) {
    return std::unexpected(ToError(e));
  }
}

// Search tokens: text is folded (FoldForSearch: case, accents, ł/ø/ß …) and cut into
// words at every ASCII character that is not a letter or digit; each word is indexed and
// searched as SearchTokenPrefix(ws) + word, one token per word.
std::vector<std::string> SearchWords(std::string_view text);
// The workspace id in 6 base-36 digits (fixed width: no workspace's tokens can be a prefix
// of another's, and the FTS prefix indexes line up for every workspace).
std::string SearchTokenPrefix(int64_t ws);
// Phone digits are searched apart from the words (contacts_phone_fts): each number is
// indexed by its distinct 3-digit runs (SearchTokenPrefix(ws) + 3 digits), and a search
// for a digit run asks for runs of it, then checks the stored digits for the whole run.
// A few hundred thousand distinct terms per million contacts instead of nine suffixes per
// number, which made phone tokens most of the cost of writing a contact.
// PhoneGrams: the distinct 3-digit runs of `digits`, each with the workspace prefix;
// `spread` > 0 keeps at most that many, first and last included (enough to narrow a search).
std::vector<std::string> PhoneGrams(int64_t ws, std::string_view digits, size_t spread = 0);

// "[1,2,3]" for binding id lists through json_each.
std::string IdsJson(const std::vector<int64_t>& ids);
// The folded, lower-cased key under which labels and names are unique.
std::string NameKey(std::string_view name);
// Get-or-create by name; returns the id. `table` is tags, groups or departments.
int64_t EnsureNamed(Conn& c, const char* table, int64_t ws, const std::string& name, int64_t now);

}  // namespace dialbook::sqlite

namespace dialbook::sqlite {
// Contact row access shared by contacts.cc and contact_query.cc.
const char* kContactSelectCols();  // column 30 is the sort key
const char* kContactSelectFrom();
Contact ReadContactRow(const Stmt& st);
void LoadContactRelations(Conn& c, int64_t ws, std::vector<Contact>& contacts);
// Indexes every live contact again (both search tables emptied first); for migrations.
void RebuildSearchIndex(Conn& c);
}  // namespace dialbook::sqlite
