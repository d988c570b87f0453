#include "connectors/http_get.h"

#include <strings.h>


namespace hub::connectors {

const std::string* HttpGetResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && ::strncasecmp(k.data(), name.data(), name.size()) == 0) return &v;
  }
  return nullptr;
}

}  // namespace hub::connectors
