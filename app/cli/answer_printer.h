// How `folio ask` prints an answer: "Model answer (name):", the thought under "Thinking:" when asked for,
// then the answer text. A model answer is printed while it streams (add), and finish() prints whatever
// did not stream, so the output is the same whether or not the text arrived in pieces.
#pragma once

#include <ostream>
#include <string>

#include "app/pipeline/answer.h"
#include "app/pipeline/thinking_stream.h"

namespace folio::cli {

class AnswerPrinter {
 public:
  // `model_name`: the loaded model's name ("" = the answer's own, answerModelName).
  AnswerPrinter(std::ostream& out, std::string model_name, bool show_thinking)
      : out_(out), model_name_(std::move(model_name)), show_thinking_(show_thinking) {}

  // New text of a streaming model answer.
  void add(const app::ThinkingStreamSplitter::Delta& d);
  // The complete answer: prints the header, thought and text that have not been printed yet.
  void finish(const app::AnswerRecord& a);

 private:
  void header(const std::string& model);
  std::ostream& out_;
  std::string model_name_;
  bool show_thinking_;
  bool header_done_ = false, thinking_started_ = false, answer_started_ = false;
};

}  // namespace folio::cli
