// The regions of a HierarchicalCodelist: every code with children in any of
// its hierarchies, and the countries (codes without children) under each.
// A grouping made of regions (SDG_SSA = {202}) expands through the other
// hierarchies down to countries. Immutable once built; thread-safe to share.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sdmx/model.h"

namespace hub::views {

class Regions {
 public:
  Regions() = default;
  explicit Regions(const sdmx::HierarchicalCodelist& hcl);

  // Region codes in hierarchy order (depth first, first appearance).
  const std::vector<std::string>& codes() const { return order_; }
  bool IsRegion(const std::string& code) const { return members_.count(code) > 0; }
  // The countries under `region` (empty for a country or an unknown code).
  const std::set<std::string>& Members(const std::string& region) const;

 private:
  std::vector<std::string> order_;
  std::map<std::string, std::set<std::string>> members_;
};

}  // namespace hub::views
