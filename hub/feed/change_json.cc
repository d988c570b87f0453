#include "hub/base/json_text.h"
#include "hub/feed/change_json.h"

#include <boost/json.hpp>

#include "hub/base/iso_time.h"
#include "storage/codec.h"

namespace hub::feed {

namespace json = boost::json;

std::string ChangeEventJson(const feed::ChangeEvent& e) {
  json::array series;
  int64_t revisions = 0, deletions = 0;
  for (const auto& c : e.series) {
    revisions += c.revised();
    deletions += c.deleted();
    series.push_back(json::object{{"key", c.series_key()},
                                  {"revised", c.revised()},
                                  {"deleted", c.deleted()},
                                  {"attributes", c.attributes()}});
  }
  const auto& c = e.commit;
  return JsonText(json::object{
      {"watermark", c.seq()},
      {"submission", c.submission_id()},
      {"provider", c.provider()},
      {"kind", c.kind()},
      {"dataflow", c.dataflow().id().empty() ? std::string() : storage::FromProto(c.dataflow()).ToString()},
      {"loadedAt", IsoTimeMs(c.accepted_time_ms())},
      {"revisionsWritten", c.revisions_written()},  // by the whole commit, whatever the filter
      {"revisions", revisions},
      {"deletions", deletions},
      {"seriesChanged", series.size()},
      {"series", std::move(series)}});
}

}  // namespace hub::feed
