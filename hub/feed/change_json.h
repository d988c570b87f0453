// One change event as JSON: the `data` of an SSE / WebSocket event and the
// value of a record on the Kafka topic sdmx.changes.
//   {"watermark":7,"submission":"...","provider":"WHO","kind":"data",
//    "dataflow":"SDMXHUB:DF_DEMO_SDG(1.0)","loadedAt":"2026-...Z",
//    "revisionsWritten":40,"revisions":12,"deletions":2,"seriesChanged":3,
//    "series":[{"key":"A.G...","revised":4,"deleted":0,"attributes":false},...]}
// revisions, deletions and series count what the event holds (a filtered
// subscription's selection); revisionsWritten is the whole commit's.
#pragma once

#include <string>

#include "hub/feed/change_feed.h"

namespace hub::feed {

std::string ChangeEventJson(const ChangeEvent& e);

}  // namespace hub::feed
