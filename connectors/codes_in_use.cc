#include "connectors/codes_in_use.h"

#include <map>
#include <tuple>

namespace hub::connectors {
namespace {

// The codelist `c` takes in `set`, or null (none, or not held).
const sdmx::Codelist* CodelistOf(const sdmx::Component& c, const sdmx::StructureSet& set) {
  return c.codelist ? set.FindCodelist(*c.codelist) : nullptr;
}

// Whether every code of `before` (null: the component was not coded, so
// any value could be stored) is a code of `after`.
bool Keeps(const sdmx::Codelist* before, const sdmx::Codelist& after) {
  if (!before) return false;
  if (before == &after) return true;
  for (const sdmx::Code& code : before->codes) {
    if (!after.Find(code.id)) return false;
  }
  return true;
}

// A component of the DSD in force whose codelist may now lack stored codes.
struct AtRisk {
  const sdmx::Component* component;
  const sdmx::Codelist* codelist;  // in `after`
  int dimension = -1;              // index in the key, or -1 for an attribute
  sdmx::AttachmentLevel level = sdmx::AttachmentLevel::kSeries;
};

std::vector<AtRisk> ComponentsAtRisk(const sdmx::DataStructure& now, const sdmx::DataStructure* was,
                                     const sdmx::StructureSet& before, const sdmx::StructureSet& after) {
  std::vector<AtRisk> out;
  auto check = [&](const sdmx::Component& c, const sdmx::Component* old, AtRisk risk) {
    const sdmx::Codelist* cl = CodelistOf(c, after);
    if (!cl || Keeps(old ? CodelistOf(*old, before) : nullptr, *cl)) return;
    risk.component = &c;
    risk.codelist = cl;
    out.push_back(risk);
  };
  for (size_t i = 0; i < now.dimensions.size(); ++i) {
    const int j = was ? was->DimensionIndex(now.dimensions[i].id) : -1;
    check(now.dimensions[i], j >= 0 ? &was->dimensions[j] : nullptr, {nullptr, nullptr, static_cast<int>(i)});
  }
  for (const sdmx::Attribute& a : now.attributes) {
    check(a, was ? was->FindAttribute(a.id) : nullptr, {nullptr, nullptr, -1, a.level});
  }
  return out;
}

}  // namespace

Result<std::vector<CodeInUse>> CodesNoLongerAllowed(const storage::VersionedState& state,
                                                    const sdmx::StructureSet& before,
                                                    const sdmx::StructureSet& after) {
  std::map<std::tuple<std::string, std::string, std::string>, CodeInUse> found;
  for (const auto& [key, flow] : after.dataflows()) {
    const sdmx::DataStructure* now = after.FindDataStructure(flow.structure);
    if (!now || !before.FindDataflow(flow.ref)) continue;  // a new dataflow holds no data
    const std::vector<AtRisk> risks =
        ComponentsAtRisk(*now, before.FindDataStructure(flow.structure), before, after);
    if (risks.empty()) continue;
    const std::string name = flow.ref.ToString();
    auto note = [&](const AtRisk& r, const std::string& code, int64_t observations) {
      if (code.empty() || (r.dimension < 0 && code == sdmx::kMissingText) || r.codelist->Find(code)) return;
      CodeInUse& u = found[{name, r.component->id, code}];
      u = {name, r.component->id, code, r.codelist->ref.ToString(), u.observations + observations};
    };
    HUB_RETURN_IF_ERROR(state.ScanSeries(name, sdmx::KeyPattern(), state.watermark(), [&](sdmx::Series& s) {
      const auto n = static_cast<int64_t>(s.observations.size());
      for (const AtRisk& r : risks) {
        if (r.dimension >= 0) {
          if (static_cast<size_t>(r.dimension) < s.key.size()) note(r, s.key[r.dimension], n);
        } else if (r.level != sdmx::AttachmentLevel::kObservation) {
          if (const std::string* v = sdmx::FindField(s.attributes, r.component->id)) note(r, *v, n);
        } else {
          for (const sdmx::Observation& o : s.observations) {
            if (const std::string* v = sdmx::FindField(o.attributes, r.component->id)) note(r, *v, 1);
          }
        }
      }
      return true;
    }));
  }
  std::vector<CodeInUse> out;
  for (auto& [k, u] : found) out.push_back(std::move(u));
  return out;
}

}  // namespace hub::connectors
