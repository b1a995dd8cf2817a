//! KML 2.2 for Google Earth: one `Folder` per layer, a `Schema` per layer so the
//! attributes keep their names and types (`ExtendedData`/`SchemaData`), events
//! coloured by type, and every text XML-escaped.

use std::io::Write;

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
        for f in &layer.features {
            write!(w, "<Placemark>")?;
            if let Some(Some(name)) = label.map(|i| f.values[i].to_text()) {
                write!(w, "<name>{}</name>", xml_escape(&name))?;
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
}
