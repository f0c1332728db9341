// Typed protobuf helpers over Transport: CallProto and RegisterProto.
// Decoding failures are kInternal on the caller side and kInvalidArgument on the handler side.
#pragma once

#include <functional>
#include <string>
#include <utility>

#include "components/env/transport.h"

namespace simvus {

template <typename Resp, typename Req>
Task<Result<Resp>> CallProto(Transport& transport, std::string to, std::string method,
                             const Req& request, Duration deadline) {
  Result<Bytes> raw =
      co_await transport.Call(std::move(to), method, request.SerializeAsString(), deadline);
  if (!raw.ok()) co_return raw.status();
  Resp response;
  if (!response.ParseFromString(*raw)) {
    co_return Internal("cannot decode response of " + method);
  }
  co_return response;
}

template <typename Req, typename Resp>
void RegisterProto(Transport& transport, std::string method,
                   std::function<Task<Result<Resp>>(std::string from, Req request)> handler) {
  transport.Register(
      method,
      [handler = std::move(handler), method](std::string from, Bytes raw) -> Task<Result<Bytes>> {
        Req request;
        if (!request.ParseFromString(raw)) {
          co_return InvalidArgument("cannot decode request of " + method);
        }
        Result<Resp> response = co_await handler(std::move(from), std::move(request));
        if (!response.ok()) co_return response.status();
        co_return response->SerializeAsString();
      });
}

template <typename Msg>
void SendProto(Transport& transport, std::string to, std::string method, const Msg& message) {
  transport.Send(std::move(to), std::move(method), message.SerializeAsString());
}

template <typename Msg>
void RegisterOneWayProto(Transport& transport, std::string method,
                         std::function<void(std::string from, Msg message)> handler) {
  transport.RegisterOneWay(std::move(method),
                           [handler = std::move(handler)](std::string from, Bytes raw) {
                             Msg message;
                             if (message.ParseFromString(raw)) handler(std::move(from), message);
                           });
}

}  // namespace simvus
