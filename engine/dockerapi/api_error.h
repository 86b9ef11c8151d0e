#pragma once
// The error a handler throws to answer with docker's error shape: the status code and
// {"message": "..."}. Thrown, not returned, because every handler has many exits and the
// router turns each into the same JSON answer (the CLI's CliError works the same way).

#include <exception>
#include <string>

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

} // namespace berth::dockerapi
