#include "hub/http/sdmx_error.h"

#include <boost/json.hpp>

#include "sdmx/xml.h"

namespace hub::http {

void ToSdmxError(const HttpRequest& req, HttpResponse* resp) {
  const std::string* type = resp->FindHeader("Content-Type");
  if (resp->status < 400 || !type || *type != "application/json" || resp->stream || resp->push) return;
  std::string message;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(resp->body, ec);
  if (ec || !v.is_object()) return;
  if (const auto* e = v.as_object().if_contains("error"); e && e->is_object()) {
    if (const auto* m = e->as_object().if_contains("message"); m && m->is_string()) message = m->as_string().c_str();
  }
  const std::string code = std::to_string(resp->status);
  if (req.Header("accept").find("xml") != std::string::npos) {
    const bool v2 = req.path.rfind("/sdmx/v2/", 0) == 0;
    const std::string ns = v2 ? "v3_0" : "v2_1";
    std::string text;
    sdmx::AppendEscaped(&text, message);
    resp->body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mes:Error xmlns:mes=\"http://www.sdmx.org/resources/sdmxml/schemas/" +
                 ns + "/message\" xmlns:com=\"http://www.sdmx.org/resources/sdmxml/schemas/" + ns +
                 "/common\">\n  <mes:ErrorMessage code=\"" + code + "\">\n    <com:Text xml:lang=\"en\">" +
                 text + "</com:Text>\n  </mes:ErrorMessage>\n</mes:Error>\n";
    resp->SetHeader("Content-Type", "application/xml");
    return;
  }
  v.as_object()["errors"] = boost::json::array{{{"code", resp->status}, {"title", message}}};
  resp->body = boost::json::serialize(v) + "\n";
}

}  // namespace hub::http
