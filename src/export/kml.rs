//! KML 2.2 for Google Earth: one `Folder` per layer, a `Schema` per layer so the
//! attributes keep their names and types (`ExtendedData`/`SchemaData`), events
//! coloured by type, each dated feature with its time (`TimeStamp` for a day,
//! `TimeSpan` for a week, month or year) for Google Earth's time slider, and
//! every text XML-escaped.

use std::io::Write;

use chrono::{Datelike, NaiveDate};
use geo::{Geometry, LineString, Polygon};

use super::layer::{FieldType, Layer, Value};
use super::qml::{palette, xml_escape};

fn coords(l: &LineString<f64>) -> String {
    let v: Vec<String> = l.0.iter().map(|c| format!("{},{}", c.x, c.y)).collect();
    format!("<coordinates>{}</coordinates>", v.join(" "))
}

fn polygon(p: &Polygon<f64>) -> String {
    let mut s = format!(
        "<Polygon><outerBoundaryIs><LinearRing>{}</LinearRing></outerBoundaryIs>",
        coords(p.exterior())
    );
    for r in p.interiors() {
        s.push_str(&format!(
            "<innerBoundaryIs><LinearRing>{}</LinearRing></innerBoundaryIs>",
            coords(r)
        ));
    }
    s.push_str("</Polygon>");
    s
}

/// A geometry as KML.
pub fn geometry_kml(g: &Geometry<f64>) -> String {
    match g {
        Geometry::Point(p) => format!(
            "<Point><coordinates>{},{}</coordinates></Point>",
            p.x(),
            p.y()
        ),
        Geometry::LineString(l) => format!(
            "<LineString><tessellate>1</tessellate>{}</LineString>",
            coords(l)
        ),
        Geometry::Polygon(p) => polygon(p),
        Geometry::MultiPoint(mp) => format!(
            "<MultiGeometry>{}</MultiGeometry>",
            mp.0.iter()
                .map(|p| geometry_kml(&Geometry::Point(*p)))
                .collect::<String>()
        ),
        Geometry::MultiLineString(ml) => format!(
            "<MultiGeometry>{}</MultiGeometry>",
            ml.0.iter()
                .map(|l| geometry_kml(&Geometry::LineString(l.clone())))
                .collect::<String>()
        ),
        Geometry::MultiPolygon(mp) => format!(
            "<MultiGeometry>{}</MultiGeometry>",
            mp.0.iter().map(polygon).collect::<String>()
        ),
        _ => String::new(),
    }
}

/// KML colours are `aabbggrr`.
fn kml_colour((r, g, b): (u8, u8, u8)) -> String {
    format!("ff{b:02x}{g:02x}{r:02x}")
}

/// The field that names a feature in Google Earth's list.
fn label_field(layer: &Layer) -> Option<usize> {
    let want = match layer.name.as_str() {
        "events" => "place_name",
        "routes" => "event_type",
        _ => "name",
    };
    layer
        .fields
        .iter()
        .position(|f| f.name == want)
        .or_else(|| {
            layer
                .fields
                .iter()
                .position(|f| f.field_type == FieldType::Text)
        })
}

/// The date in a field, as a date or as ISO 8601 text.
fn date_value(v: &Value) -> Option<NaiveDate> {
    match v {
        Value::Date(d) => Some(*d),
        Value::Text(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
        _ => None,
    }
}

/// The last day of the period that starts on `d` at `precision` (`week`,
/// `month`, `year`); `d` itself for a day or an unknown precision.
pub(super) fn period_end(d: NaiveDate, precision: &str) -> NaiveDate {
    match precision {
        "week" => d + chrono::Days::new(6),
        "month" => {
            let (y, m) = if d.month() == 12 {
                (d.year() + 1, 1)
            } else {
                (d.year(), d.month() + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1)
                .and_then(|n| n.pred_opt())
                .unwrap_or(d)
        }
        "year" => NaiveDate::from_ymd_opt(d.year(), 12, 31).unwrap_or(d),
        _ => d,
    }
}

/// Where a layer keeps its dates: `date_start`/`date_end`, and `date` with `date_precision`.
struct DateFields {
    start: Option<usize>,
    end: Option<usize>,
    date: Option<usize>,
    precision: Option<usize>,
}

impl DateFields {
    fn of(layer: &Layer) -> DateFields {
        let at = |n: &str| layer.fields.iter().position(|f| f.name == n);
        DateFields {
            start: at("date_start"),
            end: at("date_end"),
            date: at("date"),
            precision: at("date_precision"),
        }
    }

    /// The first and last day of a feature's time (both included), if it has one:
    /// from `date_start`/`date_end` where set, else the period `date` starts at
    /// its `date_precision`.
    fn span(&self, values: &[Value]) -> Option<(NaiveDate, NaiveDate)> {
        let get = |i: Option<usize>| i.and_then(|i| date_value(&values[i]));
        if let Some(s) = get(self.start) {
            let e = get(self.end).filter(|e| *e >= s).unwrap_or(s);
            return Some((s, e));
        }
        let d = get(self.date)?;
        let precision = self
            .precision
            .and_then(|i| values[i].to_text())
            .unwrap_or_default();
        Some((d, period_end(d, &precision)))
    }
}

/// A KML time primitive: `TimeStamp` for one day, `TimeSpan` (both days included) for more.
fn time_kml((start, end): (NaiveDate, NaiveDate)) -> String {
    if start == end {
        format!("<TimeStamp><when>{start}</when></TimeStamp>")
    } else {
        format!("<TimeSpan><begin>{start}</begin><end>{end}</end></TimeSpan>")
    }
}

/// Writes all layers into one KML document.
pub fn write_layers<W: Write>(layers: &[&Layer], title: &str, mut w: W) -> std::io::Result<()> {
    writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(w, "<kml xmlns=\"http://www.opengis.net/kml/2.2\">")?;
    writeln!(
        w,
        "<Document id=\"root_doc\"><name>{}</name>",
        xml_escape(title)
    )?;
    for (t, colour) in palette() {
        writeln!(
            w,
            "<Style id=\"type_{t}\"><IconStyle><color>{c}</color><scale>0.8</scale></IconStyle><LineStyle><color>{c}</color><width>3</width></LineStyle></Style>",
            c = kml_colour(colour)
        )?;
    }
    for layer in layers {
        let id = xml_escape(&layer.name);
        write!(w, "<Schema name=\"{id}\" id=\"{id}\">")?;
        for f in &layer.fields {
            let t = match f.field_type {
                FieldType::Integer => "int",
                FieldType::Real => "double",
                FieldType::Text | FieldType::Date => "string",
            };
            write!(
                w,
                "<SimpleField name=\"{}\" type=\"{t}\"></SimpleField>",
                xml_escape(&f.name)
            )?;
        }
        writeln!(w, "</Schema>")?;
    }
    for layer in layers {
        let id = xml_escape(&layer.name);
        writeln!(w, "<Folder><name>{id}</name>")?;
        let label = label_field(layer);
        let type_col = layer.fields.iter().position(|f| f.name == "event_type");
        let dates = DateFields::of(layer);
        for f in &layer.features {
            write!(w, "<Placemark>")?;
            if let Some(Some(name)) = label.map(|i| f.values[i].to_text()) {
                write!(w, "<name>{}</name>", xml_escape(&name))?;
            }
            // KML orders a feature's children: the time comes before the style.
            if let Some(span) = dates.span(&f.values) {
                write!(w, "{}", time_kml(span))?;
            }
            if let Some(Value::Text(t)) = type_col.map(|i| &f.values[i]) {
                write!(w, "<styleUrl>#type_{}</styleUrl>", xml_escape(t))?;
            }
            write!(w, "<ExtendedData><SchemaData schemaUrl=\"#{id}\">")?;
            for (field, v) in layer.fields.iter().zip(&f.values) {
                if let Some(text) = v.to_text() {
                    write!(
                        w,
                        "<SimpleData name=\"{}\">{}</SimpleData>",
                        xml_escape(&field.name),
                        xml_escape(&text)
                    )?;
                }
            }
            write!(w, "</SchemaData></ExtendedData>")?;
            writeln!(w, "{}</Placemark>", geometry_kml(&f.geometry))?;
        }
        writeln!(w, "</Folder>")?;
    }
    writeln!(w, "</Document>\n</kml>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::layer::tricky_layer;

    #[test]
    fn writes_escaped_placemarks_in_folders() {
        let layer = tricky_layer();
        let mut buf = Vec::new();
        write_layers(&[&layer], "a & b", &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(text.contains("<name>a &amp; b</name>"));
        assert!(text.contains("<Folder><name>routes</name>"));
        assert!(
            text.contains("<SimpleData name=\"event_id\">=HYPERLINK(&quot;x&quot;)</SimpleData>")
        );
        assert!(text.contains("<MultiGeometry><LineString>"));
        assert!(text.contains("日本語"));
        assert!(!text.contains("\"b\""), "quotes are escaped");
    }

    /// date, date_precision, and date_start with date_end.
    type Row<'a> = (&'a str, &'a str, Option<(&'a str, &'a str)>);

    fn dated_events(rows: &[Row]) -> Layer {
        let (geometry_type, mut fields) = Layer::schema("events").unwrap();
        let start_end = rows.iter().any(|r| r.2.is_some());
        if start_end {
            for name in ["date_start", "date_end"] {
                fields.push(super::super::layer::Field {
                    name: name.into(),
                    field_type: FieldType::Date,
                });
            }
        }
        let at = |n: &str| fields.iter().position(|f| f.name == n).unwrap();
        let (date, precision) = (at("date"), at("date_precision"));
        let features = rows
            .iter()
            .map(|(d, p, se)| {
                let mut values = vec![Value::Null; fields.len()];
                values[date] = date_value(&Value::Text(d.to_string()))
                    .map(Value::Date)
                    .unwrap_or(Value::Null);
                values[precision] = Value::Text(p.to_string());
                if let Some((s, e)) = se {
                    values[at("date_start")] = Value::Text(s.to_string());
                    values[at("date_end")] = Value::Text(e.to_string());
                }
                super::super::layer::LayerFeature::new(geo::Point::new(140.0, 41.0).into(), values)
            })
            .collect();
        Layer {
            name: "events".into(),
            geometry_type,
            fields,
            features,
        }
    }

    fn placemarks(layer: &Layer) -> Vec<String> {
        let mut buf = Vec::new();
        write_layers(&[layer], "t", &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        text.split("<Placemark>")
            .skip(1)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn events_carry_a_timestamp_for_a_day_and_a_timespan_for_longer() {
        let layer = dated_events(&[
            ("2024-07-15", "day", None),
            ("2024-07-15", "week", None),
            ("2024-02-01", "month", None),
            ("2023-12-01", "month", None),
            ("2024-01-01", "year", None),
            ("", "unknown", None),
        ]);
        let p = placemarks(&layer);
        assert!(p[0].contains("<TimeStamp><when>2024-07-15</when></TimeStamp>"));
        assert!(
            p[1].contains("<TimeSpan><begin>2024-07-15</begin><end>2024-07-21</end></TimeSpan>")
        );
        assert!(
            p[2].contains("<TimeSpan><begin>2024-02-01</begin><end>2024-02-29</end></TimeSpan>")
        );
        assert!(p[3].contains("<begin>2023-12-01</begin><end>2023-12-31</end>"));
        assert!(p[4].contains("<begin>2024-01-01</begin><end>2024-12-31</end>"));
        assert!(
            !p[5].contains("<Time"),
            "an undated event has no time: {}",
            p[5]
        );
        // The time comes before the style, as the KML schema orders them.
        assert!(p[0].find("<TimeStamp>").unwrap() < p[0].find("<ExtendedData>").unwrap());
    }

    #[test]
    fn start_and_end_fields_win_where_present() {
        let layer = dated_events(&[
            ("2024-07-01", "month", Some(("2024-07-01", "2024-07-31"))),
            ("2024-07-15", "day", Some(("2024-07-15", "2024-07-15"))),
        ]);
        let p = placemarks(&layer);
        assert!(
            p[0].contains("<TimeSpan><begin>2024-07-01</begin><end>2024-07-31</end></TimeSpan>")
        );
        assert!(p[1].contains("<TimeStamp><when>2024-07-15</when></TimeStamp>"));
    }
}
