//! Reading the gazetteer's tab-separated tables by column name.

use std::collections::HashMap;
use std::str::FromStr;

use super::GazetteerError;
use crate::coords::{BBox, LonLat};

/// A parsed TSV text: header columns and data lines (comments and blanks skipped).
pub(crate) struct Table<'a> {
    source_name: &'a str,
    columns: HashMap<&'a str, usize>,
    lines: Vec<(usize, Vec<&'a str>)>,
}

/// One data row of a `Table`.
pub(crate) struct Row<'t, 'a> {
    table: &'t Table<'a>,
    line: usize,
    fields: &'t [&'a str],
}

impl<'a> Table<'a> {
    pub(crate) fn parse(source_name: &'a str, text: &'a str) -> Result<Table<'a>, GazetteerError> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|(i, l)| (i + 1, l.split('\t').collect::<Vec<_>>()));
        let (_, header) = lines.next().ok_or_else(|| GazetteerError::Empty { source_name: source_name.into() })?;
        let columns = header.iter().enumerate().map(|(i, c)| (c.trim(), i)).collect();
        Ok(Table { source_name, columns, lines: lines.collect() })
    }

    pub(crate) fn rows(&self) -> impl Iterator<Item = Row<'_, 'a>> {
        self.lines.iter().map(move |(line, fields)| Row { table: self, line: *line, fields })
    }
}

impl<'t, 'a> Row<'t, 'a> {
    /// The field in `column`; an empty string where the line is short.
    pub(crate) fn get(&self, column: &str) -> Result<&'a str, GazetteerError> {
        let i = *self.table.columns.get(column).ok_or_else(|| GazetteerError::MissingColumn {
            source_name: self.table.source_name.into(),
            column: column.into(),
        })?;
        Ok(self.fields.get(i).map(|s| s.trim()).unwrap_or(""))
    }

    pub(crate) fn bad(&self, problem: String) -> GazetteerError {
        GazetteerError::BadRow { source_name: self.table.source_name.into(), line: self.line, problem }
    }

    /// Parses `column`, or gives `default` when it is empty.
    pub(crate) fn parse_or<T: FromStr>(&self, column: &str, default: T) -> Result<T, GazetteerError> {
        let s = self.get(column)?;
        if s.is_empty() {
            return Ok(default);
        }
        s.parse().map_err(|_| self.bad(format!("`{column}` is not a number: `{s}`")))
    }

    fn float(&self, column: &str) -> Result<f64, GazetteerError> {
        let s = self.get(column)?;
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| self.bad(format!("`{column}` is not a number: `{s}`")))
    }

    pub(crate) fn point(&self) -> Result<LonLat, GazetteerError> {
        let p = LonLat::new(self.float("lon")?, self.float("lat")?);
        if p.is_valid() {
            Ok(p)
        } else {
            Err(self.bad(format!("coordinates out of range: {}, {}", p.lat, p.lon)))
        }
    }

    pub(crate) fn bbox(&self) -> Result<Option<BBox>, GazetteerError> {
        if self.get("west")?.is_empty() {
            return Ok(None);
        }
        Ok(Some(BBox {
            west: self.float("west")?,
            south: self.float("south")?,
            east: self.float("east")?,
            north: self.float("north")?,
        }))
    }
}
