//! GeoPackage (OGC 12-128r18, version 1.3): every layer in one SQLite file, with
//! `gpkg_spatial_ref_sys` (EPSG:4326 and the two undefined systems),
//! `gpkg_contents` with extents, `gpkg_geometry_columns`, an R-tree spatial
//! index per layer (the `gpkg_rtree_index` extension, filled, with the standard
//! triggers for later edits) and each layer's default QGIS style in
//! `layer_styles`. Geometries are GeoPackage binary: a `GP` header with the SRS
//! and envelope, then little-endian WKB.
//!
//! The file is built in a temporary file beside the target and renamed into
//! place, so a failure leaves nothing half-written.

use std::path::Path;

use geo::{
    BoundingRect, Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point,
    Polygon,
};
use rusqlite::{params, Connection};

use super::layer::{Field, FieldType, GeometryType, Layer, LayerFeature, Value};
use super::{ExportError, WGS84_WKT};

/// The GeoPackage `application_id`: "GPKG" in ASCII.
pub const APPLICATION_ID: i32 = 0x4750_4B47;
/// The GeoPackage version, as `user_version` (1.3.0).
pub const USER_VERSION: i32 = 10300;
/// The geometry column of every layer.
pub const GEOMETRY_COLUMN: &str = "geom";

fn sql_err(path: &Path) -> impl Fn(rusqlite::Error) -> ExportError + '_ {
    move |e| ExportError::Gpkg {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Quotes an SQL identifier.
fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Writes `layers` with their default styles (`(layer name, QML)`) into a new
/// GeoPackage at `path`, replacing any file there.
pub fn write_file(
    path: &Path,
    layers: &[Layer],
    styles: &[(String, String)],
) -> Result<(), ExportError> {
    stage_file(path, layers, styles)?
        .commit()
        .map_err(|source| ExportError::Write {
            path: path.to_path_buf(),
            source,
        })
}

/// Builds the GeoPackage of `write_file` in a temporary file beside `path`, ready
/// to be renamed into place (dropping it removes the file).
pub(crate) fn stage_file(
    path: &Path,
    layers: &[Layer],
    styles: &[(String, String)],
) -> Result<crate::atomic::Staged, ExportError> {
    let io = |source: std::io::Error| ExportError::Write {
        path: path.to_path_buf(),
        source,
    };
    for l in layers {
        l.validate().map_err(|message| ExportError::Encode {
            what: format!("layer `{}`", l.name),
            message,
        })?;
    }
    let (staged, file) = crate::atomic::stage_empty(path, ".gpkg").map_err(io)?;
    {
        let mut conn = Connection::open(staged.temp_path()).map_err(sql_err(path))?;
        build(&mut conn, layers, styles).map_err(sql_err(path))?;
        conn.close().map_err(|(_, e)| sql_err(path)(e))?;
    }
    crate::atomic::finish(&file).map_err(io)?;
    Ok(staged)
}

fn sql_type(t: FieldType) -> &'static str {
    match t {
        FieldType::Text => "TEXT",
        FieldType::Integer => "INTEGER",
        FieldType::Real => "REAL",
        FieldType::Date => "DATE",
    }
}

fn build(
    conn: &mut Connection,
    layers: &[Layer],
    styles: &[(String, String)],
) -> rusqlite::Result<()> {
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    conn.pragma_update(None, "user_version", USER_VERSION)?;
    let tx = conn.transaction()?;
    tx.execute_batch(
        "CREATE TABLE gpkg_spatial_ref_sys (
            srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
            organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
         CREATE TABLE gpkg_contents (
            table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
            description TEXT DEFAULT '',
            last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
            CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (
            table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
            srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
            CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
            CONSTRAINT uk_gc_table_name UNIQUE (table_name),
            CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
            CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
         CREATE TABLE gpkg_extensions (
            table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
            definition TEXT NOT NULL, scope TEXT NOT NULL,
            CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
         CREATE TABLE layer_styles (
            id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),
            f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT,
            styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
            update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));",
    )?;
    tx.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES
            ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
            ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
            ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
        params![WGS84_WKT],
    )?;
    for layer in layers {
        write_layer(&tx, layer)?;
        if let Some((_, qml)) = styles.iter().find(|(n, _)| *n == layer.name) {
            tx.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column,
                    styleName, styleQML, styleSLD, useAsDefault, description, owner, ui)
                 VALUES ('', '', ?1, ?2, ?1, ?3, '', 1, 'geoevents default style', '', NULL)",
                params![layer.name, GEOMETRY_COLUMN, qml],
            )?;
        }
    }
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
         VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles')",
        [],
    )?;
    tx.commit()
}

fn write_layer(tx: &rusqlite::Transaction, layer: &Layer) -> rusqlite::Result<()> {
    let t = ident(&layer.name);
    let g = ident(GEOMETRY_COLUMN);
    let multi = layer.has_multi();
    let type_name = layer.geometry_type.ogc_name(multi);
    let mut cols = vec![
        "fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL".to_string(),
        format!("{g} {type_name}"),
    ];
    cols.extend(
        layer
            .fields
            .iter()
            .map(|f| format!("{} {}", ident(&f.name), sql_type(f.field_type))),
    );
    tx.execute_batch(&format!("CREATE TABLE {t} ({});", cols.join(", ")))?;
    let ext = layer.extent();
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
         VALUES (?1, 'features', ?1, '', ?2, ?3, ?4, ?5, 4326)",
        params![layer.name, ext.map(|e| e[0]), ext.map(|e| e[1]), ext.map(|e| e[2]), ext.map(|e| e[3])],
    )?;
    tx.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, ?2, ?3, 4326, 0, 0)",
        params![layer.name, GEOMETRY_COLUMN, type_name],
    )?;
    let names: Vec<String> = layer.fields.iter().map(|f| ident(&f.name)).collect();
    let marks: Vec<String> = (0..layer.fields.len())
        .map(|i| format!("?{}", i + 2))
        .collect();
    let sep = if names.is_empty() { "" } else { ", " };
    let mut insert = tx.prepare(&format!(
        "INSERT INTO {t} ({g}{sep}{}) VALUES (?1{sep}{})",
        names.join(", "),
        marks.join(", ")
    ))?;
    for f in &layer.features {
        let geom = if multi {
            to_multi(&f.geometry)
        } else {
            f.geometry.clone()
        };
        let mut values: Vec<rusqlite::types::Value> =
            vec![rusqlite::types::Value::Blob(geometry_blob(&geom))];
        values.extend(f.values.iter().map(|v| match v {
            Value::Null => rusqlite::types::Value::Null,
            Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
            Value::Integer(i) => rusqlite::types::Value::Integer(*i),
            Value::Real(r) => rusqlite::types::Value::Real(*r),
            Value::Date(d) => rusqlite::types::Value::Text(d.to_string()),
        }));
        insert.execute(rusqlite::params_from_iter(values))?;
    }
    // The spatial index: filled here, then kept current by the standard triggers.
    let rt = ident(&format!("rtree_{}_{}", layer.name, GEOMETRY_COLUMN));
    tx.execute_batch(&format!(
        "CREATE VIRTUAL TABLE {rt} USING rtree(id, minx, maxx, miny, maxy);"
    ))?;
    {
        let mut ins = tx.prepare(&format!("INSERT INTO {rt} VALUES (?1, ?2, ?3, ?4, ?5)"))?;
        for (i, f) in layer.features.iter().enumerate() {
            if let Some(r) = f.geometry.bounding_rect() {
                ins.execute(params![
                    (i + 1) as i64,
                    r.min().x,
                    r.max().x,
                    r.min().y,
                    r.max().y
                ])?;
            }
        }
    }
    tx.execute(
        "INSERT INTO gpkg_extensions VALUES (?1, ?2, 'gpkg_rtree_index',
            'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
        params![layer.name, GEOMETRY_COLUMN],
    )?;
    tx.execute_batch(&rtree_triggers(&layer.name, GEOMETRY_COLUMN))?;
    Ok(())
}

/// The triggers that keep `rtree_<t>_<c>` in step with edits made later (in QGIS
/// or GDAL, which provide the `ST_*` functions they call).
fn rtree_triggers(table: &str, column: &str) -> String {
    let t = ident(table);
    let c = ident(column);
    let rt = ident(&format!("rtree_{table}_{column}"));
    let name = |suffix: &str| ident(&format!("rtree_{table}_{column}_{suffix}"));
    let values = format!(
        "(NEW.fid, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}))"
    );
    let has = format!("(NEW.{c} NOT NULL AND NOT ST_IsEmpty(NEW.{c}))");
    let hasnt = format!("(NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))");
    format!(
        "CREATE TRIGGER {ins} AFTER INSERT ON {t} WHEN {has}
         BEGIN INSERT OR REPLACE INTO {rt} VALUES {values}; END;
         CREATE TRIGGER {u1} AFTER UPDATE OF {c} ON {t} WHEN OLD.fid = NEW.fid AND {has}
         BEGIN INSERT OR REPLACE INTO {rt} VALUES {values}; END;
         CREATE TRIGGER {u2} AFTER UPDATE OF {c} ON {t} WHEN OLD.fid = NEW.fid AND {hasnt}
         BEGIN DELETE FROM {rt} WHERE id = OLD.fid; END;
         CREATE TRIGGER {u3} AFTER UPDATE ON {t} WHEN OLD.fid != NEW.fid AND {has}
         BEGIN DELETE FROM {rt} WHERE id = OLD.fid; INSERT OR REPLACE INTO {rt} VALUES {values}; END;
         CREATE TRIGGER {u4} AFTER UPDATE ON {t} WHEN OLD.fid != NEW.fid AND {hasnt}
         BEGIN DELETE FROM {rt} WHERE id IN (OLD.fid, NEW.fid); END;
         CREATE TRIGGER {del} AFTER DELETE ON {t} WHEN OLD.{c} NOT NULL
         BEGIN DELETE FROM {rt} WHERE id = OLD.fid; END;",
        ins = name("insert"),
        u1 = name("update1"),
        u2 = name("update2"),
        u3 = name("update3"),
        u4 = name("update4"),
        del = name("delete"),
    )
}

fn to_multi(g: &Geometry<f64>) -> Geometry<f64> {
    match g {
        Geometry::Point(p) => MultiPoint::new(vec![*p]).into(),
        Geometry::LineString(l) => MultiLineString::new(vec![l.clone()]).into(),
        Geometry::Polygon(p) => MultiPolygon::new(vec![p.clone()]).into(),
        other => other.clone(),
    }
}

/// A geometry as a GeoPackage binary blob: header (little-endian, SRS 4326, an
/// envelope for everything but points) and WKB.
pub fn geometry_blob(g: &Geometry<f64>) -> Vec<u8> {
    let mut b = vec![b'G', b'P', 0];
    let envelope = match g {
        Geometry::Point(_) => None,
        other => other.bounding_rect(),
    };
    // Flags: bit 0 little-endian; bits 1-3 envelope kind (1 = minx, maxx, miny, maxy).
    b.push(if envelope.is_some() {
        0b0000_0011
    } else {
        0b0000_0001
    });
    b.extend(4326i32.to_le_bytes());
    if let Some(r) = envelope {
        for v in [r.min().x, r.max().x, r.min().y, r.max().y] {
            b.extend(v.to_le_bytes());
        }
    }
    wkb(g, &mut b);
    b
}

fn wkb(g: &Geometry<f64>, out: &mut Vec<u8>) {
    fn head(out: &mut Vec<u8>, t: u32) {
        out.push(1);
        out.extend(t.to_le_bytes());
    }
    fn coords(out: &mut Vec<u8>, l: &LineString<f64>) {
        out.extend((l.0.len() as u32).to_le_bytes());
        for c in &l.0 {
            out.extend(c.x.to_le_bytes());
            out.extend(c.y.to_le_bytes());
        }
    }
    fn poly(out: &mut Vec<u8>, p: &Polygon<f64>) {
        head(out, 3);
        out.extend((1 + p.interiors().len() as u32).to_le_bytes());
        coords(out, p.exterior());
        for r in p.interiors() {
            coords(out, r);
        }
    }
    match g {
        Geometry::Point(p) => {
            head(out, 1);
            out.extend(p.x().to_le_bytes());
            out.extend(p.y().to_le_bytes());
        }
        Geometry::LineString(l) => {
            head(out, 2);
            coords(out, l);
        }
        Geometry::Polygon(p) => poly(out, p),
        Geometry::MultiPoint(mp) => {
            head(out, 4);
            out.extend((mp.0.len() as u32).to_le_bytes());
            for p in &mp.0 {
                wkb(&Geometry::Point(*p), out);
            }
        }
        Geometry::MultiLineString(ml) => {
            head(out, 5);
            out.extend((ml.0.len() as u32).to_le_bytes());
            for l in &ml.0 {
                head(out, 2);
                coords(out, l);
            }
        }
        Geometry::MultiPolygon(mp) => {
            head(out, 6);
            out.extend((mp.0.len() as u32).to_le_bytes());
            for p in &mp.0 {
                poly(out, p);
            }
        }
        _ => unreachable!("layers hold only points, lines and polygons"),
    }
}

/// Reads a GeoPackage binary geometry.
pub fn parse_blob(b: &[u8]) -> Result<Geometry<f64>, String> {
    if b.len() < 8 || &b[..2] != b"GP" {
        return Err("not a GeoPackage geometry".into());
    }
    let flags = b[3];
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        k => return Err(format!("bad envelope kind {k}")),
    };
    let wkb = b.get(8 + envelope..).ok_or_else(|| {
        format!(
            "geometry blob of {} bytes is shorter than its header",
            b.len()
        )
    })?;
    let mut r = WkbReader { b: wkb, le: true };
    r.geometry()
}

struct WkbReader<'a> {
    b: &'a [u8],
    le: bool,
}

impl WkbReader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        if self.b.len() < N {
            return Err("truncated WKB".into());
        }
        let (a, rest) = self.b.split_at(N);
        self.b = rest;
        Ok(a.try_into().unwrap())
    }
    fn u32(&mut self) -> Result<u32, String> {
        let a = self.take::<4>()?;
        Ok(if self.le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    }
    fn f64(&mut self) -> Result<f64, String> {
        let a = self.take::<8>()?;
        Ok(if self.le {
            f64::from_le_bytes(a)
        } else {
            f64::from_be_bytes(a)
        })
    }
    fn coord(&mut self) -> Result<Coord<f64>, String> {
        Ok(Coord {
            x: self.f64()?,
            y: self.f64()?,
        })
    }
    fn line(&mut self) -> Result<LineString<f64>, String> {
        let n = self.u32()?;
        (0..n)
            .map(|_| self.coord())
            .collect::<Result<Vec<_>, _>>()
            .map(LineString::new)
    }
    fn polygon(&mut self) -> Result<Polygon<f64>, String> {
        let n = self.u32()?;
        let mut rings = (0..n).map(|_| self.line()).collect::<Result<Vec<_>, _>>()?;
        if rings.is_empty() {
            return Ok(Polygon::new(LineString::new(vec![]), vec![]));
        }
        let ext = rings.remove(0);
        Ok(Polygon::new(ext, rings))
    }
    fn geometry(&mut self) -> Result<Geometry<f64>, String> {
        self.le = self.take::<1>()?[0] == 1;
        let t = self.u32()?;
        Ok(match t {
            1 => Point(self.coord()?).into(),
            2 => self.line()?.into(),
            3 => self.polygon()?.into(),
            4..=6 => {
                let n = self.u32()?;
                let parts = (0..n)
                    .map(|_| self.geometry())
                    .collect::<Result<Vec<_>, _>>()?;
                match t {
                    4 => MultiPoint::new(
                        parts
                            .into_iter()
                            .filter_map(|g| Point::try_from(g).ok())
                            .collect(),
                    )
                    .into(),
                    5 => MultiLineString::new(
                        parts
                            .into_iter()
                            .filter_map(|g| LineString::try_from(g).ok())
                            .collect(),
                    )
                    .into(),
                    _ => MultiPolygon::new(
                        parts
                            .into_iter()
                            .filter_map(|g| Polygon::try_from(g).ok())
                            .collect(),
                    )
                    .into(),
                }
            }
            other => return Err(format!("WKB geometry type {other} is not supported")),
        })
    }
}

/// Reads every feature layer of a GeoPackage, in `gpkg_contents` order.
pub fn read_file(path: &Path) -> Result<Vec<Layer>, ExportError> {
    let bad = |message: String| ExportError::Read {
        what: path.display().to_string(),
        message,
    };
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| bad(e.to_string()))?;
    read_layers(&conn).map_err(bad)
}

fn read_layers(conn: &Connection) -> Result<Vec<Layer>, String> {
    let e = |e: rusqlite::Error| e.to_string();
    let mut st = conn
        .prepare(
            "SELECT c.table_name, g.column_name, g.geometry_type_name FROM gpkg_contents c
             JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
             WHERE c.data_type = 'features' ORDER BY c.rowid",
        )
        .map_err(e)?;
    let tables: Vec<(String, String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(e)?
        .collect::<Result<_, _>>()
        .map_err(e)?;
    let mut layers = Vec::new();
    for (table, gcol, gtype) in tables {
        let geometry_type = match gtype.to_ascii_uppercase().trim_start_matches("MULTI") {
            "POINT" => GeometryType::Point,
            "LINESTRING" => GeometryType::LineString,
            "POLYGON" => GeometryType::Polygon,
            other => {
                return Err(format!(
                    "layer `{table}`: geometry type {other} is not supported"
                ))
            }
        };
        let mut info = conn
            .prepare(&format!("PRAGMA table_info({})", ident(&table)))
            .map_err(e)?;
        let cols: Vec<(String, String, bool)> = info
            .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get::<_, i64>(5)? > 0)))
            .map_err(e)?
            .collect::<Result<_, _>>()
            .map_err(e)?;
        let fields: Vec<Field> = cols
            .iter()
            .filter(|(n, _, pk)| !pk && *n != gcol)
            .map(|(n, t, _)| Field {
                name: n.clone(),
                field_type: match t.to_ascii_uppercase().as_str() {
                    "INTEGER" | "INT" | "MEDIUMINT" | "SMALLINT" | "TINYINT" | "BOOLEAN" => {
                        FieldType::Integer
                    }
                    "REAL" | "DOUBLE" | "FLOAT" => FieldType::Real,
                    "DATE" => FieldType::Date,
                    _ => FieldType::Text,
                },
            })
            .collect();
        let select: Vec<String> = std::iter::once(ident(&gcol))
            .chain(fields.iter().map(|f| ident(&f.name)))
            .collect();
        let pk = cols
            .iter()
            .find(|c| c.2)
            .map(|c| ident(&c.0))
            .unwrap_or("rowid".into());
        let mut q = conn
            .prepare(&format!(
                "SELECT {} FROM {} ORDER BY {pk}",
                select.join(", "),
                ident(&table)
            ))
            .map_err(e)?;
        let mut rows = q.query([]).map_err(e)?;
        let mut features = Vec::new();
        while let Some(row) = rows.next().map_err(e)? {
            let blob: Vec<u8> = row.get(0).map_err(e)?;
            let geometry = parse_blob(&blob).map_err(|m| format!("layer `{table}`: {m}"))?;
            let mut values = Vec::with_capacity(fields.len());
            for (i, f) in fields.iter().enumerate() {
                use rusqlite::types::ValueRef;
                let v = row.get_ref(i + 1).map_err(e)?;
                values.push(match (v, f.field_type) {
                    (ValueRef::Null, _) => Value::Null,
                    (ValueRef::Integer(n), FieldType::Integer) => Value::Integer(n),
                    (ValueRef::Integer(n), FieldType::Real) => Value::Real(n as f64),
                    (ValueRef::Real(r), FieldType::Real) => Value::Real(r),
                    (ValueRef::Text(t), ty) => {
                        let s = String::from_utf8_lossy(t);
                        Value::from_text(&s, ty).ok_or_else(|| {
                            format!("layer `{table}`: `{}` = {s} is not {ty:?}", f.name)
                        })?
                    }
                    (ValueRef::Integer(n), FieldType::Text) => Value::Text(n.to_string()),
                    (ValueRef::Real(r), FieldType::Text) => Value::Text(r.to_string()),
                    (other, ty) => {
                        return Err(format!(
                            "layer `{table}`: `{}` holds {other:?}, not {ty:?}",
                            f.name
                        ))
                    }
                });
            }
            features.push(LayerFeature::new(geometry, values));
        }
        layers.push(Layer {
            name: table,
            geometry_type,
            fields,
            features,
        });
    }
    Ok(layers)
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_blob_shorter_than_its_envelope_is_an_error_not_a_panic() {
        // Found by fuzz target csv_gpkg_reader: flags announce a 32-byte envelope.
        let b = b"GP\x00\x02\xe6\x10\x00\x00\x01\x01\x00\x00\x00";
        assert!(parse_blob(b)
            .unwrap_err()
            .contains("shorter than its header"));
        for kind in 1u8..=4 {
            let mut b = b"GP\x00\x00\x00\x00\x00\x00".to_vec();
            b[3] = kind << 1;
            assert!(parse_blob(&b).is_err());
        }
    }

    use super::*;
    use crate::export::layer::tricky_layer;

    #[test]
    fn blob_round_trips_and_has_the_gpkg_header() {
        let layer = tricky_layer();
        let g = &layer.features[0].geometry;
        let b = geometry_blob(g);
        assert_eq!(&b[..4], &[b'G', b'P', 0, 3]);
        assert_eq!(i32::from_le_bytes(b[4..8].try_into().unwrap()), 4326);
        assert_eq!(&parse_blob(&b).unwrap(), g);
    }

    #[test]
    fn file_round_trips_and_declares_gpkg() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.gpkg");
        let layer = tricky_layer();
        write_file(
            &p,
            std::slice::from_ref(&layer),
            &[("routes".into(), "<qgis/>".into())],
        )
        .unwrap();
        let conn = Connection::open(&p).unwrap();
        let app: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        assert_eq!(app, APPLICATION_ID);
        let gt: String = conn
            .query_row(
                "SELECT geometry_type_name FROM gpkg_geometry_columns",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(gt, "MULTILINESTRING");
        let n: i64 = conn
            .query_row("SELECT count(*) FROM rtree_routes_geom", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
        let d: i64 = conn
            .query_row(
                "SELECT useAsDefault FROM layer_styles WHERE f_table_name='routes'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(d, 1);
        let back = read_file(&p).unwrap();
        assert_eq!(back, vec![layer]);
        // Only the GeoPackage itself is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
