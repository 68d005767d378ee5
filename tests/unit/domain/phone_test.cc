#include "domain/phone.h"

#include <gtest/gtest.h>

namespace dialbook {
namespace {

TEST(Phone, NationalUsFormatsBecomeE164) {
  for (const char* in : {"(415) 555-2671", "415-555-2671", "415.555.2671", "4155552671", "+1 415 555 2671",
                         "1-415-555-2671", "  +14155552671  "}) {
    PhoneInfo p = ParsePhone(in, "US");
    ASSERT_TRUE(p.ok) << in << ": " << p.reason;
    EXPECT_EQ(p.e164, "+14155552671") << in;
  }
}

TEST(Phone, DefaultCountryDecidesNationalNumbers) {
  EXPECT_EQ(ParsePhone("020 7946 0958", "GB").e164, "+442079460958");
  EXPECT_EQ(ParsePhone("030 123456", "DE").e164, "+4930123456");
  EXPECT_EQ(ParsePhone("06 12 34 56 78", "FR").e164, "+33612345678");
  // An explicit international prefix wins over the default country.
  EXPECT_EQ(ParsePhone("+44 20 7946 0958", "US").e164, "+442079460958");
  EXPECT_EQ(ParsePhone("0044 20 7946 0958", "DE").e164, "+442079460958");
}

TEST(Phone, ZeroZeroIsInternationalWhereTheRegionDialsAnotherPrefix) {
  // North America dials 011 abroad; "00" numbers in its workspaces come from elsewhere.
  EXPECT_EQ(ParsePhone("0044 20 7946 0958", "US").e164, "+442079460958");
  EXPECT_EQ(ParsePhone("00 33 6 12 34 56 78", "CA").e164, "+33612345678");
  EXPECT_EQ(ParsePhone("011 44 20 7946 0958", "US").e164, "+442079460958");  // the region's own prefix
  // Still refused when it is no number either way, with the reason for the default region.
  EXPECT_EQ(ParsePhone("0012", "US").reason, "too_short");
  EXPECT_FALSE(ParsePhone("00", "US").ok);
  // A number valid in the default region stays national: Japan dials 010 abroad, and its
  // national numbers start with 0 (0120 … toll free).
  PhoneInfo jp = ParsePhone("0120-123-456", "JP");
  ASSERT_TRUE(jp.ok) << jp.reason;
  EXPECT_EQ(jp.region, "JP");
}

TEST(Phone, TypeAndLocation) {
  PhoneInfo mobile = ParsePhone("+33 6 12 34 56 78", "US");
  ASSERT_TRUE(mobile.ok);
  EXPECT_EQ(mobile.type, "mobile");
  EXPECT_EQ(mobile.region, "FR");
  PhoneInfo sf = ParsePhone("(415) 555-2671", "US");
  EXPECT_EQ(sf.type, "fixed_line_or_mobile");
  EXPECT_FALSE(sf.location.empty());
  PhoneInfo toll = ParsePhone("1-800-555-0199", "US");
  ASSERT_TRUE(toll.ok) << toll.reason;
  EXPECT_EQ(toll.type, "toll_free");
}

TEST(Phone, RefusalsCarryReasons) {
  EXPECT_EQ(ParsePhone("", "US").reason, "empty");
  EXPECT_EQ(ParsePhone("12", "US").reason, "too_short");
  EXPECT_EQ(ParsePhone("555-12", "US").reason, "too_short");
  EXPECT_EQ(ParsePhone("hello", "US").reason, "not_a_number");
  EXPECT_EQ(ParsePhone("+999 1234567", "US").reason, "invalid_country_code");
  EXPECT_EQ(ParsePhone("+1 415 555 26711234567", "US").reason, "too_long");
  EXPECT_EQ(ParsePhone("(111) 111-1111", "US").reason, "fake_number");
  EXPECT_EQ(ParsePhone("1234567890", "US").reason, "fake_number");
  EXPECT_EQ(ParsePhone("+1 099 555 2671", "US").reason, "invalid_number");
  EXPECT_FALSE(ParsePhone("hello", "US").message.empty());
  EXPECT_TRUE(ParsePhone("(415) 555-2671", "US").message.empty());
}

TEST(Phone, ExtensionsAreKeptApart) {
  PhoneInfo p = ParsePhone("415-555-2671 ext. 204", "US");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.e164, "+14155552671");
  EXPECT_EQ(p.extension, "204");
}

TEST(Phone, Regions) {
  EXPECT_TRUE(IsSupportedRegion("US"));
  EXPECT_TRUE(IsSupportedRegion("DE"));
  EXPECT_FALSE(IsSupportedRegion("XX"));
  EXPECT_FALSE(IsSupportedRegion("USA"));
  EXPECT_EQ(ParsePhone("(415) 555-2671", "US").international, "+1 415-555-2671");
  EXPECT_EQ(ParsePhone("020 7946 0958", "GB").international, "+44 20 7946 0958");
}

}  // namespace
}  // namespace dialbook
