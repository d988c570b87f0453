#include "hub/base/json_text.h"
#include "hub/feed/change_json.h"

#include <boost/json.hpp>

#include "hub/base/iso_time.h"
#include "storage/codec.h"
#include "storage/state.h"

namespace hub::feed {

namespace json = boost::json;

namespace {

json::object SeriesJson(const sdmxhub::state::v1::ChangeRecord::SeriesChange& c) {
  return json::object{
      {"key", c.series_key()}, {"revised", c.revised()}, {"deleted", c.deleted()}, {"attributes", c.attributes()}};
}

// The event's own fields, without its series.
json::object Head(const ChangeEvent& e) {
  int64_t revisions = 0, deletions = 0;
  for (const auto& c : e.series) {
    revisions += c.revised();
    deletions += c.deleted();
  }
  const auto& c = e.commit;
  json::object o{
      {"watermark", c.seq()},
      {"submission", c.submission_id()},
      {"provider", c.provider()},
      {"kind", c.kind()},
      {"dataflow", c.dataflow().id().empty() ? std::string() : storage::FromProto(c.dataflow()).ToString()},
      {"loadedAt", IsoTimeMs(storage::LoadedTimeMs(c))},
      {"revisionsWritten", c.revisions_written()},  // by the whole commit, whatever the filter
      {"revisions", revisions},
      {"deletions", deletions},
      {"seriesChanged", e.series.size()}};
  if (int64_t t = storage::ReleasedTimeMs(c)) o["releasedAt"] = IsoTimeMs(t);  // an embargo ended
  return o;
}

}  // namespace

std::string ChangeEventJson(const ChangeEvent& e) {
  json::object o = Head(e);
  json::array series;
  for (const auto& c : e.series) series.push_back(SeriesJson(c));
  o["series"] = std::move(series);
  return JsonText(o);
}

std::vector<std::string> ChangeEventRecords(const ChangeEvent& e, size_t max_bytes) {
  std::string whole = ChangeEventJson(e);
  if (whole.size() <= max_bytes) return {std::move(whole)};
  // Room for the head, "part", "parts" and the brackets; then as many
  // series as fit, each with its comma.
  const size_t head = JsonText(Head(e)).size() + 64;
  std::vector<std::vector<std::string>> runs(1);
  size_t used = head;
  for (const auto& c : e.series) {
    std::string s = JsonText(SeriesJson(c));
    if (!runs.back().empty() && used + s.size() + 1 > max_bytes) {
      runs.emplace_back();
      used = head;
    }
    used += s.size() + 1;
    runs.back().push_back(std::move(s));
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < runs.size(); ++i) {
    json::object o = Head(e);
    o["part"] = i;
    o["parts"] = runs.size();
    std::string text = JsonText(o);
    text.pop_back();  // '}'
    text += ",\"series\":[";
    for (size_t j = 0; j < runs[i].size(); ++j) text += (j ? "," : "") + runs[i][j];
    text += "]}";
    out.push_back(std::move(text));
  }
  return out;
}

}  // namespace hub::feed
