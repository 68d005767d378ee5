// The rules of Dialbook: validation, permissions, duplicate guard, limits, history.
// http/ and cli/ parse input into the types below, call one Service function and render
// the result; Service knows nothing of HTTP or of the database underneath (it talks to
// a Store). Every call that touches tenant data takes the Caller, whose workspace comes
// from the credential, never from input.
//
// Thread-safety: a Service is safe to use from many threads; it holds only the Store
// pointer and a small authentication cache guarded by a mutex.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "domain/model.h"
#include "domain/query.h"
#include "store/store.h"

namespace dialbook {

struct Caller {
  int64_t workspace_id = 0;
  int64_t user_id = 0;
  std::string email;
  Role role = Role::kAgent;
  std::optional<int64_t> department_id;
  bool via_session = false;
  std::string session_hash;  // for cookie sessions
  std::string csrf_token;    // for cookie sessions
};

// A JSON-ish scalar given for a custom field (the HTTP and CLI layers fill it in).
struct RawValue {
  enum class Kind { kNull, kString, kNumber, kBool };
  Kind kind = Kind::kNull;
  std::string text;  // string value, or the number as written
  bool boolean = false;
  bool integral = false;  // the number has no fraction part
};

struct PhoneInput {
  std::string label;
  std::string number;
};

struct ConsentInput {
  std::optional<std::string> status, source, at;
};

// Fields given in a create or a PATCH; absent = unchanged (PATCH) or default (create).
struct ContactInput {
  std::optional<std::string> first_name, last_name, name, phone, email, company, street, city,
      state, zip, country, notes, department, source;
  std::optional<std::vector<PhoneInput>> phones;
  std::optional<bool> starred, do_not_call;
  std::optional<std::vector<std::string>> tags, groups;
  std::optional<std::map<std::string, RawValue>> custom_fields;
  std::optional<ConsentInput> consent;
  std::optional<int64_t> version;
};

struct BulkError {
  size_t index = 0;
  Error error;
};
struct BulkResult {
  std::vector<int64_t> ids;
  std::vector<BulkError> errors;
};

struct ActionRequest {
  std::string action;
  std::vector<int64_t> ids;
  std::optional<Params> filter;  // list parameters instead of ids
  std::vector<std::string> tags;
  std::string group;
  std::string field;
  RawValue value;
};

struct LoginResult {
  std::string session_token;  // the cookie value (shown once)
  Caller caller;
};

struct MemberInfo {
  User user;
  Membership membership;
  std::string department;
};

// What Service::AddUser did: the membership, and whether the account is new (an existing
// account keeps its password and name: they belong to the person, in every workspace).
struct AddedUser {
  MemberInfo member;
  bool new_account = false;
};

struct MeInfo {
  User user;
  Workspace workspace;
  Role role;
  std::string department;
  std::vector<std::pair<Workspace, Role>> workspaces;
  std::string csrf_token;
};

struct FieldInput {
  std::optional<std::string> key, label, type, visibility;
  std::optional<std::vector<std::string>> options;
  std::optional<bool> required, archived;
  std::optional<int64_t> order;
};

struct TagInput {
  std::optional<std::string> label, description, color;
};

struct PresetInput {
  std::optional<std::string> name;
  std::optional<Params> filter;
  std::optional<bool> shared;
};

struct WorkspaceInput {
  std::optional<std::string> name, default_country;
  std::optional<int64_t> contact_limit;
};

struct MemberInput {
  std::optional<std::string> email, name, password, role, department;
};

class Service {
 public:
  explicit Service(Store& store) : store_(store) {}

  Store& store() { return store_; }

  // For the import jobs and the CLI: the caller a user is in a workspace (404 when not a
  // member), and the role check every call makes.
  Result<Caller> CallerForUser(int64_t user_id, int64_t workspace_id);
  // The user with this email (or, when empty, the workspace's first admin) in a workspace.
  Result<Caller> CallerForEmail(const std::string& email, int64_t workspace_id);
  Status RequireRole(const Caller& caller, Role least) const { return Require(caller, least); }

  // --- accounts (CLI and first run) ---------------------------------------------------
  // A workspace named on the command line: its id, or its name when no other has it.
  Result<Workspace> ResolveWorkspace(const std::string& name_or_id);
  Result<Workspace> CreateWorkspaceWithAdmin(const std::string& name, const std::string& email,
                                             const std::string& password, const std::string& admin_name);
  // Adds the user (created when new, with the password and name given) to the workspace; for
  // an existing member, changes the role only when one is given, and never demotes the last
  // admin.
  Result<AddedUser> AddUser(const std::string& workspace_name, const std::string& email,
                             const std::string& password, const std::string& name, std::optional<Role> role);
  Status SetPassword(const std::string& email, const std::string& password);
  // Returns the raw token (shown once).
  Result<std::string> IssueToken(const std::string& email, const std::string& workspace_name,
                                 const std::string& token_name);

  // --- authentication --------------------------------------------------------------------
  // Failed sign-ins are limited per email *and* client address (10 in 15 minutes), so a
  // stranger guessing cannot lock the owner out from another address; a far higher count per
  // email over all addresses (100) stops a guess spread over many addresses.
  Result<LoginResult> Login(const std::string& email, const std::string& password,
                            std::optional<int64_t> workspace_id, const std::string& client = "");
  Result<Caller> AuthenticateBearer(const std::string& token);
  Result<Caller> AuthenticateSession(const std::string& cookie_value);
  Status Logout(const Caller& caller);
  Result<Caller> SwitchWorkspace(const Caller& caller, int64_t workspace_id);
  Result<MeInfo> Me(const Caller& caller);
  Result<Workspace> CreateWorkspace(const Caller& caller, const std::string& name);

  // --- workspace settings ----------------------------------------------------------------
  Result<Workspace> GetWorkspace(const Caller& caller);
  Result<Workspace> UpdateWorkspace(const Caller& caller, const WorkspaceInput& in);

  // --- contacts ---------------------------------------------------------------------------
  Result<Contact> CreateContact(const Caller& caller, const ContactInput& in);
  Result<Contact> GetContact(const Caller& caller, int64_t id);
  Result<Contact> UpdateContact(const Caller& caller, int64_t id, const ContactInput& in,
                                std::optional<int64_t> if_match);
  Status DeleteContact(const Caller& caller, int64_t id, bool permanent);
  Result<Contact> RestoreContact(const Caller& caller, int64_t id);
  Result<std::vector<HistoryEntry>> History(const Caller& caller, int64_t id);
  // Erases contacts that have been in the trash for longer than kTrashDays; returns how many.
  Result<int64_t> PurgeExpiredTrash();
  static constexpr int64_t kTrashDays = 30;
  Result<BulkResult> BulkCreate(const Caller& caller, const std::vector<ContactInput>& in);
  Result<int64_t> RunAction(const Caller& caller, const ActionRequest& req);
  Result<ContactPage> ListContacts(const Caller& caller, const Params& params);
  // Fields the caller may see (for rendering contacts).
  Result<std::vector<FieldDef>> VisibleFields(const Caller& caller, bool include_archived);

  // --- tags, groups, departments -----------------------------------------------------------
  Result<std::vector<Tag>> ListTags(const Caller& caller);  // counts scoped to the caller's department
  Result<Tag> CreateTag(const Caller& caller, const TagInput& in);
  Result<Tag> UpdateTag(const Caller& caller, int64_t id, const TagInput& in);
  Status DeleteTag(const Caller& caller, int64_t id);
  Result<Tag> MergeTag(const Caller& caller, int64_t from, int64_t into);
  Result<std::vector<NamedSet>> ListSets(const Caller& caller, SetKind kind);
  Result<NamedSet> CreateSet(const Caller& caller, SetKind kind, const std::string& name);
  Result<NamedSet> RenameSet(const Caller& caller, SetKind kind, int64_t id, const std::string& name);
  Status DeleteSet(const Caller& caller, SetKind kind, int64_t id);

  // --- custom fields -------------------------------------------------------------------------
  Result<FieldDef> CreateField(const Caller& caller, const FieldInput& in);
  Result<FieldDef> UpdateField(const Caller& caller, const std::string& key, const FieldInput& in);
  Status DeleteField(const Caller& caller, const std::string& key, bool confirm);

  // --- presets -------------------------------------------------------------------------------
  Result<std::vector<Preset>> ListPresets(const Caller& caller);
  Result<Preset> CreatePreset(const Caller& caller, const PresetInput& in);
  Result<Preset> UpdatePreset(const Caller& caller, int64_t id, const PresetInput& in);
  Status DeletePreset(const Caller& caller, int64_t id);

  // --- members and tokens --------------------------------------------------------------------
  Result<std::vector<MemberInfo>> ListMembers(const Caller& caller);
  Result<MemberInfo> AddMember(const Caller& caller, const MemberInput& in);
  Result<MemberInfo> UpdateMember(const Caller& caller, int64_t user_id, const MemberInput& in);
  Status RemoveMember(const Caller& caller, int64_t user_id);
  Result<std::vector<ApiToken>> ListTokens(const Caller& caller);
  Result<std::pair<ApiToken, std::string>> CreateToken(const Caller& caller, const std::string& name);
  Status RevokeToken(const Caller& caller, int64_t id);

 private:
  Result<Caller> CallerFor(int64_t user_id, const std::string& email, int64_t workspace_id);
  Status Require(const Caller& caller, Role least) const;
  // Builds a contact from input (create: over defaults; update: over `base`).
  Status ApplyInput(const Caller& caller, const Workspace& ws, const std::vector<FieldDef>& fields,
                    const ContactInput& in, bool creating, Contact& c, const std::string& prefix);
  Result<Contact> VisibleContact(const Caller& caller, int64_t id);
  Error HideInvisible(const Caller& caller, Error e);
  // Tag (groups: false) or group counts of a department-scoped caller: its department only.
  template <typename T>
  Status ScopeCounts(const Caller& caller, bool groups, std::vector<T>& items);
  template <typename T>
  Result<T> ScopeCount(const Caller& caller, bool groups, Result<T> item);
  Result<ContactQuery> ResolveQuery(const Caller& caller, const Params& params, bool paging);
  void ForgetCachedAuth();

  Store& store_;
  struct CachedAuth {
    Caller caller;
    int64_t expires_at = 0;
    int64_t token_id = 0;
    int64_t touched_at = 0;
  };
  std::mutex auth_mu_;
  std::unordered_map<std::string, CachedAuth> auth_cache_;
  uint64_t auth_generation_ = 0;  // bumped by ForgetCachedAuth: older lookups are not cached
  // Failed logins per email (lower-case): count and start of the window, against guessing.
  std::unordered_map<std::string, std::pair<int, int64_t>> failed_logins_;
};

// Canonical text of a custom field value, or an error naming `field_path`.
Result<std::string> CanonicalFieldValue(const FieldDef& def, const RawValue& v,
                                        const std::string& field_path);

}  // namespace dialbook
