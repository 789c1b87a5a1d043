#include "ui/search_panel.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QTextDocument>
#include <QTimer>
#include <QVBoxLayout>

#include "ui/passage_label.h"
#include "ui/scope_box.h"

namespace folio::ui {
namespace {

// Paints an item's display text as rich text, wrapped to the view's width.
class RichTextDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;

  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString html = opt.text;
    opt.text.clear();
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);  // background and selection
    QTextDocument doc;
    const bool selected = opt.state & QStyle::State_Selected;
    layout(doc, html, opt, selected);
    QAbstractTextDocumentLayout::PaintContext ctx;
    ctx.palette = opt.palette;
    if (selected) ctx.palette.setColor(QPalette::Text, opt.palette.color(QPalette::HighlightedText));
    painter->save();
    painter->translate(opt.rect.topLeft());
    doc.documentLayout()->draw(painter, ctx);
    painter->restore();
  }

  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    QTextDocument doc;
    layout(doc, opt.text, opt, false);
    return {static_cast<int>(doc.idealWidth()), static_cast<int>(doc.size().height())};
  }

 private:
  // `.where` (heading and span) is muted, except on the selection's colour where muted would not read.
  static void layout(QTextDocument& doc, const QString& html, const QStyleOptionViewItem& opt, bool selected) {
    doc.setDefaultFont(opt.font);
    doc.setDefaultStyleSheet(selected ? ".where { color: " + opt.palette.color(QPalette::HighlightedText).name() + "; }"
                                      : QString(".where { color: #666; }"));
    doc.setDocumentMargin(4);
    doc.setHtml(html);
    const int width = opt.widget ? opt.widget->width() - 24 : opt.rect.width();  // less the scroll bar
    doc.setTextWidth(std::max(120, width));
  }
};

QString escaped(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

}  // namespace

QString hitHtml(const ingest::SearchHit& hit) {
  QString where = escaped(hit.heading.empty() ? std::string() : " › " + hit.heading) +
                  spanLabel(hit.page_first, hit.page_last, hit.line_first, hit.line_last).toHtmlEscaped();
  QString snippet = escaped(hit.snippet);
  snippet.replace(QChar(0x01), "<b>").replace(QChar(0x02), "</b>");
  snippet.replace('\n', ' ');
  return QString("<b>%1</b><span class=\"where\">%2</span><br/>%3").arg(escaped(hit.rel_path), where, snippet);
}

SearchPanel::SearchPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("searchPanel");
  edit_ = new QLineEdit;
  edit_->setObjectName("searchEdit");
  edit_->setPlaceholderText(tr("Search the library: words, \"a phrase\", prefix*"));
  edit_->setClearButtonEnabled(true);
  scope_ = new ScopeBox;
  scope_->setObjectName("searchScope");
  status_ = new QLabel;
  status_->setObjectName("searchStatus");
  status_->setWordWrap(true);
  status_->setTextFormat(Qt::PlainText);
  results_ = new QListWidget;
  results_->setObjectName("searchResults");
  results_->setItemDelegate(new RichTextDelegate(results_));
  results_->setWordWrap(true);
  results_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  results_->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
  results_->setUniformItemSizes(false);
  typing_ = new QTimer(this);
  typing_->setSingleShot(true);
  typing_->setInterval(kTypingPauseMs);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(edit_);
  layout->addWidget(scope_);
  layout->addWidget(status_);
  layout->addWidget(results_, 1);

  connect(edit_, &QLineEdit::textEdited, typing_, qOverload<>(&QTimer::start));
  connect(edit_, &QLineEdit::returnPressed, this, &SearchPanel::runNow);
  connect(typing_, &QTimer::timeout, this, &SearchPanel::runNow);
  connect(scope_, &QComboBox::currentIndexChanged, this, &SearchPanel::runNow);
  const auto open = [this](QListWidgetItem* item) {
    const int row = results_->row(item);
    if (row >= 0 && row < static_cast<int>(hits_.size())) Q_EMIT hitActivated(hits_[static_cast<size_t>(row)]);
  };
  connect(results_, &QListWidget::itemClicked, this, open);
  connect(results_, &QListWidget::itemActivated, this, open);
}

void SearchPanel::setCollections(const QStringList& collections) { scope_->setCollections(collections); }

void SearchPanel::focusSearch() {
  edit_->setFocus();
  edit_->selectAll();
}

void SearchPanel::runNow() {
  typing_->stop();
  const QString query = edit_->text().trimmed();
  if (query.isEmpty()) {
    expected_ = 0;  // whatever is still running is not wanted
    hits_.clear();
    results_->clear();
    status_->clear();
    return;
  }
  status_->setText(tr("Searching…"));
  Q_EMIT searchRequested(query, scope_->scope());
}

void SearchPanel::showResults(quint64 generation, const QString& query, const LibraryHits& hits, bool any_term,
                              double elapsed_ms) {
  if (generation != expected_) return;
  hits_ = hits;
  results_->clear();
  for (const auto& h : hits_) {
    auto* item = new QListWidgetItem(hitHtml(h.hit), results_);
    item->setToolTip(QString::fromStdString(h.hit.path));
  }
  const QString time = QString::number(elapsed_ms, 'f', 0);
  if (hits_.empty()) {
    status_->setText(tr("Nothing in the library matches “%1”.").arg(query));
  } else if (any_term) {
    status_->setText(tr("No passage holds every word; %1 hold some of them (%2 ms).").arg(hits_.size()).arg(time));
  } else if (static_cast<int>(hits_.size()) >= SearchService::kMaxHits) {
    status_->setText(tr("The best %1 passages (%2 ms).").arg(hits_.size()).arg(time));
  } else {
    status_->setText(hits_.size() == 1 ? tr("1 passage (%1 ms).").arg(time)
                                       : tr("%1 passages (%2 ms).").arg(hits_.size()).arg(time));
  }
}

void SearchPanel::showError(quint64 generation, const QString& message) {
  if (generation != expected_) return;
  hits_.clear();
  results_->clear();
  status_->setText(tr("Search failed: %1").arg(message));
}

}  // namespace folio::ui
