// Contact rules: input → validated contact, duplicate guard, optimistic concurrency,
// trash, history diffs, bulk create, bulk actions and listing with role scoping.
#include <nlohmann/json.hpp>

#include <set>

#include "core/text.h"
#include "core/time.h"
#include "domain/phone.h"
#include "service/service.h"

namespace dialbook {

using nlohmann::json;

namespace {


constexpr size_t kMaxBulk = 10000;
constexpr int64_t kMaxActionContacts = 2000000;

Status CheckText(const std::string& path, const std::string& v, size_t max) {
  if (v.size() > max)
    return Fail(FieldError(path, path + " is too long (" + std::to_string(max) + " characters at most)"));
  if (!IsValidUtf8(v)) return Fail(FieldError(path, path + " is not valid UTF-8 text"));
  return {};
}

Result<std::vector<std::string>> CleanNames(const std::string& path, const std::vector<std::string>& in) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  if (in.size() > 100) return Fail(FieldError(path, "at most 100 " + path + " per contact"));
  for (size_t i = 0; i < in.size(); ++i) {
    std::string n = Trim(in[i]);
    std::string p = path + "[" + std::to_string(i) + "]";
    if (n.empty()) return Fail(FieldError(p, p + " is empty"));
    DB_TRY(CheckText(p, n, 100));
    if (seen.insert(FoldForSearch(n)).second) out.push_back(n);
  }
  return out;
}

json ContactSnapshot(const Contact& c) {
  json phones = json::array();
  for (auto& p : c.phones) phones.push_back({{"label", p.label}, {"number", p.number}});
  json cf = json::object();
  for (auto& [k, v] : c.custom_fields) cf[k] = v;
  return {{"first_name", c.first_name}, {"last_name", c.last_name}, {"phone", c.phone},
          {"phones", phones}, {"email", c.email}, {"company", c.company}, {"street", c.street},
          {"city", c.city}, {"state", c.state}, {"zip", c.zip}, {"country", c.country},
          {"notes", c.notes}, {"starred", c.starred}, {"do_not_call", c.do_not_call},
          {"department", c.department}, {"tags", c.tags}, {"groups", c.groups},
          {"consent_status", c.consent.status}, {"consent_source", c.consent.source},
          {"custom_fields", cf}};
}

// {"field": {"from": …, "to": …}} for every field that differs.
std::string DiffJson(const Contact& before, const Contact& after) {
  json a = ContactSnapshot(before), b = ContactSnapshot(after), out = json::object();
  for (auto it = b.begin(); it != b.end(); ++it) {
    if (it.key() == "custom_fields") continue;
    if (a[it.key()] != it.value()) out[it.key()] = {{"from", a[it.key()]}, {"to", it.value()}};
  }
  auto& ca = a["custom_fields"];
  auto& cb = b["custom_fields"];
  std::set<std::string> keys;
  for (auto it = ca.begin(); it != ca.end(); ++it) keys.insert(it.key());
  for (auto it = cb.begin(); it != cb.end(); ++it) keys.insert(it.key());
  for (auto& k : keys) {
    json from = ca.contains(k) ? ca[k] : json(nullptr), to = cb.contains(k) ? cb[k] : json(nullptr);
    if (from != to) out["custom_fields." + k] = {{"from", from}, {"to", to}};
  }
  return out.dump();
}

Error PhoneError(const std::string& path, const PhoneInfo& info, const std::string& input) {
  Error e = FieldError(path, "'" + input + "' is not a usable phone number: " + info.message);
  e.details["reason"] = info.reason;
  return e;
}

}  // namespace

Status Service::ApplyInput(const Caller& caller, const Workspace& ws, const std::vector<FieldDef>& fields,
                           const ContactInput& in, bool creating, Contact& c, const std::string& pre) {
  auto text = [&](const char* name, const std::optional<std::string>& v, std::string& dst, size_t max) -> Status {
    if (!v) return {};
    std::string t = Trim(*v);
    DB_TRY(CheckText(pre + name, t, max));
    dst = t;
    return {};
  };
  if (in.name && !in.first_name && !in.last_name) {
    DB_TRY(CheckText(pre + "name", *in.name, 400));
    auto [first, last] = SplitName(*in.name);
    c.first_name = first;
    c.last_name = last;
  }
  DB_TRY(text("first_name", in.first_name, c.first_name, 200));
  DB_TRY(text("last_name", in.last_name, c.last_name, 200));
  DB_TRY(text("email", in.email, c.email, 254));
  DB_TRY(text("company", in.company, c.company, 200));
  DB_TRY(text("street", in.street, c.street, 500));
  DB_TRY(text("city", in.city, c.city, 100));
  DB_TRY(text("state", in.state, c.state, 100));
  DB_TRY(text("zip", in.zip, c.zip, 20));
  DB_TRY(text("country", in.country, c.country, 100));
  DB_TRY(text("notes", in.notes, c.notes, 20000));
  if (in.email && !c.email.empty() && !IsValidEmail(c.email))
    return Fail(FieldError(pre + "email", "'" + c.email + "' is not a valid email address"));
  // Numbers written without "+" are read in the contact's country when it is a known
  // ISO code, else in the workspace's default country.
  std::string region = ws.default_country;
  if (c.country.size() == 2) {
    std::string cc = c.country;
    for (auto& ch : cc) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (IsSupportedRegion(cc)) region = cc;
  }
  if (in.phone) {
    PhoneInfo info = ParsePhone(*in.phone, region);
    if (!info.ok) return Fail(PhoneError(pre + "phone", info, *in.phone));
    c.phone = info.e164;
    c.phone_formatted = info.international;
    c.phone_type = info.type;
    c.phone_location = info.location;
  } else if (creating) {
    return Fail(FieldError(pre + "phone", "phone is required"));
  }
  if (in.phones) {
    if (in.phones->size() > 20) return Fail(FieldError(pre + "phones", "at most 20 additional phones"));
    c.phones.clear();
    for (size_t i = 0; i < in.phones->size(); ++i) {
      const auto& p = (*in.phones)[i];
      std::string path = pre + "phones[" + std::to_string(i) + "]";
      DB_TRY(CheckText(path + ".label", p.label, 50));
      PhoneInfo info = ParsePhone(p.number, region);
      if (!info.ok) return Fail(PhoneError(path + ".number", info, p.number));
      c.phones.push_back({Trim(p.label), info.e164, info.international, info.type, info.location});
    }
  }
  if (in.starred) c.starred = *in.starred;
  if (in.do_not_call) c.do_not_call = *in.do_not_call;
  if (in.tags) { DB_ASSIGN_OR_RETURN(c.tags, CleanNames(pre + "tags", *in.tags)); }
  if (in.groups) { DB_ASSIGN_OR_RETURN(c.groups, CleanNames(pre + "groups", *in.groups)); }
  if (in.department) {
    std::string d = Trim(*in.department);
    DB_TRY(CheckText(pre + "department", d, 100));
    c.department = d;
  }
  if (caller.department_id) {
    auto mine = store_.GetSet(caller.workspace_id, SetKind::kDepartment, *caller.department_id);
    std::string my_name = mine ? mine->name : "";
    if (in.department && FoldForSearch(c.department) != FoldForSearch(my_name))
      return Fail(MakeError(ErrorCode::kPermissionDenied, "you can only file contacts in your department (" + my_name + ")")
                      .With("field", pre + "department"));
    c.department = my_name;
  }
  if (in.consent) {
    const auto& k = *in.consent;
    if (k.status) {
      if (*k.status != "unknown" && *k.status != "granted" && *k.status != "revoked")
        return Fail(FieldError(pre + "consent.status", "consent.status must be unknown, granted or revoked"));
      if (*k.status != c.consent.status) c.consent.at = NowMillis();
      c.consent.status = *k.status;
    }
    if (k.source) {
      DB_TRY(CheckText(pre + "consent.source", *k.source, 200));
      c.consent.source = Trim(*k.source);
    }
    if (k.at) {
      auto t = ParseTime(*k.at);
      if (!t) return Fail(FieldError(pre + "consent.at", "consent.at must be an RFC 3339 time"));
      c.consent.at = *t;
    }
  }
  if (creating) {
    c.source = caller.via_session ? "manual" : "api";
    if (in.source) {
      if (*in.source != "manual" && *in.source != "api" && *in.source != "import" &&
          *in.source != "inbound_call" && *in.source != "inbound_sms")
        return Fail(FieldError(pre + "source", "source must be manual, api, import, inbound_call or inbound_sms"));
      c.source = *in.source;
    }
  }
  if (in.custom_fields) {
    for (auto& [key, raw] : *in.custom_fields) {
      std::string path = pre + "custom_fields." + key;
      const FieldDef* def = nullptr;
      for (auto& f : fields)
        if (f.key == key) def = &f;
      if (!def || static_cast<int>(def->visibility) > static_cast<int>(caller.role))
        return Fail(FieldError(path, "there is no custom field '" + key + "'"));
      if (def->archived) return Fail(FieldError(path, "the custom field '" + key + "' is archived"));
      if (raw.kind == RawValue::Kind::kNull || (raw.kind == RawValue::Kind::kString && IsBlank(raw.text))) {
        c.custom_fields.erase(key);
        continue;
      }
      DB_ASSIGN_OR_RETURN(c.custom_fields[key], CanonicalFieldValue(*def, raw, path));
    }
  }
  for (auto& f : fields)
    if (f.required && !f.archived && !c.custom_fields.contains(f.key) &&
        (creating || (in.custom_fields && in.custom_fields->contains(f.key))))
      return Fail(FieldError(pre + "custom_fields." + f.key, "'" + f.label + "' is required"));
  return {};
}

// A duplicate-phone error names the existing contact only when the caller may see it.
Error Service::HideInvisible(const Caller& caller, Error e) {
  auto it = e.details.find("existing_id");
  if (it != e.details.end() && caller.department_id && !VisibleContact(caller, std::stoll(it->second)))
    e.details.erase(it);
  return e;
}

Result<Contact> Service::VisibleContact(const Caller& caller, int64_t id) {
  // The store's result is checked and returned in place (one return: no move of the contact).
  Result<Contact> c = store_.GetContact(caller.workspace_id, id);
  if (c && caller.department_id) {
    auto mine = store_.GetSet(caller.workspace_id, SetKind::kDepartment, *caller.department_id);
    if (!mine || FoldForSearch(mine->name) != FoldForSearch(c->department))
      c = Fail(ErrorCode::kNotFound, "contact not found");
  }
  if (c && caller.role != Role::kAdmin) {
    if (auto fields = store_.ListFields(caller.workspace_id); !fields) {
      c = Fail(std::move(fields.error()));
    } else {
      for (auto& f : *fields)
        if (static_cast<int>(f.visibility) > static_cast<int>(caller.role)) c->custom_fields.erase(f.key);
    }
  }
  return c;
}

Result<Contact> Service::CreateContact(const Caller& caller, const ContactInput& in) {
  DB_ASSIGN_OR_RETURN(auto ws, store_.GetWorkspace(caller.workspace_id));
  DB_ASSIGN_OR_RETURN(auto fields, store_.ListFields(caller.workspace_id));
  Contact c;
  DB_TRY(ApplyInput(caller, ws, fields, in, true, c, ""));
  std::vector<Contact> one{c};
  auto st = store_.InsertContacts(caller.workspace_id, one, Actor{caller.user_id});
  if (!st) {
    return Fail(HideInvisible(caller, st.error()));
  }
  return VisibleContact(caller, one[0].id);
}

Result<Contact> Service::GetContact(const Caller& caller, int64_t id) { return VisibleContact(caller, id); }

Result<Contact> Service::UpdateContact(const Caller& caller, int64_t id, const ContactInput& in,
                                       std::optional<int64_t> if_match) {
  DB_TRY(Require(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(Contact before, VisibleContact(caller, id));
  DB_ASSIGN_OR_RETURN(Contact c, store_.GetContact(caller.workspace_id, id));  // with hidden fields
  DB_ASSIGN_OR_RETURN(auto ws, store_.GetWorkspace(caller.workspace_id));
  DB_ASSIGN_OR_RETURN(auto fields, store_.ListFields(caller.workspace_id));
  std::optional<int64_t> expected = if_match ? if_match : in.version;
  if (expected && *expected != c.version)
    return Fail(MakeError(ErrorCode::kFailedPrecondition,
                          "the contact was changed by someone else since you loaded it (now version " +
                              std::to_string(c.version) + ")")
                    .With("current_version", std::to_string(c.version)));
  Contact old = c;
  DB_TRY(ApplyInput(caller, ws, fields, in, false, c, ""));
  HistoryEntry h;
  h.user_id = caller.user_id;
  h.action = "updated";
  h.changes_json = DiffJson(old, c);
  if (h.changes_json == "{}") return before;  // nothing changed: no new version
  if (auto st = store_.UpdateContact(caller.workspace_id, c, old.version, h); !st)
    return Fail(HideInvisible(caller, st.error()));
  return VisibleContact(caller, id);
}

Status Service::DeleteContact(const Caller& caller, int64_t id, bool permanent) {
  DB_TRY(Require(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(Contact c, VisibleContact(caller, id));
  if (permanent) {
    DB_TRY(store_.PurgeContacts(caller.workspace_id, {id}));
    return {};
  }
  if (c.deleted_at) return {};
  DB_TRY(store_.TrashContacts(caller.workspace_id, {id}, Actor{caller.user_id}));
  return {};
}

Result<Contact> Service::RestoreContact(const Caller& caller, int64_t id) {
  DB_TRY(Require(caller, Role::kManager));
  DB_ASSIGN_OR_RETURN(Contact c, VisibleContact(caller, id));
  if (c.deleted_at)
    if (auto n = store_.RestoreContacts(caller.workspace_id, {id}, Actor{caller.user_id}); !n)
      return Fail(HideInvisible(caller, n.error()));
  return VisibleContact(caller, id);
}

Result<std::vector<HistoryEntry>> Service::History(const Caller& caller, int64_t id) {
  DB_TRY(VisibleContact(caller, id));
  DB_ASSIGN_OR_RETURN(auto entries, store_.ListHistory(caller.workspace_id, id, 500));
  if (caller.role == Role::kAdmin) return entries;
  // Changes of custom fields the caller may not see are left out of the history too.
  DB_ASSIGN_OR_RETURN(auto fields, store_.ListFields(caller.workspace_id));
  std::vector<std::string> hidden;
  for (auto& f : fields)
    if (static_cast<int>(f.visibility) > static_cast<int>(caller.role)) hidden.push_back("custom_fields." + f.key);
  if (hidden.empty()) return entries;
  for (auto& e : entries) {
    json changes = json::parse(e.changes_json, nullptr, false);
    if (!changes.is_object()) continue;
    for (auto& key : hidden) changes.erase(key);
    e.changes_json = changes.dump();
  }
  return entries;
}

Result<int64_t> Service::PurgeExpiredTrash() {
  return store_.PurgeTrashedBefore(NowMillis() - kTrashDays * 24 * 3600 * 1000);
}

Result<BulkResult> Service::BulkCreate(const Caller& caller, const std::vector<ContactInput>& in) {
  DB_TRY(Require(caller, Role::kManager));
  if (in.size() > kMaxBulk)
    return Fail(MakeError(ErrorCode::kPayloadTooLarge, "at most 10000 contacts per bulk request (got " +
                                                           std::to_string(in.size()) + ")")
                    .With("field", "contacts"));
  DB_ASSIGN_OR_RETURN(auto ws, store_.GetWorkspace(caller.workspace_id));
  DB_ASSIGN_OR_RETURN(auto fields, store_.ListFields(caller.workspace_id));
  BulkResult result;
  std::vector<Contact> ok;
  std::vector<size_t> ok_index;
  std::map<std::string, size_t> seen;  // phone → index in the batch
  for (size_t i = 0; i < in.size(); ++i) {
    Contact c;
    std::string pre = "contacts[" + std::to_string(i) + "].";
    auto st = ApplyInput(caller, ws, fields, in[i], true, c, pre);
    if (!st) {
      result.errors.push_back({i, st.error()});
      continue;
    }
    auto [it, fresh] = seen.emplace(c.phone, i);
    if (!fresh) {
      result.errors.push_back({i, MakeError(ErrorCode::kAlreadyExists, "the same phone number appears earlier in this batch (index " +
                                                                           std::to_string(it->second) + ")")
                                      .With("field", pre + "phone")});
      continue;
    }
    ok.push_back(std::move(c));
    ok_index.push_back(i);
  }
  // Phones already in the workspace are decided inside the insert's transaction, so a
  // concurrent batch with the same numbers cannot make this one fail as a whole.
  std::vector<int64_t> owners;
  if (!ok.empty()) DB_TRY(store_.InsertContacts(caller.workspace_id, ok, Actor{caller.user_id}, &owners));
  for (size_t k = 0; k < ok.size(); ++k) {
    if (!owners[k]) {
      result.ids.push_back(ok[k].id);
      continue;
    }
    result.errors.push_back({ok_index[k], HideInvisible(caller, MakeError(ErrorCode::kAlreadyExists,
                                                                          "a contact with this phone number already exists")
                                                                    .With("field", "contacts[" + std::to_string(ok_index[k]) + "].phone")
                                                                    .With("existing_id", std::to_string(owners[k])))});
  }
  std::sort(result.errors.begin(), result.errors.end(),
            [](const BulkError& a, const BulkError& b) { return a.index < b.index; });
  return result;
}

Result<ContactQuery> Service::ResolveQuery(const Caller& caller, const Params& params, bool paging) {
  DB_ASSIGN_OR_RETURN(ContactQuery q, ParseContactQuery(params, paging));
  if (!q.filter.cf.empty()) {
    DB_ASSIGN_OR_RETURN(auto fields, store_.ListFields(caller.workspace_id));
    for (auto& cond : q.filter.cf) {
      const FieldDef* def = nullptr;
      for (auto& f : fields)
        if (f.key == cond.key && static_cast<int>(f.visibility) <= static_cast<int>(caller.role)) def = &f;
      if (!def) return Fail(FieldError(cond.param, "there is no custom field '" + cond.key + "'"));
      cond.field_id = def->id;
      cond.type = def->type;
      if (cond.op == CfOp::kEquals || cond.op == CfOp::kGte || cond.op == CfOp::kLte) {
        RawValue raw{RawValue::Kind::kString, cond.value, false, false};
        bool numeric = def->type == FieldType::kInteger || def->type == FieldType::kDecimal;
        if (numeric || def->type == FieldType::kDate || def->type == FieldType::kCheckbox ||
            (def->type == FieldType::kDropdown && cond.op == CfOp::kEquals)) {
          FieldDef loose = *def;
          if (cond.op != CfOp::kEquals && def->type == FieldType::kInteger) loose.type = FieldType::kDecimal;
          DB_ASSIGN_OR_RETURN(cond.value, CanonicalFieldValue(loose, raw, cond.param));
        }
      }
    }
  }
  // A whole number written with a prefix that is dialled but not stored ("020 7946 0958" in a
  // British workspace, "0044 20 7946 0958", "011 44 20 7946 0958" in an American one) is
  // searched as stored: the digits of its E.164 form. Digits that the E.164 form ends with
  // ("207 946 0958", "(415) 555-2671") are searched as typed, which finds the same number and
  // every other that contains them (+1 207 946 0958 as well as +44 20 7946 0958).
  // 8 digits at least: the shortest national numbers with their area code.
  if (auto typed = PhoneQueryDigits(q.filter.q); typed && typed->size() >= 8) {
    DB_ASSIGN_OR_RETURN(Workspace ws, store_.GetWorkspace(caller.workspace_id));
    if (PhoneInfo phone = ParsePhone(q.filter.q, ws.default_country, false); phone.ok) {
      const std::string stored = phone.e164.substr(1);
      if (!stored.ends_with(*typed)) q.filter.q = stored;
    }
  }
  if (caller.department_id) q.filter.scope_department_id = caller.department_id;
  return q;
}

Result<ContactPage> Service::ListContacts(const Caller& caller, const Params& params) {
  DB_ASSIGN_OR_RETURN(ContactQuery q, ResolveQuery(caller, params, true));
  DB_ASSIGN_OR_RETURN(ContactPage page, store_.QueryContacts(caller.workspace_id, q));
  if (caller.role != Role::kAdmin && !page.items.empty()) {
    DB_ASSIGN_OR_RETURN(auto fields, store_.ListFields(caller.workspace_id));
    for (auto& c : page.items)
      for (auto& f : fields)
        if (static_cast<int>(f.visibility) > static_cast<int>(caller.role)) c.custom_fields.erase(f.key);
  }
  return page;
}

Result<std::vector<FieldDef>> Service::VisibleFields(const Caller& caller, bool include_archived) {
  DB_ASSIGN_OR_RETURN(auto all, store_.ListFields(caller.workspace_id));
  std::vector<FieldDef> out;
  for (auto& f : all)
    if (static_cast<int>(f.visibility) <= static_cast<int>(caller.role) && (include_archived || !f.archived))
      out.push_back(f);
  return out;
}

Result<int64_t> Service::RunAction(const Caller& caller, const ActionRequest& req) {
  DB_TRY(Require(caller, Role::kManager));
  static const std::set<std::string> kActions = {"add_tags", "remove_tags", "set_field", "add_to_group",
                                                 "remove_from_group", "star", "unstar", "set_dnc",
                                                 "delete", "restore", "delete_permanently"};
  if (!kActions.contains(req.action))
    return Fail(FieldError("action", "unknown action '" + req.action + "'"));
  if (req.filter && !req.ids.empty()) return Fail(FieldError("ids", "give ids or a filter, not both"));
  if (!req.filter && req.ids.empty()) return Fail(FieldError("ids", "give the ids of the contacts or a filter"));
  if (req.ids.size() > 100000) return Fail(FieldError("ids", "at most 100000 ids; use a filter for more"));
  std::vector<int64_t> ids;
  if (req.filter) {
    Params p = *req.filter;
    if (req.action == "restore") p.emplace_back("trash", "true");
    DB_ASSIGN_OR_RETURN(ContactQuery q, ResolveQuery(caller, p, false));
    DB_ASSIGN_OR_RETURN(ids, store_.MatchContactIds(caller.workspace_id, q.filter, kMaxActionContacts));
  } else if (caller.department_id) {
    for (int64_t id : req.ids)
      if (VisibleContact(caller, id)) ids.push_back(id);
  } else {
    ids = req.ids;
  }
  Actor actor{caller.user_id};
  const std::string& a = req.action;
  if (a == "delete") return store_.TrashContacts(caller.workspace_id, ids, actor);
  if (a == "restore") return store_.RestoreContacts(caller.workspace_id, ids, actor);
  if (a == "delete_permanently") return store_.PurgeContacts(caller.workspace_id, ids);
  BulkChange ch;
  using K = BulkChange::Kind;
  if (a == "add_tags" || a == "remove_tags") {
    if (req.tags.empty()) return Fail(FieldError("tags", "name at least one tag"));
    DB_ASSIGN_OR_RETURN(ch.names, CleanNames("tags", req.tags));
    ch.kind = a == "add_tags" ? K::kAddTags : K::kRemoveTags;
  } else if (a == "add_to_group" || a == "remove_from_group") {
    std::string g = Trim(req.group);
    if (g.empty()) return Fail(FieldError("group", "name the group"));
    DB_TRY(CheckText("group", g, 100));
    ch.names = {g};
    ch.kind = a == "add_to_group" ? K::kAddToGroup : K::kRemoveFromGroup;
  } else if (a == "star" || a == "unstar") {
    ch.kind = K::kSetStarred;
    ch.flag = a == "star";
  } else if (a == "set_dnc") {
    if (req.value.kind != RawValue::Kind::kBool) return Fail(FieldError("value", "value must be true or false"));
    ch.kind = K::kSetDoNotCall;
    ch.flag = req.value.boolean;
  } else {  // set_field
    DB_ASSIGN_OR_RETURN(auto fields, store_.ListFields(caller.workspace_id));
    const FieldDef* def = nullptr;
    for (auto& f : fields)
      if (f.key == req.field && !f.archived && static_cast<int>(f.visibility) <= static_cast<int>(caller.role)) def = &f;
    if (!def) return Fail(FieldError("field", "there is no custom field '" + req.field + "'"));
    ch.field_id = def->id;
    ch.field_key = def->key;
    if (req.value.kind == RawValue::Kind::kNull) {
      if (def->required) return Fail(FieldError("value", "'" + def->label + "' is required and cannot be cleared"));
      ch.kind = K::kClearField;
    } else {
      ch.kind = K::kSetField;
      DB_ASSIGN_OR_RETURN(ch.value, CanonicalFieldValue(*def, req.value, "value"));
      if (def->type == FieldType::kInteger || def->type == FieldType::kDecimal || def->type == FieldType::kCheckbox) {
        ch.has_num = true;
        ch.num_value = def->type == FieldType::kCheckbox ? (ch.value == "true" ? 1 : 0) : std::strtod(ch.value.c_str(), nullptr);
      }
    }
  }
  if (ids.empty()) return int64_t{0};
  return store_.ApplyBulkChange(caller.workspace_id, ids, ch, actor);
}

}  // namespace dialbook
