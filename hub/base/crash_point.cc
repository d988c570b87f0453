#include "hub/base/crash_point.h"

#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

namespace hub {
namespace {

struct Armed {
  std::string name;
  long count = 0;
};

const Armed* ArmedPoint() {
  static const Armed* armed = []() -> const Armed* {
    const char* spec = std::getenv("HUB_CRASH_POINT");
    if (!spec || !*spec) return nullptr;
    const char* colon = std::strrchr(spec, ':');
    auto* a = new Armed{colon ? std::string(spec, colon) : std::string(spec), colon ? std::atol(colon + 1) : 1};
    return a;
  }();
  return armed;
}

}  // namespace

void CrashPoint(const char* name) {
  const Armed* a = ArmedPoint();
  if (!a || a->name != name) return;
  static std::atomic<long> hits{0};
  if (++hits == a->count) raise(SIGKILL);
}

}  // namespace hub
