// Errors are values. Every fallible function of the library returns Result<T>
// (std::expected<T, Error>); exceptions from libraries are caught at the adapter that calls
// them and turned into an Error. The HTTP layer maps ErrorCode to a status in one place
// (http/error_mapping.cc); the CLI prints the message.
#pragma once

#include <expected>
#include <map>
#include <string>
#include <utility>

namespace dialbook {

enum class ErrorCode {
  kInvalidArgument,     // 400
  kUnauthenticated,     // 401
  kPermissionDenied,    // 403
  kNotFound,            // 404
  kAlreadyExists,       // 409
  kFailedPrecondition,  // 412 (stale version)
  kRuleViolation,       // 422 (a rule refused the change: plan limit, last admin …)
  kPayloadTooLarge,     // 413
  kResourceExhausted,   // 429
  kUnavailable,         // 503
  kInternal,            // 500
};

const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  // Flat string details (e.g. field=phone, reason=too_short). A raw JSON object, when a
  // detail is structured (an existing contact), goes in details_json.
  std::map<std::string, std::string> details;
  std::string details_json;  // JSON object text merged into details by the HTTP layer

  Error& With(std::string key, std::string value) {
    details[std::move(key)] = std::move(value);
    return *this;
  }
};

template <typename T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return std::unexpected(Error{code, std::move(message), {}, {}});
}
inline std::unexpected<Error> Fail(Error e) { return std::unexpected(std::move(e)); }
inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message), {}, {}};
}
inline Error FieldError(std::string field, std::string message) {
  Error e{ErrorCode::kInvalidArgument, std::move(message), {}, {}};
  e.details["field"] = std::move(field);
  return e;
}

#define DB_TRY(expr)                                   \
  do {                                                 \
    auto _st = (expr);                                 \
    if (!_st) return std::unexpected(std::move(_st.error())); \
  } while (0)

#define DB_ASSIGN_CONCAT_(a, b) a##b
#define DB_ASSIGN_CONCAT(a, b) DB_ASSIGN_CONCAT_(a, b)
#define DB_ASSIGN_OR_RETURN(lhs, expr) DB_ASSIGN_OR_RETURN_IMPL(DB_ASSIGN_CONCAT(_res_, __LINE__), lhs, expr)
#define DB_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp) return std::unexpected(std::move(tmp.error())); \
  lhs = std::move(*tmp)

}  // namespace dialbook
