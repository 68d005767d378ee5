#include "importer/vcard_reader.h"

#include <algorithm>

#include "core/text.h"

namespace dialbook::importer {

namespace {

struct Card {
  std::string first, last, full, org, title, note, categories, street, city, region, zip, country, bday;
  std::vector<std::pair<std::string, std::string>> phones;  // (type, number)
  std::vector<std::string> emails;
  int64_t line = 0;
};

// "a\,b\;c\nd" → "a,b;c\nd"
std::string Unescape(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      char n = v[++i];
      out += n == 'n' || n == 'N' ? '\n' : n;
    } else {
      out += v[i];
    }
  }
  return out;
}

// Splits a structured value on unescaped ';' (N, ADR, ORG).
std::vector<std::string> Components(std::string_view v) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      parts.back() += v[i];
      parts.back() += v[++i];
    } else if (v[i] == ';') {
      parts.emplace_back();
    } else {
      parts.back() += v[i];
    }
  }
  for (auto& p : parts) p = Trim(Unescape(p));
  return parts;
}

std::string DecodeQuotedPrintable(std::string_view v) { return DecodeHexEscapes(v, '=', false); }

// Latin-1 bytes (vCard 2.1 CHARSET=ISO-8859-1 / WINDOWS-1252) → UTF-8.
std::string Latin1ToUtf8(std::string_view v) {
  std::string out;
  for (unsigned char b : v) AppendUtf8(b, out);
  return out;
}

std::string PhoneType(const std::string& params) {
  std::string p = ToLowerAscii(params);
  if (p.find("cell") != std::string::npos || p.find("mobile") != std::string::npos) return "mobile";
  if (p.find("work") != std::string::npos) return "work";
  if (p.find("home") != std::string::npos) return "home";
  if (p.find("fax") != std::string::npos) return "fax";
  return "";
}

}  // namespace

Result<VcardTable> ReadVcards(std::string_view text) {
  // Unfold: a line starting with a space or tab continues the previous one; vCard 2.1
  // quoted-printable values continue after a trailing '='.
  std::vector<std::pair<std::string, int64_t>> lines;
  int64_t line_no = 0;
  bool qp_continues = false;
  for (auto& raw : Split(text, '\n')) {
    ++line_no;
    std::string l = raw;
    if (!l.empty() && l.back() == '\r') l.pop_back();
    if (line_no == 1 && l.starts_with("\xEF\xBB\xBF")) l.erase(0, 3);
    if (qp_continues && !lines.empty()) {
      lines.back().first.pop_back();  // the soft line break '='
      lines.back().first += l;
    } else if ((l.starts_with(" ") || l.starts_with("\t")) && !lines.empty()) {
      lines.back().first += l.substr(1);
    } else if (!l.empty()) {
      lines.emplace_back(l, line_no);
    }
    const std::string& last = lines.empty() ? l : lines.back().first;
    qp_continues = !last.empty() && last.back() == '=' && ToLowerAscii(last).find("quoted-printable") != std::string::npos;
  }
  std::vector<Card> cards;
  Card* card = nullptr;
  for (auto& [l, at] : lines) {
    auto colon = l.find(':');
    if (colon == std::string::npos) continue;  // not a property line (tolerated)
    std::string name_params = l.substr(0, colon);
    std::string value = l.substr(colon + 1);
    auto semi = name_params.find(';');
    std::string name = ToLowerAscii(name_params.substr(0, semi));
    std::string params = semi == std::string::npos ? "" : name_params.substr(semi + 1);
    if (auto dot = name.find('.'); dot != std::string::npos) name = name.substr(dot + 1);  // item1.tel
    if (name == "begin" && ToLowerAscii(Trim(value)) == "vcard") {
      if (card) return Fail(FieldError("line " + std::to_string(at), "line " + std::to_string(card->line) + ": a card is never closed (END:VCARD is missing)"));
      cards.emplace_back();
      card = &cards.back();
      card->line = at;
      continue;
    }
    if (name == "end" && ToLowerAscii(Trim(value)) == "vcard") {
      card = nullptr;
      continue;
    }
    if (!card) continue;
    std::string lp = ToLowerAscii(params);
    if (lp.find("quoted-printable") != std::string::npos) value = DecodeQuotedPrintable(value);
    if (lp.find("charset=iso-8859-1") != std::string::npos || lp.find("charset=windows-1252") != std::string::npos)
      value = Latin1ToUtf8(value);
    if (!IsValidUtf8(value)) value = Latin1ToUtf8(value);
    if (name == "fn") {
      card->full = Trim(Unescape(value));
    } else if (name == "n") {
      auto p = Components(value);  // family; given; additional; prefix; suffix
      card->last = p.size() > 0 ? p[0] : "";
      card->first = p.size() > 1 ? p[1] : "";
      if (p.size() > 2 && !p[2].empty()) card->first += " " + p[2];
    } else if (name == "tel") {
      std::string number = Trim(Unescape(value));
      if (number.starts_with("tel:")) number = number.substr(4);  // vCard 4.0 URI form
      if (!number.empty()) card->phones.emplace_back(PhoneType(params), number);
    } else if (name == "email") {
      std::string e = Trim(Unescape(value));
      if (e.starts_with("mailto:")) e = e.substr(7);
      if (!e.empty()) card->emails.push_back(e);
    } else if (name == "org") {
      card->org = Components(value)[0];
    } else if (name == "title") {
      card->title = Trim(Unescape(value));
    } else if (name == "note") {
      card->note = Trim(Unescape(value));
    } else if (name == "categories") {
      card->categories = Trim(Unescape(value));
    } else if (name == "bday") {
      card->bday = Trim(value);
    } else if (name == "adr" && card->street.empty() && card->city.empty()) {
      auto p = Components(value);  // po box; extended; street; locality; region; postal code; country
      p.resize(7);
      card->street = Trim(p[0].empty() ? p[2] : p[0] + " " + p[2]);
      if (!p[1].empty()) card->street = Trim(card->street + " " + p[1]);
      card->city = p[3];
      card->region = p[4];
      card->zip = p[5];
      card->country = p[6];
    }
  }
  if (card) return Fail(FieldError("line " + std::to_string(card->line), "line " + std::to_string(card->line) + ": a card is never closed (END:VCARD is missing)"));
  if (cards.empty()) return Fail(FieldError("file", "no contact card (BEGIN:VCARD … END:VCARD) in this file"));

  size_t max_phones = 1, max_emails = 1;
  for (auto& c : cards) {
    max_phones = std::max(max_phones, c.phones.size());
    max_emails = std::max(max_emails, c.emails.size());
  }
  VcardTable t;
  t.header = {"First Name", "Last Name", "Full Name"};
  for (size_t i = 1; i <= max_phones; ++i) t.header.push_back(i == 1 ? "Phone" : "Phone " + std::to_string(i));
  for (size_t i = 1; i <= max_emails; ++i) t.header.push_back(i == 1 ? "Email" : "Email " + std::to_string(i));
  for (const char* h : {"Company", "Job Title", "Street", "City", "State", "Postal Code", "Country", "Birthday", "Categories", "Notes"})
    t.header.push_back(h);
  for (auto& c : cards) {
    // Mobile numbers first: the first phone is the one to call.
    std::stable_sort(c.phones.begin(), c.phones.end(), [](auto& a, auto& b) { return a.first == "mobile" && b.first != "mobile"; });
    std::vector<std::string> row = {c.first, c.last, c.full};
    for (size_t i = 0; i < max_phones; ++i) row.push_back(i < c.phones.size() ? c.phones[i].second : "");
    for (size_t i = 0; i < max_emails; ++i) row.push_back(i < c.emails.size() ? c.emails[i] : "");
    for (auto* v : {&c.org, &c.title, &c.street, &c.city, &c.region, &c.zip, &c.country, &c.bday, &c.categories, &c.note})
      row.push_back(*v);
    t.rows.push_back(std::move(row));
    t.line_of_row.push_back(c.line);
  }
  return t;
}

}  // namespace dialbook::importer
