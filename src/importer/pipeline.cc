#include "importer/pipeline.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "core/text.h"
#include "domain/phone.h"
#include "domain/query.h"
#include "service/service.h"

namespace dialbook::importer {

using namespace std::string_view_literals;

const std::vector<std::string>& StandardTargets() {
  static const std::vector<std::string> k = {"first_name", "last_name", "name",  "phone",      "phones",
                                             "email",      "company",   "street", "city",      "state",
                                             "zip",        "country",   "notes", "tags",       "groups",
                                             "department", "do_not_call", "consent"};
  return k;
}

bool IsStandardTarget(const std::string& field) {
  for (auto& f : StandardTargets())
    if (f == field) return true;
  return false;
}

const char* RowStatusName(RowStatus s) {
  switch (s) {
    case RowStatus::kReady: return "ready";
    case RowStatus::kWillUpdate: return "will_update";
    case RowStatus::kNeedsAttention: return "needs_attention";
    case RowStatus::kIncomplete: return "incomplete";
    case RowStatus::kSkip: return "skip";
  }
  return "ready";
}

bool ConsentYes(const std::string& cell) {
  static const std::set<std::string> kYes = {"yes", "y", "true", "1", "consent", "consented", "opted-in", "opted in",
                                             "opt-in", "opt in", "optin", "granted", "agreed", "agree", "ok", "x",
                                             "si", "sí", "oui", "ja", "sim", "subscribed", "accepted"};
  return kYes.contains(ToLowerAscii(Trim(cell)));
}

bool Truthy(const std::string& cell) {
  static const std::set<std::string> kYes = {"yes", "y", "true", "1", "x", "dnc", "do not call", "si", "sí", "oui",
                                             "ja", "sim"};
  return kYes.contains(ToLowerAscii(Trim(cell)));
}

namespace {

struct TextTarget {
  std::string_view field;
  std::string Contact::*member;
  size_t max;
  uint32_t bit;
};
const TextTarget kTexts[] = {
    {"first_name", &Contact::first_name, 200, kFirstName}, {"last_name", &Contact::last_name, 200, kLastName},
    {"email", &Contact::email, 254, kEmail},               {"company", &Contact::company, 200, kCompany},
    {"street", &Contact::street, 500, kStreet},            {"city", &Contact::city, 100, kCity},
    {"state", &Contact::state, 100, kState},               {"zip", &Contact::zip, 20, kZip},
    {"country", &Contact::country, 100, kCountry},         {"notes", &Contact::notes, 20000, kNotes},
    {"department", &Contact::department, 100, kDepartment},
};

// Cells holding several values: "a|b", Outlook's "a;b", Google's "a ::: b".
std::vector<std::string> Values(const std::string& cell) {
  std::string s = cell;
  for (size_t p; (p = s.find(" ::: ")) != std::string::npos;) s.replace(p, 5, "|");
  std::vector<std::string> out;
  for (auto& part : Split(s, '|'))
    for (auto& piece : Split(part, ';')) out.push_back(Trim(piece));
  return out;
}

void AddNames(const std::string& cell, std::vector<std::string>& out) {
  for (auto& part : Values(cell)) {
    std::string n = part;
    // Google's system groups ("* myContacts", "* starred") are not the user's.
    if (n == "* myContacts" || n == "* starred" || n == "* friends" || n == "* family" || n == "* coworkers") continue;
    if (n.starts_with("* ")) n = Trim(n.substr(2));
    if (n.empty() || n.size() > 100) continue;
    bool dup = false;
    for (auto& o : out) dup |= FoldForSearch(o) == FoldForSearch(n);
    if (!dup) out.push_back(n);
  }
}

}  // namespace

PreparedRow PrepareRow(const RowPlan& plan, const std::vector<std::string>& cells, int64_t row_number) {
  PreparedRow r;
  r.row_number = row_number;
  Contact& c = r.contact;
  c.source = "import";
  auto fail = [&](RowStatus st, const char* reason, std::string message) {
    r.status = st;
    r.reason = reason;
    r.message = std::move(message);
    return r;
  };
  auto col_name = [&](size_t i) {
    std::string h = i < plan.header.size() ? plan.header[i] : "";
    return "column " + std::to_string(i + 1) + (h.empty() ? "" : " (" + h + ")");
  };
  std::vector<std::pair<size_t, std::string>> phones;  // column, text (primary first)
  std::string full_name;
  for (size_t i = 0; i < plan.columns.size() && i < cells.size(); ++i) {
    const ColumnTarget& t = plan.columns[i];
    if (t.field.empty() && !t.custom) continue;
    std::string v = Trim(cells[i]);
    if (v.empty() || v == "0/0/00"sv) continue;  // Outlook writes 0/0/00 for "no date"
    if (!IsValidUtf8(v)) return fail(RowStatus::kNeedsAttention, "invalid_field", col_name(i) + " is not valid text");
    if (t.custom) {
      RawValue raw;
      raw.kind = RawValue::Kind::kString;
      raw.text = v;
      auto canon = CanonicalFieldValue(*t.custom, raw, "custom_fields." + t.custom->key);
      if (!canon) return fail(RowStatus::kNeedsAttention, "invalid_field", col_name(i) + ": " + canon.error().message);
      c.custom_fields[t.custom->key] = *canon;
      continue;
    }
    // Compared as string_views: lengths first (most differ), no strlen per comparison.
    const std::string_view f = t.field;
    if (f == "phone"sv || f == "phones"sv) {
      // Google joins several numbers in one cell with " ::: ".
      std::vector<std::string> numbers;
      if (v.find(" ::: ") != std::string::npos) {
        for (auto& n : Values(v))
          if (!n.empty()) numbers.push_back(n);
      } else {
        numbers.push_back(v);
      }
      size_t at = f == "phone"sv ? static_cast<size_t>(std::count_if(phones.begin(), phones.end(), [&](auto& p) {
                                   return plan.columns[p.first].field == "phone";
                                 }))
                               : phones.size();
      for (auto& n : numbers) phones.insert(phones.begin() + static_cast<std::ptrdiff_t>(at++), {i, n});
      continue;
    }
    if (f == "name"sv) {
      if (full_name.empty()) full_name = v;
      continue;
    }
    if (f == "tags"sv) {
      AddNames(v, c.tags);
      continue;
    }
    if (f == "groups"sv) {
      AddNames(v, c.groups);
      continue;
    }
    if (f == "do_not_call"sv) {
      c.do_not_call = Truthy(v);
      r.given |= kDoNotCall;
      continue;
    }
    if (f == "consent"sv) continue;  // read below from consent_column
    for (auto& tt : kTexts) {
      if (f != tt.field) continue;
      if (v.size() > tt.max)
        return fail(RowStatus::kNeedsAttention, "invalid_field",
                    col_name(i) + " is too long (" + std::to_string(tt.max) + " characters at most)");
      std::string& dst = c.*(tt.member);
      if (dst.empty()) dst = v;
      else if (tt.bit == kNotes) dst += "\n" + v;
      r.given |= tt.bit;
    }
  }
  if (!full_name.empty() && !(r.given & (kFirstName | kLastName))) {
    auto [first, last] = SplitName(full_name);
    c.first_name = first.substr(0, 200);
    c.last_name = last.substr(0, 200);
    if (!c.first_name.empty()) r.given |= kFirstName;
    if (!c.last_name.empty()) r.given |= kLastName;
  }
  if (!c.email.empty() && !IsValidEmail(c.email)) {
    size_t col = 0;
    for (size_t i = 0; i < plan.columns.size(); ++i)
      if (plan.columns[i].field == "email") col = i;
    return fail(RowStatus::kNeedsAttention, "invalid_email", col_name(col) + ": '" + c.email + "' is not a valid email address");
  }
  // Numbers written without "+" are read in the row's country when it is an ISO code.
  std::string region = plan.default_region;
  if (c.country.size() == 2) {
    std::string cc = c.country;
    for (auto& ch : cc) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (IsSupportedRegion(cc)) region = cc;
  }
  std::string first_problem, first_reason;
  for (auto& [col, text] : phones) {
    PhoneInfo info = ParsePhone(text, region);
    if (!info.ok) {
      if (first_problem.empty()) {
        first_reason = info.reason == "fake_number" ? "fake_number" : "invalid_phone";
        first_problem = col_name(col) + ": '" + text + "' is not a usable phone number: " + info.message;
      }
      continue;
    }
    if (c.phone.empty()) {
      c.phone = info.e164;
      c.phone_formatted = info.international;
      c.phone_type = info.type;
      c.phone_location = info.location;
    } else if (info.e164 != c.phone && c.phones.size() < 20) {
      bool dup = false;
      for (auto& p : c.phones) dup |= p.number == info.e164;
      std::string label = col < plan.header.size() ? plan.header[col].substr(0, 50) : "";
      if (!dup) c.phones.push_back({label, info.e164, info.international, info.type, info.location});
    }
  }
  if (c.phone.empty()) {
    if (!first_problem.empty())
      return fail(RowStatus::kNeedsAttention, first_reason.c_str(), first_problem);
    return fail(RowStatus::kIncomplete, "missing_phone", "the row has no phone number");
  }
  if (!c.phones.empty()) r.given |= kPhones;
  if (!first_problem.empty()) r.message = "kept without " + first_problem;
  for (auto& f : plan.fields)
    if (f.required && !f.archived && !c.custom_fields.contains(f.key))
      return fail(RowStatus::kNeedsAttention, "invalid_field", "'" + f.label + "' is required and the row has no value for it");
  if (plan.consent_column >= 0) {
    std::string v = static_cast<size_t>(plan.consent_column) < cells.size() ? cells[plan.consent_column] : "";
    if (!ConsentYes(v))
      return fail(RowStatus::kSkip, "no_consent",
                  IsBlank(v) ? col_name(plan.consent_column) + " is empty: the contact did not consent"
                                  : col_name(plan.consent_column) + " says '" + Trim(v) + "': the contact did not consent");
  }
  return r;
}

}  // namespace dialbook::importer
