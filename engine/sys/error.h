#pragma once
// The engine's Error/Result are the public ones (berth/error.h): one error type from the
// lowest system call wrapper to the CLI's exit code and the REST API's status.

#include "berth/error.h"
