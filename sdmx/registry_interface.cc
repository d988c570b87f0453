#include "sdmx/registry_interface.h"

#include <cctype>

#include "sdmx/urn.h"

namespace sdmx {
namespace {

constexpr char kNs21[] = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/";
constexpr char kNs30[] = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/";

bool Wild(const std::string& pattern, const std::string& value) {
  return pattern.empty() || pattern == "%" || pattern == value;
}

// Reads `holder` (a MaintainableEventType or a reference): a URN (as text,
// or a URN child) or a Ref's attributes.
std::optional<FlowSelector> ReadFlowRef(const pugi::xml_node& holder) {
  std::string urn = ChildText(holder, "URN");
  if (urn.empty() && !holder.first_element_by_path("Ref")) urn = holder.child_value();
  if (!urn.empty()) {
    auto ref = ParseUrn(urn);
    if (!ref) return std::nullopt;
    return FlowSelector{ref->agency, ref->id, ref->version};
  }
  pugi::xml_node ref = ChildByLocalName(holder, "Ref");
  if (!ref) return std::nullopt;
  FlowSelector f;
  for (auto [name, out] : {std::pair{"agencyID", &f.agency}, std::pair{"id", &f.id}, std::pair{"version", &f.version}}) {
    const std::string_view v = AttrByLocalName(ref, name);
    if (!v.empty()) *out = std::string(v);
  }
  return f;
}

// An Organisation reference as a URN: written as one (2.1's URN child, 3.0's
// text) or a 2.1 Ref (class, agencyID, maintainableParentID and version,
// id; a scheme's id and version default as the scheme's class has them).
std::string OrganisationUrn(const pugi::xml_node& org) {
  if (!org) return "";
  const pugi::xml_node ref = ChildByLocalName(org, "Ref");
  if (!ref) {
    const std::string urn = ChildText(org, "URN");
    return !urn.empty() ? urn : std::string(org.child_value());
  }
  std::string cls(AttrByLocalName(ref, "class"));
  if (cls.empty()) cls = "DataConsumer";
  std::string scheme(AttrByLocalName(ref, "maintainableParentID"));
  if (scheme.empty()) {
    scheme = cls == "Agency" ? "AGENCIES" : cls == "DataProvider" ? "DATA_PROVIDERS"
             : cls == "MetadataProvider" ? "METADATA_PROVIDERS" : "DATA_CONSUMERS";
  }
  std::string version(AttrByLocalName(ref, "maintainableParentVersion"));
  if (version.empty()) version = "1.0";
  return "urn:sdmx:org.sdmx.infomodel.base." + cls + "=" + std::string(AttrByLocalName(ref, "agencyID")) + ":" +
         scheme + "(" + version + ")." + std::string(AttrByLocalName(ref, "id"));
}

struct Reader {
  std::string_view xml;
  const std::string& file;
  LineIndex lines;
  Diagnostics* diags;

  hub::Status Fail(const pugi::xml_node& at, const std::string& rule, const std::string& message) {
    Diagnostic d{file, at ? lines.LineOf(at) : 0, at ? std::string(LocalName(at)) : std::string(), rule, message};
    const std::string text = d.ToString();
    diags->Add(std::move(d));
    return hub::Status::InvalidArgument(text);
  }

  hub::Result<SubscriptionSpec> Subscription(const pugi::xml_node& request) {
    SubscriptionSpec s;
    s.action = std::string(AttrByLocalName(request, "action"));
    if (s.action != "Append" && s.action != "Replace" && s.action != "Delete") {
      return Fail(request, "subscription-action",
                  "action='" + s.action + "': expected Append (a new subscription), Replace or Delete");
    }
    const pugi::xml_node sub = ChildByLocalName(request, "Subscription");
    if (!sub) return Fail(request, "subscription-missing", "a SubscriptionRequest holds a Subscription");
    s.organisation = OrganisationUrn(ChildByLocalName(sub, "Organisation"));
    s.registry_urn = ChildText(sub, "RegistryURN");
    s.subscriber_assigned_id = ChildText(sub, "SubscriberAssignedID");
    for (const pugi::xml_node& c : sub.children()) {
      if (LocalName(c) == "NotificationHTTP") s.http.emplace_back(c.child_value());
      if (LocalName(c) == "NotificationMailTo") s.mail_to.emplace_back(c.child_value());
    }
    if (const pugi::xml_node v = ChildByLocalName(sub, "ValidityPeriod")) {
      s.start_date = ChildText(v, "StartDate").substr(0, 10);
      s.end_date = ChildText(v, "EndDate").substr(0, 10);
    }
    if (s.action != "Delete") {
      if (s.http.empty()) {
        return Fail(sub, "subscription-no-http",
                    "no NotificationHTTP: the hub notifies by HTTP POST only (NotificationMailTo is not sent)");
      }
      for (const std::string& url : s.http) {
        if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
          return Fail(sub, "subscription-http-url", "NotificationHTTP '" + url + "' is not an http:// or https:// URL");
        }
      }
    }
    const pugi::xml_node selector = ChildByLocalName(sub, "EventSelector");
    for (const pugi::xml_node& events : selector.children()) {
      if (events.type() != pugi::node_element) continue;
      const std::string kind(LocalName(events));
      if (kind != "DataRegistrationEvents") {
        s.unsupported.push_back(kind);
        continue;
      }
      for (const pugi::xml_node& e : events.children()) {
        if (e.type() != pugi::node_element) continue;
        const std::string_view name = LocalName(e);
        if (name == "AllEvents") {
          s.all_data = true;
        } else if (name == "DataflowReference") {
          auto f = ReadFlowRef(e);
          if (!f) return Fail(e, "subscription-dataflow", "a DataflowReference holds a dataflow URN or a Ref");
          s.flows.push_back(*f);
        } else {
          s.unsupported.push_back(kind + "/" + std::string(name));
        }
      }
    }
    if (s.action != "Delete" && !s.all_data && s.flows.empty() && s.unsupported.empty()) {
      return Fail(sub, "subscription-no-events", "the EventSelector selects no DataRegistrationEvents");
    }
    return s;
  }
};

std::string Namespace(RegistryVersion v) { return v == RegistryVersion::k30 ? kNs30 : kNs21; }

std::string Escaped(std::string_view s) {
  std::string out;
  AppendEscaped(&out, s);
  return out;
}

// `id` if it is an SDMX ID (what a Sender or Receiver id must be), else `fallback`.
std::string IdOr(const std::string& id, const std::string& fallback) {
  if (id.empty()) return fallback;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '@' && c != '$' && c != '-') return fallback;
  }
  return id;
}

// The RegistryInterface around `payload`.
std::string Message(RegistryVersion v, const RegistryHeader& h, const std::string& payload) {
  const std::string ns = Namespace(v);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mes:RegistryInterface xmlns:mes=\"" + ns +
                    "message\" xmlns:reg=\"" + ns + "registry\" xmlns:com=\"" + ns + "common\">\n";
  out += "<mes:Header><mes:ID>" + Escaped(h.id) + "</mes:ID><mes:Test>false</mes:Test><mes:Prepared>" +
         Escaped(h.prepared) + "</mes:Prepared><mes:Sender id=\"" + Escaped(IdOr(h.sender, "SDMXHUB")) + "\"/><mes:Receiver id=\"" +
         Escaped(IdOr(h.receiver, "not_supplied")) + "\"/></mes:Header>\n";
  return out + payload + "</mes:RegistryInterface>\n";
}

}  // namespace

bool FlowSelector::Matches(const std::string& a, const std::string& i, const std::string& v) const {
  return Wild(agency, a) && Wild(id, i) && (version == "*" || Wild(version, v));
}

hub::Result<RegistryRequest> ReadRegistryRequest(std::string_view xml, const std::string& file,
                                                 const XmlLimits& limits, Diagnostics* diags) {
  Reader r{xml, file, LineIndex(xml), diags};
  pugi::xml_document doc;
  HUB_RETURN_IF_ERROR(ParseXml(xml, file, limits, r.lines, &doc, diags));
  const pugi::xml_node root = doc.document_element();
  if (LocalName(root) != "RegistryInterface") {
    return r.Fail(root, "registry-message", "expected a RegistryInterface message, not " + std::string(LocalName(root)));
  }
  RegistryRequest out;
  const std::string ns = NamespaceOf(root);
  if (ns.rfind(kNs30, 0) == 0) {
    out.version = RegistryVersion::k30;
  } else if (ns.rfind(kNs21, 0) != 0) {
    return r.Fail(root, "registry-namespace", "namespace '" + ns + "' is neither SDMX-ML 2.1's nor 3.0's");
  }
  const pugi::xml_node header = ChildByLocalName(root, "Header");
  out.header_id = ChildText(header, "ID");
  out.sender = std::string(AttrByLocalName(ChildByLocalName(header, "Sender"), "id"));
  if (const pugi::xml_node query = ChildByLocalName(root, "QuerySubscriptionRequest")) {
    out.kind = RegistryRequest::Kind::kQuerySubscriptions;
    out.organisation = OrganisationUrn(ChildByLocalName(query, "Organisation"));
    return out;
  }
  const pugi::xml_node submit = ChildByLocalName(root, "SubmitSubscriptionsRequest");
  if (!submit) {
    pugi::xml_node payload = header.next_sibling();
    while (payload && payload.type() != pugi::node_element) payload = payload.next_sibling();
    return r.Fail(payload ? payload : root, "registry-request",
                  "this endpoint takes SubmitSubscriptionsRequest and QuerySubscriptionRequest (subscriptions to data "
                  "registration events)");
  }
  for (const pugi::xml_node& req : submit.children()) {
    if (req.type() != pugi::node_element || LocalName(req) != "SubscriptionRequest") continue;
    HUB_ASSIGN_OR_RETURN(SubscriptionSpec s, r.Subscription(req));
    s.sender = out.sender;
    out.subscriptions.push_back(std::move(s));
  }
  if (out.subscriptions.empty()) return r.Fail(submit, "subscription-missing", "no SubscriptionRequest");
  return out;
}

std::string WriteSubmitSubscriptionsResponse(RegistryVersion v, const RegistryHeader& h,
                                             const std::vector<SubscriptionStatus>& statuses) {
  std::string body = "<mes:SubmitSubscriptionsResponse>\n";
  for (const SubscriptionStatus& s : statuses) {
    body += "<reg:SubscriptionStatus>";
    if (!s.urn.empty()) body += "<reg:SubscriptionURN>" + Escaped(s.urn) + "</reg:SubscriptionURN>";
    if (!s.subscriber_assigned_id.empty()) {
      body += "<reg:SubscriberAssignedID>" + Escaped(s.subscriber_assigned_id) + "</reg:SubscriberAssignedID>";
    }
    body += std::string("<reg:StatusMessage status=\"") + (!s.success ? "Failure" : s.message.empty() ? "Success" : "Warning") + "\">";
    if (!s.message.empty()) {
      body += "<reg:MessageText><com:Text xml:lang=\"en\">" + Escaped(s.message) + "</com:Text></reg:MessageText>";
    }
    body += "</reg:StatusMessage></reg:SubscriptionStatus>\n";
  }
  return Message(v, h, body + "</mes:SubmitSubscriptionsResponse>\n");
}

std::string WriteQuerySubscriptionResponse(RegistryVersion v, const RegistryHeader& h,
                                          const std::vector<ListedSubscription>& subs) {
  std::string body = "<mes:QuerySubscriptionResponse><reg:StatusMessage status=\"Success\"/>\n";
  for (const ListedSubscription& l : subs) {
    const SubscriptionSpec& s = l.spec;
    body += "<reg:Subscription><reg:Organisation>";
    body += v == RegistryVersion::k30 ? Escaped(s.organisation) : "<URN>" + Escaped(s.organisation) + "</URN>";
    body += "</reg:Organisation><reg:RegistryURN>" + Escaped(l.urn) + "</reg:RegistryURN>";
    for (const std::string& m : s.mail_to) body += "<reg:NotificationMailTo>" + Escaped(m) + "</reg:NotificationMailTo>";
    for (const std::string& u : s.http) body += "<reg:NotificationHTTP>" + Escaped(u) + "</reg:NotificationHTTP>";
    if (!s.subscriber_assigned_id.empty()) {
      body += "<reg:SubscriberAssignedID>" + Escaped(s.subscriber_assigned_id) + "</reg:SubscriberAssignedID>";
    }
    body += "<reg:ValidityPeriod><reg:StartDate>" + Escaped(s.start_date) + "</reg:StartDate><reg:EndDate>" +
            Escaped(s.end_date) + "</reg:EndDate></reg:ValidityPeriod>";
    body += "<reg:EventSelector><reg:DataRegistrationEvents TYPE=\"DATA\">";
    if (s.all_data) body += "<reg:AllEvents/>";
    for (const FlowSelector& f : s.all_data ? std::vector<FlowSelector>() : s.flows) {
      body += "<reg:DataflowReference><reg:Ref agencyID=\"" + Escaped(f.agency) + "\" id=\"" + Escaped(f.id) +
              "\" version=\"" + Escaped(f.version) + "\"/></reg:DataflowReference>";
    }
    body += "</reg:DataRegistrationEvents></reg:EventSelector></reg:Subscription>\n";
  }
  return Message(v, h, body + "</mes:QuerySubscriptionResponse>\n");
}

std::string WriteNotifyRegistryEvent(RegistryVersion v, const RegistryHeader& h, const RegistryEvent& e) {
  return Message(v, h,
                 "<mes:NotifyRegistryEvent><reg:EventTime>" + Escaped(e.event_time) + "</reg:EventTime><reg:RegistrationID>" +
                     Escaped(e.registration_id) + "</reg:RegistrationID><reg:SubscriptionURN>" +
                     Escaped(e.subscription_urn) + "</reg:SubscriptionURN><reg:EventAction>" + Escaped(e.action) +
                     "</reg:EventAction></mes:NotifyRegistryEvent>\n");
}

}  // namespace sdmx
