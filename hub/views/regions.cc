#include "hub/views/regions.h"

#include <functional>

namespace hub::views {

Regions::Regions(const sdmx::HierarchicalCodelist& hcl) {
  std::map<std::string, std::set<std::string>> children;  // union over the hierarchies
  std::function<void(const sdmx::HierarchicalCode&)> walk = [&](const sdmx::HierarchicalCode& hc) {
    if (!hc.children.empty() && !children.count(hc.code)) order_.push_back(hc.code);
    for (const sdmx::HierarchicalCode& c : hc.children) {
      children[hc.code].insert(c.code);
      walk(c);
    }
  };
  for (const sdmx::Hierarchy& h : hcl.hierarchies) {
    for (const sdmx::HierarchicalCode& hc : h.codes) walk(hc);
  }
  // Leaves under each region; `visiting` stops a cycle a bad codelist could hold.
  std::set<std::string> visiting;
  std::function<const std::set<std::string>&(const std::string&)> leaves =
      [&](const std::string& code) -> const std::set<std::string>& {
    auto done = members_.find(code);
    if (done != members_.end()) return done->second;
    std::set<std::string> out;
    if (visiting.insert(code).second) {
      for (const std::string& c : children[code]) {
        if (children.count(c)) {
          const std::set<std::string>& sub = leaves(c);
          out.insert(sub.begin(), sub.end());
        } else {
          out.insert(c);
        }
      }
      visiting.erase(code);
    }
    return members_[code] = std::move(out);
  };
  for (const std::string& r : order_) leaves(r);
}

const std::set<std::string>& Regions::Members(const std::string& region) const {
  static const std::set<std::string> kNone;
  auto it = members_.find(region);
  return it == members_.end() ? kNone : it->second;
}

}  // namespace hub::views
