// The reader: syntax colouring, the code view's line numbers and cited lines, a large file's document
// built on the worker that reads it, and the PDF view on the
// sample contract (rendered off the GUI thread, page navigation, zoom, a cited span highlighted); a
// file it cannot show says why, and a very long path does not widen it.
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextDocumentLayout>
#include <QPointer>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QThreadPool>
#include <QtTest>
#include <algorithm>
#include <vector>
#include <poppler-qt6.h>

#include "ui/code_view.h"
#include "ui/pdf_renderer.h"
#include "ui/pdf_view.h"
#include "ui/reader_panel.h"
#include "ui/syntax_highlighter.h"
#include "support/docx_writer.h"
#include "support/pst_writer.h"

namespace {
const QString kContract = QString(FOLIO_RESOURCES_DIR) + "/samples/contracts/services-agreement.pdf";

// Writes `bytes` (a generated Word file, an Outlook store) to `path`.
bool writeBytes(const QString& path, const std::string& bytes) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly) && f.write(bytes.data(), static_cast<qint64>(bytes.size())) ==
                                             static_cast<qint64>(bytes.size());
}

// Opens `path` (of `kind`) in `reader` at a page's lines, as a citation does; whether it was shown.
bool openAt(folio::ui::ReaderPanel& reader, const QString& path, const QString& kind, int page, int line_first,
            int line_last) {
  QSignalSpy shown(&reader, &folio::ui::ReaderPanel::shown);
  folio::ui::ReaderLocation where;
  where.path = path;
  where.kind = kind;
  where.page = page;
  where.line_first = line_first;
  where.line_last = line_last;
  reader.open(where);
  return shown.count() == 1 || shown.wait(10000);
}
}  // namespace

class ReaderTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void highlighterClassifies() {
    QTextDocument doc;
    folio::ui::SyntaxHighlighter h(&doc);
    h.setLanguage("cpp");
    const QString line = "return \"for\"; // if";
    QCOMPARE(h.classify(line, 0), QString("keyword"));
    QCOMPARE(h.classify(line, 8), QString("string"));  // a keyword inside a string is a string
    QCOMPARE(h.classify(line, 17), QString("comment"));
    QCOMPARE(h.classify(line, 6), QString());
    QCOMPARE(h.classify("a /* b */ c", 4), QString("comment"));
    QCOMPARE(h.classify("a /* b */ c", 10), QString());
    h.setLanguage("python");
    QCOMPARE(h.classify("def f(): # x", 0), QString("keyword"));
    QCOMPARE(h.classify("def f(): # x", 11), QString("comment"));
    QCOMPARE(h.classify("x = 1 // 2", 6), QString());  // floor division, not a comment
    // Languages the code chunker reads with '#' and "--" comments.
    h.setLanguage("ruby");
    QCOMPARE(h.classify("x = 1 # note", 9), QString("comment"));
    h.setLanguage("lua");
    QCOMPARE(h.classify("x = 1 -- note", 9), QString("comment"));
    QCOMPARE(h.classify("x = a - b", 6), QString());
  }

  void codeViewShowsCitedLines() {
    folio::ui::CodeView view;
    view.resize(500, 300);
    QStringList lines;
    for (int i = 1; i <= 200; ++i) lines << QString("int line%1 = %1; // comment").arg(i);
    view.setSource(lines.join('\n'), "cpp");
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.blockCount(), 200);
    QVERIFY(view.lineNumberAreaWidth() > view.fontMetrics().horizontalAdvance("999"));
    view.showLines(150, 152);
    QCOMPARE(view.highlightedLines(), qMakePair(150, 152));
    QCOMPARE(view.extraSelections().size(), 3);
    QCOMPARE(view.textCursor().blockNumber(), 149);
    QVERIFY(view.cursorForPosition(QPoint(4, 4)).blockNumber() > 100);  // scrolled to the citation
    // The highlighter coloured the keyword at the start of a line.
    QSignalSpy highlighted(view.highlighter(), &folio::ui::SyntaxHighlighter::highlighted);
    QVERIFY(!view.highlighter()->highlighting() || highlighted.wait(10000));
    const auto formats = view.document()->findBlockByNumber(0).layout()->formats();
    QVERIFY(!formats.isEmpty());
  }

  // A large file is coloured a slice of lines per turn of the event loop, not all at once on the GUI
  // thread; a block comment open across a slice's end stays a comment in the next slice.
  void largeSourceIsColouredInSlices() {
    using folio::ui::SyntaxHighlighter;
    folio::ui::CodeView view;
    const int slice = SyntaxHighlighter::kSliceBlocks;
    QStringList lines;
    for (int i = 0; i < 3 * slice + 7; ++i) lines << QString("int v%1 = %1;").arg(i);
    lines[slice - 2] = "/* a comment opened here";
    lines[slice] = "still inside int";  // the first line of the second slice
    lines[slice + 1] = "closed */ int after;";
    QSignalSpy highlighted(view.highlighter(), &SyntaxHighlighter::highlighted);
    view.setSource(lines.join('\n'), "cpp");
    auto kinds = [&](int block) {
      QStringList out;
      for (const auto& f : view.document()->findBlockByNumber(block).layout()->formats())
        out << (f.format.fontItalic() ? "comment" : f.format.fontWeight() == QFont::Bold ? "keyword" : "other");
      return out;
    };
    QVERIFY(view.highlighter()->highlighting());
    QVERIFY(kinds(0).isEmpty());  // nothing coloured before the event loop runs
    QVERIFY(highlighted.wait(10000));
    QCOMPARE(highlighted.count(), 1);
    QCOMPARE(kinds(0), QStringList{"keyword"});
    QCOMPARE(kinds(slice), QStringList{"comment"});  // "int" inside the comment is not a keyword
    QCOMPARE(kinds(slice + 1), (QStringList{"comment", "keyword"}));
    QCOMPARE(kinds(3 * slice + 6), QStringList{"keyword"});  // the last line
    // another file starts over
    view.setSource("def f():\n  return 1", "python");
    QVERIFY(highlighted.wait(10000));
    QCOMPARE(kinds(0), QStringList{"keyword"});
  }

  void pdfViewRendersNavigatesZoomsAndHighlights() {
    // A line of text from page 2, read the way a citation carries it.
    auto doc = Poppler::Document::load(kContract);
    QVERIFY(doc);
    QVERIFY(doc->numPages() >= 2);
    QString cited;
    for (const QString& l : doc->page(1)->text(QRectF()).split('\n'))
      if (l.simplified().size() > 20) {
        cited = l;
        break;
      }
    QVERIFY(!cited.isEmpty());

    folio::ui::PdfView view;
    view.resize(700, 800);
    view.show();
    QSignalSpy shown(&view, &folio::ui::PdfView::pageShown);
    view.openPdf(kContract, 2, "Unrelated line\n" + cited + "\nab");
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 20000);
    QCOMPARE(view.pageCount(), doc->numPages());
    QCOMPARE(view.currentPage(), 2);
    QCOMPARE(shown.at(0).at(0).toInt(), 2);
    QVERIFY2(shown.at(0).at(1).toInt() >= 1, "the cited line is found on the page");
    QVERIFY(!view.highlightRects().isEmpty());
    const QRectF r = view.highlightRects().front();
    QVERIFY(QRectF(QPointF(0, 0), QSizeF(view.pageImage().size())).contains(r));

    // Highlight pixels are yellowish where the rectangle is painted.
    const QImage shot = view.findChild<QWidget*>("pdfPage")->grab().toImage();
    const QPointF c = r.center() / view.pageImage().devicePixelRatio() * shot.devicePixelRatio();
    const QColor px = shot.pixelColor(c.toPoint());
    QVERIFY2(px.blue() < px.red() - 40, qPrintable(px.name()));

    const int width = view.pageImage().width();
    view.zoomIn();
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, 20000);
    QVERIFY(view.pageImage().width() > width);
    view.showPage(1);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 3, 20000);
    QCOMPARE(view.currentPage(), 1);
    view.showPage(999);  // clamped to the last page
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 4, 20000);
    QCOMPARE(view.currentPage(), doc->numPages());
  }

  // A fax (an image file) is shown as its pages, the PDF that ingest read by OCR.
  void pdfViewShowsAnImageFileAsItsPages() {
    folio::ui::PdfView view;
    view.resize(700, 800);
    view.show();
    QSignalSpy shown(&view, &folio::ui::PdfView::pageShown);
    view.openPdf(QString(FOLIO_FIXTURES_DIR) + "/images/fax_g4.tif", 2, {});
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 20000);
    QCOMPARE(view.pageCount(), 2);
    QCOMPARE(view.currentPage(), 2);
    QVERIFY(!view.pageImage().isNull());
  }

  // A PDF, a scan and a text file inside a zip archive (a document whose path lies in the archive) are
  // shown read out of it, as ingest read them.
  void filesInsideAZipArchiveAreShown() {
    QTemporaryDir tmp;
    QFile pdf(kContract), fax(QString(FOLIO_FIXTURES_DIR) + "/images/fax_g4.tif");
    QVERIFY(pdf.open(QIODevice::ReadOnly) && fax.open(QIODevice::ReadOnly));
    const QByteArray pdf_bytes = pdf.readAll(), fax_bytes = fax.readAll();
    const QString zip = tmp.filePath("dataroom.zip");
    QVERIFY(writeBytes(zip, folio::test::zipBytes({{"Contracts/msa.pdf", pdf_bytes.toStdString()},
                                                   {"Scans/fax.tif", fax_bytes.toStdString()},
                                                   {"Notes/todo.txt", "first line\nRenewal notice due by 3 March.\n"}})));
    folio::ui::PdfView view;
    view.resize(700, 800);
    view.show();
    QSignalSpy shown(&view, &folio::ui::PdfView::pageShown);
    view.openPdf(zip + "/Contracts/msa.pdf", 2, {});
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 20000);
    QCOMPARE(view.currentPage(), 2);
    QVERIFY(view.pageCount() >= 2);
    view.openPdf(zip + "/Scans/fax.tif", 2, {});
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, 20000);
    QCOMPARE(view.pageCount(), 2);

    folio::ui::ReaderPanel reader;
    QVERIFY(openAt(reader, zip + "/Notes/todo.txt", "text", 0, 2, 2));
    QSignalSpy failed(&reader, &folio::ui::ReaderPanel::failed);
    folio::ui::ReaderLocation gone;
    gone.path = zip + "/Notes/missing.txt";
    gone.kind = "text";
    gone.line_first = gone.line_last = 1;
    reader.open(gone);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    QVERIFY2(failed.at(0).at(0).toString().contains("no such file in the archive"), qPrintable(failed.at(0).at(0).toString()));
  }

  void notAPdfFails() {
    folio::ui::PdfView view;
    QSignalSpy failed(&view, &folio::ui::PdfView::failed);
    view.openPdf(QString(FOLIO_RESOURCES_DIR) + "/does-not-exist.pdf", 1, {});
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
  }

  void readerOpensTextAtLines() {
    QTemporaryDir tmp;
    const QString path = tmp.filePath("notes.txt");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    for (int i = 1; i <= 50; ++i) f.write(QString("line %1\n").arg(i).toUtf8());
    f.close();
    folio::ui::ReaderPanel reader;
    QSignalSpy shown(&reader, &folio::ui::ReaderPanel::shown);
    folio::ui::ReaderLocation where;
    where.path = path;
    where.kind = "text";
    where.line_first = 20;
    where.line_last = 22;
    reader.open(where);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 10000);
    QVERIFY(!reader.showingPdf());
    QCOMPARE(reader.codeView()->highlightedLines(), qMakePair(20, 22));
    QVERIFY(reader.codeView()->toPlainText().startsWith("line 1\n"));
    QSignalSpy failed(&reader, &folio::ui::ReaderPanel::failed);
    where.path = tmp.filePath("missing.txt");
    reader.open(where);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
  }

  // A Word file is shown as its extracted text (its bytes are a zip archive), and a citation's lines,
  // which count from the start of its page, land on the cited paragraph.
  void readerShowsAWordDocumentAtItsPageLines() {
    QTemporaryDir tmp;
    const QString path = tmp.filePath("lease.docx");
    folio::test::DocxParts parts;
    for (int i = 1; i <= 30; ++i) {
      if (i == 21) parts.body += R"(<w:p><w:r><w:br w:type="page"/></w:r></w:p>)";
      parts.body += folio::test::wordParagraph(QString("Paragraph %1 of the lease.").arg(i).toStdString());
    }
    QVERIFY(writeBytes(path, folio::test::docxBytes(parts)));
    folio::ui::ReaderPanel reader;
    // Page 2: "Paragraph 21" on line 1, a blank line, "Paragraph 22" on line 3.
    QVERIFY(openAt(reader, path, "word", 2, 3, 3));
    QVERIFY(reader.codeView()->toPlainText().startsWith("Paragraph 1 of the lease.\n\nParagraph 2 "));
    const auto [first, last] = reader.codeView()->highlightedLines();
    QCOMPARE(first, last);
    QCOMPARE(reader.codeView()->document()->findBlockByNumber(first - 1).text(), QString("Paragraph 22 of the lease."));
  }

  // An Outlook store is shown as the text Folio read from it, read in place as the ingest reads it, a
  // message's citation landing on its page.
  void readerShowsAMailStoreAtAMessagesPage() {
    QTemporaryDir tmp;
    const QString path = tmp.filePath("counsel.pst");
    folio::test::PstFolderSpec inbox{"Inbox", {}, {}};
    for (int i = 1; i <= 3; ++i) {
      folio::test::PstMessageSpec m;
      m.subject = "Draft SPA round " + std::to_string(i);
      m.from_name = "Alice Counsel";
      m.from_address = "alice@example.com";
      m.body = "Comments on round " + std::to_string(i) + " of the share purchase agreement.";
      m.delivery_time = folio::test::fileTime(2024, 3, i, 9, 0);
      inbox.messages.push_back(m);
    }
    QVERIFY(writeBytes(path, folio::test::makePst({inbox})));
    folio::ui::ReaderPanel reader;
    QVERIFY(openAt(reader, path, "email", 2, 1, 1));
    QVERIFY2(reader.codeView()->toPlainText().contains("Comments on round 3 of the share purchase agreement."),
             qPrintable(reader.codeView()->toPlainText().left(300)));
    const auto [first, last] = reader.codeView()->highlightedLines();
    QVERIFY(reader.codeView()->document()->findBlockByNumber(first - 1).text().contains("Draft SPA round 2"));
  }

  // A 2 MB source file: its document is built on the worker that reads the file and adopted by the view
  // (undo off, the view's font, owned by the view, a plain-text layout), the cited lines, line numbers
  // and find work on it, and colouring starts over in slices (nothing coloured when it is shown). A read
  // superseded by another before it is shown frees its document, and so does the view it was shown in.
  void readerAdoptsALargeDocumentBuiltOnAWorker() {
    QTemporaryDir tmp;
    const QString big = tmp.filePath("big.cpp"), small = tmp.filePath("small.txt");
    QFile f(big);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QByteArray text;
    int lines = 0;
    for (; text.size() < 2 * 1024 * 1024; ++lines)
      text += QString("int value%1 = compute(%1, \"text\"); // line %2 of the file\n").arg(lines).arg(lines + 1).toUtf8();
    f.write(text);
    f.close();
    QFile g(small);
    QVERIFY(g.open(QIODevice::WriteOnly));
    g.write("small file\nsecond line\n");
    g.close();

    std::shared_ptr<const std::atomic<int>> alive;
    {
      folio::ui::ReaderPanel reader;
      alive = reader.builtDocumentsAlive();
      reader.resize(600, 400);
      reader.show();
      QVERIFY(QTest::qWaitForWindowExposed(&reader));
      folio::ui::CodeView* view = reader.codeView();
      QSignalSpy shown(&reader, &folio::ui::ReaderPanel::shown);
      bool coloured_when_shown = true, highlighting_when_shown = false;
      connect(&reader, &folio::ui::ReaderPanel::shown, &reader, [&] {
        coloured_when_shown = !view->document()->firstBlock().layout()->formats().isEmpty();
        highlighting_when_shown = view->highlighter()->highlighting();
      });
      folio::ui::ReaderLocation where;
      where.path = big;
      where.kind = "code";
      where.language = "cpp";
      where.line_first = 20000;
      where.line_last = 20002;
      reader.open(where);
      QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 60000);
      QTextDocument* doc = view->document();
      QCOMPARE(view->blockCount(), lines + 1);  // and an empty block after the last newline
      QVERIFY(!doc->isUndoRedoEnabled());
      QCOMPARE(doc->parent(), static_cast<QObject*>(view));
      QCOMPARE(doc->defaultFont(), view->font());
      QVERIFY(qobject_cast<QPlainTextDocumentLayout*>(doc->documentLayout()));
      QCOMPARE(view->highlighter()->document(), doc);
      QCOMPARE(alive->load(), 1);
      QCOMPARE(view->highlightedLines(), qMakePair(20000, 20002));
      QCOMPARE(view->extraSelections().size(), 3);
      QCOMPARE(view->textCursor().blockNumber(), 19999);
      QVERIFY(view->lineNumberAreaWidth() > view->fontMetrics().horizontalAdvance("99999"));  // five digits
      QVERIFY(!coloured_when_shown);
      QVERIFY(highlighting_when_shown);
      QSignalSpy highlighted(view->highlighter(), &folio::ui::SyntaxHighlighter::highlighted);
      QVERIFY(highlighted.wait(60000));
      QVERIFY(!doc->firstBlock().layout()->formats().isEmpty());
      QVERIFY(!doc->findBlockByNumber(lines - 1).layout()->formats().isEmpty());  // the last line
      QVERIFY(view->findText("value25000 =", false));
      QCOMPARE(view->textCursor().blockNumber(), 25000);
      QCOMPARE(view->countOccurrences("value2500 ="), 1);

      // The big file again, superseded at once by a small one: the small one is shown, the document
      // shown before is freed, and so is the big one's new document, built or not when it was superseded.
      const QPointer<QTextDocument> shown_before = doc;
      reader.open(where);
      where.path = small;
      where.kind = "text";
      where.line_first = where.line_last = 2;
      reader.open(where);
      QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, 60000);
      QCOMPARE(shown.at(1).at(0).toString(), small);
      QCOMPARE(view->toPlainText(), QString("small file\nsecond line\n"));
      QCOMPARE(view->highlightedLines(), qMakePair(2, 2));
      QVERIFY(!shown_before);
      QThreadPool::globalInstance()->waitForDone();  // the superseded read has finished and let go
      QTRY_COMPARE_WITH_TIMEOUT(alive->load(), 1, 10000);
      QCOMPARE(shown.count(), 2);  // it never reported
    }
    QCOMPARE(alive->load(), 0);  // the view's document goes with the view
  }

  // A file the reader cannot show (gone, a directory, not a PDF) is named with the reason in place of
  // the document; the document shown before does not stay on screen under the new title.
  void aFileThatCannotBeShownSaysWhy() {
    QTemporaryDir tmp;
    const QString path = tmp.filePath("notes.txt");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("first document\n");
    f.close();
    folio::ui::ReaderPanel reader;
    QSignalSpy shown(&reader, &folio::ui::ReaderPanel::shown);
    QSignalSpy failed(&reader, &folio::ui::ReaderPanel::failed);
    auto* stack = reader.findChild<QStackedWidget*>();
    auto* message = reader.findChild<QLabel*>("readerMessage");
    QVERIFY(stack && message);
    folio::ui::ReaderLocation where;
    where.path = path;
    where.kind = "text";
    reader.open(where);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 10000);
    QCOMPARE(stack->currentWidget(), static_cast<QWidget*>(reader.codeView()));

    where.path = tmp.filePath("gone.txt");
    reader.open(where);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    QCOMPARE(stack->currentWidget(), message->parentWidget());  // the page holding the message
    QVERIFY2(message->text().contains("gone.txt") && message->text().contains("No such file"), qPrintable(message->text()));

    where.path = QString(FOLIO_FIXTURES_DIR) + "/pdf/not_a_pdf.pdf";
    where.kind = "pdf";
    reader.open(where);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, 10000);
    QCOMPARE(stack->currentWidget(), message->parentWidget());  // the page holding the message
    QVERIFY2(message->text().contains("not_a_pdf.pdf: not a readable PDF"), qPrintable(message->text()));

    // A document the library skipped or could not read: the reason, not the file's bytes.
    where.path = path;
    where.kind = "text";
    where.unavailable = "skipped: binary (NUL byte in the first 8 KiB)";
    reader.open(where);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 3, 10000);
    QCOMPARE(stack->currentWidget(), message->parentWidget());  // the page holding the message
    QVERIFY2(message->text().contains("notes.txt") && message->text().contains("skipped: binary"), qPrintable(message->text()));
    QCOMPARE(shown.count(), 1);
  }

  // A path of 2,000 characters (deep folders) is elided in the title: the reader, and so the window,
  // keeps its width; the whole path is the title's tooltip.
  void aLongPathDoesNotWidenTheReader() {
    folio::ui::ReaderPanel reader;
    reader.resize(600, 400);
    reader.show();
    QVERIFY(QTest::qWaitForWindowExposed(&reader));
    QString path = "/data";
    while (path.size() < 2000) path += "/folder-with-a-long-name-" + QString::number(path.size());
    folio::ui::ReaderLocation where;
    where.path = path + "/notes.txt";
    where.kind = "text";
    where.line_first = 3;
    where.line_last = 5;
    QSignalSpy failed(&reader, &folio::ui::ReaderPanel::failed);
    reader.open(where);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    QVERIFY2(reader.minimumSizeHint().width() < 600, qPrintable(QString::number(reader.minimumSizeHint().width())));
    auto* title = reader.findChild<QLabel*>("readerTitle");
    QVERIFY(title);
    QVERIFY(title->toolTip().startsWith(where.path));
    QVERIFY2(title->text().endsWith("lines 3–5"), qPrintable(title->text()));  // the end stays readable
  }

  // Find in a text document: Enter selects the next occurrence (case-insensitive), wrapping; the bar
  // counts them and says when there is none; Esc closes it.
  void findInTextSelectsEachOccurrenceInTurn() {
    QTemporaryDir tmp;
    const QString path = tmp.filePath("notes.txt");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("Payment is due.\nLate payment costs interest.\nNo other terms.\n");
    f.close();
    folio::ui::ReaderPanel reader;
    reader.show();
    QVERIFY(QTest::qWaitForWindowExposed(&reader));
    QSignalSpy shown(&reader, &folio::ui::ReaderPanel::shown);
    folio::ui::ReaderLocation where;
    where.path = path;
    where.kind = "text";
    reader.open(where);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 10000);
    reader.showFind();
    QVERIFY(reader.findEdit()->isVisible());
    QTest::keyClicks(reader.findEdit(), "PAYMENT");
    QTest::keyClick(reader.findEdit(), Qt::Key_Return);
    QCOMPARE(reader.codeView()->textCursor().selectedText(), QString("Payment"));
    QCOMPARE(reader.codeView()->textCursor().blockNumber(), 0);
    QCOMPARE(reader.findStatus()->text(), QString("2 matches"));
    QTest::keyClick(reader.findEdit(), Qt::Key_Return);
    QCOMPARE(reader.codeView()->textCursor().selectedText(), QString("payment"));
    QCOMPARE(reader.codeView()->textCursor().blockNumber(), 1);
    QTest::keyClick(reader.findEdit(), Qt::Key_Return);  // wraps to the first
    QCOMPARE(reader.codeView()->textCursor().blockNumber(), 0);
    reader.findNext(/*backwards=*/true);  // and back round to the last
    QCOMPARE(reader.codeView()->textCursor().blockNumber(), 1);
    reader.findEdit()->setText("refund");
    reader.findNext();
    QCOMPARE(reader.findStatus()->text(), QString("“refund” is not in this document"));
    QTest::keyClick(reader.findEdit(), Qt::Key_Escape);
    QVERIFY(!reader.findEdit()->isVisible());
  }

  // Find in a PDF goes to the next page holding the term, marks every occurrence there, and wraps;
  // a term on no page says so.
  void findInAPdfGoesToThePagesHoldingTheTerm() {
    auto doc = Poppler::Document::load(kContract);
    QVERIFY(doc);
    std::vector<int> holding;  // 1-based pages with "Customer"
    for (int p = 0; p < doc->numPages(); ++p)
      if (!doc->page(p)->search("customer", Poppler::Page::IgnoreCase).isEmpty()) holding.push_back(p + 1);
    QVERIFY(holding.size() >= 2);
    folio::ui::ReaderPanel reader;
    reader.resize(700, 800);
    reader.show();
    QVERIFY(QTest::qWaitForWindowExposed(&reader));
    QSignalSpy shown(reader.pdfView(), &folio::ui::PdfView::pageShown);
    folio::ui::ReaderLocation where;
    where.path = kContract;
    where.kind = "pdf";
    where.page = holding[0] + 1 <= doc->numPages() ? holding[0] + 1 : 1;  // after the first page holding it
    reader.open(where);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 20000);
    const int start = reader.pdfView()->currentPage();
    // The first page holding it from the current page on (inclusive), wrapping.
    int want = holding[0];
    for (int p : holding)
      if (p >= start) {
        want = p;
        break;
      }
    QSignalSpy finished(reader.pdfView(), &folio::ui::PdfView::findFinished);
    reader.showFind();
    QTest::keyClicks(reader.findEdit(), "customer");
    QTest::keyClick(reader.findEdit(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QCOMPARE(finished.at(0).at(1).toInt(), want);
    QTRY_COMPARE_WITH_TIMEOUT(reader.pdfView()->currentPage(), want, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!reader.pdfView()->findRects().isEmpty(), 20000);
    QCOMPARE(reader.findStatus()->text(), QString("On page %1").arg(want));
    // Again: the next page holding it after this one.
    const auto at = std::find(holding.begin(), holding.end(), want);
    const int next = at + 1 == holding.end() ? holding.front() : *(at + 1);
    reader.findNext();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 20000);
    QCOMPARE(finished.at(1).at(1).toInt(), next);
    QTRY_COMPARE_WITH_TIMEOUT(reader.pdfView()->currentPage(), next, 20000);
    reader.findEdit()->setText("zyxwvutsrq");
    reader.findNext();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 20000);
    QCOMPARE(finished.at(2).at(1).toInt(), 0);
    QCOMPARE(reader.findStatus()->text(), QString("“zyxwvutsrq” is not in this document"));
    reader.hideFind();
    QTRY_VERIFY_WITH_TIMEOUT(reader.pdfView()->findRects().isEmpty(), 20000);
  }

  void needles() {
    QCOMPARE(folio::ui::highlightNeedles("  a  b c \n\nxy\nThe   Parties\n"), QStringList({"a b c", "The Parties"}));
  }
};

QTEST_MAIN(ReaderTest)
#include "test_reader.moc"
