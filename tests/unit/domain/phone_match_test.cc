// phone_match must answer exactly what libphonenumber answers: checked on every region's
// example number of every type, numbers one or two digits away from them (valid and not),
// random digit strings after every country calling code, and non-geographic codes.
#include "domain/phone_match.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

const PhoneNumberUtil& Util() { return *PhoneNumberUtil::GetInstance(); }

struct Tally {
  int checked = 0, valid = 0, shared_code = 0;
  std::map<PhoneNumberUtil::ValidationResult, int> possible;  // each IsPossible answer seen
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
  PhoneNumberUtil::ValidationResult possible;
  ASSERT_TRUE(dialbook::phone_match::IsPossible(n, nsn, &possible));
  EXPECT_EQ(possible, Util().IsPossibleNumberWithReason(n)) << "+" << n.country_code() << " " << nsn;
  std::list<std::string> regions;
  Util().GetRegionCodesForCountryCallingCode(n.country_code(), &regions);
  ++tally.checked;
  tally.possible[possible]++;
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
  // Every answer of IsPossible was compared, not only "possible".
  for (auto r : {PhoneNumberUtil::IS_POSSIBLE, PhoneNumberUtil::INVALID_COUNTRY_CODE, PhoneNumberUtil::TOO_SHORT,
                 PhoneNumberUtil::TOO_LONG, PhoneNumberUtil::INVALID_LENGTH})
    EXPECT_GT(tally.possible[r], 0) << r;
}

// ---- phone_match::Parse and FormatInternational against PhoneNumberUtil::Parse and Format ----

struct ParseTally {
  int asked = 0, answered = 0, agreed_refusals = 0;
};

// Every text is parsed both ways in the default region: when phone_match answers, its
// number must be libphonenumber's, field for field, and so must its international format.
void ExpectSameParse(const std::string& text, const std::string& region, ParseTally& tally) {
  ++tally.asked;
  PhoneNumber fast;
  const bool answered = dialbook::phone_match::Parse(text, region, &fast);
  PhoneNumber want;
  const auto err = Util().Parse(text, region, &want);
  if (!answered) {
    tally.agreed_refusals += err != PhoneNumberUtil::NO_PARSING_ERROR;
    return;
  }
  ++tally.answered;
  ASSERT_EQ(err, PhoneNumberUtil::NO_PARSING_ERROR) << "'" << text << "' in " << region;
  EXPECT_EQ(fast.country_code(), want.country_code()) << "'" << text << "' in " << region;
  EXPECT_EQ(fast.national_number(), want.national_number()) << "'" << text << "' in " << region;
  EXPECT_EQ(fast.italian_leading_zero(), want.italian_leading_zero()) << "'" << text << "' in " << region;
  EXPECT_EQ(fast.number_of_leading_zeros(), want.number_of_leading_zeros()) << "'" << text << "' in " << region;
  EXPECT_EQ(fast.has_extension(), want.has_extension()) << "'" << text << "' in " << region;
  std::string nsn, got, expected;
  Util().GetNationalSignificantNumber(want, &nsn);
  ASSERT_TRUE(dialbook::phone_match::FormatInternational(want, nsn, &got));
  Util().Format(want, PhoneNumberUtil::INTERNATIONAL, &expected);
  EXPECT_EQ(got, expected) << "'" << text << "' in " << region;
}

// A number's digits written the ways people write them.
std::vector<std::string> Spellings(const std::string& digits, std::mt19937& rng) {
  std::vector<std::string> out = {digits};
  const char* seps[] = {" ", "-", ".", ") ", " - "};
  for (int k = 0; k < 3; ++k) {
    std::string s;
    size_t next = 2 + rng() % 3;
    for (size_t i = 0; i < digits.size(); ++i) {
      s += digits[i];
      if (i + 1 == next && i + 1 < digits.size()) {
        s += seps[rng() % 5];
        next += 2 + rng() % 3;
      }
    }
    out.push_back(s);
  }
  if (digits.size() > 4) out.push_back("(" + digits.substr(0, 3) + ") " + digits.substr(3));
  return out;
}

TEST(PhoneMatch, ParsesAsLibphonenumberInEveryRegion) {
  std::mt19937 rng(20261203);
  ParseTally tally;
  std::set<std::string> regions;
  Util().GetSupportedRegions(&regions);
  // Each region's examples of each type, written nationally, internationally, with its
  // IDD and the default region's own calling code, then with digits changed, added, dropped,
  // and parsed in that region and in a few others.
  const std::vector<std::string> defaults = {"US", "GB", "DE", "FR", "ES", "NL", "IT", "BR", "IN", "AU", "RU", "JP"};
  for (auto& region : regions)
    for (auto type : kTypes) {
      PhoneNumber example;
      if (!Util().GetExampleNumberForType(region, type, &example)) continue;
      std::string national, international, nsn;
      Util().Format(example, PhoneNumberUtil::NATIONAL, &national);
      Util().Format(example, PhoneNumberUtil::INTERNATIONAL, &international);
      Util().GetNationalSignificantNumber(example, &nsn);
      const std::string cc = std::to_string(example.country_code());
      std::vector<std::string> texts = {national, international, "+" + cc + nsn, "00" + cc + nsn, "011" + cc + nsn,
                                        cc + nsn, "0" + nsn, nsn};
      for (int k = 0; k < 6; ++k) {
        std::string d = nsn;
        switch (k % 3) {
          case 0: d[rng() % d.size()] = static_cast<char>('0' + rng() % 10); break;
          case 1: d += static_cast<char>('0' + rng() % 10); break;
          case 2: if (d.size() > 3) d.pop_back(); break;
        }
        for (auto& s : Spellings(d, rng)) texts.push_back(s);
        texts.push_back("+" + cc + " " + d);
      }
      std::vector<std::string> in = {region, defaults[rng() % defaults.size()], defaults[rng() % defaults.size()]};
      for (auto& text : texts)
        for (auto& r : in) ExpectSameParse(text, r, tally);
    }
  EXPECT_GT(tally.asked, 100000);
  // The fast path must carry the common shapes, not leave them all to libphonenumber.
  EXPECT_GT(tally.answered, tally.asked / 2);
}

TEST(PhoneMatch, ParsesAsLibphonenumberForMessyAndRandomInput) {
  std::mt19937 rng(42);
  ParseTally tally;
  const std::vector<std::string> defaults = {"US", "CA", "GB", "DE", "FR", "ES", "NL", "IT", "MX", "AR", "BR", "SM",
                                             "CI", "RU", "KZ", "IN", "CN", "AU", "NZ", "ZA"};
  const std::string alphabet = "0123456789012345678901234567890123456789 -.()+";
  for (int k = 0; k < 60000; ++k) {
    std::string text;
    size_t len = 1 + rng() % 20;
    for (size_t i = 0; i < len; ++i) text += alphabet[rng() % alphabet.size()];
    if (k % 3 == 0) text = "+" + text;
    ExpectSameParse(text, defaults[rng() % defaults.size()], tally);
  }
  // US numbers as CRM exports write them.
  for (int k = 0; k < 20000; ++k) {
    std::string d = std::to_string(200 + rng() % 800) + std::to_string(200 + rng() % 800);
    for (int i = 0; i < 4; ++i) d += static_cast<char>('0' + rng() % 10);
    const std::string shapes[] = {d, "1" + d, "+1" + d, "(" + d.substr(0, 3) + ") " + d.substr(3, 3) + "-" + d.substr(6),
                                  d.substr(0, 3) + "." + d.substr(3, 3) + "." + d.substr(6), "+1 " + d.substr(0, 3) + " " +
                                  d.substr(3, 3) + " " + d.substr(6), "1-" + d.substr(0, 3) + "-" + d.substr(3, 3) + "-" + d.substr(6),
                                  "011 44 " + d, "00" + d};
    for (auto& s : shapes) ExpectSameParse(s, k % 4 ? "US" : "CA", tally);
  }
  EXPECT_GT(tally.answered, 100000);
  EXPECT_GT(tally.agreed_refusals, 1000);  // refusals were asked too (and left to libphonenumber)
}

}  // namespace
