// The SQLite backend of Store (embedded default). One writer connection (SQLite allows
// one writer at a time; writes are serialised by writer_mu_) and a small pool of reader
// connections, all on one WAL database file. Private to store/.
#pragma once
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/serial_worker.h"
#include "store/sqlite/db.h"
#include "store/store.h"

namespace dialbook::sqlite {

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<Store>> Open(const std::string& path, const StoreOptions& options = {});
  ~SqliteStore() override;

  Result<Workspace> CreateWorkspace(const Workspace& ws) override;
  Result<Workspace> GetWorkspace(int64_t id) override;
  Result<std::vector<Workspace>> FindWorkspacesByName(const std::string& name) override;
  Result<std::vector<Workspace>> ListWorkspaces() override;
  Status UpdateWorkspace(const Workspace& ws) override;
  Result<User> CreateUser(const User& user) override;
  Result<User> GetUser(int64_t id) override;
  Result<std::optional<User>> FindUserByEmail(const std::string& email) override;
  Status UpdateUser(const User& user) override;
  Status PutMembership(const Membership& m) override;
  Result<std::optional<Membership>> GetMembership(int64_t workspace_id, int64_t user_id) override;
  Result<std::vector<Membership>> ListMembers(int64_t workspace_id) override;
  Result<std::vector<Membership>> ListUserMemberships(int64_t user_id) override;
  Status DeleteMembership(int64_t workspace_id, int64_t user_id) override;
  Status CreateSession(const Session& s) override;
  Result<std::optional<Session>> GetSession(const std::string& token_hash) override;
  Status UpdateSessionWorkspace(const std::string& token_hash, int64_t workspace_id) override;
  Status DeleteSession(const std::string& token_hash) override;
  Status DeleteUserSessions(int64_t user_id) override;
  Result<ApiToken> CreateToken(const ApiToken& t) override;
  Result<std::optional<ApiToken>> FindTokenByHash(const std::string& token_hash) override;
  Result<std::vector<ApiToken>> ListTokens(int64_t workspace_id) override;
  Status RevokeToken(int64_t workspace_id, int64_t id) override;
  Status TouchToken(int64_t workspace_id, int64_t id, int64_t at) override;

  Status InsertContacts(int64_t workspace_id, std::vector<Contact>& contacts, const Actor& actor,
                        std::vector<int64_t>* existing = nullptr) override;
  Result<Contact> GetContact(int64_t workspace_id, int64_t id) override;
  Status UpdateContact(int64_t workspace_id, Contact& contact, int64_t expected_version,
                       const HistoryEntry& entry) override;
  Result<int64_t> TrashContacts(int64_t workspace_id, const std::vector<int64_t>& ids,
                                const Actor& actor) override;
  Result<int64_t> RestoreContacts(int64_t workspace_id, const std::vector<int64_t>& ids,
                                  const Actor& actor) override;
  Result<int64_t> PurgeContacts(int64_t workspace_id, const std::vector<int64_t>& ids) override;
  Result<int64_t> PurgeTrashedBefore(int64_t cutoff) override;
  Result<int64_t> ApplyBulkChange(int64_t workspace_id, const std::vector<int64_t>& ids,
                                  const BulkChange& change, const Actor& actor) override;
  Result<ContactPage> QueryContacts(int64_t workspace_id, const ContactQuery& query) override;
  Result<std::vector<int64_t>> MatchContactIds(int64_t workspace_id, const ContactFilter& filter,
                                               int64_t max) override;
  Result<std::vector<HistoryEntry>> ListHistory(int64_t workspace_id, int64_t contact_id,
                                                int limit) override;

  Result<std::vector<Tag>> ListTags(int64_t workspace_id) override;
  Result<Tag> GetTag(int64_t workspace_id, int64_t id) override;
  Result<Tag> CreateTag(int64_t workspace_id, const Tag& tag) override;
  Status UpdateTag(int64_t workspace_id, const Tag& tag) override;
  Status DeleteTag(int64_t workspace_id, int64_t id) override;
  Status MergeTag(int64_t workspace_id, int64_t from_id, int64_t into_id) override;
  Result<std::vector<NamedSet>> ListSets(int64_t workspace_id, SetKind kind) override;
  Result<std::map<int64_t, int64_t>> CountLinksInDepartment(int64_t workspace_id, bool groups,
                                                             int64_t department_id) override;
  Result<NamedSet> GetSet(int64_t workspace_id, SetKind kind, int64_t id) override;
  Result<NamedSet> CreateSet(int64_t workspace_id, SetKind kind, const std::string& name) override;
  Status RenameSet(int64_t workspace_id, SetKind kind, int64_t id, const std::string& name) override;
  Status DeleteSet(int64_t workspace_id, SetKind kind, int64_t id) override;
  Result<std::vector<FieldDef>> ListFields(int64_t workspace_id) override;
  Result<FieldDef> CreateField(int64_t workspace_id, const FieldDef& f) override;
  Status UpdateField(int64_t workspace_id, const FieldDef& f) override;
  Status DeleteField(int64_t workspace_id, int64_t id) override;
  Result<int64_t> CountFieldValues(int64_t workspace_id, int64_t field_id) override;
  Result<ImportRecord> CreateImport(int64_t workspace_id, const ImportRecord& rec) override;
  Result<ImportRecord> GetImport(int64_t workspace_id, int64_t id) override;
  Result<std::vector<ImportRecord>> ListImports(int64_t workspace_id, int limit, int64_t before_id) override;
  Status UpdateImport(int64_t workspace_id, const ImportRecord& rec, const std::string& expect_status) override;
  Status DeleteImport(int64_t workspace_id, int64_t id) override;
  Result<std::vector<std::pair<int64_t, ImportRecord>>> ListRunningImports() override;
  Result<std::vector<PhoneOwner>> FindLivePhones(int64_t workspace_id, const std::vector<std::string>& phones) override;
  Result<std::vector<Contact>> GetContacts(int64_t workspace_id, const std::vector<int64_t>& ids) override;
  int64_t WriteStamp() override { return write_stamp_.load(); }
  void PrepareImportBatch(int64_t workspace_id, ImportBatch& batch) override;
  Status ApplyImportBatch(int64_t workspace_id, ImportBatch& batch, const Actor& actor) override;
  Result<UndoOutcome> UndoImport(int64_t workspace_id, int64_t import_id, const Actor& actor) override;
  Result<bool> CompactSearchIndex(int64_t contacts_written) override;
  Result<std::vector<SavedMapping>> ListMappings(int64_t workspace_id) override;
  Result<SavedMapping> SaveMapping(int64_t workspace_id, const SavedMapping& m) override;
  Status DeleteMapping(int64_t workspace_id, int64_t id) override;
  Result<DialList> CreateList(int64_t workspace_id, const DialList& list) override;
  Result<std::vector<DialList>> ListLists(int64_t workspace_id) override;
  Result<DialList> GetList(int64_t workspace_id, int64_t id) override;
  Result<std::vector<DialListMember>> ListListMembers(int64_t workspace_id, int64_t list_id, int64_t after,
                                                      int limit) override;

  Result<std::vector<Preset>> ListPresets(int64_t workspace_id, int64_t user_id) override;
  Result<Preset> GetPreset(int64_t workspace_id, int64_t id) override;
  Result<Preset> CreatePreset(int64_t workspace_id, const Preset& p) override;
  Status UpdatePreset(int64_t workspace_id, const Preset& p) override;
  Status DeletePreset(int64_t workspace_id, int64_t id) override;

 private:
  explicit SqliteStore(std::string path) : path_(std::move(path)) {}

  // Runs fn on the writer / a reader connection; SqliteError becomes an Error.
  template <typename F>
  auto Write(F&& fn) -> decltype(fn(std::declval<Conn&>()));
  template <typename F>
  auto Read(F&& fn) -> decltype(fn(std::declval<Conn&>()));
  // A reading connection, its read transaction begun or still current (see kReadHold).
  Conn* AcquireReader();
  void ReleaseReader(Conn* c);
  // Ends the reader's kept read transaction (after an error inside it, or when stale).
  static void EndRead(Conn& c);
  // Ends the kept read transactions of readers idle for kReadHold, so that an idle reader
  // never holds back checkpoints (the WAL would grow without end while another process
  // writes); runs while any idle reader keeps one.
  void SweepLoop();
  // Counts a write (after each Write, under writer_mu_): write_stamp_ moves on, and the run of
  // consecutive batches of one import grows or ends.
  void AfterWrite();
  // Whether the phones found free at `stamp` are still free but for what import `import_id`
  // wrote since itself; inside the writer's transaction (commits of other processes are
  // noticed here too).
  bool PhonesCheckedSince(Conn& c, int64_t stamp, int64_t import_id);

  std::string path_;
  std::mutex writer_mu_;
  std::unique_ptr<Conn> writer_;
  std::unique_ptr<Checkpointer> checkpointer_;  // none for in-memory databases
  // Every write runs on this one thread (none for in-memory databases), and so do opening the
  // writer and the migrations (Open): the writer's page cache (64 MiB) is then allocated in
  // its malloc arena, not in those of the threads serving requests. Mixed with their
  // short-lived allocations (a bulk request's 10,000 contacts parsed), it kept their heaps
  // fragmented for good: after a million contacts through the bulk endpoint, malloc took 26 %
  // of a search's samples against 17 % on a fresh server, which answered 8–32 % more searches
  // a second beside it. Declared after writer_ and checkpointer_: its queue is run and its
  // thread joined before they close.
  std::unique_ptr<SerialWorker> write_thread_;
  // Writes committed through this store, and those noticed from other connections.
  std::atomic<int64_t> write_stamp_{0};
  // Under writer_mu_: the import whose batches made the latest run_length_ commits in a
  // row (0: none), the import whose batch the current Write commits, and the writer's last
  // seen PRAGMA data_version (it changes when another connection commits).
  int64_t run_import_ = 0, run_length_ = 0, committed_import_ = 0, data_version_ = -1;
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Conn>> readers_;
  std::vector<Conn*> idle_readers_;
  // SweepLoop's wake-up (under readers_mu_), and its thread: last, so that it is stopped
  // (~SqliteStore) before the readers close.
  std::condition_variable sweep_cv_;
  bool sweep_stop_ = false, sweeper_waits_ = false;
  std::thread sweeper_;
};

}  // namespace dialbook::sqlite
