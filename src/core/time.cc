#include "core/time.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace dialbook {

int64_t NowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string FormatTime(int64_t millis) {
  int64_t floor_secs = millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000);  // floor, also before 1970
  time_t secs = static_cast<time_t>(floor_secs);
  int ms = static_cast<int>(millis - floor_secs * 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  if (ms)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
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
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, offset_min = 0;
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
