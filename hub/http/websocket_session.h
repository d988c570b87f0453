// The WebSocket side of the server (server.cc hands it an upgraded
// connection): completes the handshake and sends a MessageBody's messages.
// Kept apart so that only these two files include Beast's websocket.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>

#include "hub/http/message.h"
#include "hub/http/server.h"
#include "hub/http/streams.h"

namespace hub::http {

// Takes over `socket`: answers the upgrade `request`, then runs `body` until
// it ends (a normal close), the client closes, or the client stops answering
// pings for HttpOptions.push_write_timeout.
void RunWebSocketSession(boost::asio::ip::tcp::socket socket,
                         boost::beast::http::request<boost::beast::http::string_body> request,
                         std::shared_ptr<MessageBody> body, const HttpOptions* options);
// The same over HTTPS (wss://): the TLS session is already established.
void RunWebSocketSession(TlsStream stream, boost::beast::http::request<boost::beast::http::string_body> request,
                         std::shared_ptr<MessageBody> body, const HttpOptions* options);

}  // namespace hub::http
