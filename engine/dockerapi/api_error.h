#pragma once
// The error a handler throws to answer with docker's error shape: the status code and
// {"message": "..."}. Thrown, not returned, because every handler has many exits and the
// router turns each into the same JSON answer (the CLI's CliError works the same way).

#include "berth/error.h"

#include <exception>
#include <string>
#include <type_traits>
#include <utility>

namespace berth::dockerapi {

struct ApiError : std::exception {
    int status = 500;
    std::string message;

    ApiError(int statusCode, std::string text) : status(statusCode), message(std::move(text)) {}
    const char* what() const noexcept override { return message.c_str(); }
};

[[noreturn]] inline void badRequest(std::string text) { throw ApiError(400, std::move(text)); }
[[noreturn]] inline void notFound(std::string text) { throw ApiError(404, std::move(text)); }
[[noreturn]] inline void conflict(std::string text) { throw ApiError(409, std::move(text)); }

// docker's status for an engine error (the table in berth/error.h): 400, 404, 409, 304,
// 403, 503, 500. Messages keep the words docker's clients look for ("No such container",
// "executable file not found").
ApiError apiError(const Error& e);
[[noreturn]] inline void raise(const Error& e) { throw apiError(e); }

// The value of an engine call, or its error thrown as docker's answer.
template <class T>
T check(Result<T> r) {
    if (!r) raise(r.error());
    if constexpr (std::is_void_v<T>) return;
    else return std::move(*r);
}

} // namespace berth::dockerapi
