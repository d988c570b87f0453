// Crash points for the kill -9 failure matrix (tests/hub/crash_test.cc).
//
// HUB_CRASH_POINT="name:N" makes the N-th call of CrashPoint("name") kill the
// process with SIGKILL: no destructor, no flush, exactly like `kill -9` at
// that instant. Unset (production), a call costs one load and a branch.
#pragma once

namespace hub {

void CrashPoint(const char* name);

}  // namespace hub
