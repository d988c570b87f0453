#include "hub/http/message.h"

#include <algorithm>
#include <cctype>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <strings.h>

namespace hub::http {

std::string HttpRequest::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

std::string HttpRequest::Query(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? "" : it->second;
}

std::string HttpRequest::Param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

namespace {
// Whether a comma-separated header value holds `token`, case-insensitively.
bool HasToken(const std::string& value, std::string_view token) {
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    std::string_view item(value.data() + start, (comma == std::string::npos ? value.size() : comma) - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.size() == token.size() &&
        std::equal(item.begin(), item.end(), token.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return true;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return false;
}
}  // namespace

bool IsWebSocketUpgrade(const HttpRequest& req) {
  return req.method == "GET" && HasToken(req.Header("connection"), "upgrade") &&
         HasToken(req.Header("upgrade"), "websocket");
}

void HttpResponse::SetHeader(const std::string& name, std::string value) {
  for (auto& [k, v] : headers) {
    if (strcasecmp(k.c_str(), name.c_str()) == 0) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(name, std::move(value));
}

const std::string* HttpResponse::FindHeader(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) return &v;
  }
  return nullptr;
}

HttpResponse HttpResponse::Make(int status, std::string content_type, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::Error(int status, const std::string& message) {
  boost::json::value v = {{"error", {{"status", status}, {"message", message}}}};
  return Make(status, "application/json", boost::json::serialize(v) + "\n");
}

std::string PercentDecode(std::string_view s, bool plus_is_space, bool* ok) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      int h = i + 2 < s.size() ? hex(s[i + 1]) : -1;
      int l = i + 2 < s.size() ? hex(s[i + 2]) : -1;
      if (h < 0 || l < 0) {
        *ok = false;
        return out;
      }
      out += static_cast<char>(h * 16 + l);
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

bool ParseTarget(std::string_view target, std::string* path, std::multimap<std::string, std::string>* query) {
  bool ok = true;
  size_t q = target.find('?');
  *path = PercentDecode(target.substr(0, q), false, &ok);
  // rsdmx and others send "/data/FLOW/KEY/?..." : a trailing slash means the same resource.
  while (path->size() > 1 && path->back() == '/') path->pop_back();
  if (q == std::string_view::npos) return ok;
  std::string_view qs = target.substr(q + 1);
  size_t start = 0;
  while (start <= qs.size() && ok) {
    size_t amp = qs.find('&', start);
    std::string_view part = qs.substr(start, amp == std::string_view::npos ? qs.npos : amp - start);
    start = amp == std::string_view::npos ? qs.size() + 1 : amp + 1;
    if (part.empty()) continue;
    size_t eq = part.find('=');
    // '+' in SDMX keys means OR, so it is not decoded as a space in the query either.
    std::string k = PercentDecode(part.substr(0, eq), false, &ok);
    std::string v = eq == std::string_view::npos ? "" : PercentDecode(part.substr(eq + 1), false, &ok);
    query->emplace(std::move(k), std::move(v));
  }
  return ok;
}

}  // namespace hub::http
