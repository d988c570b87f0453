// JSON text for people as well as programs: boost::json::serialize writes
// doubles in exponent form ("-2.1E0", "0E0"); this writes the shortest
// decimal that reads back as the same double ("-2.1", "0"), and everything
// else as serialize does.
#pragma once

#include <string>

#include <boost/json/value.hpp>

namespace hub {

std::string JsonText(const boost::json::value& v);

}  // namespace hub
