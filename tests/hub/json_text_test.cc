#include "hub/base/json_text.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <limits>

namespace hub {
namespace {

// Numbers read as people write them (serialize gives "-2.1E0", "0E0"), and
// read back to the same value; the rest as serialize writes it.
TEST(JsonTextTest, DoublesAreShortestDecimalsAndTheRestIsUnchanged) {
  const double diff = 474.4 - 476.5;  // -2.1000000000000227 in binary
  boost::json::value v = {{"lag_seconds", 0.0},         {"difference", -2.1},   {"raw", diff},
                          {"big", 1e21},                 {"count", 3},           {"text", "a\"b\n"},
                          {"list", {1.5, nullptr, true}}, {"nan", std::numeric_limits<double>::quiet_NaN()}};
  const std::string text = JsonText(v);
  EXPECT_NE(text.find("\"lag_seconds\":0,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"difference\":-2.1,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"count\":3"), std::string::npos);
  EXPECT_NE(text.find("\"text\":\"a\\\"b\\n\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"list\":[1.5,null,true]"), std::string::npos) << text;
  EXPECT_NE(text.find("\"nan\":null"), std::string::npos);
  EXPECT_EQ(text.find("E0"), std::string::npos) << text;
  const boost::json::value back = boost::json::parse(text);
  EXPECT_EQ(back.at("raw").as_double(), diff);
  EXPECT_EQ(back.at("big").as_double(), 1e21);
  EXPECT_EQ(back.at("difference").as_double(), -2.1);
}

}  // namespace
}  // namespace hub
