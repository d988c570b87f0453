// Rwanda's national SDG publications in the shared corpus
// (sdg/national/RW: nine versions of the data, four of the DSD
// NISR-SDGs:SDG(1.3)), in the order NISR published them.
#pragma once

#include <string>
#include <vector>

namespace hub::testing {

// The DSD's default dataflow (same agency, id and version), as REST v2 and
// the hub's APIs name it, and as REST v1 does.
inline constexpr char kRwandaFlow[] = "NISR-SDGs:SDG(1.3)";
inline constexpr char kRwandaV1Flow[] = "NISR-SDGs,SDG,1.3";

struct Publication {
  std::string stamp;  // "2026-01-30T1021Z", from the file name
  bool structure;     // a DSD (applied before data of the same stamp)
  std::string path;
};

// Every publication in date order, a DSD before data of the same stamp.
std::vector<Publication> InDateOrder();

}  // namespace hub::testing
