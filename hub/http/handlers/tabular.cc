#include "hub/http/handlers/tabular.h"

#include <charconv>

namespace hub::http {

bool WantsCsv(const HttpRequest& req) {
  if (req.HasQuery("format")) return req.Query("format") == "csv";
  return req.Header("accept").find("text/csv") != std::string::npos;
}

Status CheckJsonOrCsv(const HttpRequest& req) {
  if (req.HasQuery("format") && req.Query("format") != "csv" && req.Query("format") != "json") {
    return Status::InvalidArgument("format=" + req.Query("format") + ": expected json or csv");
  }
  return Status::Ok();
}

void CsvCell(std::string* out, std::string_view v, bool first) {
  if (!first) *out += ',';
  bool quote = false;
  for (char c : v) quote = quote || c == ',' || c == '"' || c == '\r' || c == '\n';
  if (!quote) {
    *out += v;
    return;
  }
  *out += '"';
  for (char c : v) {
    if (c == '"') *out += '"';
    *out += c;
  }
  *out += '"';
}

std::string ShortestNumber(double v) {
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, p);
}

}  // namespace hub::http
