#include "core/time.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace dialbook {

int64_t NowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
}

char* PutDigits(char* p, unsigned v, int width) {
  for (int i = width - 1; i >= 0; --i, v /= 10) p[i] = static_cast<char>('0' + v % 10);
  return p + width;
}

}  // namespace

// Written by hand: every contact in every answer carries two or three of these, and
// gmtime_r + snprintf cost more than the rest of a contact's JSON.
std::string FormatTime(int64_t millis) {
  int64_t floor_secs = millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000);  // floor, also before 1970
  const unsigned ms = static_cast<unsigned>(millis - floor_secs * 1000);
  const int64_t days = floor_secs >= 0 ? floor_secs / 86400 : -((-floor_secs + 86399) / 86400);
  const unsigned sod = static_cast<unsigned>(floor_secs - days * 86400);
  int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilFromDays(days, year, month, day);
  if (year < 0 || year > 9999) {  // outside what ParseTime reads; written as snprintf did
    char buf[64];
    int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u", static_cast<long long>(year), month,
                          day, sod / 3600, sod / 60 % 60, sod % 60);
    return std::string(buf, static_cast<size_t>(n)) + "." + std::to_string(1000 + ms).substr(1) + "Z";
  }
  char buf[24];
  char* p = PutDigits(buf, static_cast<unsigned>(year), 4);
  *p++ = '-';
  p = PutDigits(p, month, 2);
  *p++ = '-';
  p = PutDigits(p, day, 2);
  *p++ = 'T';
  p = PutDigits(p, sod / 3600, 2);
  *p++ = ':';
  p = PutDigits(p, sod / 60 % 60, 2);
  *p++ = ':';
  p = PutDigits(p, sod % 60, 2);
  *p++ = '.';
  p = PutDigits(p, ms, 3);
  *p++ = 'Z';
  return std::string(buf, static_cast<size_t>(p - buf));
}

namespace {
bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}
int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}
}  // namespace

bool IsValidDate(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!Digits(s, 0, 4, &y) || !Digits(s, 5, 2, &m) || !Digits(s, 8, 2, &d)) return false;
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m);
}

std::optional<int64_t> ParseTime(std::string_view s) {
  if (s.size() < 10 || !IsValidDate(s.substr(0, 10))) return std::nullopt;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0, offset_min = 0;
  Digits(s, 0, 4, &y);
  Digits(s, 5, 2, &mo);
  Digits(s, 8, 2, &d);
  if (s.size() > 10) {
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
    if (!Digits(s, 11, 2, &h) || s.size() < 19 || s[13] != ':' || !Digits(s, 14, 2, &mi) ||
        s[16] != ':' || !Digits(s, 17, 2, &sec))
      return std::nullopt;
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
    size_t p = 19;
    if (p < s.size() && s[p] == '.') {
      ++p;
      int digits = 0;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
        if (digits < 3) ms = ms * 10 + (s[p] - '0');
        ++digits, ++p;
      }
      if (!digits) return std::nullopt;
      for (int i = digits; i < 3; ++i) ms *= 10;
    }
    if (p == s.size()) return std::nullopt;  // an offset is required
    if (s[p] == 'Z' || s[p] == 'z') {
      ++p;
    } else if (s[p] == '+' || s[p] == '-') {
      int oh, om;
      if (!Digits(s, p + 1, 2, &oh) || p + 3 >= s.size() || s[p + 3] != ':' ||
          !Digits(s, p + 4, 2, &om))
        return std::nullopt;
      offset_min = (oh * 60 + om) * (s[p] == '-' ? -1 : 1);
      p += 6;
    } else {
      return std::nullopt;
    }
    if (p != s.size()) return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  int64_t secs = timegm(&tm) - static_cast<int64_t>(offset_min) * 60;
  return secs * 1000 + ms;
}

}  // namespace dialbook
