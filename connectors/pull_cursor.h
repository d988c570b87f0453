// The REST pull cursor: from when the next pull of one (source, dataflow)
// asks for changes, and where that is kept.
//
// Choice of time. A pull that succeeds records the time it *started*, by
// this hub's clock (T). The next pull asks `updatedAfter = T - overlap`.
//  - Why not "the time the last request started" alone (overlap 0): a hub
//    stamps a submission with the time it was accepted, but the submission
//    becomes visible only once materialised, later. One accepted at T - 1 s
//    and still materialising while our request was answered was not in that
//    answer, and "updatedAfter = T" would skip it for ever. The same holds
//    for any server whose updatedAfter filters on a time set before the data
//    is readable.
//  - Clocks differ: the remote compares updatedAfter with its own clock. If
//    ours runs ahead of it by D, "T" is D too late in its terms.
//  So `overlap` must exceed the remote's accept-to-visible delay plus how
//  far our clock may run ahead of the remote's. Too much overlap only costs
//  transfer: what is pulled again is compared with the local state and
//  anything unchanged is dropped before submitting (pull_changes.h).
//  - Why not the remote's own time (the message's Prepared): a hub answers
//    with the load time of its newest commit, which stops moving while the
//    remote is idle; "updatedAfter = that - overlap" would then pull the last
//    burst of changes again at every interval, however old it is. (A
//    Prepared later than T, a remote clock running ahead, needs nothing:
//    asking from T is then merely conservative.)
//
// No cursor (first pull, a changed URL, a replayed state) = a full pull.
// The cursor is stored only after everything the pull brought was
// committed here, so a crash or a failed pull repeats the pull; never skips.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "hub/base/status.h"
#include "storage/state.h"

namespace hub::connectors {

// `updatedAfter` for a pull with `cursor_ms` (nullopt: a full pull), as
// ISO 8601 UTC with milliseconds.
std::optional<std::string> UpdatedAfter(std::optional<int64_t> cursor_ms, std::chrono::milliseconds overlap);

// The cursor of (source, dataflow) for requests to `url`, or nullopt when
// none is stored or it was measured against another URL.
Result<std::optional<int64_t>> LoadPullCursor(const storage::VersionedState& state, const std::string& source,
                                              const std::string& dataflow, const std::string& url);
Status StorePullCursor(storage::VersionedState* state, const std::string& source, const std::string& dataflow,
                       const std::string& url, int64_t cursor_ms, int64_t now_ms);

}  // namespace hub::connectors
