#include "testing/rwanda_corpus.h"

#include <algorithm>
#include <filesystem>

#include "testing/test_util.h"

namespace hub::testing {

std::vector<Publication> InDateOrder() {
  std::vector<Publication> out;
  for (const char* dir : {"sdg/national/RW/dsd", "sdg/national/RW/data/2025_RWA-SDG_Data"}) {
    for (const auto& e : std::filesystem::directory_iterator(CorpusPath(dir))) {
      const std::string name = e.path().filename().string();
      out.push_back({name.substr(0, 16), std::string(dir).find("dsd") != std::string::npos, e.path().string()});
    }
  }
  std::sort(out.begin(), out.end(), [](const Publication& a, const Publication& b) {
    return a.stamp != b.stamp ? a.stamp < b.stamp : a.structure > b.structure;
  });
  return out;
}

}  // namespace hub::testing
