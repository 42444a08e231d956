// Storage-specific failures, expressed as omnigraph::Error subclasses so they cross module
// boundaries as the one typed error while still being catchable by kind inside the engine.
#pragma once

#include <string>

#include "common/error.h"

namespace omnigraph::storage {

// Stored bytes failed verification (checksum, magic, length, structure). Never returned as data.
// Public code: internal (500). The message names the object key and the failing part.
class IntegrityError : public Error {
 public:
  explicit IntegrityError(std::string message)
      : Error(ErrorCode::kInternal, "integrity error: " + std::move(message)) {}
};

// The graph root was written by a storage format this build cannot read (newer or older).
class FormatVersionError : public Error {
 public:
  explicit FormatVersionError(std::string message) : Error(ErrorCode::kBadRequest, std::move(message)) {}
};

// Raised by FaultInjectionStore once its write budget is exhausted (a simulated crash).
class InjectedFault : public Error {
 public:
  explicit InjectedFault(std::string message)
      : Error(ErrorCode::kInternal, "injected fault: " + std::move(message)) {}
};

}  // namespace omnigraph::storage
