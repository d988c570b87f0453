#include "sdmx/validator.h"

#include <algorithm>
#include <charconv>

#include "sdmx/text_type.h"
#include "sdmx/time_period.h"

namespace sdmx {

Validator::Validator(const DataStructure& dsd, const StructureSet& structures, std::string file,
                     ValidatorOptions options)
    : dsd_(dsd), structures_(structures), file_(std::move(file)), options_(options),
      freq_index_(dsd.DimensionIndex("FREQ")), measure_kind_(TextKindOf(dsd.measure_text_type)) {
  for (const Dimension& d : dsd.dimensions) {
    codelists_.push_back(d.codelist ? structures.FindCodelist(*d.codelist) : nullptr);
  }
  for (const Attribute& a : dsd.attributes) {
    codelists_.push_back(a.codelist ? structures.FindCodelist(*a.codelist) : nullptr);
  }
  last_code_.resize(codelists_.size());
  for (const Attribute& a : dsd.attributes) {
    if (a.mandatory && a.level == AttachmentLevel::kObservation) mandatory_obs_attributes_.push_back(&a);
  }
  constraints_ = structures.AllowedConstraintsFor(options_.dataflow, dsd.ref, options_.provider);
}

void Validator::CheckConstraints(const Series& s, const std::string& key, Diagnostics* diags) {
  if (constraints_.empty()) return;
  std::vector<std::pair<std::string_view, std::string_view>> kv;
  for (size_t i = 0; i < dsd_.dimensions.size() && i < s.key.size(); ++i) {
    if (!s.key[i].empty()) kv.emplace_back(dsd_.dimensions[i].id, s.key[i]);
  }
  for (const ContentConstraint* c : constraints_) {
    if (!c->AllowsKey(kv)) {
      Report(diags, s.line, "Series", "constraint", "series " + key + " is outside the keys allowed by " + c->ref.ToString());
    }
    for (const Field& f : s.attributes) {
      if (!c->AllowsValue(f.id, f.value)) {
        Report(diags, s.line, "Series", "constraint", f.id + "='" + f.value + "' is not allowed by " + c->ref.ToString());
      }
    }
    for (const Observation& o : s.observations) {
      for (const Field& f : o.attributes) {
        if (!c->AllowsValue(f.id, f.value)) {
          Report(diags, o.line, "Obs", "constraint", f.id + "='" + f.value + "' is not allowed by " + c->ref.ToString());
        }
      }
    }
  }
}

void Validator::Report(Diagnostics* diags, int line, const char* element, const char* rule, std::string msg) {
  ok_ = false;
  // Formats without line numbers (SDMX-JSON) are located by series key instead.
  if (line == 0 && !current_key_.empty()) msg += " [series " + current_key_ + "]";
  diags->Add({file_, line, element, rule, std::move(msg)});
}

size_t Validator::SlotOf(const Component& c) const {
  const Component* p = &c;
  if (!dsd_.dimensions.empty() && p >= &dsd_.dimensions.front() && p <= &dsd_.dimensions.back()) {
    return static_cast<size_t>(static_cast<const Dimension*>(p) - dsd_.dimensions.data());
  }
  return dsd_.dimensions.size() + static_cast<size_t>(static_cast<const Attribute*>(p) - dsd_.attributes.data());
}

void Validator::CheckCode(const Component& c, const std::string& value, int line, const char* element,
                          Diagnostics* diags) {
  // "#N/A" is SDMX 3's intentionally missing value of a coded or text
  // component (no codelist holds it); dimensions cannot be missing.
  if (!c.codelist || value.empty() || (value == kMissingText && SlotOf(c) >= dsd_.dimensions.size())) return;
  const size_t slot = SlotOf(c);
  // Consecutive observations mostly repeat a code (OBS_STATUS=A...): one
  // string compare instead of a hash lookup.
  if (last_code_[slot] == value) return;
  const Codelist* cl = codelists_[slot];
  if (!cl) {
    Report(diags, line, element, "code-in-codelist",
           c.id + ": codelist " + c.codelist->ToString() + " is not known to the hub");
  } else if (!cl->Find(value)) {
    Report(diags, line, element, "code-in-codelist",
           c.id + "='" + value + "' is not a code of " + cl->ref.ToString());
  } else {
    last_code_[slot] = value;
  }
}

namespace {

// Whether `v` is a value of the measure's kind. Numbers and integers may
// also be empty, NaN or #N/A (intentionally missing, as SDMX agencies
// send it); other kinds are not checked: a measure the DSD gives no type
// is a string, and any string is a value.
bool IsObsValue(const std::string& v, TextKind kind) {
  if (kind != TextKind::kNumber && kind != TextKind::kInteger) return true;
  if (v.empty() || v == "NaN" || v == "#N/A") return true;
  const char* begin = v.data() + (v[0] == '+' || (kind == TextKind::kInteger && v[0] == '-') ? 1 : 0);
  const char* end = v.data() + v.size();
  if (kind == TextKind::kInteger) {
    return begin < end && std::all_of(begin, end, [](char c) { return c >= '0' && c <= '9'; });
  }
  double d;
  auto [p, ec] = std::from_chars(begin, end, d);
  return ec == std::errc() && p == end;
}

}  // namespace

void Validator::CheckDuplicates(const Series& s, const std::string& key, Diagnostics* diags) {
  const uint64_t key_hash = std::hash<std::string_view>{}(key);
  const uint32_t series = series_index_++;
  // Per observation: an unordered_map node and vector per key, 8 bytes per
  // period and the vectors' slack.
  constexpr size_t kKeyBytes = 96, kPeriodBytes = 16;
  const bool kept = !runs_;  // this series' periods go to periods_
  std::vector<uint64_t>* seen = nullptr;
  if (kept) {
    auto [it, fresh] = periods_.try_emplace(key_hash);
    if (fresh) periods_bytes_ += kKeyBytes;
    seen = &it->second;
  } else if (auto it = periods_.find(key_hash); it != periods_.end()) {
    seen = &it->second;
  }
  // (hash, index): index -1 for periods of earlier series with this key.
  std::vector<std::pair<uint64_t, int64_t>> all;
  all.reserve((seen ? seen->size() : 0) + s.observations.size());
  if (seen) {
    for (uint64_t h : *seen) all.emplace_back(h, -1);
  }
  for (size_t i = 0; i < s.observations.size(); ++i) {
    const Observation& o = s.observations[i];
    const uint64_t h = std::hash<std::string_view>{}(o.period);
    all.emplace_back(h, static_cast<int64_t>(i));
    if (kept) {
      seen->push_back(h);
    } else if (runs_status_.ok()) {
      // Among the observations past the memory bound, found by Finish (with
      // those of this series: not reported here too).
      runs_status_ = runs_->Add({key_hash ^ (h + 0x9e3779b97f4a7c15ULL + (key_hash << 6) + (key_hash >> 2)), series,
                                 static_cast<uint32_t>(std::max(o.line, 0))});
    }
  }
  if (kept) periods_bytes_ += kPeriodBytes * s.observations.size();
  std::sort(all.begin(), all.end());
  for (size_t i = 1; i < all.size(); ++i) {
    // Duplicates among earlier series (index -1) were reported with them;
    // past the bound, those within this series are Finish's.
    if (all[i].first != all[i - 1].first || all[i].second < 0) continue;
    if (!kept && all[i - 1].second >= 0) continue;
    const Observation& o = s.observations[all[i].second];
    Report(diags, o.line, "Obs", "duplicate-observation",
           "observation " + key + " @ " + o.period + " appears more than once in this message");
  }
  if (kept && periods_bytes_ > options_.duplicate_memory_bytes) {
    // Full: what follows is checked against what is kept, and among itself
    // on disk (sorted runs of a quarter of the bound each).
    runs_ = std::make_unique<DuplicateRuns>(options_.spool_dir, options_.duplicate_memory_bytes / 4);
  }
}

hub::Status Validator::Finish(Diagnostics* diags) {
  if (!runs_) return hub::Status::Ok();
  HUB_RETURN_IF_ERROR(runs_status_);
  current_key_.clear();
  HUB_RETURN_IF_ERROR(runs_->Finish([&](const DuplicateRuns::Entry& e) {
    ok_ = false;
    diags->Add({file_, static_cast<int>(e.line), "Obs", "duplicate-observation",
                "this observation repeats the series key and period of an earlier one in this message (in series " +
                    std::to_string(e.series + 1) + " of the message)"});
  }));
  runs_.reset();
  return hub::Status::Ok();
}

bool Validator::Validate(const Series& s, Action action, Diagnostics* diags) {
  ok_ = true;
  current_key_ = s.KeyString();
  const bool deleting = action == Action::kDelete;
  for (size_t i = 0; i < dsd_.dimensions.size(); ++i) {
    const Dimension& d = dsd_.dimensions[i];
    if (i >= s.key.size() || s.key[i].empty()) {
      // A Delete may leave dimensions out to delete a whole slice; everything else needs a full key.
      if (!deleting) {
        Report(diags, s.line, "Series", "key-length",
               "dimension " + d.id + " (position " + std::to_string(i + 1) + " of " +
                   std::to_string(dsd_.dimensions.size()) + ") has no value");
      }
      continue;
    }
    CheckCode(d, s.key[i], s.line, "Series", diags);
  }
  for (const Field& f : s.attributes) {
    const Attribute* a = dsd_.FindAttribute(f.id);
    // Group and dataset attributes arrive on the series (see DataReader).
    if (!a || a->level == AttachmentLevel::kObservation) {
      Report(diags, s.line, "Series", "known-component",
             f.id + " is not a series-level component of " + dsd_.ref.ToString());
      continue;
    }
    CheckCode(*a, f.value, s.line, "Series", diags);
  }
  const bool has_obs = !s.observations.empty();
  if (options_.check_mandatory_attributes && !deleting && has_obs) {
    for (const Attribute& a : dsd_.attributes) {
      if (a.mandatory && a.level == AttachmentLevel::kSeries && !FindField(s.attributes, a.id)) {
        Report(diags, s.line, "Series", "mandatory-attribute", "mandatory attribute " + a.id + " is missing");
      }
    }
  }
  const std::string freq = freq_index_ >= 0 && static_cast<size_t>(freq_index_) < s.key.size()
                               ? s.key[freq_index_] : "";
  const std::string key = s.KeyString();
  current_key_ = key;
  for (const Observation& o : s.observations) {
    std::string why;
    if (o.period.empty()) {
      Report(diags, o.line, "Obs", "time-period", dsd_.time_dimension + " is missing");
    } else if (!PeriodFitsFrequency(o.period, freq, &why)) {
      Report(diags, o.line, "Obs", "time-period", dsd_.time_dimension + "='" + o.period + "': " + why);
    }
    if (!IsObsValue(o.value, measure_kind_)) {
      Report(diags, o.line, "Obs", "obs-value",
             dsd_.primary_measure + "='" + o.value + "' is not " +
                 (measure_kind_ == TextKind::kInteger ? "an integer" : "a number") + " (the DSD says " +
                 dsd_.measure_text_type + "; use NaN for a missing value)");
    }
    for (size_t i = 0; i < o.attributes.size(); ++i) {
      const Field& f = o.attributes[i];
      // Observations repeat their attributes in one order: confirm the
      // attribute found at this position last time with one compare.
      if (i >= obs_attribute_at_.size()) obs_attribute_at_.emplace_back(nullptr);
      const Attribute*& cached = obs_attribute_at_[i];
      if (!cached || cached->id != f.id) cached = dsd_.FindAttribute(f.id);
      const Attribute* a = cached;
      if (!a || a->level != AttachmentLevel::kObservation) {
        Report(diags, o.line, "Obs", "known-component",
               f.id + " is not an observation-level component of " + dsd_.ref.ToString());
        continue;
      }
      CheckCode(*a, f.value, o.line, "Obs", diags);
    }
    if (options_.check_mandatory_attributes && !deleting) {
      for (const Attribute* a : mandatory_obs_attributes_) {
        if (!FindField(o.attributes, a->id)) {
          Report(diags, o.line, "Obs", "mandatory-attribute", "mandatory attribute " + a->id + " is missing");
        }
      }
    }
  }
  CheckDuplicates(s, key, diags);
  CheckConstraints(s, key, diags);
  return ok_;
}

}  // namespace sdmx
