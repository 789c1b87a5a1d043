#include "ui/ask_panel.h"
#include "ui/passage_label.h"
#include "ui/scope_box.h"

#include <QCheckBox>
#include <QMouseEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTextBrowser>
#include <QTextCursor>
#include <QToolButton>
#include <QVBoxLayout>

namespace folio::ui {

QString citationLabel(const app::Citation& c) {
  const auto& s = c.source;
  return QString("[%1] %2").arg(c.n).arg(s.path.empty() ? QObject::tr("collection") : QString::fromStdString(s.path)) +
         spanLabel(s.page_first, s.page_last, s.line_first, s.line_last);
}

AskPanel::AskPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("askPanel");
  scope_ = new ScopeBox;
  scope_->setObjectName("scopeBox");
  each_document_ = new QCheckBox(tr("Each document"));
  each_document_->setObjectName("eachDocumentBox");
  each_document_->setToolTip(
      tr("Ask the question of each document in scope (\"Which contracts allow termination for convenience?\"): "
         "the answer reads the passage of every document that best matches it, strongest first, as many as fit "
         "the context window. Otherwise a scope too large for the window reads only the best-matching documents."));
  question_ = new QLineEdit;
  question_->setObjectName("questionEdit");
  question_->setPlaceholderText(tr("Ask a question about the library…"));
  question_->setClearButtonEnabled(true);
  ask_ = new QPushButton(tr("Ask"));
  ask_->setObjectName("askButton");
  ask_->setToolTip(tr("Ask (Enter)"));
  stop_ = new QPushButton(tr("Stop"));
  stop_->setObjectName("stopButton");
  stop_->setToolTip(tr("Stop the answer (Esc)"));
  stop_->setShortcut(Qt::Key_Escape);
  stop_->setEnabled(false);
  mode_ = new QLabel;
  mode_->setObjectName("answerModeLabel");
  progress_ = new QLabel;
  progress_->setObjectName("askProgress");
  progress_->setWordWrap(true);
  thinking_toggle_ = new QToolButton;
  thinking_toggle_->setObjectName("thinkingToggle");
  thinking_toggle_->setCheckable(true);
  thinking_toggle_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  thinking_toggle_->setArrowType(Qt::RightArrow);
  thinking_toggle_->setText(tr("Thinking"));
  thinking_toggle_->setEnabled(false);
  thinking_ = new QTextBrowser;
  thinking_->setObjectName("thinkingView");
  thinking_->setVisible(false);
  thinking_->setMaximumHeight(140);
  answer_ = new QTextBrowser;
  answer_->setObjectName("answerView");
  answer_->setOpenLinks(false);
  answer_->viewport()->installEventFilter(this);
  chip_box_ = new QWidget;
  chip_layout_ = new QHBoxLayout(chip_box_);
  chip_layout_->setContentsMargins(0, 0, 0, 0);
  chip_layout_->addStretch();
  auto* chip_scroll = new QScrollArea;
  chip_scroll->setObjectName("citationChips");
  chip_scroll->setWidget(chip_box_);
  chip_scroll->setWidgetResizable(true);
  chip_scroll->setFrameShape(QFrame::NoFrame);
  chip_scroll->setFixedHeight(44);
  chip_scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  history_ = new QListWidget;
  history_->setObjectName("historyList");
  history_->setMaximumHeight(110);

  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("Scope:")));
  top->addWidget(scope_, 1);
  top->addWidget(each_document_);
  auto* row = new QHBoxLayout;
  row->addWidget(question_, 1);
  row->addWidget(ask_);
  row->addWidget(stop_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(top);
  layout->addLayout(row);
  layout->addWidget(progress_);
  layout->addWidget(mode_);
  layout->addWidget(thinking_toggle_);
  layout->addWidget(thinking_);
  layout->addWidget(answer_, 1);
  layout->addWidget(new QLabel(tr("Sources:")));
  layout->addWidget(chip_scroll);
  layout->addWidget(new QLabel(tr("History of this library:")));
  layout->addWidget(history_);

  connect(ask_, &QPushButton::clicked, this, &AskPanel::submit);
  connect(question_, &QLineEdit::returnPressed, this, &AskPanel::submit);
  connect(stop_, &QPushButton::clicked, this, &AskPanel::stopRequested);
  connect(thinking_toggle_, &QToolButton::toggled, this, [this](bool open) {
    thinking_->setVisible(open);
    thinking_toggle_->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
  });
  connect(history_, &QListWidget::currentRowChanged, this, [this](int row) {
    if (row >= 0 && row < answers_.size() && (!has_answer_ || answers_[row].id != current_.id)) showAnswer(answers_[row]);
  });
  setModelName({});
}

void AskPanel::setCollections(const QStringList& collections) { scope_->setCollections(collections); }

QString AskPanel::scope() const { return scope_->scope(); }

bool AskPanel::eachDocument() const { return each_document_->isChecked(); }

void AskPanel::setScope(const QString& collection) { scope_->setScope(collection); }

void AskPanel::setModelName(const QString& name) {
  if (!has_answer_)
    mode_->setText(name.isEmpty() ? tr("<i>Extractive mode: no model loaded, answers quote the best-matching passages.</i>")
                                  : tr("Model: %1").arg(name.toHtmlEscaped()));
}

void AskPanel::setBusy(bool busy) {
  ask_->setEnabled(!busy);
  stop_->setEnabled(busy);
  if (busy) {
    progress_->setText(tr("Answering…"));
    answer_->clear();
    answer_->setExtraSelections({});
    thinking_->clear();
    token_map_ = {};
    selected_token_ = -1;
    streamed_thinking_chars_ = 0;
  }
}

void AskPanel::setProgress(const QString& text) { progress_->setText(text); }

namespace {
// Appends at the end of the document without moving the reader's cursor or selection.
void appendText(QTextBrowser* view, const QString& text) {
  QTextCursor end(view->document());
  end.movePosition(QTextCursor::End);
  end.insertText(text);
}
}  // namespace

void AskPanel::appendStreamed(const QString& thinking, const QString& answer) {
  if (!thinking.isEmpty()) {
    appendText(thinking_, thinking);
    streamed_thinking_chars_ += thinking.size();
    thinking_toggle_->setEnabled(true);
    thinking_toggle_->setText(tr("Thinking… (%1 characters)").arg(streamed_thinking_chars_));
  }
  if (!answer.isEmpty()) appendText(answer_, answer);
}

void AskPanel::showError(const QString& message) {
  setBusy(false);
  progress_->setText(message);
}

void AskPanel::submit() {
  const QString q = question_->text().trimmed();
  if (q.isEmpty() || !ask_->isEnabled()) return;
  setBusy(true);
  Q_EMIT askRequested(q, scope());
}

void AskPanel::showAnswer(const app::AnswerRecord& a) {
  current_ = a;
  has_answer_ = true;
  setBusy(false);
  progress_->setText(QString::fromStdString(a.question));
  mode_->setText(a.extractive ? QString("<b>%1</b>").arg(QString::fromLatin1(app::kExtractiveLabel).toHtmlEscaped())
                              : tr("<b>Model answer</b> (%1) · finish: %2")
                                    .arg(QString::fromStdString(app::answerModelName(a)).toHtmlEscaped(),
                                         QString::fromStdString(a.finish_reason)));
  const QString text = QString::fromStdString(a.text);
  answer_->setPlainText(text);
  token_map_ = a.extractive ? AnswerTokenMap{} : AnswerTokenMap(text, a.answer_tokens);
  selected_token_ = -1;
  answer_->setExtraSelections({});
  answer_->viewport()->setCursor(token_map_.empty() ? Qt::IBeamCursor : Qt::PointingHandCursor);
  answer_->setToolTip(token_map_.empty() ? QString() : tr("Click a word to see the experts of the token that wrote it"));
  thinking_->setPlainText(QString::fromStdString(a.thinking));
  thinking_toggle_->setEnabled(!a.thinking.empty());
  thinking_toggle_->setText(a.thinking.empty() ? tr("Thinking (none)") : tr("Thinking (%1 characters)").arg(a.thinking.size()));
  if (a.thinking.empty()) thinking_toggle_->setChecked(false);

  for (auto* chip : chips_) chip->deleteLater();
  chips_.clear();
  for (const auto& c : a.citations) {
    auto* chip = new QPushButton(citationLabel(c));
    chip->setObjectName("citationChip");
    // The part of the passage that answers, as reports quote it.
    chip->setToolTip(QString::fromStdString(app::citationQuote(c, a.question, app::citingText(a), 600)));
    chip->setFlat(false);
    connect(chip, &QPushButton::clicked, this, [this, src = c.source] { Q_EMIT citationActivated(src); });
    chip_layout_->insertWidget(chip_layout_->count() - 1, chip);
    chips_ << chip;
  }
  for (int i = 0; i < answers_.size(); ++i)
    if (answers_[i].id == a.id && a.id != 0) {
      QSignalBlocker block(history_);
      history_->setCurrentRow(i);
    }
  Q_EMIT answerShown(a);
}

bool AskPanel::eventFilter(QObject* watched, QEvent* event) {
  // A click without a drag (text selection keeps working) picks the token under the pointer.
  if (watched == answer_->viewport() && event->type() == QEvent::MouseButtonRelease && !token_map_.empty()) {
    const auto* mouse = static_cast<QMouseEvent*>(event);
    if (mouse->button() == Qt::LeftButton && !answer_->textCursor().hasSelection())
      selectTokenAt(answer_->cursorForPosition(mouse->position().toPoint()).position());
  }
  return QWidget::eventFilter(watched, event);
}

int AskPanel::selectTokenAt(qsizetype offset) {
  // The cursor sits between characters: the one after it, else the one before (end of a word).
  int token = token_map_.tokenAt(offset);
  if (token < 0 && offset > 0) token = token_map_.tokenAt(offset - 1);
  if (token < 0) return -1;
  selected_token_ = token;
  highlightToken(token);
  Q_EMIT tokenSelected(token);
  return token;
}

void AskPanel::highlightToken(int token) {
  const auto* span = token_map_.spanOf(token);
  if (!span) return;
  QTextEdit::ExtraSelection sel;
  sel.cursor = QTextCursor(answer_->document());
  sel.cursor.setPosition(static_cast<int>(span->begin));
  sel.cursor.setPosition(static_cast<int>(span->end), QTextCursor::KeepAnchor);
  sel.format.setBackground(palette().color(QPalette::Highlight));
  sel.format.setForeground(palette().color(QPalette::HighlightedText));
  answer_->setExtraSelections({sel});
}

void AskPanel::setHistory(const QList<app::AnswerRecord>& answers) {
  QSignalBlocker block(history_);
  answers_.clear();
  history_->clear();
  for (const auto& a : answers) addToHistory(a);
}

void AskPanel::addToHistory(const app::AnswerRecord& a) {
  for (const auto& known : answers_)
    if (known.id == a.id && a.id != 0) return;
  answers_ << a;
  auto* item = new QListWidgetItem(QString("%1%2").arg(a.extractive ? tr("[extractive] ") : QString(),
                                                       QString::fromStdString(a.question)));
  const std::string scope = a.collection.empty() ? std::string("all documents") : a.collection;
  item->setToolTip(QString::fromStdString(a.extractive ? scope : scope + " · " + app::answerModelName(a)));
  QSignalBlocker block(history_);
  history_->addItem(item);
  history_->setCurrentItem(item);
}

}  // namespace folio::ui
