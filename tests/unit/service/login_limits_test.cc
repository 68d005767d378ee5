// Failed sign-ins are limited per email and client address, with a higher ceiling per email.
#include <gtest/gtest.h>

#include "service/service.h"
#include "store/store.h"

namespace dialbook {
namespace {

class LoginLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*OpenStore("sqlite::memory:"));
    service_ = std::make_unique<Service>(*store_);
    ASSERT_TRUE(service_->CreateWorkspaceWithAdmin("Acme", "owner@acme.test", kPassword, "Owner"));
  }
  Result<LoginResult> Login(const std::string& password, const std::string& client) {
    return service_->Login("owner@acme.test", password, std::nullopt, client);
  }
  static constexpr const char* kPassword = "right-password-123";
  std::unique_ptr<Store> store_;
  std::unique_ptr<Service> service_;
};

TEST_F(LoginLimits, TenFailuresLockOneAddressNotTheOwnersOther) {
  for (int i = 0; i < 10; ++i) EXPECT_EQ(Login("guess", "203.0.113.9").error().code, ErrorCode::kUnauthenticated);
  // Locked from that address, even with the right password…
  auto locked = Login(kPassword, "203.0.113.9");
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kResourceExhausted);
  // …but the owner signs in from their own address.
  EXPECT_TRUE(Login(kPassword, "198.51.100.7"));
}

TEST_F(LoginLimits, GuessesSpreadOverManyAddressesLockTheEmail) {
  for (int i = 0; i < 100; ++i) (void)Login("guess", "192.0.2." + std::to_string(i));
  auto locked = Login(kPassword, "198.51.100.7");
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kResourceExhausted);
}

TEST_F(LoginLimits, AnEmailWithALineBreakCannotCountAgainstAnAddress) {
  // "owner@acme.test\n203.0.113.9" would be the per-address key of the owner at that address.
  for (int i = 0; i < 12; ++i)
    EXPECT_EQ(service_->Login("owner@acme.test\n203.0.113.9", "guess", std::nullopt, "192.0.2.1").error().code,
              ErrorCode::kUnauthenticated);
  EXPECT_TRUE(Login(kPassword, "203.0.113.9"));
}

}  // namespace
}  // namespace dialbook
