// SDMX-ML RegistryInterface messages for subscriptions (SDMX 2.1 and 3.0,
// schemas SDMXRegistrySubscription.xsd / SDMXMessage.xsd): what a portal
// POSTs (SubmitSubscriptionsRequest, QuerySubscriptionRequest), what the
// hub answers (SubmitSubscriptionsResponse, QuerySubscriptionResponse) and
// the notification it POSTs to a subscriber (NotifyRegistryEvent). Answers and
// notifications are written in the SDMX version of the request.
//
// Of EventSelector, DataRegistrationEvents (AllEvents, or DataflowReference
// by URN or by a Ref with "%" wildcards) is what the hub notifies: a commit
// of data is the registration event of its dataflow. Other selectors are
// read and refused by name, so a subscriber is never left waiting for
// events that will not come.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hub/base/status.h"
#include "sdmx/diagnostic.h"
#include "sdmx/xml.h"

namespace sdmx {

enum class RegistryVersion { k21, k30 };

// A dataflow reference with "%" for any agency, id or version ("*" as a
// version also matches any: the latest is whatever was committed).
struct FlowSelector {
  std::string agency = "%", id = "%", version = "%";
  bool Matches(const std::string& agency, const std::string& id, const std::string& version) const;
};

struct SubscriptionSpec {
  std::string action;        // of the request: Append (new), Replace or Delete
  std::string registry_urn;  // the subscription a Replace or Delete is for
  std::string organisation;  // who owns it: a URN (a 2.1 Ref is made one)
  std::string sender;        // the request Header's Sender id: the Receiver of notifications
  std::vector<std::string> http;     // NotificationHTTP addresses
  std::vector<std::string> mail_to;  // NotificationMailTo (kept, not sent)
  std::string subscriber_assigned_id;
  std::string start_date, end_date;  // ValidityPeriod, YYYY-MM-DD (inclusive)
  bool all_data = false;             // DataRegistrationEvents/AllEvents
  std::vector<FlowSelector> flows;   // DataRegistrationEvents/DataflowReference
  std::vector<std::string> unsupported;  // selectors the hub does not notify, by element name
};

struct RegistryRequest {
  enum class Kind { kSubmitSubscriptions, kQuerySubscriptions };
  RegistryVersion version = RegistryVersion::k21;
  Kind kind = Kind::kSubmitSubscriptions;
  std::string header_id, sender;
  std::vector<SubscriptionSpec> subscriptions;  // kSubmitSubscriptions
  std::string organisation;                     // kQuerySubscriptions: whose (as a URN)
};

// Reads a RegistryInterface message holding a SubmitSubscriptionsRequest or
// a QuerySubscriptionRequest; errors name `file`, the line and the
// element (also added to `diags`).
hub::Result<RegistryRequest> ReadRegistryRequest(std::string_view xml, const std::string& file,
                                                 const XmlLimits& limits, Diagnostics* diags);

// The header of a message the hub writes.
struct RegistryHeader {
  std::string id, prepared, sender, receiver;
};

struct SubscriptionStatus {
  std::string urn, subscriber_assigned_id;
  bool success = false;
  std::string message;  // why not, or a warning
};
std::string WriteSubmitSubscriptionsResponse(RegistryVersion v, const RegistryHeader& h,
                                             const std::vector<SubscriptionStatus>& statuses);

// QuerySubscriptionResponse: Success and each subscription as it stands.
// The ValidityPeriod's dates must be set (the schema requires both).
struct ListedSubscription {
  std::string urn;
  SubscriptionSpec spec;
};
std::string WriteQuerySubscriptionResponse(RegistryVersion v, const RegistryHeader& h,
                                          const std::vector<ListedSubscription>& subs);

struct RegistryEvent {
  std::string event_time;        // ISO 8601
  std::string registration_id;   // the submission whose commit it is
  std::string subscription_urn;
  std::string action;            // Append | Replace | Delete
};
std::string WriteNotifyRegistryEvent(RegistryVersion v, const RegistryHeader& h, const RegistryEvent& e);

}  // namespace sdmx
