// The storage interface. One implementation per backend (sqlite/, later postgres/); every
// backend must pass tests/store/store_contract_test.cc. Nothing backend-specific leaks
// above this header.
//
// Ownership and scoping: every contact, tag, field, group, department, preset, token and
// history row belongs to one workspace; every method that touches them takes the
// workspace id first and never reads or writes another workspace's rows.
//
// Atomicity: each method is one transaction — it either does all it says or nothing.
// Rules (validation, permissions, duplicate policy) belong to service/; the store enforces
// only what must be atomic with the write: unique phones among live contacts, the plan
// limit, and optimistic versions.
//
// Thread-safety: a Store is safe to call from several threads at once.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "domain/model.h"
#include "domain/query.h"

namespace dialbook {

// Who made a change, for history rows.
struct Actor {
  int64_t user_id = 0;  // 0 = system / CLI
};

// A change applied to many contacts at once (bulk actions).
struct BulkChange {
  enum class Kind { kAddTags, kRemoveTags, kSetField, kClearField, kAddToGroup, kRemoveFromGroup,
                    kSetStarred, kSetDoNotCall };
  Kind kind = Kind::kAddTags;
  std::vector<std::string> names;  // tag labels or a group name
  int64_t field_id = 0;
  std::string field_key;
  std::string value;  // canonical field value
  double num_value = 0;
  bool has_num = false;
  bool flag = false;
};


// One contact written by an import batch.
struct ImportWrite {
  enum class Kind { kCreate, kUpdate };
  Kind kind = Kind::kCreate;
  Contact contact;               // create: the new contact; update: its whole new state (id set)
  int64_t expected_version = 0;  // update: the version the new state was computed from
  std::string changes_json;      // update: {"field":{"from","to"}} for its history
  bool join_list = false;        // add to the batch's dial list
  // Out, decided inside the transaction:
  int64_t id = 0;
  std::string skipped;  // "" = written; "already_exists" (phone taken meanwhile), "changed_meanwhile"
  int64_t existing_id = 0;
};

// A batch of an import, written in one transaction together with the job's progress, so
// that after a crash the job resumes exactly after the last committed batch.
struct ImportBatch {
  int64_t import_id = 0;
  std::vector<ImportWrite> writes;
  bool allow_same_phone = false;  // on_duplicate = create
  int64_t list_id = 0;
  ImportRecord progress;  // stored as is (status, counters, last_row, errors_bytes …)
  // Store::WriteStamp() taken just before the FindLivePhones that found the creates' phones
  // free (-1: none). When nothing but this import's own batches was written since, the
  // transaction need not ask again.
  int64_t phones_checked_at = -1;
  // Set by ApplyImportBatch: phones_checked_at held (nothing but this import was written
  // since it), so the creates' numbers were not asked again.
  bool phones_trusted = false;
  // What Store::PrepareImportBatch derived from the writes (the backend's own).
  std::shared_ptr<const void> derived;
};

struct UndoOutcome {
  int64_t removed = 0, restored = 0;
  std::vector<std::pair<int64_t, std::string>> conflicts;  // contact id, why it was kept
};

struct PhoneOwner {
  int64_t id = 0;  // 0 = nobody
  int64_t version = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- workspaces, users, memberships -------------------------------------------------
  virtual Result<Workspace> CreateWorkspace(const Workspace& ws) = 0;
  virtual Result<Workspace> GetWorkspace(int64_t id) = 0;
  // Names are not unique across tenants (a taken name must not reveal another tenant).
  virtual Result<std::vector<Workspace>> FindWorkspacesByName(const std::string& name) = 0;
  virtual Result<std::vector<Workspace>> ListWorkspaces() = 0;
  virtual Status UpdateWorkspace(const Workspace& ws) = 0;  // name, country, limit

  virtual Result<User> CreateUser(const User& user) = 0;  // 409 on same email
  virtual Result<User> GetUser(int64_t id) = 0;
  virtual Result<std::optional<User>> FindUserByEmail(const std::string& email) = 0;
  virtual Status UpdateUser(const User& user) = 0;  // name, password hash

  virtual Status PutMembership(const Membership& m) = 0;  // insert or replace
  virtual Result<std::optional<Membership>> GetMembership(int64_t workspace_id, int64_t user_id) = 0;
  virtual Result<std::vector<Membership>> ListMembers(int64_t workspace_id) = 0;
  virtual Result<std::vector<Membership>> ListUserMemberships(int64_t user_id) = 0;
  virtual Status DeleteMembership(int64_t workspace_id, int64_t user_id) = 0;

  // --- sessions and tokens --------------------------------------------------------------
  virtual Status CreateSession(const Session& s) = 0;
  virtual Result<std::optional<Session>> GetSession(const std::string& token_hash) = 0;
  virtual Status UpdateSessionWorkspace(const std::string& token_hash, int64_t workspace_id) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  virtual Status DeleteUserSessions(int64_t user_id) = 0;  // in every workspace

  virtual Result<ApiToken> CreateToken(const ApiToken& t) = 0;
  virtual Result<std::optional<ApiToken>> FindTokenByHash(const std::string& token_hash) = 0;
  virtual Result<std::vector<ApiToken>> ListTokens(int64_t workspace_id) = 0;
  virtual Status RevokeToken(int64_t workspace_id, int64_t id) = 0;  // 404 when not there
  virtual Status TouchToken(int64_t workspace_id, int64_t id, int64_t at) = 0;

  // --- contacts ---------------------------------------------------------------------------
  // Inserts all contacts or none. Tags, groups and the department are named and created
  // when missing. A phone that belongs to a live contact refuses the batch with
  // kAlreadyExists (details.existing_id) — or, when `existing` is given, that contact is
  // skipped and (*existing)[i] set to the owner's id (0 for those inserted), decided inside
  // the same transaction. kRuleViolation (details.limit) when the workspace would pass its
  // contact limit. Fills in ids, times and versions of the inserted ones.
  virtual Status InsertContacts(int64_t workspace_id, std::vector<Contact>& contacts, const Actor& actor,
                                std::vector<int64_t>* existing = nullptr) = 0;
  virtual Result<Contact> GetContact(int64_t workspace_id, int64_t id) = 0;
  // Replaces the stored contact with `contact` when its version is still expected_version
  // (else kFailedPrecondition), appends the history entry, bumps the version.
  virtual Status UpdateContact(int64_t workspace_id, Contact& contact, int64_t expected_version,
                               const HistoryEntry& entry) = 0;
  // Moves live contacts to the trash / back; returns how many changed.
  virtual Result<int64_t> TrashContacts(int64_t workspace_id, const std::vector<int64_t>& ids,
                                        const Actor& actor) = 0;
  virtual Result<int64_t> RestoreContacts(int64_t workspace_id, const std::vector<int64_t>& ids,
                                          const Actor& actor) = 0;
  // Erases contacts (live or trashed) with their values, memberships and history.
  virtual Result<int64_t> PurgeContacts(int64_t workspace_id, const std::vector<int64_t>& ids) = 0;
  // Erases, in every workspace, contacts that went to the trash before `cutoff` (ms).
  virtual Result<int64_t> PurgeTrashedBefore(int64_t cutoff) = 0;
  virtual Result<int64_t> ApplyBulkChange(int64_t workspace_id, const std::vector<int64_t>& ids,
                                          const BulkChange& change, const Actor& actor) = 0;

  virtual Result<ContactPage> QueryContacts(int64_t workspace_id, const ContactQuery& query) = 0;
  // All ids matching a filter (for bulk actions), at most `max` of them.
  virtual Result<std::vector<int64_t>> MatchContactIds(int64_t workspace_id,
                                                       const ContactFilter& filter,
                                                       int64_t max) = 0;
  virtual Result<std::vector<HistoryEntry>> ListHistory(int64_t workspace_id, int64_t contact_id,
                                                        int limit) = 0;

  // --- tags -------------------------------------------------------------------------------
  virtual Result<std::vector<Tag>> ListTags(int64_t workspace_id) = 0;
  virtual Result<Tag> GetTag(int64_t workspace_id, int64_t id) = 0;
  virtual Result<Tag> CreateTag(int64_t workspace_id, const Tag& tag) = 0;  // 409 same label
  virtual Status UpdateTag(int64_t workspace_id, const Tag& tag) = 0;
  virtual Status DeleteTag(int64_t workspace_id, int64_t id) = 0;
  virtual Status MergeTag(int64_t workspace_id, int64_t from_id, int64_t into_id) = 0;

  // Live contacts of one department per tag (groups: false) or per group (groups: true), by
  // id; tags or groups without such contacts are left out. The counts a caller scoped to a
  // department may see.
  virtual Result<std::map<int64_t, int64_t>> CountLinksInDepartment(int64_t workspace_id, bool groups,
                                                                     int64_t department_id) = 0;

  // --- groups and departments -------------------------------------------------------------
  virtual Result<std::vector<NamedSet>> ListSets(int64_t workspace_id, SetKind kind) = 0;
  virtual Result<NamedSet> GetSet(int64_t workspace_id, SetKind kind, int64_t id) = 0;
  virtual Result<NamedSet> CreateSet(int64_t workspace_id, SetKind kind, const std::string& name) = 0;
  virtual Status RenameSet(int64_t workspace_id, SetKind kind, int64_t id, const std::string& name) = 0;
  virtual Status DeleteSet(int64_t workspace_id, SetKind kind, int64_t id) = 0;

  // --- custom fields ----------------------------------------------------------------------
  virtual Result<std::vector<FieldDef>> ListFields(int64_t workspace_id) = 0;  // incl. archived
  virtual Result<FieldDef> CreateField(int64_t workspace_id, const FieldDef& f) = 0;  // 409 key
  virtual Status UpdateField(int64_t workspace_id, const FieldDef& f) = 0;
  virtual Status DeleteField(int64_t workspace_id, int64_t id) = 0;  // with its values
  virtual Result<int64_t> CountFieldValues(int64_t workspace_id, int64_t field_id) = 0;

  // --- presets ------------------------------------------------------------------------------
  virtual Result<std::vector<Preset>> ListPresets(int64_t workspace_id, int64_t user_id) = 0;
  virtual Result<Preset> GetPreset(int64_t workspace_id, int64_t id) = 0;
  virtual Result<Preset> CreatePreset(int64_t workspace_id, const Preset& p) = 0;
  virtual Status UpdatePreset(int64_t workspace_id, const Preset& p) = 0;
  virtual Status DeletePreset(int64_t workspace_id, int64_t id) = 0;

  // --- imports (SPEC S6) -------------------------------------------------------------------
  virtual Result<ImportRecord> CreateImport(int64_t workspace_id, const ImportRecord& rec) = 0;
  virtual Result<ImportRecord> GetImport(int64_t workspace_id, int64_t id) = 0;
  // Newest first; before_id = 0 for the first page.
  virtual Result<std::vector<ImportRecord>> ListImports(int64_t workspace_id, int limit, int64_t before_id) = 0;
  // Writes every mutable column of rec (status, mapping, progress, summary …). With
  // expect_status, only when the stored status is still that one (else kFailedPrecondition).
  virtual Status UpdateImport(int64_t workspace_id, const ImportRecord& rec,
                              const std::string& expect_status = "") = 0;
  virtual Status DeleteImport(int64_t workspace_id, int64_t id) = 0;
  // (workspace id, import) of every import left `running` (to resume after a restart).
  virtual Result<std::vector<std::pair<int64_t, ImportRecord>>> ListRunningImports() = 0;
  // The live owner of each phone (E.164), in order.
  virtual Result<std::vector<PhoneOwner>> FindLivePhones(int64_t workspace_id,
                                                         const std::vector<std::string>& phones) = 0;
  // A number that changes with every write committed (for ImportBatch::phones_checked_at);
  // -1 when the backend does not keep one (every batch then asks for its phones again).
  virtual int64_t WriteStamp() { return -1; }
  // The part of writing a batch that needs no database (the rows derived from the contacts'
  // fields), done on the caller's thread beforehand so that the one writer only writes.
  // The writes must not change between this and ApplyImportBatch. Optional.
  virtual void PrepareImportBatch(int64_t workspace_id, ImportBatch& batch) {}
  // Contacts by id (missing ones left out), with their relations.
  virtual Result<std::vector<Contact>> GetContacts(int64_t workspace_id, const std::vector<int64_t>& ids) = 0;
  // Creates the batch's contacts (import_id recorded on them), updates the updated ones
  // (their previous state kept for undo), adds members to the dial list, and stores
  // batch.progress, all in one transaction. kRuleViolation when the contact limit would
  // be passed (nothing of the batch written).
  virtual Status ApplyImportBatch(int64_t workspace_id, ImportBatch& batch, const Actor& actor) = 0;
  // Erases the contacts the import created and restores those it updated, except those
  // changed since (reported as conflicts and kept); drops the import's dial list.
  virtual Result<UndoOutcome> UndoImport(int64_t workspace_id, int64_t import_id, const Actor& actor) = 0;
  // After `contacts_written` contacts were written at once (an import, its undo): compacts
  // the search index when they are many, and many against all contacts stored (the same
  // answers, found faster); otherwise does the index upkeep that the import's batches put off.
  // Takes the writer for a moment (about 2 s at a million contacts with SQLite). Returns
  // whether it compacted.
  virtual Result<bool> CompactSearchIndex(int64_t contacts_written) = 0;

  virtual Result<std::vector<SavedMapping>> ListMappings(int64_t workspace_id) = 0;
  // Replaces a mapping of the same name.
  virtual Result<SavedMapping> SaveMapping(int64_t workspace_id, const SavedMapping& m) = 0;
  virtual Status DeleteMapping(int64_t workspace_id, int64_t id) = 0;

  // --- dial lists (SPEC S10) ------------------------------------------------------------------
  virtual Result<DialList> CreateList(int64_t workspace_id, const DialList& list) = 0;
  virtual Result<std::vector<DialList>> ListLists(int64_t workspace_id) = 0;
  virtual Result<DialList> GetList(int64_t workspace_id, int64_t id) = 0;
  // Members in list order after position `after`, at most limit.
  virtual Result<std::vector<DialListMember>> ListListMembers(int64_t workspace_id, int64_t list_id,
                                                          int64_t after, int limit) = 0;
};


struct StoreOptions {
  // Read the database file through memory mapping: faster reads for a long-running server;
  // off for one-shot commands such as a large import, whose resident size would otherwise
  // grow with the file.
  bool map_file = true;
  // Page cache of each reading connection. A server's readers keep the hot pages of many
  // queries; a one-shot command's readers only answer an import's lookups (a million-row
  // import's resident size grew by 34 MiB with 64 MiB caches, measured, for no speed).
  int reader_cache_mib = 64;
};

// Opens the store named by a URL: "sqlite:PATH" (or a bare path, or "sqlite::memory:").
// Applies pending schema migrations before returning.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options = {});

}  // namespace dialbook
