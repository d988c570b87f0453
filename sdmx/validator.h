// Validator: checks series against their DSD (and, through it, codelists).
//
// Rules (the `rule` of each Diagnostic):
//   key-length        every dimension has a value
//   code-in-codelist  dimension and coded attribute values are codes of their codelist
//   known-component   every attribute is declared by the DSD at that level
//   time-period       TIME_PERIOD is a valid period for the series' FREQ
//   obs-value         OBS_VALUE is a number (an integer) when the DSD gives the
//                     measure a numeric (integer) textType, or empty, NaN or
//                     #N/A (intentionally missing); untyped, it is a string
//   mandatory-attribute  mandatory series/observation attributes are present
//   duplicate-observation  one series key + period appears once per message
//   constraint        the key and coded attribute values are allowed by the
//                     Allowed ContentConstraints attached to the dataflow or DSD
// The validator keeps going after a problem so one run reports them all
// (up to the Diagnostics cap). Thread-compatible; one per message.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "sdmx/diagnostic.h"
#include "sdmx/duplicate_runs.h"
#include "sdmx/model.h"
#include "sdmx/text_type.h"

namespace sdmx {

struct ValidatorOptions {
  // Check mandatory attributes. Series-key-only messages (no observations)
  // legitimately omit them; default true.
  bool check_mandatory_attributes = true;
  // The dataflow the data is reported for: its Allowed constraints (and the
  // DSD's) apply. Unset: only the DSD's.
  std::optional<ArtefactRef> dataflow;
  // The data provider submitting it (its id in a DataProviderScheme): the
  // Allowed constraints of its provision agreements for `dataflow` apply
  // too. Empty: none.
  std::string provider;
  // Duplicate observations are found in memory (and reported as met, with
  // their key and period) until the hashes kept take about this much; past
  // it, the observations that follow are checked against those kept and,
  // among themselves, by DuplicateRuns in `spool_dir` (reported by Finish).
  size_t duplicate_memory_bytes = size_t{16} << 20;
  std::string spool_dir;  // empty: the system's temporary directory
};

class Validator {
 public:
  Validator(const DataStructure& dsd, const StructureSet& structures, std::string file,
            ValidatorOptions options = {});

  // Adds one diagnostic per problem of `series` to `diags`; returns true when none.
  bool Validate(const Series& series, Action action, Diagnostics* diags);
  // After the last series: the duplicates found only once the whole message
  // is known (past duplicate_memory_bytes). Not OK only when the spool
  // fails; the duplicates go to `diags`.
  hub::Status Finish(Diagnostics* diags);

 private:
  void Report(Diagnostics* diags, int line, const char* element, const char* rule, std::string msg);
  // Index of `c` (a component of dsd_): dimensions, then attributes.
  size_t SlotOf(const Component& c) const;
  void CheckCode(const Component& c, const std::string& value, int line, const char* element,
                 Diagnostics* diags);

  const DataStructure& dsd_;
  const StructureSet& structures_;
  std::string file_;
  ValidatorOptions options_;
  int freq_index_;
  TextKind measure_kind_;
  bool ok_ = true;
  std::string current_key_;  // the series being validated
  std::vector<const Codelist*> codelists_;  // by SlotOf, resolved at construction
  std::vector<std::string> last_code_;      // by SlotOf: the last value found in its codelist
  std::vector<const Attribute*> mandatory_obs_attributes_;
  std::vector<const Attribute*> obs_attribute_at_;
  std::vector<const ContentConstraint*> constraints_;  // Allowed, for this dataflow/DSD
  void CheckConstraints(const Series& s, const std::string& key, Diagnostics* diags);  // what the i-th attribute of the last observation was
  void CheckDuplicates(const Series& s, const std::string& key, Diagnostics* diags);
  // Per series key (its 64-bit hash), the hashes of the periods seen so far
  // in this message. Hashes keep duplicate detection free of per-observation
  // allocations, and the map of a message of many series free of a copy of
  // each key (about 5% of reading time on a 75,000-series message); a
  // false report would need a 64-bit hash collision between two series keys
  // of one message or two periods of one series.
  std::unordered_map<uint64_t, std::vector<uint64_t>> periods_;
  size_t periods_bytes_ = 0;  // about what periods_ takes
  std::unique_ptr<DuplicateRuns> runs_;  // once periods_ is full
  uint32_t series_index_ = 0;  // of the series being validated, in the message
  hub::Status runs_status_;
};

}  // namespace sdmx
