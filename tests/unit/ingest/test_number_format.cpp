// Excel number formats (ingest/office/number_format.h): a cell reads as Excel shows it. The table's
// rows are drawn from tools/xlsx/number_format_oracle.py (LibreOffice's "as shown" CSV agreeing) and,
// where LibreOffice departs from Excel, from Microsoft's "Number format codes" page and Excel's
// behaviour (marked).
#include <gtest/gtest.h>

#include <string>

#include "ingest/office/cell_formats.h"
#include "ingest/office/number_format.h"

namespace folio::ingest::office {
namespace {

struct Case {
  double value;
  const char* code;
  const char* shown;
};

const Case kCases[] = {
    // Digit placeholders, decimals and Excel's rounding (half away from zero on 15 significant digits).
    {1250000, "0", "1250000"},
    {2.675, "0.00", "2.68"},  // stored as 2.67499999999999982…, shown as Excel shows it
    {1.005, "0.00", "1.01"},
    {-2.5, "0", "-3"},
    {0.5, "0", "1"},
    {0.05, "0.000", "0.050"},
    {501, "00000", "00501"},
    {123456789, "000-00-0000", "123-45-6789"},
    {1234.59, "####.#", "1234.6"},  // Microsoft's examples
    {8.9, "#.000", "8.900"},
    {0.631, "0.#", "0.6"},
    {12, "#.0#", "12.0"},
    {1234.568, "#.0#", "1234.57"},
    {0.5, "#.##", ".5"},
    {0.5, ".00", ".50"},
    {5.5, ".00", "5.50"},
    {1.5, "0.0?", "1.5"},
    {99.999, "0.00", "100.00"},
    {0, "#,###", ""},
    {0, "0.00", "0.00"},
    {123456789012345678.0, "0", "123456789012346000"},  // 15 significant digits, as Excel
    {1e-7, "0.00", "0.00"},
    // Thousands separators and scaling commas.
    {1250000, "#,##0.00", "1,250,000.00"},
    {12000, "#,###", "12,000"},
    {12000, "#,", "12"},
    {12200000, "0.0,,", "12.2"},
    {1250000, "#,##0,,\"M\"", "1M"},
    {1234.5678, "#,##0,", "1"},
    {-1250000, "#,##0", "-1,250,000"},
    {5, "0,000", "0,005"},
    // Percent.
    {0.125, "0%", "13%"},
    {0.125, "0.0%", "12.5%"},
    {0.125, "0.00%", "12.50%"},
    {-0.5, "0.00%;-0.00%", "-50.00%"},
    // Scientific.
    {1500000, "0.00E+00", "1.50E+06"},
    {1234.5678, "0.00E+00", "1.23E+03"},
    {0.0001234, "0.00E+00", "1.23E-04"},
    {0.0001234, "0.00E-00", "1.23E-04"},
    {1234.5678, "0.00E-00", "1.23E03"},
    {0, "0.00E+00", "0.00E+00"},
    {99.999, "0.00E+00", "1.00E+02"},  // the carry moves the exponent
    {1234.5678, "##0.0E+0", "1.2E+3"},
    {12345, "##0.0E+0", "12.3E+3"},  // engineering: exponents by threes
    {0.0001234, "##0.0E+0", "123.4E-6"},
    {-1250000, "0E+0", "-1E+6"},
    // Fractions.
    {12.75, "# ?/?", "12 3/4"},
    {5.25, "# ???/???", "5   1/4"},  // Microsoft's example: '?' pads so that the bars line up
    {5.3, "# ???/???", "5   3/10"},
    {1 / 3.0, "# ??/??", "1/3"},
    {0.3, "# ?/?", "2/7"},
    {5, "# ?/?", "5"},
    {0, "# ?/?", "0"},
    {12.75, "?/?", "51/4"},
    {0.3, "?/16", "5/16"},
    {0.5, "# ?/8", "4/8"},
    {2.675, "0/100", "268/100"},
    {0.999, "# ?/?", "1"},
    // Literals: quoted, escaped, "_x" spaces, "*x" fills, currency and locale brackets.
    {1250000, "\"$\"#,##0.00", "$1,250,000.00"},
    {1250, "\"USD\" #,##0", "USD 1,250"},
    {1234.56, "[$€-407] #,##0.00", "€ 1,234.56"},
    {1234.56, "#,##0.00 [$€-407]", "1,234.56 €"},
    {1234.56, "[$$-409]#,##0.00", "$1,234.56"},
    {1234.56, "[$-409]#,##0.00", "1,234.56"},
    {5, "\\$0.00", "$5.00"},
    {5, "0\" units\"", "5 units"},
    {30, "#,##0 \"days\"", "30 days"},
    {5, "0.00*-", "5.00"},
    {5, "**0", "5"},
    {1234.5, "#,##0.00_)", "1,234.50"},
    {5, "+0;-0;0", "+5"},
    // Sections: sign, zero and text; a negative section writes its own sign.
    {-1234.5, "#,##0.00_);(#,##0.00)", "(1,234.50)"},
    {-1234.5, "#,##0.00;[Red]-#,##0.00", "-1,234.50"},
    {-1234.5, "[Red]0.00;[Blue]-0.00", "-1234.50"},
    {-1234.5, "0.00;0.00", "1234.50"},  // no minus unless the format writes one
    {0, "0;-0;\"zero\"", "zero"},
    {0, "0.00;-0.00;\"-\";@", "-"},
    {0, "0.0;;", ""},
    {-5, "0.0;;", ""},
    {-1, "0;0;0;\"text\"", "1"},
    {-1250000, "\"$\"#,##0_);[Red](\"$\"#,##0)", "($1,250,000)"},
    {0, "_(\"$\"* #,##0.00_);_(\"$\"* (#,##0.00);_(\"$\"* \"-\"??_);_(@_)", "$-"},
    {1250000, "_(\"$\"* #,##0.00_);_(\"$\"* (#,##0.00);_(\"$\"* \"-\"??_);_(@_)", "$1,250,000.00"},
    {-1234.5, "_(\"$\"* #,##0.00_);_(\"$\"* (#,##0.00);_(\"$\"* \"-\"??_);_(@_)", "$(1,234.50)"},
    {-1234.5, "_-* #,##0.00_-;-* #,##0.00_-;_-* \"-\"??_-;_-@_-", "-1,234.50"},
    // Conditions.
    {1250000, "[>=1000000]0.0,,\"M\";[>=1000]0.0,\"K\";0", "1.3M"},
    {1234.5, "[>=1000000]0.0,,\"M\";[>=1000]0.0,\"K\";0", "1.2K"},
    {501, "[>=1000000]0.0,,\"M\";[>=1000]0.0,\"K\";0", "501"},
    {-1234.5, "[>=1000000]0.0,,\"M\";[>=1000]0.0,\"K\";0", "-1235"},  // Excel; LibreOffice drops the minus
    {-5, "[<0]\"neg \"0;\"pos \"0", "neg 5"},
    {50, "[<=100]0.0;[>100]#,##0", "50.0"},
    {1250, "[<=100]0.0;[>100]#,##0", "1,250"},
    {5, "[>=100]0", "5"},  // no section fits: General
    // General, alone and in a section; "@" for numbers.
    {1234567.891, "General", "1234567.891"},
    {1.0 / 3, "General", "0.333333333333333"},
    {1e15, "General", "1E+15"},
    {1e-7, "General", "1E-07"},
    {-1234.5, "General;-General", "-1234.5"},
    {1234.5, "\"Total: \"General", "Total: 1234.5"},
    {1234.5, "@", "1234.5"},
    {-0.3, "0;@", "-0"},  // Excel keeps the minus of a value rounded to 0
    // Dates and times stay ISO 8601; elapsed time counts past a day.
    {45352, "dd/mm/yyyy", "2024-03-01"},
    {45352, "[$-409]mmmm d, yyyy;@", "2024-03-01"},
    {45352, "mmm-yy", "2024-03-01"},
    {45352.604166666664, "yyyy-mm-dd hh:mm", "2024-03-01 14:30"},
    {0.6041666666666666, "h:mm AM/PM", "14:30"},
    {0.0104166666666667, "mm:ss", "00:15"},
    {1.5, "[h]:mm", "36:00"},
    {1.5, "[h]:mm:ss", "36:00:00"},
    {0.0104166666666667, "[mm]:ss", "15:00"},
    {1.5, "[mm]:ss.00", "2160:00.00"},
    {-1.5, "[h]:mm", "-36:00"},
};

TEST(NumberFormat, CellsReadAsExcelShowsThem) {
  for (const Case& c : kCases) {
    EXPECT_EQ(NumberFormat::parse(c.code).number(c.value, false), c.shown) << c.value << " in " << c.code;
  }
}

// en-US Excel's built-in formats, which .xlsx files name by id only.
TEST(NumberFormat, BuiltInFormatsAreEnUsExcels) {
  EXPECT_EQ(NumberFormat::builtin(0).number(1234.5, false), "1234.5");
  EXPECT_EQ(NumberFormat::builtin(3).number(1234.5, false), "1,235");
  EXPECT_EQ(NumberFormat::builtin(4).number(1234.5, false), "1,234.50");
  EXPECT_EQ(NumberFormat::builtin(5).number(-1234.5, false), "($1,235)");
  EXPECT_EQ(NumberFormat::builtin(8).number(1234.5, false), "$1,234.50");
  EXPECT_EQ(NumberFormat::builtin(9).number(0.125, false), "13%");
  EXPECT_EQ(NumberFormat::builtin(10).number(0.125, false), "12.50%");
  EXPECT_EQ(NumberFormat::builtin(11).number(1500000, false), "1.50E+06");
  EXPECT_EQ(NumberFormat::builtin(12).number(12.75, false), "12 3/4");
  EXPECT_EQ(NumberFormat::builtin(13).number(0.3, false), "3/10");
  EXPECT_EQ(NumberFormat::builtin(14).number(45352, false), "2024-03-01");
  EXPECT_EQ(NumberFormat::builtin(22).number(45352.5, false), "2024-03-01 12:00");
  EXPECT_EQ(NumberFormat::builtin(38).number(-1234.5, false), "(1,235)");
  EXPECT_EQ(NumberFormat::builtin(41).number(0, false), "-");
  EXPECT_EQ(NumberFormat::builtin(43).number(0, false), "-");
  EXPECT_EQ(NumberFormat::builtin(44).number(-1234.5, false), "$(1,234.50)");
  EXPECT_EQ(NumberFormat::builtin(46).number(1.5, false), "36:00:00");
  EXPECT_EQ(NumberFormat::builtin(48).number(12345, false), "12.3E+3");
  EXPECT_EQ(NumberFormat::builtin(49).number(12345, false), "12345");
  EXPECT_EQ(NumberFormat::builtin(57).number(45352, false), "2024-03-01");  // an East Asian date
  EXPECT_EQ(NumberFormat::builtin(163).number(1234.5, false), "1234.5");    // unknown: General
}

TEST(NumberFormat, TextCellsUseTheTextSection) {
  EXPECT_FALSE(NumberFormat::parse("0.00").formatsText());
  EXPECT_FALSE(NumberFormat::parse("@").formatsText());
  EXPECT_FALSE(NumberFormat::builtin(44).formatsText());  // "_(@_)": padding only
  EXPECT_EQ(NumberFormat::parse("0;-0;0;\"Sales: \"@").text("Widgets"), "Sales: Widgets");
  EXPECT_EQ(NumberFormat::parse("0;-0;0;\"n/a\"").text("Widgets"), "n/a");
  EXPECT_EQ(NumberFormat::parse("\"Ref \"@").text("A-12"), "Ref A-12");
  EXPECT_EQ(NumberFormat::parse("\"Ref \"@").number(12, false), "12");
  const CellFormats styles({{164, "0;-0;0;\"[\"@\"]\""}}, {0, 164});
  EXPECT_EQ(styles.text("x", 1), "[x]");
  EXPECT_EQ(styles.text("x", 0), "x");
  EXPECT_EQ(styles.text("x", 99), "x");
}

// A workbook's formats are parsed once each, however many styles use them.
TEST(NumberFormat, CellFormatsParseEachFormatOnce) {
  const CellFormats styles({{164, "#,##0.00 [$€-407]"}, {4, "0.0"}}, {0, 164, 164, 4, 10, 164, 0});
  EXPECT_EQ(styles.distinctFormats(), 4u);
  EXPECT_EQ(styles.number(1234.5, 2, false), "1,234.50 €");
  EXPECT_EQ(styles.number(1234.5, 3, false), "1234.5");  // the workbook's code replaces built-in 4
  EXPECT_EQ(styles.number(0.125, 4, false), "12.50%");
  EXPECT_EQ(styles.number(1234.5, 7, false), "1234.5");  // no such style: General
  EXPECT_EQ(styles.number(1462, 0, true), "1462");
}

// Malformed or enormous codes never crash and read as General; long output falls back to General.
TEST(NumberFormat, BadCodesReadAsGeneral) {
  EXPECT_EQ(NumberFormat::parse("\"unclosed 0.00").number(1234.5, false), "1234.5");
  EXPECT_EQ(NumberFormat::parse("[Red 0.00").number(1234.5, false), "1234.5");
  EXPECT_EQ(NumberFormat::parse(std::string(10000, '0')).number(1234.5, false), "1234.5");
  EXPECT_EQ(NumberFormat::parse(std::string(600, '0')).number(1, false), "1");  // 600 digits: past kMaxDisplay
  EXPECT_EQ(NumberFormat::parse("0;0;0;0;0;0").number(-5, false), "5");         // past four sections: ignored
  EXPECT_EQ(NumberFormat::parse("").number(1234.5, false), "1234.5");
  EXPECT_EQ(NumberFormat::parse("0.00").number(1e308, false).size(), 312u);
  EXPECT_EQ(NumberFormat::parse("#,##0").number(1e308, false).size(), 411u);  // 309 digits and 102 commas
  EXPECT_EQ(NumberFormat::parse("#,##0.00").number(1e308, false).substr(0, 24), "100,000,000,000,000,000,");
  EXPECT_EQ(NumberFormat::parse("# ?/?").number(1e300, false), "1E+300");
  EXPECT_EQ(NumberFormat::parse("?/99999999").number(1e10, false), "10000000000");
  EXPECT_EQ(NumberFormat::parse("[h]:mm").number(1e300, false), "1E+300");
  EXPECT_EQ(NumberFormat::parse("0.00\\").number(5, false), "5.00");
  EXPECT_EQ(NumberFormat::parse("0_").number(5, false), "5");
  EXPECT_EQ(NumberFormat::parse("[>=abc]0").number(5, false), "5");
  EXPECT_EQ(NumberFormat::parse("0/0/0").number(0.5, false), "1/2/");  // fuzz: a second bar is text
  EXPECT_EQ(NumberFormat::parse("0.0E+0/00").number(1234.5, false), "1.2E+3/");  // fuzz: so is one beside an exponent
  EXPECT_EQ(NumberFormat::parse(";???????????????/??????????????????/?").number(-0.5, false).substr(0, 4), "1/2 ");
  EXPECT_EQ(NumberFormat::parse("0.00").number(std::numeric_limits<double>::quiet_NaN(), false), "nan");
}

}  // namespace
}  // namespace folio::ingest::office
