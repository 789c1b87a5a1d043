// User stop strings over a stream of decoded text pieces. A stop string may span any number of token
// boundaries; text that could still be the beginning of a stop string is held back, so the stop string
// itself is never emitted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"

namespace folio::engine {

class StopMatcher {
 public:
  // Checks the stop strings (none may be empty); the message names the field "stop".
  static Result<StopMatcher> create(std::vector<std::string> stops);

  struct Step {
    std::string emit;      // text that is now safe to show (never part of a stop string)
    bool stopped = false;  // a stop string ended in this piece; `emit` is the text before it
  };

  // Appends `piece`. After a stop, further pushes are ignored (empty, stopped).
  Step push(std::string_view piece);
  // The text held back at the end of the stream (no stop string can complete any more).
  std::string flush();

  bool stopped() const { return stopped_; }
  size_t heldBytes() const { return pending_.size(); }

 private:
  explicit StopMatcher(std::vector<std::string> stops);

  std::vector<std::string> stops_;
  std::string pending_;  // held back: a suffix that is a proper prefix of some stop string
  bool stopped_ = false;
};

}  // namespace folio::engine
