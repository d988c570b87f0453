// What the hub's own JSON-or-CSV resources (views, vintages) share: the
// choice of representation and CSV cells.
#pragma once

#include <string>
#include <string_view>

#include "hub/base/status.h"
#include "hub/http/message.h"

namespace hub::http {

// format=csv, or else Accept naming text/csv.
bool WantsCsv(const HttpRequest& req);
// InvalidArgument for a format= other than json or csv.
Status CheckJsonOrCsv(const HttpRequest& req);
// Appends `v` as one CSV cell (RFC 4180 quoting), after a comma unless `first`.
void CsvCell(std::string* out, std::string_view v, bool first = false);
// The shortest decimal that reads back as `v`.
std::string ShortestNumber(double v);

}  // namespace hub::http
