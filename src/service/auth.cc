// Accounts and authentication: argon2id passwords, session cookies with CSRF tokens, API
// tokens. Secrets are stored only as hashes and never logged.
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/text.h"
#include "core/time.h"
#include "domain/phone.h"
#include "domain/query.h"
#include "service/service.h"

namespace dialbook {
namespace {

constexpr int64_t kSessionTtlMs = 30LL * 24 * 3600 * 1000;
constexpr int64_t kAuthCacheMs = 5000;
constexpr int kMaxFailedLogins = 10;          // per email and client address
constexpr int kMaxFailedLoginsPerEmail = 100;  // per email, all addresses together
constexpr int64_t kLoginWindowMs = 15 * 60 * 1000;

bool SodiumReady() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

std::string RandomToken(size_t bytes) {
  SodiumReady();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string HashSecret(const std::string& secret) {
  SodiumReady();
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     nullptr, 0);
  // A digest, not a secret: it needs no constant-time hex (sodium_bin2hex's), and this runs
  // on every request with a token.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(64, '\0');
  for (size_t i = 0; i < sizeof h; ++i) {
    hex[2 * i] = kHex[h[i] >> 4];
    hex[2 * i + 1] = kHex[h[i] & 15];
  }
  return hex;
}

Status CheckPassword(const std::string& password) {
  if (password.size() < 8) return Fail(FieldError("password", "the password needs at least 8 characters"));
  if (password.size() > 1024) return Fail(FieldError("password", "the password is too long"));
  return {};
}

Result<std::string> HashPassword(const std::string& password) {
  DB_TRY(CheckPassword(password));
  if (!SodiumReady()) return Fail(ErrorCode::kInternal, "libsodium failed to start");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Fail(ErrorCode::kInternal, "out of memory while hashing the password");
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, const std::string& password) {
  if (!SodiumReady() || hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Status CheckEmail(const std::string& email) {
  if (!IsValidEmail(email)) return Fail(FieldError("email", "'" + email + "' is not a valid email address"));
  return {};
}

Status CheckWorkspaceName(const std::string& name) {
  if (IsBlank(name)) return Fail(FieldError("name", "the workspace name is empty"));
  if (name.size() > 200) return Fail(FieldError("name", "the workspace name is too long (200 at most)"));
  return {};
}

}  // namespace

Status Service::Require(const Caller& caller, Role least) const {
  if (static_cast<int>(caller.role) < static_cast<int>(least))
    return Fail(ErrorCode::kPermissionDenied,
                std::string("this needs the ") + RoleName(least) + " role (you are " + RoleName(caller.role) + ")");
  return {};
}

Result<Workspace> Service::CreateWorkspaceWithAdmin(const std::string& name, const std::string& email,
                                                    const std::string& password, const std::string& admin_name) {
  DB_TRY(CheckWorkspaceName(name));
  DB_TRY(CheckEmail(email));
  DB_ASSIGN_OR_RETURN(auto same_name, store_.FindWorkspacesByName(name));
  if (!same_name.empty())
    return Fail(MakeError(ErrorCode::kAlreadyExists, "a workspace named '" + Trim(name) + "' exists (id " +
                                                         std::to_string(same_name[0].id) + ")")
                    .With("field", "name"));
  DB_ASSIGN_OR_RETURN(auto existing, store_.FindUserByEmail(email));
  User user;
  if (existing) {
    if (!VerifyPassword(existing->password_hash, password))
      return Fail(FieldError("admin-password", "a user with this email exists and the password does not match"));
    user = *existing;
  } else {
    DB_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
    DB_ASSIGN_OR_RETURN(user, store_.CreateUser(User{0, email, admin_name, hash, 0}));
  }
  Workspace ws;
  ws.name = Trim(name);
  DB_ASSIGN_OR_RETURN(ws, store_.CreateWorkspace(ws));
  DB_TRY(store_.PutMembership(Membership{ws.id, user.id, Role::kAdmin, std::nullopt, NowMillis()}));
  return ws;
}

Result<AddedUser> Service::AddUser(const std::string& workspace_name, const std::string& email,
                                   const std::string& password, const std::string& name, std::optional<Role> role) {
  DB_ASSIGN_OR_RETURN(auto ws, ResolveWorkspace(workspace_name));
  DB_TRY(CheckEmail(email));
  DB_ASSIGN_OR_RETURN(auto existing, store_.FindUserByEmail(email));
  User user;
  if (existing) {
    user = *existing;
  } else {
    DB_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
    DB_ASSIGN_OR_RETURN(user, store_.CreateUser(User{0, email, name, hash, 0}));
  }
  DB_ASSIGN_OR_RETURN(auto current, store_.GetMembership(ws.id, user.id));
  if (current) {
    // An existing member: the same path as an admin changing the role in the app.
    Caller admin{ws.id, 0, "", Role::kAdmin, std::nullopt, false, "", ""};
    MemberInput in;
    if (role) in.role = RoleName(*role);
    DB_ASSIGN_OR_RETURN(MemberInfo updated, UpdateMember(admin, user.id, in));
    return AddedUser{std::move(updated), !existing};
  }
  Membership m{ws.id, user.id, role.value_or(Role::kAgent), std::nullopt, NowMillis()};
  DB_TRY(store_.PutMembership(m));
  return AddedUser{MemberInfo{user, m, ""}, !existing};
}

Status Service::SetPassword(const std::string& email, const std::string& password) {
  DB_ASSIGN_OR_RETURN(auto user, store_.FindUserByEmail(email));
  if (!user) return Fail(ErrorCode::kNotFound, "no user with email " + email);
  DB_ASSIGN_OR_RETURN(user->password_hash, HashPassword(password));
  DB_TRY(store_.UpdateUser(*user));
  // Whoever was signed in with the old password is signed out (API tokens stay: they are
  // revoked on their own page).
  return store_.DeleteUserSessions(user->id);
}

Result<std::string> Service::IssueToken(const std::string& email, const std::string& workspace_name,
                                        const std::string& token_name) {
  DB_ASSIGN_OR_RETURN(auto user, store_.FindUserByEmail(email));
  if (!user) return Fail(ErrorCode::kNotFound, "no user with email " + email);
  DB_ASSIGN_OR_RETURN(auto ws, ResolveWorkspace(workspace_name));
  DB_ASSIGN_OR_RETURN(Caller caller, CallerFor(user->id, user->email, ws.id));
  DB_ASSIGN_OR_RETURN(auto created, CreateToken(caller, token_name));
  return created.second;
}

Result<Workspace> Service::ResolveWorkspace(const std::string& name_or_id) {
  std::string v = Trim(name_or_id);
  if (!v.empty() && v.size() < 18 && v.find_first_not_of("0123456789") == std::string::npos) {
    auto ws = store_.GetWorkspace(std::stoll(v));
    if (ws) return ws;
  }
  DB_ASSIGN_OR_RETURN(auto found, store_.FindWorkspacesByName(v));
  if (found.empty()) return Fail(ErrorCode::kNotFound, "no workspace named '" + v + "'");
  if (found.size() > 1) {
    std::string ids;
    for (auto& w : found) ids += (ids.empty() ? "" : ", ") + std::to_string(w.id);
    return Fail(FieldError("workspace", "several workspaces are named '" + v + "' (ids " + ids + "); give the id instead"));
  }
  return found[0];
}

// Names are unique among the workspaces of one user (tenants never learn each other's).
static Status CheckOwnNames(Store& store, int64_t user_id, const std::string& name, int64_t except) {
  DB_ASSIGN_OR_RETURN(auto mine, store.ListUserMemberships(user_id));
  for (auto& m : mine) {
    if (m.workspace_id == except) continue;
    auto ws = store.GetWorkspace(m.workspace_id);
    if (ws && FoldForSearch(ws->name) == FoldForSearch(name))
      return Fail(MakeError(ErrorCode::kAlreadyExists, "you already have a workspace named '" + name + "'").With("field", "name"));
  }
  return {};
}

Result<Caller> Service::CallerForUser(int64_t user_id, int64_t workspace_id) {
  DB_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  return CallerFor(user_id, u.email, workspace_id);
}

Result<Caller> Service::CallerForEmail(const std::string& email, int64_t workspace_id) {
  if (!email.empty()) {
    DB_ASSIGN_OR_RETURN(auto u, store_.FindUserByEmail(ToLowerAscii(Trim(email))));
    if (!u) return Fail(ErrorCode::kNotFound, "there is no user " + email);
    return CallerFor(u->id, u->email, workspace_id);
  }
  DB_ASSIGN_OR_RETURN(auto members, store_.ListMembers(workspace_id));
  for (auto& m : members)
    if (m.role == Role::kAdmin) return CallerForUser(m.user_id, workspace_id);
  return Fail(ErrorCode::kNotFound, "the workspace has no admin");
}

Result<Caller> Service::CallerFor(int64_t user_id, const std::string& email, int64_t workspace_id) {
  DB_ASSIGN_OR_RETURN(auto m, store_.GetMembership(workspace_id, user_id));
  if (!m) return Fail(ErrorCode::kNotFound, "you are not a member of this workspace");
  Caller c;
  c.workspace_id = workspace_id;
  c.user_id = user_id;
  c.email = email;
  c.role = m->role;
  c.department_id = m->department_id;
  return c;
}

Result<LoginResult> Service::Login(const std::string& email, const std::string& password,
                                   std::optional<int64_t> workspace_id, const std::string& client) {
  const Error wrong = MakeError(ErrorCode::kUnauthenticated, "wrong email or password");
  if (email.size() > 254 || password.size() > 1024 || client.size() > 64) return Fail(wrong);
  // No control characters in an email: the keys below are joined with '\n', and a made-up
  // "email\naddress" must not count against someone's per-address key.
  if (std::any_of(email.begin(), email.end(), [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; })) return Fail(wrong);
  const std::string email_key = ToLowerAscii(Trim(email));
  const std::string client_key = email_key + "\n" + client;
  const int64_t now = NowMillis();
  {
    std::lock_guard lock(auth_mu_);
    for (auto& [key, most] : {std::pair{client_key, kMaxFailedLogins}, std::pair{email_key, kMaxFailedLoginsPerEmail}}) {
      auto it = failed_logins_.find(key);
      if (it != failed_logins_.end() && now - it->second.second > kLoginWindowMs) failed_logins_.erase(it);
      else if (it != failed_logins_.end() && it->second.first >= most)
        return Fail(ErrorCode::kResourceExhausted, "too many failed sign-ins for this email; try again in 15 minutes");
    }
  }
  auto note_failure = [&] {
    std::lock_guard lock(auth_mu_);
    // Forget expired entries only: clearing everything would let a flood of made-up emails
    // reset the counts of real ones. Live entries stay bounded by the password hashing
    // (each failure costs an argon2id verification: at most a few dozen a second).
    if (failed_logins_.size() > 100000)
      std::erase_if(failed_logins_, [&](const auto& e) { return now - e.second.second > kLoginWindowMs; });
    for (const std::string* key : {&client_key, &email_key}) {
      auto& entry = failed_logins_[*key];
      if (entry.first == 0) entry.second = now;
      ++entry.first;
    }
  };
  DB_ASSIGN_OR_RETURN(auto user, store_.FindUserByEmail(email));
  // Unknown emails cost the same hashing work as known ones (no account probing by time).
  static const std::string kDummyHash = HashPassword("not a real password").value_or("");
  if (!VerifyPassword(user ? user->password_hash : kDummyHash, password) || !user) {
    note_failure();
    return Fail(wrong);
  }
  {
    std::lock_guard lock(auth_mu_);
    failed_logins_.erase(client_key);  // the per-email count keeps running: guesses elsewhere go on counting
  }
  DB_ASSIGN_OR_RETURN(auto memberships, store_.ListUserMemberships(user->id));
  if (memberships.empty()) return Fail(ErrorCode::kPermissionDenied, "this user belongs to no workspace");
  int64_t ws = workspace_id.value_or(memberships.front().workspace_id);
  DB_ASSIGN_OR_RETURN(Caller caller, CallerFor(user->id, user->email, ws));
  LoginResult r;
  r.session_token = RandomToken(32);
  Session s;
  s.token_hash = HashSecret(r.session_token);
  s.user_id = user->id;
  s.workspace_id = ws;
  s.csrf_token = RandomToken(24);
  s.created_at = NowMillis();
  s.expires_at = s.created_at + kSessionTtlMs;
  DB_TRY(store_.CreateSession(s));
  caller.via_session = true;
  caller.session_hash = s.token_hash;
  caller.csrf_token = s.csrf_token;
  r.caller = caller;
  return r;
}

Result<Caller> Service::AuthenticateBearer(const std::string& token) {
  // Built only when refused: this runs on every request with a token.
  auto bad = [] { return MakeError(ErrorCode::kUnauthenticated, "the API token is not valid (revoked or mistyped)"); };
  if (token.empty() || token.size() > 200) return Fail(bad());
  std::string hash = HashSecret(token);
  int64_t now = NowMillis();
  uint64_t generation;
  {
    std::lock_guard lock(auth_mu_);
    auto it = auth_cache_.find(hash);
    if (it != auth_cache_.end() && it->second.expires_at > now) return it->second.caller;
    generation = auth_generation_;
  }
  DB_ASSIGN_OR_RETURN(auto t, store_.FindTokenByHash(hash));
  if (!t || t->revoked_at) return Fail(bad());
  DB_ASSIGN_OR_RETURN(auto user, store_.GetUser(t->user_id));
  auto caller = CallerFor(user.id, user.email, t->workspace_id);
  if (!caller) return Fail(bad());
  // last_used_at is kept to the minute: no write on the hot path.
  if (now - t->last_used_at > 60000) (void)store_.TouchToken(t->workspace_id, t->id, now);
  std::lock_guard lock(auth_mu_);
  if (generation != auth_generation_) return *caller;  // a revoke or role change raced this read
  if (auth_cache_.size() > 10000) auth_cache_.clear();
  auth_cache_[hash] = CachedAuth{*caller, now + kAuthCacheMs, t->id, now};
  return *caller;
}

Result<Caller> Service::AuthenticateSession(const std::string& cookie) {
  const Error bad = MakeError(ErrorCode::kUnauthenticated, "you are signed out (the session ended)");
  if (cookie.empty() || cookie.size() > 200) return Fail(bad);
  std::string hash = HashSecret(cookie);
  DB_ASSIGN_OR_RETURN(auto s, store_.GetSession(hash));
  if (!s || s->expires_at < NowMillis()) return Fail(bad);
  DB_ASSIGN_OR_RETURN(auto user, store_.GetUser(s->user_id));
  auto caller = CallerFor(user.id, user.email, s->workspace_id);
  if (!caller) return Fail(bad);
  caller->via_session = true;
  caller->session_hash = hash;
  caller->csrf_token = s->csrf_token;
  return *caller;
}

Status Service::Logout(const Caller& caller) {
  if (!caller.via_session) return {};
  return store_.DeleteSession(caller.session_hash);
}

Result<Caller> Service::SwitchWorkspace(const Caller& caller, int64_t workspace_id) {
  if (!caller.via_session)
    return Fail(ErrorCode::kInvalidArgument, "an API token belongs to one workspace; create a token in the other workspace instead");
  DB_ASSIGN_OR_RETURN(Caller next, CallerFor(caller.user_id, caller.email, workspace_id));
  DB_TRY(store_.UpdateSessionWorkspace(caller.session_hash, workspace_id));
  next.via_session = true;
  next.session_hash = caller.session_hash;
  next.csrf_token = caller.csrf_token;
  return next;
}

Result<MeInfo> Service::Me(const Caller& caller) {
  MeInfo me;
  DB_ASSIGN_OR_RETURN(me.user, store_.GetUser(caller.user_id));
  DB_ASSIGN_OR_RETURN(me.workspace, store_.GetWorkspace(caller.workspace_id));
  me.role = caller.role;
  if (caller.department_id) {
    auto d = store_.GetSet(caller.workspace_id, SetKind::kDepartment, *caller.department_id);
    if (d) me.department = d->name;
  }
  DB_ASSIGN_OR_RETURN(auto ms, store_.ListUserMemberships(caller.user_id));
  for (auto& m : ms) {
    auto ws = store_.GetWorkspace(m.workspace_id);
    if (ws) me.workspaces.emplace_back(*ws, m.role);
  }
  me.csrf_token = caller.csrf_token;
  return me;
}

Result<Workspace> Service::CreateWorkspace(const Caller& caller, const std::string& name) {
  DB_TRY(CheckWorkspaceName(name));
  DB_TRY(CheckOwnNames(store_, caller.user_id, Trim(name), 0));
  Workspace ws;
  ws.name = Trim(name);
  DB_ASSIGN_OR_RETURN(auto current, store_.GetWorkspace(caller.workspace_id));
  ws.default_country = current.default_country;
  DB_ASSIGN_OR_RETURN(ws, store_.CreateWorkspace(ws));
  DB_TRY(store_.PutMembership(Membership{ws.id, caller.user_id, Role::kAdmin, std::nullopt, NowMillis()}));
  return ws;
}

// ---- members and tokens ---------------------------------------------------------------------

Result<std::vector<MemberInfo>> Service::ListMembers(const Caller& caller) {
  DB_TRY(Require(caller, Role::kAdmin));
  DB_ASSIGN_OR_RETURN(auto ms, store_.ListMembers(caller.workspace_id));
  DB_ASSIGN_OR_RETURN(auto depts, store_.ListSets(caller.workspace_id, SetKind::kDepartment));
  std::vector<MemberInfo> out;
  for (auto& m : ms) {
    MemberInfo info;
    DB_ASSIGN_OR_RETURN(info.user, store_.GetUser(m.user_id));
    info.membership = m;
    for (auto& d : depts)
      if (m.department_id && d.id == *m.department_id) info.department = d.name;
    out.push_back(std::move(info));
  }
  return out;
}

namespace {
Result<std::optional<int64_t>> DepartmentIdByName(Store& store, int64_t ws, const std::string& name) {
  if (IsBlank(name)) return std::optional<int64_t>();
  DB_ASSIGN_OR_RETURN(auto depts, store.ListSets(ws, SetKind::kDepartment));
  for (auto& d : depts)
    if (FoldForSearch(d.name) == FoldForSearch(Trim(name))) return std::optional<int64_t>(d.id);
  return Fail(FieldError("department", "no department named '" + name + "'"));
}
}  // namespace

Result<MemberInfo> Service::AddMember(const Caller& caller, const MemberInput& in) {
  DB_TRY(Require(caller, Role::kAdmin));
  if (!in.email) return Fail(FieldError("email", "email is required"));
  DB_TRY(CheckEmail(*in.email));
  auto role = ParseRole(in.role.value_or("agent"));
  if (!role) return Fail(FieldError("role", "role must be admin, manager or agent"));
  DB_ASSIGN_OR_RETURN(auto dept, DepartmentIdByName(store_, caller.workspace_id, in.department.value_or("")));
  DB_ASSIGN_OR_RETURN(auto existing, store_.FindUserByEmail(*in.email));
  User user;
  if (existing) {
    user = *existing;
    DB_ASSIGN_OR_RETURN(auto m, store_.GetMembership(caller.workspace_id, user.id));
    if (m) return Fail(MakeError(ErrorCode::kAlreadyExists, "this user is already a member").With("field", "email"));
  } else {
    if (!in.password) return Fail(FieldError("password", "a password is required for a new user"));
    DB_ASSIGN_OR_RETURN(std::string hash, HashPassword(*in.password));
    DB_ASSIGN_OR_RETURN(user, store_.CreateUser(User{0, *in.email, in.name.value_or(""), hash, 0}));
  }
  Membership m{caller.workspace_id, user.id, *role, dept, NowMillis()};
  DB_TRY(store_.PutMembership(m));
  return MemberInfo{user, m, dept ? Trim(*in.department) : ""};
}

Result<MemberInfo> Service::UpdateMember(const Caller& caller, int64_t user_id, const MemberInput& in) {
  DB_TRY(Require(caller, Role::kAdmin));
  DB_ASSIGN_OR_RETURN(auto m, store_.GetMembership(caller.workspace_id, user_id));
  if (!m) return Fail(ErrorCode::kNotFound, "member not found");
  if (in.email || in.password || in.name)
    return Fail(FieldError(in.email ? "email" : in.password ? "password" : "name",
                           "only role and department can be changed here"));
  if (in.role) {
    auto role = ParseRole(*in.role);
    if (!role) return Fail(FieldError("role", "role must be admin, manager or agent"));
    if (m->role == Role::kAdmin && *role != Role::kAdmin) {
      DB_ASSIGN_OR_RETURN(auto all, store_.ListMembers(caller.workspace_id));
      int admins = 0;
      for (auto& x : all) admins += x.role == Role::kAdmin;
      if (admins <= 1) return Fail(ErrorCode::kRuleViolation, "the last admin of a workspace cannot be demoted");
    }
    m->role = *role;
  }
  if (in.department) {
    DB_ASSIGN_OR_RETURN(m->department_id, DepartmentIdByName(store_, caller.workspace_id, *in.department));
  }
  DB_TRY(store_.PutMembership(*m));
  ForgetCachedAuth();
  MemberInfo info;
  DB_ASSIGN_OR_RETURN(info.user, store_.GetUser(user_id));
  info.membership = *m;
  if (m->department_id) {
    auto d = store_.GetSet(caller.workspace_id, SetKind::kDepartment, *m->department_id);
    if (d) info.department = d->name;
  }
  return info;
}

Status Service::RemoveMember(const Caller& caller, int64_t user_id) {
  DB_TRY(Require(caller, Role::kAdmin));
  DB_ASSIGN_OR_RETURN(auto m, store_.GetMembership(caller.workspace_id, user_id));
  if (!m) return Fail(ErrorCode::kNotFound, "member not found");
  if (m->role == Role::kAdmin) {
    DB_ASSIGN_OR_RETURN(auto all, store_.ListMembers(caller.workspace_id));
    int admins = 0;
    for (auto& x : all) admins += x.role == Role::kAdmin;
    if (admins <= 1) return Fail(ErrorCode::kRuleViolation, "the last admin of a workspace cannot be removed");
  }
  DB_TRY(store_.DeleteMembership(caller.workspace_id, user_id));
  ForgetCachedAuth();
  return {};
}

Result<std::vector<ApiToken>> Service::ListTokens(const Caller& caller) {
  DB_ASSIGN_OR_RETURN(auto all, store_.ListTokens(caller.workspace_id));
  if (caller.role == Role::kAdmin) return all;
  std::vector<ApiToken> mine;
  for (auto& t : all)
    if (t.user_id == caller.user_id) mine.push_back(t);
  return mine;
}

Result<std::pair<ApiToken, std::string>> Service::CreateToken(const Caller& caller, const std::string& name) {
  std::string n = Trim(name);
  if (n.empty()) n = "API token";
  if (n.size() > 200) return Fail(FieldError("name", "the token name is too long (200 at most)"));
  std::string raw = "dbk_" + RandomToken(32);
  ApiToken t;
  t.workspace_id = caller.workspace_id;
  t.user_id = caller.user_id;
  t.name = n;
  t.token_hash = HashSecret(raw);
  t.created_at = NowMillis();
  DB_ASSIGN_OR_RETURN(t, store_.CreateToken(t));
  return std::make_pair(t, raw);
}

Status Service::RevokeToken(const Caller& caller, int64_t id) {
  DB_ASSIGN_OR_RETURN(auto all, store_.ListTokens(caller.workspace_id));
  for (auto& t : all) {
    if (t.id != id) continue;
    if (t.user_id != caller.user_id && caller.role != Role::kAdmin)
      return Fail(ErrorCode::kPermissionDenied, "only an admin can revoke another user's token");
    DB_TRY(store_.RevokeToken(caller.workspace_id, id));
    ForgetCachedAuth();
    return {};
  }
  return Fail(ErrorCode::kNotFound, "token not found");
}

void Service::ForgetCachedAuth() {
  std::lock_guard lock(auth_mu_);
  auth_cache_.clear();
  ++auth_generation_;
}

// ---- workspace settings ---------------------------------------------------------------------

Result<Workspace> Service::GetWorkspace(const Caller& caller) {
  DB_TRY(Require(caller, Role::kAdmin));
  return store_.GetWorkspace(caller.workspace_id);
}

Result<Workspace> Service::UpdateWorkspace(const Caller& caller, const WorkspaceInput& in) {
  DB_TRY(Require(caller, Role::kAdmin));
  DB_ASSIGN_OR_RETURN(auto ws, store_.GetWorkspace(caller.workspace_id));
  if (in.name) {
    DB_TRY(CheckWorkspaceName(*in.name));
    DB_TRY(CheckOwnNames(store_, caller.user_id, Trim(*in.name), ws.id));
    ws.name = Trim(*in.name);
  }
  if (in.default_country) {
    std::string cc = *in.default_country;
    for (auto& ch : cc) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (!IsSupportedRegion(cc))
      return Fail(FieldError("default_country", "'" + *in.default_country + "' is not an ISO 3166 country code with phone numbering (e.g. US, GB, DE)"));
    ws.default_country = cc;
  }
  if (in.contact_limit) {
    if (*in.contact_limit < 0) return Fail(FieldError("contact_limit", "contact_limit must be 0 (unlimited) or more"));
    ws.contact_limit = *in.contact_limit;
  }
  DB_TRY(store_.UpdateWorkspace(ws));
  return store_.GetWorkspace(caller.workspace_id);
}

}  // namespace dialbook
