#include "connectors/http_get.h"

#include <strings.h>

#include <future>
#include <memory>
#include <thread>

namespace hub::connectors {

const std::string* HttpGetResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && ::strncasecmp(k.data(), name.data(), name.size()) == 0) return &v;
  }
  return nullptr;
}

HttpGet WithDeadline(HttpGet get, std::chrono::milliseconds timeout) {
  return [get = std::move(get), timeout](const std::string& url,
                                         const std::map<std::string, std::string>& headers) -> Result<HttpGetResponse> {
    auto done = std::make_shared<std::promise<Result<HttpGetResponse>>>();
    std::future<Result<HttpGetResponse>> answer = done->get_future();
    // Detached: a std::async future would block in its destructor until the
    // request ends, which is exactly the wait this bounds.
    std::thread([get, url, headers, done] { done->set_value(get(url, headers)); }).detach();
    if (answer.wait_for(timeout) != std::future_status::ready) {
      return Status::DeadlineExceeded("GET " + url + ": no answer within " + std::to_string(timeout.count()) + " ms");
    }
    return answer.get();
  };
}

}  // namespace hub::connectors
