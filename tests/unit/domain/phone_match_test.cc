// phone_match must answer exactly what libphonenumber answers: checked on every region's
// example number of every type, numbers one or two digits away from them (valid and not),
// random digit strings after every country calling code, and non-geographic codes.
#include "domain/phone_match.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

const PhoneNumberUtil& Util() { return *PhoneNumberUtil::GetInstance(); }

struct Tally {
  int checked = 0, valid = 0, shared_code = 0;
};

void ExpectLibphonenumberAnswers(const PhoneNumber& n, Tally& tally) {
  std::string nsn;
  Util().GetNationalSignificantNumber(n, &nsn);
  std::string region;
  PhoneNumberUtil::PhoneNumberType type;
  ASSERT_TRUE(dialbook::phone_match::RegionAndType(n, nsn, &region, &type));
  std::string want_region;
  Util().GetRegionCodeForNumber(n, &want_region);
  EXPECT_EQ(region, want_region) << "+" << n.country_code() << " " << nsn;
  EXPECT_EQ(type, Util().GetNumberType(n)) << "+" << n.country_code() << " " << nsn;
  std::list<std::string> regions;
  Util().GetRegionCodesForCountryCallingCode(n.country_code(), &regions);
  ++tally.checked;
  tally.valid += type != PhoneNumberUtil::UNKNOWN;
  tally.shared_code += regions.size() > 1;
}

// Parses "+CC digits" the way ParsePhone's numbers arrive (then asked region and type).
bool Parse(int cc, const std::string& digits, PhoneNumber* n) {
  return Util().Parse("+" + std::to_string(cc) + digits, "ZZ", n) == PhoneNumberUtil::NO_PARSING_ERROR;
}

const PhoneNumberUtil::PhoneNumberType kTypes[] = {
    PhoneNumberUtil::FIXED_LINE,  PhoneNumberUtil::MOBILE,          PhoneNumberUtil::FIXED_LINE_OR_MOBILE,
    PhoneNumberUtil::TOLL_FREE,   PhoneNumberUtil::PREMIUM_RATE,    PhoneNumberUtil::SHARED_COST,
    PhoneNumberUtil::VOIP,        PhoneNumberUtil::PERSONAL_NUMBER, PhoneNumberUtil::PAGER,
    PhoneNumberUtil::UAN,         PhoneNumberUtil::VOICEMAIL,
};

TEST(PhoneMatch, AnswersAsLibphonenumberForExamplesAndNumbersAroundThem) {
  std::mt19937 rng(20261123);
  Tally tally;
  auto around = [&](const PhoneNumber& example) {
    ExpectLibphonenumberAnswers(example, tally);
    std::string nsn;
    Util().GetNationalSignificantNumber(example, &nsn);
    for (int k = 0; k < 24; ++k) {
      std::string d = nsn;
      switch (k % 4) {
        case 0: d.back() = static_cast<char>('0' + rng() % 10); break;            // last digit
        case 1: d[rng() % d.size()] = static_cast<char>('0' + rng() % 10); break;  // any digit
        case 2: d += static_cast<char>('0' + rng() % 10); break;                   // one longer
        case 3: if (d.size() > 3) d.pop_back(); break;                              // one shorter
      }
      PhoneNumber n;
      if (Parse(example.country_code(), d, &n)) ExpectLibphonenumberAnswers(n, tally);
    }
  };
  std::set<std::string> regions;
  Util().GetSupportedRegions(&regions);
  for (auto& region : regions)
    for (auto type : kTypes) {
      PhoneNumber example;
      if (Util().GetExampleNumberForType(region, type, &example)) around(example);
    }
  std::set<int> global;
  Util().GetSupportedGlobalNetworkCallingCodes(&global);
  for (int cc : global) {
    PhoneNumber example;
    if (Util().GetExampleNumberForNonGeoEntity(cc, &example)) around(example);
  }
  EXPECT_GT(tally.checked, 20000);
  EXPECT_GT(tally.valid, 5000);        // both answers are exercised, not only "unknown"
  EXPECT_GT(tally.shared_code, 3000);  // and codes shared by several regions (+1, +7, +44 …)
}

TEST(PhoneMatch, AnswersAsLibphonenumberForRandomDigitsAfterEveryCallingCode) {
  std::mt19937 rng(7);
  Tally tally;
  std::set<int> codes;
  Util().GetSupportedCallingCodes(&codes);
  codes.insert({0, 999, 2, 28});  // and codes nobody has
  for (int cc : codes)
    for (int k = 0; k < 60; ++k) {
      std::string d(4 + rng() % 12, '0');
      for (auto& ch : d) ch = static_cast<char>('0' + rng() % 10);
      PhoneNumber n;
      if (cc < 1 || !Parse(cc, d, &n)) {
        n.Clear();
        n.set_country_code(cc);
        n.set_national_number(std::stoull(d));
      }
      ExpectLibphonenumberAnswers(n, tally);
    }
  EXPECT_GT(tally.checked, 10000);
}

}  // namespace
