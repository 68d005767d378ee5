#include "domain/phone_match.h"

#include <phonenumbers/phonemetadata.pb.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <list>
#include <map>
#include <memory>
#include <vector>

// libphonenumber's compiled-in metadata (the same bytes PhoneNumberUtil loads); exported by
// libphonenumber.so, declared in a header Debian does not install.
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace dialbook::phone_match {
namespace {

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberDesc;
using i18n::phonenumbers::PhoneNumberUtil;
using Type = PhoneNumberUtil::PhoneNumberType;

std::unique_ptr<RE2> Compile(const std::string& pattern, bool* ok) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) *ok = false;
  return re;
}

// PhoneNumberUtil::IsNumberMatchingDesc: the length must be one of the possible lengths
// (when any are listed) and the whole number must match the pattern (an empty pattern
// matches nothing).
struct Desc {
  std::unique_ptr<RE2> re;
  std::vector<int> lengths;

  void Load(const PhoneNumberDesc& d, bool* ok) {
    if (!d.national_number_pattern().empty()) re = Compile(d.national_number_pattern(), ok);
    lengths.assign(d.possible_length().begin(), d.possible_length().end());
  }
  bool Matches(const std::string& nsn) const {
    if (!lengths.empty() && std::find(lengths.begin(), lengths.end(), static_cast<int>(nsn.size())) == lengths.end())
      return false;
    return PatternMatches(nsn);
  }
  // The matcher's MatchNationalNumber (no length check, no prefix match).
  bool PatternMatches(std::string_view nsn) const { return re && RE2::FullMatch(nsn, *re); }
};

// One of a region's international number formats (NumberFormat).
struct Format {
  std::unique_ptr<RE2> leading;  // its last (most detailed) leading-digits pattern, if any
  std::unique_ptr<RE2> pattern;
  std::string rewrite;  // the format with ICU's $N written as RE2's \N
};

// PhoneNumberUtil::ValidationResult, as TestNumberLength answers it for the general desc.
enum class Length { kPossible, kLocalOnly, kTooShort, kTooLong, kInvalid };

struct Region {
  std::string code;
  int country_code = 0;
  std::string country_code_text;
  std::unique_ptr<RE2> idd;              // international_prefix (null when none)
  std::unique_ptr<RE2> national_prefix;  // national_prefix_for_parsing (null when none)
  bool has_transform_rule = false;
  std::vector<int> local_lengths;        // general desc's possible_length_local_only
  std::vector<Format> intl_formats;      // intl_number_format, or number_format when it has none
  std::unique_ptr<RE2> leading_digits;  // set when the metadata has leading digits
  bool same_mobile_and_fixed_line = false;
  Desc general, premium_rate, toll_free, shared_cost, voip, personal_number, pager, uan, voicemail, fixed_line,
      mobile;

  Region(const PhoneMetadata& m, bool* ok) : code(m.id()) {
    if (m.has_leading_digits()) leading_digits = Compile(m.leading_digits(), ok);
    country_code = m.country_code();
    country_code_text = std::to_string(country_code);
    if (!m.international_prefix().empty()) idd = Compile(m.international_prefix(), ok);
    if (!m.national_prefix_for_parsing().empty()) national_prefix = Compile(m.national_prefix_for_parsing(), ok);
    has_transform_rule = !m.national_prefix_transform_rule().empty();
    local_lengths.assign(m.general_desc().possible_length_local_only().begin(),
                         m.general_desc().possible_length_local_only().end());
    for (const auto& f : m.intl_number_format_size() ? m.intl_number_format() : m.number_format()) {
      Format out;
      if (f.leading_digits_pattern_size())
        out.leading = Compile(f.leading_digits_pattern(f.leading_digits_pattern_size() - 1), ok);
      out.pattern = Compile(f.pattern(), ok);
      for (size_t i = 0; i < f.format().size(); ++i) {
        char ch = f.format()[i];
        if (ch == '$' && i + 1 < f.format().size() && std::isdigit(static_cast<unsigned char>(f.format()[i + 1])))
          out.rewrite += '\\';
        else if (ch == '\\')
          out.rewrite += "\\\\";  // a literal backslash in the format stays one
        else
          out.rewrite += ch;
      }
      intl_formats.push_back(std::move(out));
    }
    same_mobile_and_fixed_line = m.same_mobile_and_fixed_line_pattern();
    general.Load(m.general_desc(), ok);
    premium_rate.Load(m.premium_rate(), ok);
    toll_free.Load(m.toll_free(), ok);
    shared_cost.Load(m.shared_cost(), ok);
    voip.Load(m.voip(), ok);
    personal_number.Load(m.personal_number(), ok);
    pager.Load(m.pager(), ok);
    uan.Load(m.uan(), ok);
    voicemail.Load(m.voicemail(), ok);
    fixed_line.Load(m.fixed_line(), ok);
    mobile.Load(m.mobile(), ok);
  }

  // PhoneNumberUtil::TestNumberLength(number, metadata) (type UNKNOWN: the general desc).
  Length TestLength(std::string_view number) const {
    const std::vector<int>& possible = general.lengths;
    const int n = static_cast<int>(number.size());
    if (possible.empty() || possible[0] == -1) return Length::kInvalid;
    if (std::find(local_lengths.begin(), local_lengths.end(), n) != local_lengths.end()) return Length::kLocalOnly;
    if (possible[0] == n) return Length::kPossible;
    if (possible[0] > n) return Length::kTooShort;
    if (possible.back() < n) return Length::kTooLong;
    return std::find(possible.begin() + 1, possible.end(), n) != possible.end() ? Length::kPossible
                                                                                : Length::kInvalid;
  }

  // PhoneNumberUtil::MaybeStripNationalPrefixAndCarrierCode without a transformation rule
  // (the caller checked has_transform_rule): the national prefix for parsing, matched at the
  // start, is cut off unless that turns a number matching the general pattern into one that
  // does not.
  void StripNationalPrefix(std::string& number) const {
    if (number.empty() || !national_prefix) return;
    re2::StringPiece rest(number);
    if (!RE2::Consume(&rest, *national_prefix)) return;
    if (general.PatternMatches(number) && !general.PatternMatches(std::string_view(rest.data(), rest.size()))) return;
    number.assign(rest.data(), rest.size());
  }

  // PhoneNumberUtil::GetNumberTypeHelper, in its order.
  Type TypeOf(const std::string& nsn) const {
    if (!general.Matches(nsn)) return PhoneNumberUtil::UNKNOWN;
    if (premium_rate.Matches(nsn)) return PhoneNumberUtil::PREMIUM_RATE;
    if (toll_free.Matches(nsn)) return PhoneNumberUtil::TOLL_FREE;
    if (shared_cost.Matches(nsn)) return PhoneNumberUtil::SHARED_COST;
    if (voip.Matches(nsn)) return PhoneNumberUtil::VOIP;
    if (personal_number.Matches(nsn)) return PhoneNumberUtil::PERSONAL_NUMBER;
    if (pager.Matches(nsn)) return PhoneNumberUtil::PAGER;
    if (uan.Matches(nsn)) return PhoneNumberUtil::UAN;
    if (voicemail.Matches(nsn)) return PhoneNumberUtil::VOICEMAIL;
    if (fixed_line.Matches(nsn)) {
      if (same_mobile_and_fixed_line || mobile.Matches(nsn)) return PhoneNumberUtil::FIXED_LINE_OR_MOBILE;
      return PhoneNumberUtil::FIXED_LINE;
    }
    if (!same_mobile_and_fixed_line && mobile.Matches(nsn)) return PhoneNumberUtil::MOBILE;
    return PhoneNumberUtil::UNKNOWN;
  }
};

struct Tables {
  bool ok = true;
  std::vector<std::unique_ptr<Region>> regions;
  // Per country calling code, its regions in libphonenumber's order (main country first);
  // a non-geographic code ("001") has its own entry.
  std::map<int, std::vector<const Region*>> by_code;
  std::map<std::string, const Region*, std::less<>> by_region;  // geographic regions by code

  Tables() {
    PhoneMetadataCollection collection;
    if (!collection.ParseFromArray(i18n::phonenumbers::metadata_get(), i18n::phonenumbers::metadata_size())) {
      ok = false;
      return;
    }
    std::map<std::string, const Region*> geographic;
    std::map<int, const Region*> non_geographic;
    for (const PhoneMetadata& m : collection.metadata()) {
      regions.push_back(std::make_unique<Region>(m, &ok));
      if (m.id() == "001") non_geographic[m.country_code()] = regions.back().get();
      else geographic[m.id()] = regions.back().get();
    }
    std::vector<int> codes;
    for (const PhoneMetadata& m : collection.metadata()) codes.push_back(m.country_code());
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    for (auto& [name, r] : geographic) by_region[name] = r;
    for (int cc : codes) {
      if (by_code.contains(cc)) continue;
      std::list<std::string> names;
      util.GetRegionCodesForCountryCallingCode(cc, &names);
      auto& list = by_code[cc];
      for (auto& name : names) {
        const Region* r = nullptr;
        if (name == "001") {
          if (auto it = non_geographic.find(cc); it != non_geographic.end()) r = it->second;
        } else if (auto it = geographic.find(name); it != geographic.end()) {
          r = it->second;
        }
        if (!r) ok = false;  // a region libphonenumber names but its metadata lacks: do not guess
        else list.push_back(r);
      }
    }
  }
};

const Tables& Get() {
  static const Tables* tables = new Tables();  // never destroyed: used until exit from any thread
  return *tables;
}

// GetMetadataForRegionOrCallingCode(cc, GetRegionCodeForCountryCode(cc)): the main region
// of a calling code (the non-geographic entry for 800, 808 …); null for an unknown code.
const Region* MainRegion(const Tables& t, int cc) {
  auto it = t.by_code.find(cc);
  return it == t.by_code.end() || it->second.empty() ? nullptr : it->second.front();
}

}  // namespace

bool Parse(std::string_view text, const std::string& default_region, PhoneNumber* number) {
  const Tables& t = Get();
  if (!t.ok) return false;
  auto def = t.by_region.find(default_region);
  if (def == t.by_region.end()) return false;
  const Region* region = def->second;
  // The shape: ExtractPossibleNumber keeps what runs from the first '+' or digit to the last
  // digit; for these characters nothing is an extension, a second number or a letter, and
  // normalizing keeps the digits.
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch >= '0' && ch <= '9') {
      digits += ch;
    } else if (ch == '+') {
      if (i != 0) return false;
      plus = true;
    } else if (ch != ' ' && ch != '-' && ch != '.' && ch != '(' && ch != ')') {
      return false;
    }
  }
  // IsViablePhoneNumber: at least three digits (two alone are viable only without anything else).
  if (digits.size() < 3 || digits.size() > 40) return false;
  // MaybeExtractCountryCode.
  int cc = 0;
  bool international = plus;
  if (!plus) {
    if (!region->idd) return false;
    re2::StringPiece rest(digits);
    if (RE2::Consume(&rest, *region->idd)) {
      // ParsePrefixAsIdd: not when the digit after it is a 0 (no calling code starts so).
      if (rest.empty() || rest[0] != '0') {
        digits.assign(rest.data(), rest.size());
        international = true;
      }
    }
  }
  if (international) {
    if (digits.size() <= 2) return false;  // TOO_SHORT_AFTER_IDD
    // ExtractCountryCode: the first of 1 to 3 leading digits that is a calling code.
    if (digits[0] == '0') return false;  // INVALID_COUNTRY_CODE (libphonenumber retries)
    for (size_t len = 1; len <= 3 && len < digits.size(); ++len) {
      int code = std::stoi(digits.substr(0, len));
      if (MainRegion(t, code)) {
        cc = code;
        digits.erase(0, len);
        break;
      }
    }
    if (!cc) return false;
  } else if (digits.starts_with(region->country_code_text)) {
    if (region->has_transform_rule) return false;
    std::string potential = digits.substr(region->country_code_text.size());
    region->StripNationalPrefix(potential);
    if ((!region->general.PatternMatches(digits) && region->general.PatternMatches(potential)) ||
        region->TestLength(digits) == Length::kTooLong) {
      digits = std::move(potential);
      cc = region->country_code;
    }
  }
  // ParseHelper: the calling code's own metadata from here on.
  const Region* md = region;
  if (cc) {
    const Region* main = MainRegion(t, cc);
    if (main->code != default_region) md = main;
  } else {
    cc = region->country_code;
  }
  if (digits.size() < 2) return false;  // TOO_SHORT_NSN
  if (md->has_transform_rule) return false;
  std::string potential = digits;
  md->StripNationalPrefix(potential);
  const Length length = md->TestLength(potential);
  if (length != Length::kTooShort && length != Length::kLocalOnly && length != Length::kInvalid)
    digits = std::move(potential);
  if (digits.size() < 2 || digits.size() > 17) return false;  // TOO_SHORT_NSN / TOO_LONG_NSN
  PhoneNumber out;
  out.set_country_code(cc);
  // SetItalianLeadingZerosForPhoneNumber.
  if (digits.size() > 1 && digits[0] == '0') {
    out.set_italian_leading_zero(true);
    size_t zeros = 1;
    while (zeros < digits.size() - 1 && digits[zeros] == '0') ++zeros;
    if (zeros != 1) out.set_number_of_leading_zeros(static_cast<int32_t>(zeros));
  }
  out.set_national_number(std::stoull(digits));
  number->Swap(&out);
  return true;
}

bool IsPossible(const PhoneNumber& number, const std::string& nsn, PhoneNumberUtil::ValidationResult* result) {
  const Tables& t = Get();
  if (!t.ok) return false;
  // IsPossibleNumberForTypeWithReason(number, UNKNOWN): the main region's general lengths.
  const Region* md = MainRegion(t, number.country_code());
  if (!md) {
    *result = PhoneNumberUtil::INVALID_COUNTRY_CODE;
    return true;
  }
  switch (md->TestLength(nsn)) {
    case Length::kPossible: *result = PhoneNumberUtil::IS_POSSIBLE; break;
    case Length::kLocalOnly: *result = PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY; break;
    case Length::kTooShort: *result = PhoneNumberUtil::TOO_SHORT; break;
    case Length::kTooLong: *result = PhoneNumberUtil::TOO_LONG; break;
    case Length::kInvalid: *result = PhoneNumberUtil::INVALID_LENGTH; break;
  }
  return true;
}

bool FormatInternational(const PhoneNumber& number, const std::string& nsn, std::string* out) {
  const Tables& t = Get();
  if (!t.ok || number.has_extension() || number.has_raw_input()) return false;
  const Region* md = MainRegion(t, number.country_code());
  if (!md) return false;
  // ChooseFormattingPatternForNumber, then the pattern's format over the whole number.
  std::string formatted = nsn;
  for (const Format& f : md->intl_formats) {
    if (f.leading) {
      re2::StringPiece input(nsn);
      if (!RE2::Consume(&input, *f.leading)) continue;
    }
    if (!RE2::FullMatch(nsn, *f.pattern)) continue;
    RE2::GlobalReplace(&formatted, *f.pattern, f.rewrite);
    break;
  }
  *out = "+" + md->country_code_text + " " + formatted;
  return true;
}

bool RegionAndType(const PhoneNumber& number, const std::string& nsn, std::string* region, Type* type) {
  const Tables& t = Get();
  if (!t.ok) return false;
  *type = PhoneNumberUtil::UNKNOWN;
  *region = "ZZ";
  auto it = t.by_code.find(number.country_code());
  if (it == t.by_code.end() || it->second.empty()) return true;
  const auto& list = it->second;
  const Region* found = nullptr;
  if (list.size() == 1) {
    found = list[0];
  } else {
    // PhoneNumberUtil::GetRegionCodeForNumberFromRegionList: leading digits decide when the
    // metadata has them (a match at the start), else a known type does.
    for (const Region* r : list) {
      re2::StringPiece input(nsn);
      bool fits = r->leading_digits ? RE2::Consume(&input, *r->leading_digits)
                                    : r->TypeOf(nsn) != PhoneNumberUtil::UNKNOWN;
      if (fits) {
        found = r;
        break;
      }
    }
  }
  if (!found) return true;
  *region = found->code;
  *type = found->TypeOf(nsn);
  return true;
}

}  // namespace dialbook::phone_match
