//! CSV (RFC 4180): a `WKT` geometry column, `lon`/`lat` columns (the point
//! itself, or a point inside a line or polygon), then the layer's fields.
//! Cells are quoted when they hold a comma, a quote or a line break; lines end
//! in CRLF. Dates are ISO 8601.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula
//! (formula injection), so a text cell that starts with one of those, with a tab
//! or carriage return, or with an apostrophe, is written with an apostrophe
//! (`'`) in front. `read_layer` removes it again. Numeric columns are not escaped.
//!
//! GDAL reads the geometry from the `WKT` column; `csvt_for` writes the `.csvt`
//! type file that gives it the field types, and `.prj` the CRS.

use std::io::Write;

use geo::{
    Coord, Geometry, InteriorPoint, LineString, MultiLineString, MultiPoint, MultiPolygon, Point,
    Polygon,
};

use super::layer::{Field, FieldType, GeometryType, Layer, LayerFeature, Value};
use super::ExportError;

/// Characters that make a spreadsheet treat a cell as a formula, plus the apostrophe
/// used to escape them (escaped too, so reading back is exact).
const FORMULA_START: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// A text cell made safe for spreadsheets: an apostrophe before a formula start.
pub fn escape_formula(s: &str) -> String {
    if s.starts_with(FORMULA_START) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Quotes a cell per RFC 4180 when it needs it.
fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes a layer as CSV.
pub fn write_layer<W: Write>(layer: &Layer, mut w: W) -> std::io::Result<()> {
    let mut head = vec!["WKT".to_string(), "lon".into(), "lat".into()];
    head.extend(layer.fields.iter().map(|f| quote(&f.name)));
    w.write_all(head.join(",").as_bytes())?;
    w.write_all(b"\r\n")?;
    for f in &layer.features {
        let at = match &f.geometry {
            Geometry::Point(p) => Some(*p),
            g => g.interior_point(),
        };
        let mut row = vec![
            quote(&wkt(&f.geometry)),
            at.map(|p| super::layer::round6(p.x()).to_string())
                .unwrap_or_default(),
            at.map(|p| super::layer::round6(p.y()).to_string())
                .unwrap_or_default(),
        ];
        for v in &f.values {
            row.push(match v {
                Value::Text(s) => quote(&escape_formula(s)),
                other => other.to_text().unwrap_or_default(),
            });
        }
        w.write_all(row.join(",").as_bytes())?;
        w.write_all(b"\r\n")?;
    }
    Ok(())
}

/// The GDAL `.csvt` line that types the columns `write_layer` writes.
pub fn csvt_for(layer: &Layer) -> String {
    let mut t = vec!["WKT", "Real", "Real"];
    t.extend(layer.fields.iter().map(|f| match f.field_type {
        FieldType::Text => "String",
        FieldType::Integer => "Integer64",
        FieldType::Real => "Real",
        FieldType::Date => "Date",
    }));
    let quoted: Vec<String> = t.iter().map(|s| format!("\"{s}\"")).collect();
    format!("{}\r\n", quoted.join(","))
}

fn coords(l: &LineString<f64>) -> String {
    let v: Vec<String> = l.0.iter().map(|c| format!("{} {}", c.x, c.y)).collect();
    format!("({})", v.join(", "))
}

fn rings(p: &Polygon<f64>) -> String {
    let mut v = vec![coords(p.exterior())];
    v.extend(p.interiors().iter().map(coords));
    format!("({})", v.join(", "))
}

/// A geometry as OGC Well-Known Text.
pub fn wkt(g: &Geometry<f64>) -> String {
    match g {
        Geometry::Point(p) => format!("POINT ({} {})", p.x(), p.y()),
        Geometry::MultiPoint(mp) => {
            let v: Vec<String> =
                mp.0.iter()
                    .map(|p| format!("({} {})", p.x(), p.y()))
                    .collect();
            format!("MULTIPOINT ({})", v.join(", "))
        }
        Geometry::LineString(l) => format!("LINESTRING {}", coords(l)),
        Geometry::MultiLineString(ml) => {
            let v: Vec<String> = ml.0.iter().map(coords).collect();
            format!("MULTILINESTRING ({})", v.join(", "))
        }
        Geometry::Polygon(p) => format!("POLYGON {}", rings(p)),
        Geometry::MultiPolygon(mp) => {
            let v: Vec<String> = mp.0.iter().map(rings).collect();
            format!("MULTIPOLYGON ({})", v.join(", "))
        }
        _ => String::new(),
    }
}

/// A parenthesised WKT coordinate tree.
enum Tree {
    Coord(Coord<f64>),
    List(Vec<Tree>),
}

fn parse_tree(s: &mut std::iter::Peekable<std::str::Chars>) -> Result<Tree, String> {
    let skip = |s: &mut std::iter::Peekable<std::str::Chars>| {
        while s.peek().is_some_and(|c| c.is_whitespace()) {
            s.next();
        }
    };
    skip(s);
    if s.peek() == Some(&'(') {
        s.next();
        let mut items = Vec::new();
        loop {
            items.push(parse_tree(s)?);
            skip(s);
            match s.next() {
                Some(',') => continue,
                Some(')') => return Ok(Tree::List(items)),
                other => return Err(format!("expected `,` or `)`, found {other:?}")),
            }
        }
    }
    let mut text = String::new();
    while let Some(&c) = s.peek() {
        if c == ',' || c == ')' {
            break;
        }
        text.push(c);
        s.next();
    }
    let nums: Vec<f64> = text
        .split_whitespace()
        .map(|n| {
            n.parse::<f64>()
                .map_err(|_| format!("`{n}` is not a number"))
        })
        .collect::<Result<_, _>>()?;
    match nums[..] {
        [x, y, ..] => Ok(Tree::Coord(Coord { x, y })),
        _ => Err(format!("`{}` is not a coordinate", text.trim())),
    }
}

fn tree_line(t: Tree) -> Result<LineString<f64>, String> {
    match t {
        Tree::List(items) => items
            .into_iter()
            .map(|i| match i {
                Tree::Coord(c) => Ok(c),
                Tree::List(_) => Err("unexpected `(`".to_string()),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(LineString::new),
        Tree::Coord(_) => Err("expected `(`".into()),
    }
}

fn tree_list(t: Tree) -> Result<Vec<Tree>, String> {
    match t {
        Tree::List(v) => Ok(v),
        Tree::Coord(_) => Err("expected `(`".into()),
    }
}

fn tree_polygon(t: Tree) -> Result<Polygon<f64>, String> {
    let mut rings = tree_list(t)?
        .into_iter()
        .map(tree_line)
        .collect::<Result<Vec<_>, _>>()?;
    if rings.is_empty() {
        return Err("a polygon without rings".into());
    }
    let ext = rings.remove(0);
    Ok(Polygon::new(ext, rings))
}

/// Parses OGC Well-Known Text (2D points, lines, polygons and their Multi* forms).
pub fn parse_wkt(s: &str) -> Result<Geometry<f64>, String> {
    let s = s.trim();
    let split = s.find('(').ok_or_else(|| format!("`{s}` is not WKT"))?;
    let kind = s[..split].trim().to_ascii_uppercase();
    let mut chars = s[split..].chars().peekable();
    let tree = parse_tree(&mut chars)?;
    Ok(match kind.as_str() {
        "POINT" => match tree_list(tree)?.pop() {
            Some(Tree::Coord(c)) => Point(c).into(),
            _ => return Err("bad POINT".into()),
        },
        "LINESTRING" => tree_line(tree)?.into(),
        "POLYGON" => tree_polygon(tree)?.into(),
        "MULTIPOINT" => MultiPoint::new(
            tree_list(tree)?
                .into_iter()
                .map(|t| match t {
                    Tree::Coord(c) => Ok(Point(c)),
                    list => tree_line(list)?
                        .0
                        .first()
                        .map(|c| Point(*c))
                        .ok_or("empty point".to_string()),
                })
                .collect::<Result<Vec<_>, _>>()?,
        )
        .into(),
        "MULTILINESTRING" => MultiLineString::new(
            tree_list(tree)?
                .into_iter()
                .map(tree_line)
                .collect::<Result<_, _>>()?,
        )
        .into(),
        "MULTIPOLYGON" => MultiPolygon::new(
            tree_list(tree)?
                .into_iter()
                .map(tree_polygon)
                .collect::<Result<_, _>>()?,
        )
        .into(),
        other => return Err(format!("WKT type `{other}` is not supported")),
    })
}

/// Splits CSV text into records of cells (RFC 4180: quoted cells may hold
/// commas, doubled quotes and line breaks).
pub fn parse_records(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
            continue;
        }
        match c {
            '"' if cell.is_empty() => quoted = true,
            ',' => row.push(std::mem::take(&mut cell)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut row));
                any = false;
            }
            c => cell.push(c),
        }
    }
    if quoted {
        return Err("a quoted cell is not closed".into());
    }
    if any {
        row.push(cell);
        records.push(row);
    }
    Ok(records)
}

/// Reads a CSV this crate wrote (or any with a `WKT` column) into a layer called
/// `name`. Field types come from `csvt` (the `.csvt` file's text) when given, else
/// from the schema of a layer this crate writes, else text.
pub fn read_layer(text: &str, name: &str, csvt: Option<&str>) -> Result<Layer, ExportError> {
    let bad = |message: String| ExportError::Read {
        what: name.to_string(),
        message,
    };
    let mut records = parse_records(text.strip_prefix('\u{feff}').unwrap_or(text)).map_err(bad)?;
    if records.is_empty() {
        return Err(bad("the file is empty".into()));
    }
    let header = records.remove(0);
    let wkt_col = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case("wkt"))
        .ok_or_else(|| bad("no `WKT` column".into()))?;
    let skip = |i: usize| i == wkt_col || header[i] == "lon" || header[i] == "lat";
    let csvt_types: Option<Vec<String>> = csvt
        .and_then(|t| parse_records(t).ok())
        .and_then(|mut r| r.drain(..).next());
    let schema = Layer::schema(name);
    let mut fields = Vec::new();
    let mut cols = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if skip(i) {
            continue;
        }
        let from_csvt = csvt_types.as_ref().and_then(|t| t.get(i)).map(|t| {
            match t.trim().to_ascii_lowercase().as_str() {
                "integer" | "integer64" => FieldType::Integer,
                "real" => FieldType::Real,
                "date" => FieldType::Date,
                _ => FieldType::Text,
            }
        });
        let from_schema = schema
            .as_ref()
            .and_then(|(_, f)| f.iter().find(|f| &f.name == h))
            .map(|f| f.field_type);
        fields.push(Field {
            name: h.clone(),
            field_type: from_csvt.or(from_schema).unwrap_or(FieldType::Text),
        });
        cols.push(i);
    }
    let mut features = Vec::new();
    let mut geometry_type = schema.as_ref().map(|s| s.0);
    for (n, r) in records.iter().enumerate() {
        if r.len() == 1 && r[0].is_empty() {
            continue;
        }
        if r.len() != header.len() {
            return Err(bad(format!(
                "row {} has {} cells for {} columns",
                n + 2,
                r.len(),
                header.len()
            )));
        }
        let geometry = parse_wkt(&r[wkt_col]).map_err(|m| bad(format!("row {}: {m}", n + 2)))?;
        geometry_type = geometry_type.or(GeometryType::of(&geometry).map(|t| t.0));
        let mut values = Vec::new();
        for (f, &i) in fields.iter().zip(&cols) {
            let cell = &r[i];
            let v = if f.field_type == FieldType::Text {
                Value::from_text(cell.strip_prefix('\'').unwrap_or(cell), FieldType::Text)
                    .unwrap_or(Value::Null)
            } else {
                Value::from_text(cell, f.field_type).ok_or_else(|| {
                    bad(format!(
                        "row {}: `{}` = {cell} is not {:?}",
                        n + 2,
                        f.name,
                        f.field_type
                    ))
                })?
            };
            values.push(v);
        }
        features.push(LayerFeature::new(geometry, values));
    }
    let layer = Layer {
        name: name.to_string(),
        geometry_type: geometry_type.unwrap_or(GeometryType::Point),
        fields,
        features,
    };
    layer.validate().map_err(bad)?;
    Ok(layer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::layer::tricky_layer;

    #[test]
    fn formula_starts_get_an_apostrophe() {
        assert_eq!(escape_formula("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(escape_formula("+1"), "'+1");
        assert_eq!(escape_formula("-1"), "'-1");
        assert_eq!(escape_formula("@x"), "'@x");
        assert_eq!(escape_formula("'quoted"), "''quoted");
        assert_eq!(escape_formula("Sea of Japan"), "Sea of Japan");
    }

    #[test]
    fn round_trips_tricky_text_with_the_escape_in_the_file() {
        let layer = tricky_layer();
        let mut buf = Vec::new();
        write_layer(&layer, &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{text}");
        assert!(text.contains("MULTILINESTRING ((178.4 -18.1, 180 "));
        let back = read_layer(&text, "routes", Some(&csvt_for(&layer))).unwrap();
        assert_eq!(back, layer);
        // Without the .csvt the known schema types the fields.
        assert_eq!(read_layer(&text, "routes", None).unwrap(), layer);
    }

    #[test]
    fn wkt_round_trips() {
        for w in [
            "POINT (1.5 -2)",
            "LINESTRING (1 2, 3 4)",
            "POLYGON ((0 0, 1 0, 1 1, 0 0), (0.2 0.2, 0.3 0.2, 0.3 0.3, 0.2 0.2))",
            "MULTILINESTRING ((170 50, 180 55), (-180 55, -170 60))",
            "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))",
            "MULTIPOINT ((1 2), (3 4))",
        ] {
            assert_eq!(wkt(&parse_wkt(w).unwrap()), w);
        }
        assert!(parse_wkt("CIRCLE (1 2)").is_err());
    }
}
