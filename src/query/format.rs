//! Rendering answers as an aligned text table (for people), JSON (for programs) or CSV (for
//! spreadsheets). Every answer type says what its table looks like once; the CSV of most of
//! them is that table without the indented detail lines.

use serde::Serialize;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns, sources indented under their row.
    Table,
    /// Pretty-printed JSON.
    Json,
    /// Comma-separated values with a header line.
    Csv,
}

/// Why an answer could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// JSON serialisation failed.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// CSV writing failed.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    /// CSV text was not UTF-8 (cannot happen with UTF-8 cells).
    #[error("cannot write CSV: {0}")]
    Utf8(#[from] std::string::FromUtf8Error),
    /// The CSV writer could not be flushed.
    #[error("cannot write CSV: {0}")]
    Flush(#[from] std::io::Error),
}

/// A table: an optional title, a header and rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Printed above the table (for answers made of several tables).
    pub title: Option<String>,
    /// Column names.
    pub headers: Vec<String>,
    /// The rows.
    pub rows: Vec<TableRow>,
}

/// A row and the lines printed under it in a text table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableRow {
    /// One cell per column.
    pub cells: Vec<String>,
    /// Indented lines under the row (sources), text tables only.
    pub details: Vec<String>,
}

impl Table {
    /// A table with these column names and no rows.
    pub fn new(headers: &[&str]) -> Table {
        Table {
            title: None,
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row without details.
    pub fn push(&mut self, cells: Vec<String>) {
        self.rows.push(TableRow { cells, details: Vec::new() });
    }

    /// The table as aligned text: columns separated by two spaces, details indented by four.
    pub fn to_text(&self) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.cells.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(cell.chars().count());
                }
            }
        }
        let line = |cells: &[String]| {
            let mut text = String::new();
            for (i, cell) in cells.iter().enumerate() {
                let last = i + 1 == cells.len();
                text.push_str(cell);
                if !last {
                    let width = widths.get(i).copied().unwrap_or(0);
                    text.push_str(&" ".repeat(width.saturating_sub(cell.chars().count()) + 2));
                }
            }
            text.truncate(text.trim_end().len());
            text.push('\n');
            text
        };
        let mut out = String::new();
        if let Some(title) = &self.title {
            out.push_str(title);
            out.push('\n');
        }
        out.push_str(&line(&self.headers));
        for row in &self.rows {
            out.push_str(&line(&row.cells));
            for detail in &row.details {
                out.push_str("    ");
                out.push_str(detail);
                out.push('\n');
            }
        }
        out
    }

    /// The table as CSV: the header, then the rows; details are left out.
    pub fn to_csv(&self) -> Result<String, FormatError> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&self.headers)?;
        for row in &self.rows {
            writer.write_record(&row.cells)?;
        }
        let bytes = writer.into_inner().map_err(|e| e.into_error())?;
        Ok(String::from_utf8(bytes)?)
    }
}

/// An answer that can be shown in every format.
pub trait Render: Serialize {
    /// The text tables (one, or one per section).
    fn tables(&self) -> Vec<Table>;

    /// The CSV table; by default the only text table.
    fn csv_table(&self) -> Table {
        let mut tables = self.tables();
        if tables.len() == 1 {
            tables.remove(0)
        } else {
            Table::default()
        }
    }

    /// True when there is nothing to show (the command then says so on stderr).
    fn is_empty(&self) -> bool;
}

/// Renders an answer in a format, ending with a newline.
pub fn render<R: Render>(answer: &R, format: Format) -> Result<String, FormatError> {
    match format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(answer)?;
            text.push('\n');
            Ok(text)
        }
        Format::Csv => answer.csv_table().to_csv(),
        Format::Table => {
            let tables: Vec<String> = answer.tables().iter().map(Table::to_text).collect();
            Ok(tables.join("\n"))
        }
    }
}

/// A date or `-`.
pub fn date(date: Option<chrono::NaiveDate>) -> String {
    date.map_or_else(|| "-".to_string(), |d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_tables_align_columns_and_indent_details() {
        let mut table = Table::new(&["NAME", "N"]);
        table.push(vec!["Erdoğan".into(), "3".into()]);
        table.rows.push(TableRow {
            cells: vec!["Al".into(), "12".into()],
            details: vec!["a source".into()],
        });
        assert_eq!(table.to_text(), "NAME     N\nErdoğan  3\nAl       12\n    a source\n");
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let mut table = Table::new(&["sentence", "n"]);
        table.push(vec!["He said \"no\", twice.".into(), "1".into()]);
        assert_eq!(table.to_csv().expect("csv"), "sentence,n\n\"He said \"\"no\"\", twice.\",1\n");
    }
}
