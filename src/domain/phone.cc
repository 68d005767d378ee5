#include "domain/phone.h"

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <memory>

#include "core/text.h"
#include "domain/phone_match.h"

namespace dialbook {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

const PhoneNumberUtil& Util() { return *PhoneNumberUtil::GetInstance(); }

const i18n::phonenumbers::PhoneNumberOfflineGeocoder& Geocoder() {
  static const auto* geocoder = new i18n::phonenumbers::PhoneNumberOfflineGeocoder();
  return *geocoder;
}

const char* TypeName(PhoneNumberUtil::PhoneNumberType t) {
  switch (t) {
    case PhoneNumberUtil::FIXED_LINE: return "fixed_line";
    case PhoneNumberUtil::MOBILE: return "mobile";
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE: return "fixed_line_or_mobile";
    case PhoneNumberUtil::TOLL_FREE: return "toll_free";
    case PhoneNumberUtil::PREMIUM_RATE: return "premium_rate";
    case PhoneNumberUtil::SHARED_COST: return "shared_cost";
    case PhoneNumberUtil::VOIP: return "voip";
    case PhoneNumberUtil::PERSONAL_NUMBER: return "personal_number";
    case PhoneNumberUtil::PAGER: return "pager";
    case PhoneNumberUtil::UAN: return "uan";
    case PhoneNumberUtil::VOICEMAIL: return "voicemail";
    default: return "unknown";
  }
}

// Numbers that pass the metadata but are obviously made up: one digit repeated, or a
// straight run (1234567890 / 9876543210) in the national number.
bool LooksFake(const std::string& nsn) {
  if (nsn.size() < 6) return false;
  bool same = true, up = true, down = true;
  for (size_t i = 1; i < nsn.size(); ++i) {
    same &= nsn[i] == nsn[0];
    up &= nsn[i] == static_cast<char>('0' + (nsn[i - 1] - '0' + 1) % 10);
    down &= nsn[i] == static_cast<char>('0' + (nsn[i - 1] - '0' + 9) % 10);
  }
  return same || up || down;
}

PhoneInfo Refuse(std::string reason, std::string message) {
  PhoneInfo info;
  info.reason = std::move(reason);
  info.message = std::move(message);
  return info;
}

}  // namespace

namespace {

PhoneInfo ParseIn(const std::string& text, std::string_view default_region, bool with_location) {
  // The region's international prefix (00 in most of Europe, 011 in North America) and a
  // leading "+" are understood by libphonenumber; an explicit "+" always wins over the
  // default region.
  std::string region = default_region.empty() ? "US" : std::string(default_region);
  PhoneNumber number;
  // The plain shapes are parsed by phone_match (libphonenumber's steps and metadata, with
  // RE2: most of Parse's cost is its ICU patterns behind one process-wide lock).
  auto err = phone_match::Parse(text, region, &number) ? PhoneNumberUtil::NO_PARSING_ERROR
                                                       : Util().Parse(text, region, &number);
  switch (err) {
    case PhoneNumberUtil::NO_PARSING_ERROR: break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return Refuse("invalid_country_code", "the country calling code is not valid");
    case PhoneNumberUtil::NOT_A_NUMBER:
      return Refuse("not_a_number", "this does not look like a phone number");
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return Refuse("too_short", "the phone number is too short");
    case PhoneNumberUtil::TOO_LONG_NSN:
      return Refuse("too_long", "the phone number is too long");
  }
  std::string nsn;
  Util().GetNationalSignificantNumber(number, &nsn);
  PhoneNumberUtil::ValidationResult possible;
  if (!phone_match::IsPossible(number, nsn, &possible)) possible = Util().IsPossibleNumberWithReason(number);
  if (possible == PhoneNumberUtil::TOO_SHORT || possible == PhoneNumberUtil::INVALID_LENGTH)
    return Refuse(possible == PhoneNumberUtil::TOO_SHORT ? "too_short" : "invalid_number",
                  possible == PhoneNumberUtil::TOO_SHORT
                      ? "the phone number is too short"
                      : "the phone number has the wrong number of digits for its country");
  if (possible == PhoneNumberUtil::TOO_LONG)
    return Refuse("too_long", "the phone number is too long");
  if (possible == PhoneNumberUtil::INVALID_COUNTRY_CODE)
    return Refuse("invalid_country_code", "the country calling code is not valid");
  if (LooksFake(nsn)) return Refuse("fake_number", "the phone number looks made up");
  // libphonenumber's cost is in its regular expressions, behind a global lock: ask each
  // question once. A number is valid exactly when its type is known (IsValidNumber is
  // GetRegionCodeForNumber + the same type match); the geocoder would look the type and
  // the region up again, so both are computed here and passed on. Region and type come
  // from phone_match (libphonenumber's metadata and rules, matched with RE2).
  std::string region_code;
  PhoneNumberUtil::PhoneNumberType type = PhoneNumberUtil::UNKNOWN;
  if (!phone_match::RegionAndType(number, nsn, &region_code, &type)) {
    Util().GetRegionCodeForNumber(number, &region_code);
    type = region_code.empty() || region_code == "ZZ" ? PhoneNumberUtil::UNKNOWN : Util().GetNumberType(number);
  }
  if (type == PhoneNumberUtil::UNKNOWN)
    return Refuse("invalid_number", "the phone number is not a valid number in its country");
  PhoneInfo info;
  info.ok = true;
  info.e164 = "+" + std::to_string(number.country_code()) + nsn;  // Format(E164) without an extension
  if (!phone_match::FormatInternational(number, nsn, &info.international))
    Util().Format(number, PhoneNumberUtil::INTERNATIONAL, &info.international);
  info.type = TypeName(type);
  info.region = region_code;
  info.extension = number.extension();
  if (with_location) {
    static const icu::Locale kEnglish("en", "US");  // built once: a Locale's set-up showed in import profiles
    if (Util().IsNumberGeographical(type, number.country_code())) {
      info.location = Geocoder().GetDescriptionForValidNumber(number, kEnglish);
    } else if (region_code != "001") {
      icu::UnicodeString name;
      icu::Locale("", region_code.c_str()).getDisplayCountry(kEnglish, name);
      name.toUTF8String(info.location);
    }
  }
  return info;
}

}  // namespace

PhoneInfo ParsePhone(std::string_view input, std::string_view default_region,
                     bool with_location) {
  std::string text = Trim(input);
  if (text.empty()) return Refuse("empty", "the phone number is empty");
  if (text.size() > 64) return Refuse("too_long", "the phone number is too long");
  PhoneInfo info = ParseIn(text, default_region, with_location);
  // "00" starts international numbers in most of the world, but not where the international
  // prefix is another (011 in North America): "0044 20 7946 0958" in a US workspace. A number
  // that is no number in the default region is read as international then; one that is
  // valid there stays as it is.
  if (!info.ok && text.starts_with("00") && text.size() > 2) {
    PhoneInfo international = ParseIn("+" + text.substr(2), default_region, with_location);
    if (international.ok) return international;
  }
  return info;
}

bool IsSupportedRegion(std::string_view region) {
  if (region.size() != 2) return false;
  return Util().GetCountryCodeForRegion(std::string(region)) != 0;
}

}  // namespace dialbook
