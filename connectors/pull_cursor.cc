#include "connectors/pull_cursor.h"

#include <algorithm>

#include "hub/base/iso_time.h"
#include "storage/state.pb.h"

namespace hub::connectors {
namespace {

std::string MetaName(const std::string& source, const std::string& dataflow) {
  return "pull/" + source + "/" + dataflow;
}

}  // namespace

std::optional<std::string> UpdatedAfter(std::optional<int64_t> cursor_ms, std::chrono::milliseconds overlap) {
  if (!cursor_ms) return std::nullopt;
  return IsoTimeMs(std::max<int64_t>(0, *cursor_ms - overlap.count()));
}

Result<std::optional<int64_t>> LoadPullCursor(const storage::VersionedState& state, const std::string& source,
                                              const std::string& dataflow, const std::string& url) {
  HUB_ASSIGN_OR_RETURN(std::optional<std::string> raw, state.ConnectorMeta(MetaName(source, dataflow)));
  if (!raw) return std::optional<int64_t>();
  sdmxhub::state::v1::PullCursor c;
  if (!c.ParseFromString(*raw)) return Status::Corruption("unreadable pull cursor of " + source + " " + dataflow);
  // Another remote (or another query) knows nothing of this time.
  if (c.url() != url) return std::optional<int64_t>();
  return std::optional<int64_t>(c.cursor_ms());
}

Status StorePullCursor(storage::VersionedState* state, const std::string& source, const std::string& dataflow,
                       const std::string& url, int64_t cursor_ms, int64_t now_ms) {
  sdmxhub::state::v1::PullCursor c;
  c.set_url(url);
  c.set_cursor_ms(cursor_ms);
  c.set_pulled_ms(now_ms);
  return state->PutConnectorMeta(MetaName(source, dataflow), c.SerializeAsString());
}

}  // namespace hub::connectors
