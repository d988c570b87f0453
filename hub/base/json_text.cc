#include "hub/base/json_text.h"

#include <charconv>
#include <cmath>

#include <boost/json/serialize.hpp>

namespace hub {
namespace {

void Append(const boost::json::value& v, std::string* out) {
  switch (v.kind()) {
    case boost::json::kind::double_: {
      const double d = v.get_double();
      if (!std::isfinite(d)) {  // JSON has no NaN or infinity
        *out += "null";
        return;
      }
      char buf[32];
      // Shortest round-trip form: "-2.1", "0", "1e+21" for large magnitudes
      // (JSON has one number type: 2.0 is "2").
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
      out->append(buf, ec == std::errc() ? end : buf);
      return;
    }
    case boost::json::kind::object: {
      *out += '{';
      bool first = true;
      for (const auto& [k, x] : v.get_object()) {
        if (!first) *out += ',';
        first = false;
        *out += boost::json::serialize(boost::json::string_view(k));
        *out += ':';
        Append(x, out);
      }
      *out += '}';
      return;
    }
    case boost::json::kind::array: {
      *out += '[';
      bool first = true;
      for (const auto& x : v.get_array()) {
        if (!first) *out += ',';
        first = false;
        Append(x, out);
      }
      *out += ']';
      return;
    }
    default:
      *out += boost::json::serialize(v);
  }
}

}  // namespace

std::string JsonText(const boost::json::value& v) {
  std::string out;
  Append(v, &out);
  return out;
}

}  // namespace hub
