// The main window and the GUI's composition root: library panel on the left, reader in the middle, the
// ask panel with the routing heatmap and the token budgets on the right; the workers (LibraryService,
// AskService, ModelService) are created here and talk to the widgets through queued signals. The status
// bar says which model is active, or that Folio is in extractive mode.
#pragma once

#include <QMainWindow>
#include <filesystem>

#include "ui/document_scope.h"
#include "ui/gui_settings.h"
#include "ui/metatypes.h"

class QLabel;
class QSplitter;
class QTabWidget;
class QTreeView;

namespace folio::ui {

class AskPanel;
class AskService;
class ComparisonWindow;
class ReviewWindow;
class TimelineWindow;
class BudgetGauges;
class LibraryModel;
class LibraryPanel;
class LibraryService;
class ModelDialog;
class ModelService;
class ReaderPanel;
class RoutingPanel;
class SearchPanel;
class SearchService;
class SummaryService;

struct MainWindowOptions {
  std::filesystem::path library;  // empty: the default library path ($XDG_DATA_HOME/folio/library.sqlite)
  bool remember = true;           // read and write QSettings
};

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  explicit MainWindow(const MainWindowOptions& options, QWidget* parent = nullptr);
  ~MainWindow() override;

  QTreeView* libraryView() const;
  QLabel* modeLabel() const { return mode_label_; }
  LibraryModel* libraryModel() const { return model_; }
  LibraryPanel* libraryPanel() const { return library_panel_; }
  ReaderPanel* reader() const { return reader_; }
  AskPanel* askPanel() const { return ask_panel_; }
  RoutingPanel* routingPanel() const { return routing_; }
  BudgetGauges* budgets() const { return budgets_; }
  LibraryService* libraryService() const { return library_; }
  AskService* askService() const { return ask_; }
  SearchPanel* searchPanel() const { return search_panel_; }
  SearchService* searchService() const { return search_; }
  SummaryService* summaryService() const { return summaries_; }
  // Summarizes the first selected document (with the loaded model, else extractively) and shows the
  // summary in a window of its own (Library > Summarize document, Ctrl+Shift+S).
  void summarizeSelected();
  // The collection of the library view's current row (or the ingest target when there is none): every
  // document's summary and the collection's, which questions over a large scope fall back on.
  void summarizeCollection();
  // Compares two library documents, `old_id` the old version, in a window of its own whose differences
  // open in the reader (Library › Compare versions, Ctrl+Shift+C, with two documents selected).
  ComparisonWindow* compareVersions(qint64 old_id, qint64 new_id);
  // The same questions asked of every document, in a window of its own (Library › Review documents…,
  // Ctrl+Shift+R): the selected documents when two or more are, else the ask panel's scope. Its cells
  // are the loaded model's answers (placed as the settings say, at each run), else the clauses quoted.
  ReviewWindow* reviewDocuments();
  // The dated events of the documents and e-mail in date order, in a window of its own (Library ›
  // Timeline…, Ctrl+Shift+T), over the same scope as the review; an event opens in the reader.
  TimelineWindow* showTimeline();
  // Library › Scan languages…: the collection's OCR languages, read on the library's worker.
  void openScanLanguages(const QString& collection, const QString& languages, const QStringList& installed);
  // Shows the library search with the query box focused (Library > Search the library, Ctrl+Shift+F).
  void showSearch();
  // Shows the library with its filter box focused (Library > Filter the library, Ctrl+Shift+L).
  void showLibraryFilter();
  const std::filesystem::path& libraryPath() const { return library_path_; }
  const GuiSettings& settings() const { return settings_; }
  // τ, budgets and window for the next questions (what the model dialog sets).
  void setSettings(const GuiSettings& s) { settings_ = s; }
  bool modelLoaded() const { return runtime_ != nullptr; }

  // The actions of the menus (also what tests drive).
  void addPaths(const QStringList& paths, const QString& collection = {});
  // The same for names that need not be UTF-8 (see local_path.h).
  void addPaths(const std::vector<std::filesystem::path>& paths, const QString& collection = {});
  void openModelDialog();
  void loadModel(const QString& dir);
  void unloadModel();
  void openExportDialog();
  void openDocument(qint64 id);
  void openCitation(const app::Evidence& source);

 Q_SIGNALS:
  void modelChanged(const QString& name);  // "" = extractive mode
  void exportFinished(const QStringList& files);
  void exportError(const QString& message);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  // The documents a review or a timeline works over: the selected documents when two or more are, else
  // the ask panel's collection, else all.
  DocumentScope selectionScope() const;
  void build();
  void buildMenus();
  void wire();
  void showAbout();
  void updateModeLabel();
  void ask(const QString& question, const QString& collection);
  void saveSettings();
  // The splitters' positions as GuiSettings::state holds them; restoring ignores what does not parse.
  QByteArray splitterState() const;
  void restoreSplitterState(const QByteArray& state);

  MainWindowOptions options_;
  std::filesystem::path library_path_;
  GuiSettings settings_;
  LibraryService* library_ = nullptr;
  AskService* ask_ = nullptr;
  ModelService* models_ = nullptr;
  SearchService* search_ = nullptr;
  SummaryService* summaries_ = nullptr;
  LibraryModel* model_ = nullptr;
  LibraryPanel* library_panel_ = nullptr;
  SearchPanel* search_panel_ = nullptr;
  QTabWidget* left_tabs_ = nullptr;  // the library's documents | its search
  ReaderPanel* reader_ = nullptr;
  AskPanel* ask_panel_ = nullptr;
  RoutingPanel* routing_ = nullptr;
  BudgetGauges* budgets_ = nullptr;
  QSplitter* main_splitter_ = nullptr;    // library | reader | answer column
  QSplitter* answer_splitter_ = nullptr;  // ask panel / routing / budgets
  QLabel* mode_label_ = nullptr;
  QLabel* library_label_ = nullptr;
  ModelDialog* model_dialog_ = nullptr;
  ModelRuntimePtr runtime_;
  QString model_dir_loading_;
  bool scope_restored_ = false;  // settings_.scope applied to the ask panel
};

}  // namespace folio::ui
