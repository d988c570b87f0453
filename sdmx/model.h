// The SDMX information model, as much of it as the hub stores and serves:
// maintainable artefact references, codelists, data structures (DSDs),
// dataflows, and the data itself (series of observations).
//
// Plain value types; no I/O. Thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sdmx {

// AGENCY:ID(VERSION), the identity of a maintainable artefact.
struct ArtefactRef {
  std::string agency;
  std::string id;
  std::string version;  // empty = unspecified (resolve to the latest)

  std::string ToString() const;  // "AGENCY:ID(VERSION)"
  bool operator==(const ArtefactRef&) const = default;
  bool operator<(const ArtefactRef& o) const { return ToString() < o.ToString(); }
};

struct Code {
  std::string id;
  std::string name;
  std::string parent;  // empty when top level
};

// Hash for heterogeneous lookup: find(string_view) without building a string.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct Codelist {
  ArtefactRef ref;
  std::string name;
  std::vector<Code> codes;

  const Code* Find(std::string_view id) const;
  void Index();  // rebuild the lookup after codes change

 private:
  std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> index_;
};

enum class AttachmentLevel { kDataSet, kGroup, kSeries, kObservation };
const char* AttachmentLevelName(AttachmentLevel level);

struct Component {
  std::string id;
  std::optional<ArtefactRef> codelist;  // enumerated representation, if any
};

struct Dimension : Component {
  int position = 0;  // 1-based, from the DSD
};

struct Attribute : Component {
  AttachmentLevel level = AttachmentLevel::kObservation;
  bool mandatory = false;
};

struct DataStructure {
  ArtefactRef ref;
  std::string name;
  std::vector<Dimension> dimensions;  // key order, time dimension excluded
  std::string time_dimension = "TIME_PERIOD";
  std::vector<Attribute> attributes;
  std::string primary_measure = "OBS_VALUE";

  // Index of dimension `id` in `dimensions`, or -1.
  int DimensionIndex(std::string_view id) const;
  const Attribute* FindAttribute(std::string_view id) const;
};

struct Dataflow {
  ArtefactRef ref;
  std::string name;
  ArtefactRef structure;
};

// A set of structures that references resolve within (e.g. all of configs/).
// Lookups by AGENCY:ID(VERSION); an empty version resolves to the highest
// version held. Thread-compatible; share as shared_ptr<const StructureSet>.
class StructureSet {
 public:
  void Add(Codelist cl);
  void Add(DataStructure dsd);
  void Add(Dataflow df);
  // Adds everything from `other`; artefacts with the same reference replace ours.
  void Merge(const StructureSet& other);

  const Codelist* FindCodelist(const ArtefactRef& ref) const;
  const DataStructure* FindDataStructure(const ArtefactRef& ref) const;
  const Dataflow* FindDataflow(const ArtefactRef& ref) const;
  // A dataflow by id alone (any agency, latest version), for "flowRef=ID".
  const Dataflow* FindDataflowById(std::string_view id) const;

  const std::map<std::string, Codelist>& codelists() const { return codelists_; }
  const std::map<std::string, DataStructure>& data_structures() const { return dsds_; }
  const std::map<std::string, Dataflow>& dataflows() const { return dataflows_; }
  bool empty() const { return codelists_.empty() && dsds_.empty() && dataflows_.empty(); }

 private:
  template <typename M>
  static const typename M::mapped_type* Find(const M& m, const ArtefactRef& ref);

  std::map<std::string, Codelist> codelists_;
  std::map<std::string, DataStructure> dsds_;
  std::map<std::string, Dataflow> dataflows_;
};

// Compares SDMX versions numerically per dot-separated part ("1.10" > "1.9").
int CompareVersions(std::string_view a, std::string_view b);

// --- Data -----------------------------------------------------------------

// DataSet action (SDMX 2.1 ActionType; 3.0 adds Merge).
enum class Action { kInformation, kAppend, kReplace, kMerge, kDelete };
const char* ActionName(Action a);
std::optional<Action> ParseAction(std::string_view s);

struct Field {
  std::string id;
  std::string value;
  bool operator==(const Field&) const = default;
};
using Fields = std::vector<Field>;
const std::string* FindField(const Fields& fields, std::string_view id);

struct Observation {
  std::string period;
  std::string value;  // OBS_VALUE exactly as sent: "45" and "45.0" differ
  Fields attributes;
  int line = 0;  // source line, 0 when not from a file
};

struct Series {
  std::vector<std::string> key;  // one value per DSD dimension, in DSD order
  Fields attributes;             // series-level attributes
  std::vector<Observation> observations;
  int line = 0;

  std::string KeyString() const;  // "A.G.SI_POV_DAY1.404._T._T._T"
};

// What a data message's header and DataSet element say about one dataset.
struct DataSetInfo {
  Action action = Action::kReplace;  // absent action: see DataReader
  bool action_given = false;
  ArtefactRef structure;            // the DSD
  std::optional<ArtefactRef> dataflow;  // when the message referred to a dataflow
  std::string dimension_at_observation = "TIME_PERIOD";
  std::string valid_from;
  std::string valid_to;
};

struct MessageHeader {
  std::string id;
  bool test = false;
  std::string prepared;
  std::string sender;
};

}  // namespace sdmx
