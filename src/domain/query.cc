#include "domain/query.h"

#include <charconv>

#include "core/text.h"
#include "core/time.h"

namespace dialbook {

bool ContactFilter::IsUnfiltered() const {
  return q.empty() && tags.empty() && groups.empty() && !created_after && !created_before &&
         !last_called_after && !last_called_before && !never_called && !starred && !dnc &&
         consent.empty() && source.empty() && department.empty() && cf.empty() &&
         !scope_department_id && !empty_scope;
}

namespace {

Error ParamError(const std::string& param, const std::string& message) {
  Error e = FieldError(param, message);
  e.details["parameter"] = param;
  return e;
}

Result<bool> ParseBool(const std::string& param, const std::string& v) {
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  return Fail(ParamError(param, param + " must be true or false"));
}

Result<int64_t> ParseTimeParam(const std::string& param, const std::string& v) {
  auto t = ParseTime(v);
  if (!t) return Fail(ParamError(param, param + " must be a date (YYYY-MM-DD) or an RFC 3339 time"));
  return *t;
}

void AppendList(std::vector<std::string>& out, const std::string& v) {
  for (auto& part : Split(v, ',')) {
    std::string t = Trim(part);
    if (!t.empty()) out.push_back(t);
  }
}

}  // namespace

Result<ContactQuery> ParseContactQuery(const Params& params, bool allow_paging) {
  ContactQuery query;
  ContactFilter& f = query.filter;
  if (params.size() > 200) return Fail(ParamError("query", "too many parameters (200 at most)"));
  for (const auto& [key, value] : params) {
    if (value.size() > 1000) return Fail(ParamError(key, key + " is too long (1000 characters at most)"));
    if (key == "q") {
      f.q = Trim(value);
    } else if (key == "tag" || key == "tags") {
      AppendList(f.tags, value);
    } else if (key == "tag_mode") {
      if (value == "any") f.tag_mode = TagMode::kAny;
      else if (value == "all") f.tag_mode = TagMode::kAll;
      else if (value == "none") f.tag_mode = TagMode::kNone;
      else return Fail(ParamError(key, "tag_mode must be any, all or none"));
    } else if (key == "group" || key == "groups") {
      AppendList(f.groups, value);
    } else if (key == "created_after") {
      DB_ASSIGN_OR_RETURN(f.created_after, ParseTimeParam(key, value));
    } else if (key == "created_before") {
      DB_ASSIGN_OR_RETURN(f.created_before, ParseTimeParam(key, value));
    } else if (key == "last_called_after") {
      DB_ASSIGN_OR_RETURN(f.last_called_after, ParseTimeParam(key, value));
    } else if (key == "last_called_before") {
      DB_ASSIGN_OR_RETURN(f.last_called_before, ParseTimeParam(key, value));
    } else if (key == "never_called") {
      DB_ASSIGN_OR_RETURN(f.never_called, ParseBool(key, value));
    } else if (key == "starred") {
      DB_ASSIGN_OR_RETURN(f.starred, ParseBool(key, value));
    } else if (key == "dnc" || key == "do_not_call") {
      DB_ASSIGN_OR_RETURN(f.dnc, ParseBool(key, value));
    } else if (key == "consent") {
      if (value != "unknown" && value != "granted" && value != "revoked")
        return Fail(ParamError(key, "consent must be unknown, granted or revoked"));
      f.consent = value;
    } else if (key == "source") {
      if (value != "manual" && value != "api" && value != "import" && value != "inbound_call" &&
          value != "inbound_sms")
        return Fail(ParamError(key, "source must be manual, api, import, inbound_call or inbound_sms"));
      f.source = value;
    } else if (key == "department") {
      f.department = Trim(value);
    } else if (key == "trash") {
      DB_ASSIGN_OR_RETURN(f.trash, ParseBool(key, value));
    } else if (key.starts_with("cf.")) {
      CfCondition c;
      c.param = key;
      std::string rest = key.substr(3);
      c.key = rest;
      auto dot = rest.rfind('.');
      if (dot != std::string::npos) {
        std::string op = rest.substr(dot + 1);
        c.key = rest.substr(0, dot);
        if (op == "contains") c.op = CfOp::kContains;
        else if (op == "gte") c.op = CfOp::kGte;
        else if (op == "lte") c.op = CfOp::kLte;
        else if (op == "eq") c.op = CfOp::kEquals;
        else if (op == "empty") {
          DB_ASSIGN_OR_RETURN(bool empty, ParseBool(key, value));
          c.op = empty ? CfOp::kEmpty : CfOp::kNotEmpty;
        } else {
          return Fail(ParamError(key, "unknown custom field operator '" + op +
                                          "' (use eq, contains, gte, lte or empty)"));
        }
      }
      if (c.key.empty()) return Fail(ParamError(key, "custom field key is missing"));
      if (c.op != CfOp::kEmpty && c.op != CfOp::kNotEmpty) c.value = value;
      f.cf.push_back(std::move(c));
    } else if (allow_paging && key == "sort") {
      std::string s = value;
      query.descending = !s.empty() && s[0] == '-';
      if (query.descending) s = s.substr(1);
      if (s == "name") query.sort = SortKey::kName;
      else if (s == "created_at") query.sort = SortKey::kCreatedAt;
      else if (s == "last_called_at") query.sort = SortKey::kLastCalledAt;
      else return Fail(ParamError(key, "sort must be name, created_at or last_called_at, optionally with a leading -"));
    } else if (allow_paging && key == "limit") {
      int n = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || p != value.data() + value.size() || n < 1 || n > 500)
        return Fail(ParamError(key, "limit must be an integer from 1 to 500"));
      query.limit = n;
    } else if (allow_paging && key == "cursor") {
      query.cursor = value;
    } else {
      return Fail(ParamError(key, "unknown parameter '" + key + "'"));
    }
  }
  return query;
}

Params FilterToParams(const ContactFilter& f) {
  Params p;
  auto add_time = [&](const char* k, const std::optional<int64_t>& t) {
    if (t) p.emplace_back(k, FormatTime(*t));
  };
  auto add_bool = [&](const char* k, const std::optional<bool>& b) {
    if (b) p.emplace_back(k, *b ? "true" : "false");
  };
  if (!f.q.empty()) p.emplace_back("q", f.q);
  for (auto& t : f.tags) p.emplace_back("tag", t);
  if (!f.tags.empty() && f.tag_mode != TagMode::kAny)
    p.emplace_back("tag_mode", f.tag_mode == TagMode::kAll ? "all" : "none");
  for (auto& g : f.groups) p.emplace_back("group", g);
  add_time("created_after", f.created_after);
  add_time("created_before", f.created_before);
  add_time("last_called_after", f.last_called_after);
  add_time("last_called_before", f.last_called_before);
  add_bool("never_called", f.never_called);
  add_bool("starred", f.starred);
  add_bool("dnc", f.dnc);
  if (!f.consent.empty()) p.emplace_back("consent", f.consent);
  if (!f.source.empty()) p.emplace_back("source", f.source);
  if (!f.department.empty()) p.emplace_back("department", f.department);
  for (auto& c : f.cf) p.emplace_back(c.param, c.op == CfOp::kEmpty      ? "true"
                                               : c.op == CfOp::kNotEmpty ? "false"
                                                                         : c.value);
  if (f.trash) p.emplace_back("trash", "true");
  return p;
}

std::pair<std::string, std::string> SplitName(std::string_view name) {
  std::string n = Trim(name);
  auto comma = n.find(',');
  if (comma != std::string::npos)
    return {Trim(n.substr(comma + 1)), Trim(n.substr(0, comma))};
  auto space = n.rfind(' ');
  if (space == std::string::npos) return {n, ""};
  return {Trim(n.substr(0, space)), Trim(n.substr(space + 1))};
}

bool IsValidEmail(std::string_view e) {
  if (e.size() > 254) return false;
  auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos)
    return false;
  auto domain = e.substr(at + 1);
  auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
  for (char c : e)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';' || c == '<' ||
        c == '>' || c == '"')
      return false;
  if (domain.find("..") != std::string_view::npos || domain[0] == '.') return false;
  return true;
}

std::optional<std::string> PhoneQueryDigits(std::string_view q) {
  std::string digits;
  for (char ch : q) {
    if (ch >= '0' && ch <= '9') digits += ch;
    else if (ch != ' ' && ch != '+' && ch != '-' && ch != '(' && ch != ')' && ch != '.') return std::nullopt;
  }
  return digits;
}

}  // namespace dialbook
