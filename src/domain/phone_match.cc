#include "domain/phone_match.h"

#include <phonenumbers/phonemetadata.pb.h>
#include <re2/re2.h>

#include <algorithm>
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
    return re && RE2::FullMatch(nsn, *re);
  }
};

struct Region {
  std::string code;
  std::unique_ptr<RE2> leading_digits;  // set when the metadata has leading digits
  bool same_mobile_and_fixed_line = false;
  Desc general, premium_rate, toll_free, shared_cost, voip, personal_number, pager, uan, voicemail, fixed_line,
      mobile;

  Region(const PhoneMetadata& m, bool* ok) : code(m.id()) {
    if (m.has_leading_digits()) leading_digits = Compile(m.leading_digits(), ok);
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

}  // namespace

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
