//! GeoJSON (RFC 7946): one FeatureCollection per layer, WGS 84 longitude/latitude
//! (no `crs` member), 6 decimals, a `bbox`, and a `name` member that GDAL uses
//! as the layer name. Also reads such files back into a `Layer`.

use std::io::Write;

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use serde_json::{json, Map, Value as J};

use super::layer::{FieldType, Layer, LayerFeature, Value};
use super::ExportError;

fn coord(c: &Coord<f64>) -> J {
    json!([c.x, c.y])
}

fn line(l: &LineString<f64>) -> J {
    J::Array(l.0.iter().map(coord).collect())
}

fn poly(p: &Polygon<f64>) -> J {
    let mut rings = vec![line(p.exterior())];
    rings.extend(p.interiors().iter().map(line));
    J::Array(rings)
}

/// A geometry as a GeoJSON geometry object.
pub fn geometry_json(g: &Geometry<f64>) -> J {
    let (t, c) = match g {
        Geometry::Point(p) => ("Point", coord(&p.0)),
        Geometry::MultiPoint(mp) => ("MultiPoint", mp.0.iter().map(|p| coord(&p.0)).collect()),
        Geometry::LineString(l) => ("LineString", line(l)),
        Geometry::MultiLineString(ml) => ("MultiLineString", ml.0.iter().map(line).collect()),
        Geometry::Polygon(p) => ("Polygon", poly(p)),
        Geometry::MultiPolygon(mp) => ("MultiPolygon", mp.0.iter().map(poly).collect()),
        _ => return J::Null,
    };
    json!({"type": t, "coordinates": c})
}

/// One Feature object.
pub fn feature_json(layer: &Layer, f: &LayerFeature) -> J {
    let props: Map<String, J> = layer
        .fields
        .iter()
        .zip(&f.values)
        .map(|(field, v)| (field.name.clone(), v.to_json()))
        .collect();
    json!({"type": "Feature", "properties": props, "geometry": geometry_json(&f.geometry)})
}

/// One Feature serialised straight from the layer, without building a JSON tree
/// first: the same bytes as `feature_json`, at a fraction of the allocations, for
/// writers of many features (a million points, a stream).
pub struct FeatureSer<'a> {
    /// The layer whose fields name the values.
    pub layer: &'a Layer,
    /// The feature.
    pub feature: &'a LayerFeature,
}

impl serde::Serialize for FeatureSer<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("type", "Feature")?;
        m.serialize_entry("properties", &PropsSer(self.layer, self.feature))?;
        m.serialize_entry("geometry", &GeomSer(&self.feature.geometry))?;
        m.end()
    }
}

struct PropsSer<'a>(&'a Layer, &'a LayerFeature);

impl serde::Serialize for PropsSer<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.fields.len()))?;
        for (field, v) in self.0.fields.iter().zip(&self.1.values) {
            m.serialize_entry(&field.name, &ValueSer(v))?;
        }
        m.end()
    }
}

struct ValueSer<'a>(&'a Value);

impl serde::Serialize for ValueSer<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => s.serialize_unit(),
            Value::Text(t) => s.serialize_str(t),
            Value::Integer(i) => s.serialize_i64(*i),
            Value::Real(r) => NumSer(*r).serialize(s),
            Value::Date(d) => s.collect_str(d),
        }
    }
}

/// A number as JSON writes it: null when not finite.
struct NumSer(f64);

impl serde::Serialize for NumSer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_finite() {
            s.serialize_f64(self.0)
        } else {
            s.serialize_unit()
        }
    }
}

struct CoordSer<'a>(&'a Coord<f64>);

impl serde::Serialize for CoordSer<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut q = s.serialize_seq(Some(2))?;
        q.serialize_element(&NumSer(self.0.x))?;
        q.serialize_element(&NumSer(self.0.y))?;
        q.end()
    }
}

struct LineSer<'a>(&'a LineString<f64>);

impl serde::Serialize for LineSer<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0 .0.iter().map(CoordSer))
    }
}

struct PolySer<'a>(&'a Polygon<f64>);

impl serde::Serialize for PolySer<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            std::iter::once(self.0.exterior())
                .chain(self.0.interiors())
                .map(LineSer),
        )
    }
}

struct GeomSer<'a>(&'a Geometry<f64>);

impl serde::Serialize for GeomSer<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let t = match self.0 {
            Geometry::Point(_) => "Point",
            Geometry::MultiPoint(_) => "MultiPoint",
            Geometry::LineString(_) => "LineString",
            Geometry::MultiLineString(_) => "MultiLineString",
            Geometry::Polygon(_) => "Polygon",
            Geometry::MultiPolygon(_) => "MultiPolygon",
            _ => return s.serialize_unit(),
        };
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("type", t)?;
        match self.0 {
            Geometry::Point(p) => m.serialize_entry("coordinates", &CoordSer(&p.0))?,
            Geometry::MultiPoint(mp) => {
                m.serialize_entry("coordinates", &Seq(|| mp.0.iter().map(|p| CoordSer(&p.0))))?
            }
            Geometry::LineString(l) => m.serialize_entry("coordinates", &LineSer(l))?,
            Geometry::MultiLineString(ml) => {
                m.serialize_entry("coordinates", &Seq(|| ml.0.iter().map(LineSer)))?
            }
            Geometry::Polygon(p) => m.serialize_entry("coordinates", &PolySer(p))?,
            Geometry::MultiPolygon(mp) => {
                m.serialize_entry("coordinates", &Seq(|| mp.0.iter().map(PolySer)))?
            }
            _ => unreachable!("handled above"),
        }
        m.end()
    }
}

/// A sequence made on demand by a closure.
struct Seq<F>(F);

impl<F, I> serde::Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// Writes a layer as a FeatureCollection, one feature a line, with a trailing newline.
pub fn write_layer<W: Write>(layer: &Layer, mut w: W) -> std::io::Result<()> {
    let mut head = Map::new();
    head.insert("type".into(), J::from("FeatureCollection"));
    head.insert("name".into(), J::from(layer.name.as_str()));
    if let Some(b) = layer.extent() {
        head.insert("bbox".into(), json!(b));
    }
    let head = serde_json::to_string(&head)?;
    // Open the object, then stream the features into its `features` member.
    w.write_all(&head.as_bytes()[..head.len() - 1])?;
    w.write_all(b",\"features\":[")?;
    for (i, f) in layer.features.iter().enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut w, &FeatureSer { layer, feature: f })?;
    }
    w.write_all(b"\n]}\n")
}

/// Reads a geometry object; `None` for null or an unknown type.
pub fn geometry_from_json(g: &J) -> Option<Geometry<f64>> {
    fn c(v: &J) -> Option<Coord<f64>> {
        let a = v.as_array()?;
        Some(Coord {
            x: a.first()?.as_f64()?,
            y: a.get(1)?.as_f64()?,
        })
    }
    fn l(v: &J) -> Option<LineString<f64>> {
        v.as_array()?
            .iter()
            .map(c)
            .collect::<Option<Vec<_>>>()
            .map(LineString::new)
    }
    fn p(v: &J) -> Option<Polygon<f64>> {
        let mut rings = v.as_array()?.iter().map(l).collect::<Option<Vec<_>>>()?;
        if rings.is_empty() {
            return None;
        }
        let ext = rings.remove(0);
        Some(Polygon::new(ext, rings))
    }
    let coords = g.get("coordinates")?;
    Some(match g.get("type")?.as_str()? {
        "Point" => Point(c(coords)?).into(),
        "MultiPoint" => MultiPoint::new(
            coords
                .as_array()?
                .iter()
                .map(|v| c(v).map(Point))
                .collect::<Option<Vec<_>>>()?,
        )
        .into(),
        "LineString" => l(coords)?.into(),
        "MultiLineString" => MultiLineString::new(
            coords
                .as_array()?
                .iter()
                .map(l)
                .collect::<Option<Vec<_>>>()?,
        )
        .into(),
        "Polygon" => p(coords)?.into(),
        "MultiPolygon" => MultiPolygon::new(
            coords
                .as_array()?
                .iter()
                .map(p)
                .collect::<Option<Vec<_>>>()?,
        )
        .into(),
        _ => return None,
    })
}

/// Builds a layer from parsed features: the schema of a layer this crate writes
/// when `name` is one, otherwise fields in the order first seen, typed by their values.
pub fn layer_from_features(name: &str, features: &[J]) -> Result<Layer, String> {
    let (geometry_type, fields) = match Layer::schema(name) {
        Some(s) => s,
        None => infer_schema(features)?,
    };
    let mut layer = Layer {
        name: name.to_string(),
        geometry_type,
        fields,
        features: Vec::new(),
    };
    for (i, f) in features.iter().enumerate() {
        let geometry = f
            .get("geometry")
            .and_then(geometry_from_json)
            .ok_or_else(|| format!("feature {} has no geometry this tool reads", i + 1))?;
        let props = f.get("properties").and_then(J::as_object);
        let mut values = Vec::with_capacity(layer.fields.len());
        for field in &layer.fields {
            let v = props.and_then(|p| p.get(&field.name)).unwrap_or(&J::Null);
            values.push(Value::from_json(v, field.field_type).ok_or_else(|| {
                format!(
                    "feature {}: `{}` = {v} is not {:?}",
                    i + 1,
                    field.name,
                    field.field_type
                )
            })?);
        }
        layer.features.push(LayerFeature::new(geometry, values));
    }
    layer.validate()?;
    Ok(layer)
}

fn infer_schema(
    features: &[J],
) -> Result<(super::layer::GeometryType, Vec<super::layer::Field>), String> {
    use super::layer::{Field, GeometryType};
    let geometry_type = features
        .iter()
        .filter_map(|f| f.get("geometry").and_then(geometry_from_json))
        .find_map(|g| GeometryType::of(&g))
        .map(|(t, _)| t)
        .ok_or("no feature has a geometry")?;
    let mut fields: Vec<Field> = Vec::new();
    for f in features {
        let Some(props) = f.get("properties").and_then(J::as_object) else {
            continue;
        };
        for (k, v) in props {
            let t = match v {
                J::Null => continue,
                J::Number(n) if n.is_i64() => FieldType::Integer,
                J::Number(_) => FieldType::Real,
                _ => FieldType::Text,
            };
            match fields.iter_mut().find(|f| &f.name == k) {
                Some(f) if f.field_type == FieldType::Integer && t == FieldType::Real => {
                    f.field_type = FieldType::Real
                }
                Some(f) if f.field_type != t && f.field_type != FieldType::Real => {
                    f.field_type = FieldType::Text
                }
                Some(_) => {}
                None => fields.push(Field {
                    name: k.clone(),
                    field_type: t,
                }),
            }
        }
    }
    // Values of mixed types were widened to text; make them text when reading.
    Ok((geometry_type, fields))
}

/// Reads a GeoJSON FeatureCollection; the layer is named by its `name` member, or `default_name`.
pub fn read_layer(text: &str, default_name: &str) -> Result<Layer, ExportError> {
    let bad = |message: String| ExportError::Read {
        what: default_name.to_string(),
        message,
    };
    let v: J = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    if v.get("type").and_then(J::as_str) != Some("FeatureCollection") {
        return Err(bad("not a GeoJSON FeatureCollection".into()));
    }
    let name = v.get("name").and_then(J::as_str).unwrap_or(default_name);
    let features = v
        .get("features")
        .and_then(J::as_array)
        .ok_or_else(|| bad("no `features` array".into()))?;
    layer_from_features(name, features).map_err(bad)
}

#[cfg(test)]
mod tests {

    #[test]
    fn direct_serialiser_writes_the_same_bytes_as_the_json_tree() {
        let layer = crate::export::layer::tricky_layer();
        for f in &layer.features {
            let tree = serde_json::to_string(&feature_json(&layer, f)).unwrap();
            let direct = serde_json::to_string(&FeatureSer {
                layer: &layer,
                feature: f,
            })
            .unwrap();
            assert_eq!(direct, tree);
        }
        let mut l = layer.clone();
        l.features[0].values[0] = Value::Real(f64::NAN);
        l.fields[0].field_type = FieldType::Real;
        let f = &l.features[0];
        let tree = serde_json::to_string(&feature_json(&l, f)).unwrap();
        let direct = serde_json::to_string(&FeatureSer {
            layer: &l,
            feature: f,
        })
        .unwrap();
        assert_eq!(direct, tree);
    }

    use super::*;
    use crate::export::layer::{tricky_layer, Field, GeometryType};

    #[test]
    fn writes_rfc7946_and_reads_back() {
        let layer = tricky_layer();
        let mut buf = Vec::new();
        write_layer(&layer, &mut buf).unwrap();
        let v: J = serde_json::from_slice(&buf).unwrap();
        assert_eq!(v["name"], "routes");
        assert!(v.get("crs").is_none());
        assert_eq!(v["features"][0]["geometry"]["type"], "MultiLineString");
        assert_eq!(v["features"][0]["properties"]["date"], "2024-07-15");
        let bbox = v["bbox"].as_array().unwrap();
        assert_eq!(bbox[0], -180.0);
        assert_eq!(bbox[2], 180.0);
        let back = read_layer(std::str::from_utf8(&buf).unwrap(), "x").unwrap();
        assert_eq!(back, layer);
    }

    #[test]
    fn unknown_layers_get_inferred_fields() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"a":1,"b":"x","c":null},"geometry":{"type":"Point","coordinates":[1,2]}},
            {"type":"Feature","properties":{"a":2.5,"b":"y","c":3},"geometry":{"type":"Point","coordinates":[3,4]}}]}"#;
        let l = read_layer(text, "mine").unwrap();
        assert_eq!(l.name, "mine");
        assert_eq!(l.geometry_type, GeometryType::Point);
        assert_eq!(
            l.fields,
            vec![
                Field {
                    name: "a".into(),
                    field_type: FieldType::Real
                },
                Field {
                    name: "b".into(),
                    field_type: FieldType::Text
                },
                Field {
                    name: "c".into(),
                    field_type: FieldType::Integer
                }
            ]
        );
        assert_eq!(l.features[1].values[0], Value::Real(2.5));
    }
}
