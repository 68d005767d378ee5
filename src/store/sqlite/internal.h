// Shared pieces of the SQLite backend's .cc files. Private to store/sqlite/.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"

namespace dialbook::sqlite {

Error ToError(const SqliteError& e);

template <typename F>
auto SqliteStore::Write(F&& fn) -> decltype(fn(std::declval<Conn&>())) {
  using R = decltype(fn(std::declval<Conn&>()));
  auto run = [&]() -> R {
    std::lock_guard lock(writer_mu_);
    struct Counted {
      SqliteStore* s;
      ~Counted() { s->AfterWrite(); }
    } counted{this};
    try {
      return fn(*writer_);
    } catch (const SqliteError& e) {
      return std::unexpected(ToError(e));
    }
  };
  if (!write_thread_) return run();
  return write_thread_->Submit(run).get();
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
    if (c != writer_.get()) EndRead(*c);  // not kept after a failure inside it
    return std::unexpected(ToError(e));
  }
}

// Search tokens: text is folded (FoldForSearch: case, accents, ł/ø/ß …) and cut into
// words at every character that is not a letter or digit; each word is indexed and
// searched as SearchTokenPrefix(ws) + word, one token per word. Words joined by an
// apostrophe are indexed both apart and joined, and searched joined.
enum class WordsFor { kIndex, kQuery };
std::vector<std::string> SearchWords(std::string_view text, WordsFor use = WordsFor::kIndex);
// The workspace id in 6 base-36 digits (fixed width: no workspace's tokens can be a prefix
// of another's, and the FTS prefix indexes line up for every workspace).
std::string SearchTokenPrefix(int64_t ws);
// Phone digits are searched apart from the words (contacts_phone_fts): each number is
// indexed by its distinct runs of kPhoneGram digits (SearchTokenPrefix(ws) + the digits;
// a shorter number by all its digits), and a search for a digit run asks for all its runs
// (a 3-digit search for runs that start with it), then checks the stored digits for the
// whole run. At most 10^4 distinct terms per workspace, each run in about 1/1,000 of the
// numbers, instead of nine distinct suffixes per number (which made phone tokens most of
// the cost of writing a contact); runs of 3 were too common to narrow a search.
constexpr size_t kPhoneGram = 4;
// The tokens a number's digits are indexed by: every run, and its last 3 digits (which no
// run starts with), each with the workspace prefix.
std::vector<std::string> PhoneIndexTokens(int64_t ws, std::string_view digits);
// The runs a search for `digits` (≥ kPhoneGram) asks for: at most `spread` of them, the
// first and the last included (enough to narrow the search before the whole run is checked).
std::vector<std::string> PhoneSearchGrams(int64_t ws, std::string_view digits, size_t spread);

// "[1,2,3]" for binding id lists through json_each.
std::string IdsJson(const std::vector<int64_t>& ids);
// The folded, lower-cased key under which labels and names are unique.
std::string NameKey(std::string_view name);
// Get-or-create by name; returns the id. `table` is tags, groups or departments.
int64_t EnsureNamed(Conn& c, const char* table, int64_t ws, const std::string& name, int64_t now);
// Writes tags, groups and custom field values of contacts (replacing what was there), in
// multi-row statements; returns each contact's search-row link tokens (see LinkToken). Names
// and field keys are looked up once per call. The contacts' rows must already hold their
// LinkKindsOf: large writes bypass the triggers that would set them.
std::vector<std::string> WriteRelations(Conn& c, int64_t ws, std::span<const Contact* const> contacts, bool replace,
                                        int64_t now);

}  // namespace dialbook::sqlite

namespace dialbook::sqlite {
// Contact row access (contact_rows.cc), shared by contacts.cc, contact_query.cc, imports.cc
// and search_index.cc.
const char* kContactSelectCols();  // column 30 is the sort key
const char* kContactSelectFrom();
const char* kContactLinkKindsCol();  // ", c.link_kinds, c.tag_labels": columns 32-33 (ReadLinks)
// Into `out`, a default Contact (its phones are appended to): reading in place
// spares moving ~800 bytes of strings per contact.
void ReadContactRow(const Stmt& st, Contact& out);
Contact ReadContactRow(const Stmt& st);
// The kinds of links a contact may have, kept in its row (contacts.link_kinds, schema
// migration 6): a kind whose bit is clear has no row; a set bit only says there may be some.
// A contact's own writes (CreateContacts, OverwriteContact) set exactly the kinds they write;
// other link inserts (bulk actions) set their bit by trigger, and removals (bulk actions,
// deleting a tag, group or field) leave it set. A contact's reads skip the kinds it has none of.
enum LinkKind : int { kTagLinks = 1, kGroupLinks = 2, kFieldValues = 4, kAllLinkKinds = 7 };
int LinkKindsOf(const Contact& c);  // the kinds WriteRelations writes for c
// A contact's row carries the labels of its tags (contacts.tag_labels, schema migration 7),
// which its reads take instead of looking its tags up. Every write that changes a contact's
// tags or a tag's label sets them again, in the same transaction:
// - an SQL expression of them, a JSON array in the order of the tags' keys, for the contact
//   whose id is `id_expr` in workspace `ws_expr` (both SQL expressions);
std::string TagLabelsSql(std::string_view ws_expr, std::string_view id_expr);
// - those of contacts about to be written with their tags (CreateContacts, OverwriteContact,
//   before WriteRelations), the same text as TagLabelsSql gives once they are: their tags
//   found by key (made when new), each once, with their stored labels;
std::vector<std::string> TagLabelsOf(Conn& c, int64_t ws, std::span<const Contact* const> contacts, int64_t now);
// - sets them on the contacts `ids` after a tag of theirs was renamed, deleted or merged (a
//   bulk change sets them with its own update), and moves their versions on: they read
//   differently, so an edit made from the old reading is refused as stale instead of
//   bringing the old tags back.
void RelabelTagged(Conn& c, int64_t ws, const std::vector<int64_t>& ids);
// Columns 32 and 33 (kContactLinkKindsCol) of a contact row read: its tags into c (from
// contacts.tag_labels), and the kinds of links left to load (LoadContactRelations). Every kind
// for a statement without them, so that a read which forgot the columns cannot lose links (an
// edit writes back what it read).
int ReadLinks(const Stmt& st, Contact& c);
// A bulk change's contacts (ApplyBulkChange): the live contacts of workspace ?2 among the ids
// of JSON array ?1. The ids drive the join (CROSS JOIN): left to itself, the planner walked
// every contact of the workspace and the whole array for each (at 1M contacts, a change to
// the 50,000 of a tag had not finished after 30 minutes).
inline constexpr const char* kBulkIdsSql =
    "INSERT OR IGNORE INTO bulk_ids SELECT c.id FROM json_each(?1) j CROSS JOIN contacts c ON "
    "c.id=j.value AND c.workspace_id=?2 AND c.deleted_at IS NULL";
// Loads the tags, groups and custom field values of the contacts, of the `kinds` (the link
// kinds of any of them, from their rows) only.
void LoadContactRelations(Conn& c, int64_t ws, std::span<Contact> contacts, int kinds);
// Contact writes shared by contacts.cc and the import batches (imports.cc); each runs inside
// the caller's transaction on the writer.
std::string PhonesJson(const Contact& c);
void InsertHistory(Conn& c, int64_t ws, int64_t contact_id, int64_t at, int64_t user_id, const std::string& action,
                   const std::string& changes_json);
bool LoadContact(Conn& c, int64_t ws, int64_t id, Contact& out);  // into a default Contact; false: none
std::optional<Contact> LoadContact(Conn& c, int64_t ws, int64_t id);
// A new live contact (version 1, created now) with links, search rows and its "created"
// history entry; sets ct.id. import_id marks a contact an import created.
void CreateContact(Conn& c, int64_t ws, Contact& ct, int64_t now, int64_t user_id, const std::string& history_note,
                   std::optional<int64_t> import_id);
// The id the next new contact gets (AUTOINCREMENT's: after the largest ever handed out).
int64_t NextContactId(Conn& c);
// A contact's search rows, computed from its fields alone (no database): the words, each
// with the workspace prefix and a space after it (its link tokens follow in the row); the
// keys of its counted word prefixes (the same form); the phone row's runs and digits (empty
// when no number has 3 digits).
struct SearchRows {
  std::string words, prefix_keys, phone_body, digits;
};
// What a new contact's rows need beyond its fields, computed from them alone: done outside
// the writer for import batches (SqliteStore::PrepareImportBatch), which keeps the writer,
// the one thread every import waits for, at writing rows.
struct DerivedRows {
  std::string sort_name, phones_json;
  SearchRows search;
};
DerivedRows DeriveRows(int64_t ws, const Contact& ct);
// The same for many new contacts at once, each table written in multi-row statements (ids
// are consecutive, in order). The caller checked their phones. derived: DeriveRows of each
// contact, or empty (derived here). prefixes_counted: the caller added the contacts' word
// prefix counts itself (AddPrefixCounts of a PrefixCounts summed outside the writer).
void CreateContacts(Conn& c, int64_t ws, std::span<Contact* const> cts, int64_t now, int64_t user_id,
                    const std::string& history_note, std::optional<int64_t> import_id,
                    std::span<const DerivedRows* const> derived = {}, bool prefixes_counted = false);
// The live contact with this phone (the lowest id), if any.
std::optional<int64_t> LivePhoneOwner(Conn& c, int64_t ws, const std::string& phone);
// The same for many numbers at once (their lowest-id live owner and its version; id 0 for none).
std::vector<PhoneOwner> LivePhoneOwners(Conn& c, int64_t ws, const std::vector<std::string_view>& phones);
// The plan-limit refusal when `adding` more live contacts would pass it.
std::optional<Error> CheckLimit(Conn& c, int64_t ws, int64_t adding);
void AddToCount(Conn& c, int64_t ws, int64_t delta);
// Erases contacts with their links and history; trashed_before: only those trashed before it.
int64_t EraseContacts(Conn& c, int64_t ws, const std::vector<int64_t>& ids, std::optional<int64_t> trashed_before);
// Writes ct's values and ct.version over the stored row (reindexed when live).
void OverwriteContact(Conn& c, int64_t ws, Contact& ct, int64_t now, bool live);

// ---- search rows (search_index.cc); writes inside the caller's write transaction ----
// The search token of a tag ('t') or group ('g') link: SearchTokenPrefix(ws) + "§" + kind +
// id. "§" is never part of a word, so no search word can match or prefix it.
std::string LinkToken(int64_t ws, char kind, int64_t id);
// The link tokens part of a search row, for these (kind, id) links, in one order.
std::string LinkTokens(int64_t ws, std::vector<std::pair<char, int64_t>> links);
SearchRows DeriveSearchRows(int64_t ws, const Contact& ct);
// Counts the rows' word prefixes for the live contacts (written at commit, see BeforeSearchCommit).
void AddPrefixCounts(Conn& c, const SearchRows& rows);
// Word prefix counts summed apart (key: workspace token prefix + prefix, as Conn::pending_counts),
// e.g. for a whole import batch outside the writer, then added in one go.
using PrefixCounts = std::unordered_map<std::string, int64_t>;
void CountPrefixes(PrefixCounts& counts, const SearchRows& rows, int64_t delta);
void AddPrefixCounts(Conn& c, const PrefixCounts& counts);
// Writes the search rows of a live contact (its prefixes counted apart: AddPrefixCounts).
void WriteSearchRows(Conn& c, int64_t id, const SearchRows& rows, const std::string& link_tokens);
// The same for many new contacts: their search text in multi-row statements, then the index
// entries. Nothing else may be written in multi-row statements after it in the transaction
// (FTS5 would write its pending terms out early).
void WriteSearchRows(Conn& c, std::span<const int64_t> ids, std::span<const SearchRows* const> rows,
                     std::span<const std::string> link_tokens);
// Writes the search rows of a live contact (words, tag and group tokens from its stored
// links, phone runs) and counts its word prefixes.
void IndexContact(Conn& c, const Contact& ct);
// The same with the link tokens known (just written: the caller's WriteRelations).
void IndexContact(Conn& c, const Contact& ct, const std::string& link_tokens);
// Removes a contact's search rows (it leaves the live set or is about to be indexed again).
void UnindexContact(Conn& c, int64_t ws, int64_t id);
// Rewrites the tag and group tokens of these contacts from their stored links (after links
// changed without the contact being rewritten); contacts without a search row are skipped.
void RelinkSearchRows(Conn& c, int64_t ws, const std::vector<int64_t>& ids);
// Prefixes up to this many characters have a maintained count of the live contacts with a
// word starting with them (search_prefixes).
constexpr size_t kCountedPrefixChars = 3;
// That count for a folded word of 1 to kCountedPrefixChars characters; nullopt for others.
std::optional<int64_t> PrefixCount(Conn& c, int64_t ws, const std::string& word);
// Writes the counter changes summed in c.pending_counts, and ends SuspendSearchMerges
// (Conn::before_commit of the writer).
void BeforeSearchCommit(Conn& c);
// For the rest of the write transaction, FTS5 writes the new terms out as segments without
// merging them into the older ones (automerge off; a crisis merge only past 64 segments of a
// level). For an import's batches: an import ends by merging the whole index into one segment
// (CompactSearchIndex), so merges in between are work done twice. BeforeSearchCommit writes
// the pending terms out and puts automerge back in the same transaction, so it never changes
// for other writers, and a batch that rolls back leaves nothing behind. The crisis merge
// threshold stays 64 once set (see BeforeSearchCommit).
void SuspendSearchMerges(Conn& c);
// A write transaction that removes the index entries of this many contacts (a trash,
// permanent delete or import undo of thousands; edits, which reindex) suspends FTS5's merges
// at that point (UnindexSearchText) and merges once just before its commit
// (BeforeSearchCommit, MergeSearchTables). FTS5 writes a removal as delete markers, which
// automerge kept folding into ever larger segments as they piled up: at 1M contacts,
// trashing 49,980 took 10.9–11.1 s of CPU with automerge and 7.8–8.4 s so. Writes that only
// add entries (creating, restoring, tagging) measured the same either way and keep automerge.
// Not when merges are already suspended (an import's batch, merged by CompactSearchIndex).
constexpr int64_t kManySearchRemovals = 1000;
// Merges each search table into one segment (FTS5 'optimize'), inside the caller's transaction.
void OptimizeSearchTables(Conn& c);
// Does the merging that FTS5's automerge leaves for later (levels of 4 segments or more), until
// none is left; inside the caller's transaction.
void MergeSearchTables(Conn& c);
// Indexes every live contact again (search tables and counters emptied first); for migrations.
void RebuildSearchIndex(Conn& c);
}  // namespace dialbook::sqlite
