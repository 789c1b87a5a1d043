// The ask panel: scope (all documents or one collection), whether to ask each document
// (AskOptions::each_document), the question box, Ask and Stop, the answer
// with its mode (model or extractive), a collapsible thinking section, citations as clickable chips and
// the history of the session. It runs nothing itself: askRequested/stopRequested go to the AskService,
// a model answer streams in through appendStreamed() and the complete answer comes through showAnswer().
// Clicking a word of a model answer selects the generated token that wrote it (tokenSelected).
#pragma once

#include <QList>
#include <QWidget>

#include "ui/answer_token_map.h"
#include "ui/metatypes.h"

class QCheckBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTextBrowser;
class QToolButton;

namespace folio::ui {

class ScopeBox;

class AskPanel : public QWidget {
  Q_OBJECT

 public:
  explicit AskPanel(QWidget* parent = nullptr);

  void setCollections(const QStringList& collections);
  // "" = every document.
  QString scope() const;
  void setScope(const QString& collection);
  // Ask the question of each document in scope: one passage from every matching document.
  bool eachDocument() const;
  QCheckBox* eachDocumentBox() const { return each_document_; }
  // The loaded model's name ("" = extractive mode), shown until an answer names the model that wrote it.
  void setModelName(const QString& name);
  void setBusy(bool busy);
  void setProgress(const QString& text);
  // Appends streamed text of the answer being generated (and of its thought, which stays collapsed
  // unless opened); showAnswer() then puts the complete answer in place.
  void appendStreamed(const QString& thinking, const QString& answer);
  void showAnswer(const app::AnswerRecord& answer);
  void setHistory(const QList<app::AnswerRecord>& answers);
  void addToHistory(const app::AnswerRecord& answer);
  void showError(const QString& message);

  QLineEdit* questionEdit() const { return question_; }
  QPushButton* askButton() const { return ask_; }
  QPushButton* stopButton() const { return stop_; }
  QTextBrowser* answerView() const { return answer_; }
  QTextBrowser* thinkingView() const { return thinking_; }
  QToolButton* thinkingToggle() const { return thinking_toggle_; }
  QLabel* answerModeLabel() const { return mode_; }
  QList<QPushButton*> citationChips() const { return chips_; }
  QListWidget* historyList() const { return history_; }
  const app::AnswerRecord* currentAnswer() const { return has_answer_ ? &current_ : nullptr; }
  // The current answer's text offsets → its answer tokens (empty without per-token routing).
  const AnswerTokenMap& tokenMap() const { return token_map_; }
  // Selects the token covering text offset `offset` of the answer, highlights it and emits
  // tokenSelected; returns the token index or -1 when no token wrote that character.
  int selectTokenAt(qsizetype offset);
  int selectedToken() const { return selected_token_; }

 Q_SIGNALS:
  void askRequested(const QString& question, const QString& collection);
  void stopRequested();
  void citationActivated(const folio::app::Evidence& source);
  void answerShown(const folio::app::AnswerRecord& answer);
  // Index into the shown answer's AnswerRecord::answer_tokens.
  void tokenSelected(int token);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void submit();
  void highlightToken(int token);

  ScopeBox* scope_;
  QCheckBox* each_document_;
  QLineEdit* question_;
  QPushButton* ask_;
  QPushButton* stop_;
  QLabel* mode_;
  QLabel* progress_;
  QToolButton* thinking_toggle_;
  QTextBrowser* thinking_;
  QTextBrowser* answer_;
  QWidget* chip_box_;
  QHBoxLayout* chip_layout_;
  QList<QPushButton*> chips_;
  QListWidget* history_;
  QList<app::AnswerRecord> answers_;  // history_ rows
  app::AnswerRecord current_;
  bool has_answer_ = false;
  qsizetype streamed_thinking_chars_ = 0;
  AnswerTokenMap token_map_;
  int selected_token_ = -1;
};

// The label of a citation chip: "[3] contracts/x.pdf · p. 4 · l. 3–9".
QString citationLabel(const app::Citation& c);

}  // namespace folio::ui
