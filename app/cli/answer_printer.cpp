#include "app/cli/answer_printer.h"

namespace folio::cli {

void AnswerPrinter::header(const std::string& model) {
  if (header_done_) return;
  header_done_ = true;
  out_ << "Model answer (" << (model_name_.empty() ? model : model_name_) << "):\n";
}

void AnswerPrinter::add(const app::ThinkingStreamSplitter::Delta& d) {
  if (show_thinking_ && !d.thinking.empty() && !answer_started_) {
    header(model_name_);
    if (!thinking_started_) out_ << "Thinking:\n";
    thinking_started_ = true;
    out_ << d.thinking;
  }
  if (!d.answer.empty()) {
    header(model_name_);
    if (thinking_started_ && !answer_started_) out_ << "\n\nAnswer:\n";
    answer_started_ = true;
    out_ << d.answer;
  }
  out_.flush();
}

void AnswerPrinter::finish(const app::AnswerRecord& a) {
  if (!a.extractive) header(app::answerModelName(a));
  if (show_thinking_ && !a.thinking.empty() && !thinking_started_ && !answer_started_) {
    out_ << "Thinking:\n" << a.thinking;
    thinking_started_ = true;
  }
  if (thinking_started_ && !answer_started_) out_ << "\n\nAnswer:\n";
  if (!answer_started_) out_ << a.text;
  answer_started_ = true;
}

}  // namespace folio::cli
