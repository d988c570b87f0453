#include "sdmx/model.h"

#include <algorithm>
#include <charconv>

namespace sdmx {

std::string ArtefactRef::ToString() const {
  return agency + ":" + id + "(" + version + ")";
}

const Code* Codelist::Find(std::string_view id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &codes[it->second];
}

void Codelist::Index() {
  index_.clear();
  index_.reserve(codes.size());
  for (size_t i = 0; i < codes.size(); ++i) index_.emplace(codes[i].id, i);
}

const char* AttachmentLevelName(AttachmentLevel level) {
  switch (level) {
    case AttachmentLevel::kDataSet: return "DataSet";
    case AttachmentLevel::kGroup: return "Group";
    case AttachmentLevel::kSeries: return "Series";
    case AttachmentLevel::kObservation: return "Observation";
  }
  return "?";
}

int DataStructure::DimensionIndex(std::string_view id) const {
  for (size_t i = 0; i < dimensions.size(); ++i) {
    if (dimensions[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

const Attribute* DataStructure::FindAttribute(std::string_view id) const {
  for (const auto& a : attributes) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

int CompareVersions(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    auto take = [](std::string_view& s) {
      size_t dot = s.find('.');
      std::string_view part = s.substr(0, dot);
      s = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
      long n = -1;
      auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
      if (ec != std::errc() || p != part.data() + part.size()) n = -1;
      return std::make_pair(n, part);
    };
    auto [na, pa] = take(a);
    auto [nb, pb] = take(b);
    if (na >= 0 && nb >= 0) {
      if (na != nb) return na < nb ? -1 : 1;
    } else if (int c = pa.compare(pb); c != 0) {
      return c < 0 ? -1 : 1;
    }
  }
  return 0;
}

template <typename M>
const typename M::mapped_type* StructureSet::Find(const M& m, const ArtefactRef& ref) {
  if (!ref.version.empty()) {
    auto it = m.find(ref.ToString());
    return it == m.end() ? nullptr : &it->second;
  }
  const typename M::mapped_type* best = nullptr;
  for (const auto& [k, v] : m) {
    if (v.ref.agency == ref.agency && v.ref.id == ref.id &&
        (!best || CompareVersions(best->ref.version, v.ref.version) < 0)) {
      best = &v;
    }
  }
  return best;
}

void StructureSet::Add(Codelist cl) {
  cl.Index();
  codelists_[cl.ref.ToString()] = std::move(cl);
}
void StructureSet::Add(DataStructure dsd) { dsds_[dsd.ref.ToString()] = std::move(dsd); }
void StructureSet::Add(Dataflow df) { dataflows_[df.ref.ToString()] = std::move(df); }

void StructureSet::Merge(const StructureSet& other) {
  for (const auto& [k, v] : other.codelists_) Add(v);
  for (const auto& [k, v] : other.dsds_) dsds_[k] = v;
  for (const auto& [k, v] : other.dataflows_) dataflows_[k] = v;
}

const Codelist* StructureSet::FindCodelist(const ArtefactRef& ref) const { return Find(codelists_, ref); }
const DataStructure* StructureSet::FindDataStructure(const ArtefactRef& ref) const { return Find(dsds_, ref); }
const Dataflow* StructureSet::FindDataflow(const ArtefactRef& ref) const { return Find(dataflows_, ref); }

const Dataflow* StructureSet::FindDataflowById(std::string_view id) const {
  const Dataflow* best = nullptr;
  for (const auto& [k, v] : dataflows_) {
    if (v.ref.id == id && (!best || CompareVersions(best->ref.version, v.ref.version) < 0)) best = &v;
  }
  return best;
}

const char* ActionName(Action a) {
  switch (a) {
    case Action::kInformation: return "Information";
    case Action::kAppend: return "Append";
    case Action::kReplace: return "Replace";
    case Action::kMerge: return "Merge";
    case Action::kDelete: return "Delete";
  }
  return "?";
}

std::optional<Action> ParseAction(std::string_view s) {
  if (s == "Information") return Action::kInformation;
  if (s == "Append") return Action::kAppend;
  if (s == "Replace") return Action::kReplace;
  if (s == "Merge") return Action::kMerge;
  if (s == "Delete") return Action::kDelete;
  return std::nullopt;
}

const std::string* FindField(const Fields& fields, std::string_view id) {
  for (const auto& f : fields) {
    if (f.id == id) return &f.value;
  }
  return nullptr;
}

std::string Series::KeyString() const {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    if (i) out += '.';
    out += key[i];
  }
  return out;
}

}  // namespace sdmx
