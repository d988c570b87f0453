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
#include <vector>

#include "hub/feed/change_feed.h"

namespace hub::feed {

std::string ChangeEventJson(const ChangeEvent& e);

// The event as records of the Kafka topic, each at most `max_bytes` (the
// topic's limit): the whole ChangeEventJson when it fits; else parts, each
// with every field of the event (counts are the whole event's) plus "part"
// (0-based) and "parts", and a run of its series, in order. A consumer
// joins the series of parts 0..parts-1 of one watermark.
std::vector<std::string> ChangeEventRecords(const ChangeEvent& e, size_t max_bytes);

}  // namespace hub::feed
