// Strong id types shared by every module, so a watermark cannot be passed
// where a partition offset is expected, nor a provider id for a submission id.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace hub {

// Commit sequence number of the last applied submission: a consistent,
// totally ordered point of the versioned state. 0 = nothing applied yet.
struct Watermark {
  uint64_t value = 0;
  auto operator<=>(const Watermark&) const = default;
};

template <typename Tag>
struct StringId {
  std::string value;
  auto operator<=>(const StringId&) const = default;
  bool empty() const { return value.empty(); }
};

struct SubmissionIdTag {};
struct ProviderIdTag {};
using SubmissionId = StringId<SubmissionIdTag>;
using ProviderId = StringId<ProviderIdTag>;

}  // namespace hub
